/**
 * `instance-refresh-gate-before-second-batch`: in production stacks, something must check the first
 * part of a rollout before the second starts — a measured gate (this package's `gate` input: an HTTP
 * probe that must stay healthy for a soak time) or a human one (a pause that an approval ends).
 * What counts, per resource kind:
 *
 * | kind | gate before the second batch |
 * |---|---|
 * | `InstanceRefresh` | `batchPause` FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE: the AUTO_PAUSE after batch 1, ended by `gate` (measured) or `approvedBatches` (human); a `gate` under AUTOMATIC never runs |
 * | `StartInstanceRefresh` (bridged) | the same pause, resumed by hand (the bridged resource has no `gate`) |
 * | `AlicloudInstanceRefresh` | a first checkpoint below 100 % and `gate` set (with `gate.requireApproval` for a human approval too): without `gate`, ESS ends the pause by itself after `checkpointPauseTime` |
 * | `ess.InstanceRefresh` (bridged) | a first checkpoint below 100 % (its pause is the only hold the bridged resource has) |
 *
 * A rollout of one batch (Tencent `batchNumber` 1) or whose first checkpoint is 100 % has no second
 * batch: it refreshes the whole group before any gate could stop it, so the rule reports it and asks
 * for a second batch with a gate before it.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CHECKPOINT_PAUSE_MINUTES, CHECKPOINT_PERCENTAGE, PROPERTY as ESS_PROPERTY } from "../provider/alibabacloud/settings";
import { DEFAULT_BATCH_PAUSE, PROPERTY, type BatchPause } from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { checkpointPercentages } from "./essResources";
import type { EssRefreshView } from "./essResources";
import { productionReason } from "./production";
import { isUnknown, knownInteger, type RefreshView } from "./resources";
import { validateEssRefresh, validateRefresh, type Report } from "./validate";

/** Name of the policy (messages name it). */
export const GATE_BEFORE_SECOND_BATCH = "instance-refresh-gate-before-second-batch";

/** The batch pauses that stop after batch 1 (an AUTO_PAUSE before batch 2). */
export const PAUSES_AFTER_FIRST_BATCH: readonly BatchPause[] = ["FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE"];

/** The `gate` input of this package's resources. */
const GATE_PROPERTY = "gate";
/** The canary the messages suggest for ESS. */
const SUGGESTED_CANARY_PERCENTAGE = 20;

/** Why the stack is production, or undefined (then the rule does not apply). */
const production = (args: ResourceValidationArgs): string | undefined =>
  productionReason(args, readConfig(args, CONFIG_DEFAULTS.gateBeforeSecondBatch), GATE_BEFORE_SECOND_BATCH);

/** Is a gate input present: set, secret or unknown (a value the preview does not know yet is still set). */
const gateSet = (gate: unknown): boolean => gate !== undefined && gate !== null;

/** The Tencent part: the AUTO_PAUSE after batch 1. */
function checkTencent(view: RefreshView, args: ResourceValidationArgs, report: Report): void {
  const bridged = view.kind === "StartInstanceRefresh";
  const batchNumber = knownInteger(view.batchNumber);
  const measured = bridged ? "" : ` (${GATE_PROPERTY} set: a measured gate; otherwise ${PROPERTY.approvedBatches} resumes it: a human one)`;
  const pauses = `${PROPERTY.batchPause} ${PAUSES_AFTER_FIRST_BATCH.join(" or ")}`;
  if (batchNumber === 1) {
    const reason = production(args);
    if (!reason) return;
    report(
      `${PROPERTY.batchNumber} 1 has no second batch: the whole group is refreshed at once, before any gate could stop the rollout, and ${reason}: ` +
        `use ${PROPERTY.batchNumber} 2 or more with ${pauses}, so the rollout pauses after batch 1${measured}`,
    );
    return;
  }
  if (batchNumber === undefined) return; // unknown or invalid: instance-refresh-valid-settings
  if (isUnknown(view.batchPause)) return;
  const pause = view.batchPause ?? DEFAULT_BATCH_PAUSE;
  if (PAUSES_AFTER_FIRST_BATCH.includes(pause as BatchPause)) return;
  if (typeof pause !== "string") return; // invalid: instance-refresh-valid-settings
  const reason = production(args);
  if (!reason) return;
  const given = view.batchPause === undefined ? `${PROPERTY.batchPause} unset (${DEFAULT_BATCH_PAUSE})` : `${PROPERTY.batchPause} ${pause}`;
  if (!bridged && gateSet(view.inputs[GATE_PROPERTY])) {
    report(
      `${GATE_PROPERTY} is set but ${given} never pauses between batches, so the gate never runs and batch 2 starts unchecked, and ${reason}: ` +
        `set ${pauses}, so the gate probes the service in the AUTO_PAUSE after batch 1`,
    );
    return;
  }
  const fix = bridged
    ? `set ${pauses}: the refresh then waits in AUTO_PAUSE after batch 1 until someone resumes it (for a measured gate, use this package's InstanceRefresh and its ${GATE_PROPERTY} input)`
    : `set ${pauses}, so the refresh waits in AUTO_PAUSE after batch 1${measured}`;
  report(`${given} does not pause after batch 1, so nothing checks it before batch 2 starts, and ${reason}: ${fix}`);
}

