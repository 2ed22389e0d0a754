/**
 * What `pulumi up` will send to an existing ESS instance-refresh task, decided with the provider's
 * own rules (`forecastConverge` of `core/forecast.ts` over `convergeStep` / `isSettled`,
 * `phaseOf`, `rollbackRefusalOf` and `cancelPlanOf` of `activity.ts`) from the status recorded in
 * state. For tools that forecast an update or a delete, such as the rollout plan; the provider
 * itself decides on the live status, which it reads first, so a forecast is only as fresh as the
 * state it starts from. Pure functions, no I/O.
 */
import { forecastConverge } from "../core/forecast";
import { ACTIVE_PHASES, TERMINAL_PHASES, isSettled, type Desired, type Step } from "../core/model";
import { cancelPlanOf, isRollbackPhase, phaseOf, rollbackRefusalOf } from "./activity";
import type { NormalizedAlicloudInputs } from "./settings";
import { ALICLOUD_WORDS } from "./words";

/** What the state recorded about the task at the last `up` or `refresh` (the resource's outputs). */
export interface RecordedTask {
  /** `instanceRefreshTaskId` output, e.g. `ir-bp1a2b3c4d5e`. */
  readonly taskId?: string;
  /** `status` output, e.g. `CheckpointPause`. */
  readonly status?: string;
  /** `currentCheckpoint` output: the checkpoint a `CheckpointPause` waits at. */
  readonly currentCheckpoint?: number;
  /** `checkpointCount` output: checkpoints below 100 %. */
  readonly checkpointCount?: number;
  /** `finishedUpdateCapacity` output: what a rollback would undo. */
  readonly finishedUpdateCapacity?: number;
  /** `totalNeedUpdateCapacity` output. */
  readonly totalNeedUpdateCapacity?: number;
}

const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const numberOf = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/**
 * What a resource's outputs (its state) record about the task; a field that is missing or of
 * another type is undefined.
 * @example recordedTaskOf({ status: "Paused", finishedUpdateCapacity: 0 }).finishedUpdateCapacity // 0
 */
export function recordedTaskOf(outputs: Readonly<Record<string, unknown>>): RecordedTask {
  return {
    taskId: textOf(outputs.instanceRefreshTaskId),
    status: textOf(outputs.status),
    currentCheckpoint: numberOf(outputs.currentCheckpoint),
    checkpointCount: numberOf(outputs.checkpointCount),
    finishedUpdateCapacity: numberOf(outputs.finishedUpdateCapacity),
    totalNeedUpdateCapacity: numberOf(outputs.totalNeedUpdateCapacity),
  };
}

/**
 * Why the API would refuse to roll the recorded task back (`rollbackRefusalOf` on what state
 * knows: the status, the capacity refreshed, the launch template version asked for), or undefined.
 * @example recordedRollbackRefusal({ status: "Paused", finishedUpdateCapacity: 0 }, inputs) // "nothing to roll back: …"
 */
export function recordedRollbackRefusal(recorded: RecordedTask, inputs: Pick<NormalizedAlicloudInputs, "desiredConfiguration">): string | undefined {
  return rollbackRefusalOf({
    Status: recorded.status,
    FinishedUpdateCapacity: recorded.finishedUpdateCapacity ?? 0,
    DesiredConfiguration: { LaunchTemplateVersion: inputs.desiredConfiguration.launchTemplateVersion },
  });
}

/** An API call `up` sends to the task. */
export type AlicloudPlannedCall =
  | { readonly action: "SuspendInstanceRefresh" }
  | { readonly action: "ResumeInstanceRefresh" }
  | { readonly action: "RollbackInstanceRefresh" };

