/**
 * What every cloud's part of the rollout plan shares: the actions a change can take, their words,
 * how a step's operations classify, and small formatting helpers. No cloud names here.
 */
import type { PlannedStep } from "./preview";

/**
 * What a merge does to one refresh. For an in-place update of this package's resources, the action
 * is what `pulumi up` will send, forecast by the provider's own decision code from the status
 * recorded in state: `pause` (Tencent StopInstanceRefresh, ESS SuspendInstanceRefresh), `resume` /
 * `retry` / `skip-failed` / `approve` (ResumeInstanceRefresh from a manual pause, a failed pause with
 * RETRY or CONTINUE, an approved gate), `rollback` (RollbackInstanceRefresh for `rollback: true`),
 * `rollback-wait` (the refresh's rollback exists: no second one is sent, `up` waits for it),
 * `rollback-refused` (`rollback: true` on a refresh that state shows cannot be rolled back: `up`
 * fails and sends nothing), `wait` (nothing sent, waits for the running refresh) or `none`.
 * `update` is an in-place update whose effect the plan cannot forecast; `forget` a delete that
 * sends nothing (the bridged ESS resource's).
 */
export type RolloutAction =
  | "start"
  | "restart"
  | "pause"
  | "resume"
  | "retry"
  | "skip-failed"
  | "approve"
  | "rollback"
  | "rollback-wait"
  | "rollback-refused"
  | "wait"
  | "none"
  | "update"
  | "cancel"
  | "forget";

/** What every cloud's change has. */
export interface RolloutChangeBase {
  urn: string;
  name: string;
  action: RolloutAction;
  groupId: string;
  /** Inputs that cause the change, with old → new values; for an update the inputs do not explain, the status that does. */
  reasons: string[];
}

/**
 * The heading's words of each action (a cloud may say some of them in its own words).
 * @example ACTION_TEXT.pause // "pauses the running refresh"
 */
export const ACTION_TEXT: Readonly<Record<RolloutAction, string>> = {
  start: "starts a new refresh",
  restart: "cancels the current refresh (if it is still running) and starts a new one",
  pause: "pauses the running refresh",
  resume: "resumes the paused refresh",
  retry: "resumes the refresh paused on failed instances, refreshing them again",
  "skip-failed": "resumes the refresh paused on failed instances, skipping them (they stay FAILED)",
  approve: "approves the next batches of a paused canary refresh",
  rollback: "rolls back the refresh: the instances it refreshed return to their previous configuration",
  "rollback-wait": "waits for the refresh's rollback to settle; sends no second rollback",
  "rollback-refused": "asks for a rollback that `pulumi up` refuses: it fails and sends nothing",
  wait: "sends nothing; waits for the running refresh to settle",
  none: "sends nothing to the refresh",
  update: "changes inputs in place; the plan cannot tell what `pulumi up` sends (inputs or status unknown, or another provider)",
  cancel: "cancels the refresh if it is still running",
  forget: "removes the refresh from state only; sends nothing to the cloud",
};

/**
 * Operations that do nothing to a refresh.
 * @example QUIET_OPS.has("same") // true
 */
export const QUIET_OPS: ReadonlySet<string> = new Set(["same", "read", "refresh", "discard", "import", "import-replacement"]);

/**
 * A plain object, or `{}`.
 * @example obj(null) // {}
 */
export const obj = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * A value as the plan shows it: JSON, or `(unset)`.
 * @example show(undefined) // "(unset)"
 */
export const show = (value: unknown): string => (value === undefined ? "(unset)" : JSON.stringify(value));

/**
 * The resource's name: the last part of its URN.
 * @example nameOf("urn:pulumi:dev::p::t::web") // "web"
 */
export const nameOf = (urn: string): string => urn.split("::").pop() ?? urn;

/**
 * Creates, replacements and deletes; `undefined` for an in-place update.
 * @example classifyLifecycle(new Set(["create-replacement", "replace", "delete-replaced"])) // "restart"
 */
export function classifyLifecycle(ops: ReadonlySet<string>): "start" | "restart" | "cancel" | undefined {
  if (ops.has("delete") && !ops.has("create")) return "cancel";
  if ([...ops].some((op) => op.includes("replace"))) return "restart";
  if (ops.has("create")) return "start";
  return undefined;
}

/** The steps of one resource, read once: its operations, inputs before and after, outputs in state, and the inputs that changed. */
export interface StepsOfResource {
  readonly ops: ReadonlySet<string>;
  readonly type: string;
  readonly oldInputs: Record<string, unknown>;
  readonly oldOutputs: Record<string, unknown>;
  /** The new inputs, or the old ones for a delete. */
  readonly inputs: Record<string, unknown>;
  /** Top-level inputs that differ or force the replacement (engine-owned `__…` keys left out). */
  readonly keys: string[];
  /** `` `key`: old → new `` for each changed input. */
  readonly reasons: string[];
}

/**
 * Reads the steps the preview plans for one resource.
 * @example stepsOf(record.steps.filter((s) => s.urn === urn)).ops.has("update")
 */
export function stepsOf(steps: readonly PlannedStep[]): StepsOfResource {
  const main = steps.find((step) => step.newInputs) ?? steps[0];
  const oldInputs = steps.find((step) => step.oldInputs)?.oldInputs ?? {};
  const inputs = main.newInputs ?? oldInputs;
  const keys = [...new Set(steps.flatMap((step) => [...step.replaceKeys, ...step.diffKeys]))].filter((key) => !key.startsWith("__"));
  return {
    ops: new Set(steps.map((step) => step.op)),
    type: main.type,
    oldInputs,
    oldOutputs: steps.find((step) => step.oldOutputs)?.oldOutputs ?? {},
    inputs,
    keys,
    reasons: keys.map((key) => `\`${key}\`: ${show(oldInputs[key])} → ${show(inputs[key])}`),
  };
}

/**
 * The caveat under a forecast: which recorded status it comes from.
 * @example forecastCaveat("RUNNING", " at batch 1/3") // "Forecast from the status in state: RUNNING at batch 1/3. `pulumi up` reads …"
 */
export function forecastCaveat(status: string, at: string): string {
  return (
    `Forecast from the status in state: ${status}${at}. \`pulumi up\` reads the live status first and decides the same way; ` +
    "run `pulumi refresh` before previewing if the refresh may have moved since."
  );
}