/** The ESS part: a first checkpoint below 100 %, and (this package's resource) a gate there. */
function checkEss(view: EssRefreshView, args: ResourceValidationArgs, report: Report): void {
  const percentages = checkpointPercentages(view.checkpoints);
  if (isUnknown(percentages)) return;
  const first = percentages[0];
  const gate = view.inputs[GATE_PROPERTY];
  const canary = `${ESS_PROPERTY.checkpoints}: [{ percentage: ${SUGGESTED_CANARY_PERCENTAGE} }, { percentage: ${CHECKPOINT_PERCENTAGE.max} }]`;
  const withGate = view.bridged
    ? ""
    : `, and set ${GATE_PROPERTY} (an HTTP probe that must stay healthy at the checkpoint before the rest; ${GATE_PROPERTY}.requireApproval: true adds a human approval, ${ESS_PROPERTY.approvedCheckpoints})`;
  if (first === undefined || first >= CHECKPOINT_PERCENTAGE.max) {
    const reason = production(args);
    if (!reason) return;
    const given = first === undefined ? `${ESS_PROPERTY.checkpoints} unset` : `${ESS_PROPERTY.checkpoints} [${percentages.join(", ")}]`;
    report(
      `${given} has no second batch: the first checkpoint is ${CHECKPOINT_PERCENTAGE.max}%, so the whole group is refreshed before any gate could stop the rollout, and ${reason}: ` +
        `add a checkpoint below ${CHECKPOINT_PERCENTAGE.max}%, e.g. ${canary}${withGate}`,
    );
    return;
  }
  if (view.bridged || gateSet(gate)) return;
  const reason = production(args);
  if (!reason) return;
  const minutes = view.inputs.checkpointPauseTime ?? CHECKPOINT_PAUSE_MINUTES.default;
  report(
    `${ESS_PROPERTY.checkpoints} pause at ${first}% but ${GATE_PROPERTY} is unset, so ESS resumes by itself after ${ESS_PROPERTY.checkpointPauseTime} ` +
      `(${isUnknown(minutes) ? "unknown" : String(minutes)} minutes) whether or not the first part is healthy, and ${reason}: ` +
      `set ${GATE_PROPERTY} (an HTTP probe that must stay healthy for ${GATE_PROPERTY}.soakSeconds before the refresh resumes), ` +
      `with ${GATE_PROPERTY}.requireApproval: true for a human approval (${ESS_PROPERTY.approvedCheckpoints}) too`,
  );
}

/** Asks, in production stacks, for a gate before the second batch, on all four refresh kinds. */
export const gateBeforeSecondBatch: ResourceValidationPolicy = {
  name: GATE_BEFORE_SECOND_BATCH,
  description:
    "Requires, in stacks named or tagged as production, a gate before the second batch: a measured gate (gate) or a human one (a pause after batch 1, a checkpoint below 100%).",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.gateBeforeSecondBatch,
  validateResource: [validateRefresh(checkTencent), validateEssRefresh(checkEss)],
};
