/**
 * Malformed InstanceRefresh arguments and the property each must be rejected for. Every case runs as
 * a unit table over the provider's own `check` (badInput.test.ts: the engine calls exactly that
 * during `pulumi preview`, and prints each failure's reason after "has a problem:"); the cases in
 * {@link CLI_BAD_INPUT_CASES} also run through the real CLI (cli.test.ts).
 */

/** A group id the cases use (the CLI suite seeds it with 4 instances). */
export const BAD_INPUT_GROUP = "asg-bad00001";
const G = BAD_INPUT_GROUP;
const rus = (extra: string) => `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2, ${extra} } } }`;
const top = (extra: string) => `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } }, ${extra} }`;
const BN = "refreshSettings.rollingUpdateSettings.batchNumber";
const MS = "refreshSettings.rollingUpdateSettings.maxSurge";

/** One case: a name, the resource's arguments as a JavaScript expression (it can hold anything a program could pass), the property named. */
export type BadInputCase = readonly [name: string, args: string, property: string];

/** Inputs `pulumi preview` must reject, naming the property, before any API call. */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  ["batchNumber as a string", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: "3" } } }`, BN],
  ["batchNumber negative", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: -1 } } }`, BN],
  ["batchNumber zero", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 0 } } }`, BN],
  ["batchNumber fractional", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 1.5 } } }`, BN],
  ["batchNumber huge", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 1e9 } } }`, BN],
  ["batchNumber missing", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { maxSurge: 1 } } }`, BN],
  ["maxSurge negative", rus("maxSurge: -1"), MS],
  ["maxSurge fractional", rus("maxSurge: 0.5"), MS],
  ["maxSurge huge", rus("maxSurge: 1e12"), MS],
  ["batchPause unknown", rus('batchPause: "NEVER"'), "refreshSettings.rollingUpdateSettings.batchPause"],
  ["failProcess unknown", rus('failProcess: "AUTO_RETRY"'), "refreshSettings.rollingUpdateSettings.failProcess"],
  ["unknown rolling-update field", rus("batchSize: 2"), "refreshSettings.rollingUpdateSettings.batchSize"],
  ["refreshMode unknown", top('refreshMode: "ROLLING_UPDATE"'), "refreshMode"],
  ["resumeMode unknown", top('resumeMode: "SKIP"'), "resumeMode"],
  ["group id empty", `{ autoScalingGroupId: "", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
  ["group id too short", `{ autoScalingGroupId: "asg-123", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
  ["group id upper case", `{ autoScalingGroupId: "ASG-BAD00001", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
  ["group id a number", `{ autoScalingGroupId: 12345678, refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
  ["group id missing", `{ refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
  ["refreshSettings missing", `{ autoScalingGroupId: "${G}" }`, "refreshSettings"],
  ["refreshSettings a string", `{ autoScalingGroupId: "${G}", refreshSettings: "fast" }`, "refreshSettings"],
  ["rollingUpdateSettings missing", `{ autoScalingGroupId: "${G}", refreshSettings: { checkInstanceTargetHealth: true } }`, "refreshSettings.rollingUpdateSettings"],
  [
    "health check not a boolean",
    `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 }, checkInstanceTargetHealth: "true" } }`,
    "refreshSettings.checkInstanceTargetHealth",
  ],
  [
    "health check timeout too small",
    `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 }, checkInstanceTargetHealthTimeout: 30 } }`,
    "refreshSettings.checkInstanceTargetHealthTimeout",
  ],
  ["paused not a boolean", top('paused: "yes"'), "paused"],
  ["approvedBatches negative", top("approvedBatches: -1"), "approvedBatches"],
  ["wait.until unknown", top('wait: { until: "done" }'), "wait.until"],
  ["wait.timeoutSeconds zero", top("wait: { timeoutSeconds: 0 }"), "wait.timeoutSeconds"],
  ["wait.timeoutSeconds huge", top("wait: { timeoutSeconds: 1e7 }"), "wait.timeoutSeconds"],
  ["region malformed", top('region: "Guangzhou"'), "region"],
  ["adoptActivityId malformed", top('adoptActivityId: "asr-1"'), "adoptActivityId"],
  ["trigger value not a string", top("triggers: { image: 5 }"), "triggers.image"],
  ["triggers not a map", top('triggers: "img-1"'), "triggers"],
  ["unknown top-level property (typo)", `{ autoScalingGroupID: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupID"],
];

/**
 * The cases that also run through the real CLI: one of each kind of mistake — a wrong type, a value
 * out of its enum, a missing required field, an unknown property (a typo).
 */
export const CLI_BAD_INPUT_CASES: readonly BadInputCase[] = ["batchNumber as a string", "batchPause unknown", "group id missing", "unknown top-level property (typo)"].map(
  (name) => BAD_INPUT_CASES.find((c) => c[0] === name)!,
);

/** Inputs that pass preview (they need the group's size) and must fail at `up`, before anything starts. */
export const UP_TIME_CASES: ReadonlyArray<readonly [name: string, args: string, property: string, reason: RegExp]> = [
  ["maxSurge above the batch size (4 instances in 2 batches)", rus("maxSurge: 3"), MS, /must be at most the 2 instances of one batch/],
  [
    "batchNumber above the group's instances",
    `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 5 } } }`,
    BN,
    /must be at most the group's 4 in-service instances/,
  ],
];

/** Evaluates a case's JavaScript expression as a program would build the arguments. */
export function evalArgs(expression: string): unknown {
  return (0, eval)(`(${expression})`) as unknown;
}
