/**
 * ESS instance-refresh tasks in the core's terms: the phase of each status, the view of a task, its
 * outputs, a progress line, and the StartInstanceRefresh parameters of the inputs. Pure functions.
 */
import type { ActivityView, Phase } from "../core/model";
import { withoutUndefined } from "../core/model";
import type { OutputExtras } from "../core/port";
import { CHECKPOINT_PERCENTAGE, type DesiredConfiguration, type NormalizedAlicloudInputs } from "./settings";
import type { AlicloudInstanceRefreshOutputs, EssTask, TaskStatus } from "./types";

/** The core's phase of each task status. */
const PHASES: Readonly<Record<TaskStatus, Phase>> = {
  Pending: "starting",
  InProgress: "running",
  CheckpointPause: "gate",
  Paused: "manualPause",
  Successful: "succeeded",
  Failed: "failed",
  Cancelling: "cancelling",
  Cancelled: "cancelled",
  RollbackInProgress: "rollingBack",
  RollbackSuccessful: "rolledBack",
  RollbackFailed: "rollbackFailed",
};

/** Statuses of a task that has not ended (the ones the DescribeInstanceRefreshes answers count as in flight). */
export const IN_FLIGHT_STATUSES: ReadonlySet<string> = new Set(["Pending", "InProgress", "CheckpointPause", "Paused", "Cancelling", "RollbackInProgress"]);

/**
 * The core's phase of a status (an unknown one counts as running: the wait goes on).
 * @example phaseOf("CheckpointPause") // "gate"
 */
export function phaseOf(status: string | undefined): Phase {
  return PHASES[(status ?? "Pending") as TaskStatus] ?? "running";
}

/** Phases of a task that is rolling back or was rolled back: a rollback is the task's own status, so it is its own rollback. */
const ROLLBACK_PHASES: ReadonlySet<Phase> = new Set(["rollingBack", "rolledBack", "rollbackFailed"]);

/**
 * True when a task in this phase has a rollback (itself): `up` sends no second RollbackInstanceRefresh.
 * @example isRollbackPhase(phaseOf("RollbackInProgress")) // true
 */
export function isRollbackPhase(phase: Phase): boolean {
  return ROLLBACK_PHASES.has(phase);
}

/**
 * How delete stops a task that has not ended: a rollback in progress can be neither suspended nor
 * cancelled (the API refuses both), so delete waits for it to end; anything else is cancelled at once.
 * @example cancelPlanOf({ phase: "rollingBack" }) // "waitForEnd"
 */
export function cancelPlanOf(view: Pick<ActivityView, "phase">): "cancel" | "waitForEnd" {
  return view.phase === "rollingBack" ? "waitForEnd" : "cancel";
}

/** The checkpoints that pause (every one below 100 %), as percentages. */
export function gatesOf(task: Pick<EssTask, "Checkpoints">): number[] {
  return (task.Checkpoints ?? []).map((c) => c.Percentage ?? CHECKPOINT_PERCENTAGE.max).filter((p) => p < CHECKPOINT_PERCENTAGE.max);
}

/** Capacity to refresh at a checkpoint (the API pauses once this much is refreshed). */
const capacityAt = (total: number, percentage: number) => Math.ceil((total * percentage) / CHECKPOINT_PERCENTAGE.max);

/** Gates passed or waited at: the checkpoints whose capacity is refreshed. */
function gatesReached(task: EssTask): number {
  const total = task.TotalNeedUpdateCapacity ?? 0;
  const finished = task.FinishedUpdateCapacity ?? 0;
  return gatesOf(task).filter((p) => total > 0 && finished >= capacityAt(total, p)).length;
}

/**
 * The core's view of a task. A rollback is a status of the task itself, so a task is never "a
 * rollback of another"; its step is the checkpoint it reached (a `CheckpointPause` waits at it).
 * @example viewOf({ InstanceRefreshTaskId: "ir-bp1a2b3c4d5e", ScalingGroupId: "asg-…", Status: "CheckpointPause", … }).phase // "gate"
 */
export function viewOf(task: EssTask): ActivityView {
  const failed = task.Status === "Failed" || task.Status === "RollbackFailed";
  return {
    id: task.InstanceRefreshTaskId ?? "",
    groupId: task.ScalingGroupId ?? "",
    phase: phaseOf(task.Status),
    status: task.Status ?? "Pending",
    type: "InstanceRefresh",
    isRollback: false,
    step: gatesReached(task),
    steps: gatesOf(task).length + 1,
    stepRunning: false,
    progress: { done: task.FinishedUpdateCapacity ?? 0, failed: failed ? 1 : 0, total: task.TotalNeedUpdateCapacity ?? 0 },
    failedInstances: failed && task.Detail ? [{ instanceId: task.InstanceRefreshTaskId ?? "", message: task.Detail, step: gatesReached(task) }] : [],
    endTime: task.EndTime ?? undefined,
  };
}

/**
 * One line of progress: percent refreshed and the checkpoint.
 * @example progressLine(task) // "asg-… ir-…: CheckpointPause — 5/10 refreshed (50%), checkpoint 1/2 at 50%"
 */