/** What `up` does to an existing task. */
export interface AlicloudUpdateForecast {
  /** The step `convergeStep` takes on the recorded status (`none` for a new rollback). */
  readonly step: Step;
  /** Why a rollback asked for is refused (nothing is sent and `up` fails), when it is. */
  readonly refused?: string;
  /** The API call `up` sends; none when it sends nothing. */
  readonly call?: AlicloudPlannedCall;
  /** True when `up` first suspends the running task (SuspendInstanceRefresh) and then sends the rollback in `call`. */
  readonly suspendsFirst?: boolean;
  /** True when `rollback: true` finds the task already rolling back or rolled back: no second RollbackInstanceRefresh. */
  readonly rollbackExists?: boolean;
  /** True when `up` then waits for the task to settle. */
  readonly waits: boolean;
  /** While it waits, `up` resumes each CheckpointPause up to this checkpoint (approvedCheckpoints); undefined when none. */
  readonly passesGatesUpTo?: number;
}

function callOf(step: Step): AlicloudPlannedCall | undefined {
  switch (step.kind) {
    case "pause":
      return { action: "SuspendInstanceRefresh" };
    case "resume":
      return { action: "ResumeInstanceRefresh" };
    case "none":
      return undefined;
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Forecasts an update (or the `up` after a failure) of an existing task from its recorded status:
 * SuspendInstanceRefresh for `paused: true` on a running task, ResumeInstanceRefresh for `paused:
 * false` on a Paused task or an approved CheckpointPause, RollbackInstanceRefresh for `rollback:
 * true` (suspending a running task first), nothing otherwise.
 * @example
 * forecastAlicloudUpdate({ status: "Paused", currentCheckpoint: 0, checkpointCount: 1 }, inputs) // paused: false
 * // { step: { kind: "resume", … }, call: { action: "ResumeInstanceRefresh" }, waits: true }
 */
export function forecastAlicloudUpdate(recorded: RecordedTask, inputs: NormalizedAlicloudInputs): AlicloudUpdateForecast {
  if (recorded.status === undefined) return { step: { kind: "none" }, waits: false };
  const desired: Desired = { paused: inputs.paused, approvedSteps: inputs.approvedCheckpoints };
  const view = { phase: phaseOf(recorded.status), status: recorded.status, step: recorded.currentCheckpoint ?? 0 };
  const until = inputs.wait.until;
  if (inputs.rollback) {
    if (isRollbackPhase(view.phase)) {
      // The rollback exists (it is the task's own status): converged on and waited for, never sent again.
      const { step, waits } = forecastConverge(view, desired, until, 0, ALICLOUD_WORDS);
      return { step, call: callOf(step), rollbackExists: true, waits };
    }
    const refused = recordedRollbackRefusal(recorded, inputs);
    if (refused) return { step: { kind: "none" }, refused, waits: false };
    const rollingBack = { phase: phaseOf("RollbackInProgress"), step: view.step };
    return {
      step: { kind: "none" },
      call: { action: "RollbackInstanceRefresh" },
      suspendsFirst: ACTIVE_PHASES.has(view.phase),
      waits: until === "settled" && !isSettled(rollingBack, desired),
    };
  }
  const { step, waits, passesGatesUpTo } = forecastConverge(view, desired, until, recorded.checkpointCount ?? 0, ALICLOUD_WORDS);
  return { step, call: callOf(step), waits, passesGatesUpTo };
}

/**
 * What delete does to the recorded task: `nothing` for one that has ended, `waitForEnd` for a
 * rollback in progress (the API refuses to suspend or cancel it), `cancel` (CancelInstanceRefresh,
 * then waits until the task has ended) otherwise; `unknown` when state records no status.
 * @example forecastAlicloudDelete({ status: "InProgress" }) // "cancel"
 */
export function forecastAlicloudDelete(recorded: RecordedTask): "nothing" | "waitForEnd" | "cancel" | "unknown" {
  if (recorded.status === undefined) return "unknown";
  const phase = phaseOf(recorded.status);
  if (TERMINAL_PHASES.has(phase)) return "nothing";
  return cancelPlanOf({ phase });
}