export function progressLine(task: EssTask): string {
  const total = task.TotalNeedUpdateCapacity ?? 0;
  const finished = task.FinishedUpdateCapacity ?? 0;
  const percent = total > 0 ? Math.floor((finished * 100) / total) : 0;
  const gates = gatesOf(task);
  // Every checkpoint, the final 100 % included, as StartInstanceRefresh took them.
  const all = [...gates, CHECKPOINT_PERCENTAGE.max];
  const reached = all.filter((p) => total > 0 && finished >= capacityAt(total, p)).length;
  const checkpoint = gates.length > 0 ? `, checkpoint ${reached}/${all.length}${reached > 0 ? ` at ${all[reached - 1]}%` : ""}` : "";
  const detail = task.Detail ? ` — ${task.Detail}` : "";
  return `${task.ScalingGroupId} ${task.InstanceRefreshTaskId}: ${task.Status} — ${finished}/${total} refreshed (${percent}%)${checkpoint}${detail}`;
}

/**
 * Why the API refuses to roll a task back, as far as its record tells: a task refreshed onto
 * launch template version Default or Latest, or one that refreshed nothing yet.
 * @example rollbackRefusalOf({ Status: "Paused", FinishedUpdateCapacity: 0 }) // "nothing to roll back: …"
 */
export function rollbackRefusalOf(task: EssTask): string | undefined {
  const version = (task.DesiredConfiguration as { LaunchTemplateVersion?: string } | undefined)?.LaunchTemplateVersion;
  if (version === "Default" || version === "Latest") {
    return `it refreshed onto launch template version ${version}, which the API cannot roll back (only a numbered version)`;
  }
  if ((task.FinishedUpdateCapacity ?? 0) === 0 && phaseOf(task.Status) !== "running") {
    return `nothing to roll back: no instance has been refreshed yet (status ${task.Status ?? "Pending"})`;
  }
  return undefined;
}

/** The DesiredConfiguration parameters of the inputs, as the API takes them (nested; the client flattens). */
export function desiredToApi(desired: DesiredConfiguration): Record<string, unknown> | undefined {
  const out = withoutUndefined({
    ImageId: desired.imageId,
    ScalingConfigurationId: desired.scalingConfigurationId,
    LaunchTemplateId: desired.launchTemplateId,
    LaunchTemplateVersion: desired.launchTemplateVersion,
    LaunchTemplateOverrides: desired.launchTemplateOverrides?.map((o) => ({ InstanceType: o.instanceType })),
    Containers: desired.containers?.map((c) =>
      withoutUndefined({
        Name: c.name,
        Image: c.image,
        Commands: c.commands,
        Args: c.args,
        EnvironmentVars: c.environmentVars?.map((e) => withoutUndefined({ Key: e.key, Value: e.value })),
      }),
    ),
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** StartInstanceRefresh's parameters for the inputs (every documented default sent explicitly, SkipMatching included). */
export function startParameters(inputs: NormalizedAlicloudInputs): Record<string, unknown> {
  return withoutUndefined({
    ScalingGroupId: inputs.scalingGroupId,
    MinHealthyPercentage: inputs.minHealthyPercentage,
    MaxHealthyPercentage: inputs.maxHealthyPercentage,
    SkipMatching: inputs.skipMatching,
    DesiredConfiguration: desiredToApi(inputs.desiredConfiguration),
    Checkpoints: inputs.checkpoints.length > 0 ? inputs.checkpoints.map((c) => ({ Percentage: c.percentage })) : undefined,
    CheckpointPauseTime: inputs.checkpointPauseTime,
  });
}

/** True when a task was started with these inputs' settings. */
export function matchesInputs(task: EssTask, inputs: NormalizedAlicloudInputs): boolean {
  const desired = desiredToApi(inputs.desiredConfiguration) ?? {};
  const taskDesired = withoutUndefined(task.DesiredConfiguration ?? {}) as Record<string, unknown>;
  const sameDesired = Object.entries(desired).every(([k, v]) => JSON.stringify(taskDesired[k]) === JSON.stringify(v));
  return (
    task.MinHealthyPercentage === inputs.minHealthyPercentage &&
    task.MaxHealthyPercentage === inputs.maxHealthyPercentage &&
    task.SkipMatching === inputs.skipMatching &&
    JSON.stringify(gatesOf(task)) === JSON.stringify(inputs.checkpoints.map((c) => c.percentage).filter((p) => p < CHECKPOINT_PERCENTAGE.max)) &&
    sameDesired
  );
}

/** Outputs for the inputs and the described task. */
export function toOutputs(inputs: NormalizedAlicloudInputs, task: EssTask, extras: OutputExtras = {}): AlicloudInstanceRefreshOutputs {
  // A rollback is the task's own status (RollbackInProgress, …): only the gate's decisions go beside it.
  const total = task.TotalNeedUpdateCapacity ?? 0;
  const finished = task.FinishedUpdateCapacity ?? 0;
  return withoutUndefined({
    ...inputs,
    instanceRefreshTaskId: task.InstanceRefreshTaskId ?? "",
    status: (task.Status ?? "Pending") as TaskStatus,
    detail: task.Detail || undefined,
    totalNeedUpdateCapacity: total,
    finishedUpdateCapacity: finished,
    percentRefreshed: total > 0 ? Math.floor((finished * 100) / total) : 0,
    currentCheckpoint: gatesReached(task),
    checkpointCount: gatesOf(task).length,
    startTime: task.StartTime ?? undefined,
    endTime: task.EndTime ?? undefined,
    gateDecisions: extras.gateDecisions?.length ? [...extras.gateDecisions] : undefined,
  });
}
