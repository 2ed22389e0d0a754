/**
 * ESS's part of the state file (its `ess` key; the rest is Tencent Cloud's): the snapshot of the
 * model (`model.ts` {@link EssSnapshot}) and its checks — this version, every record with every field
 * the model reads, of the right type and in the right enum, and only references to groups,
 * instances and tasks in the file. Each problem names the record and the field. The file machinery
 * itself is `../persistence.ts`.
 */
import type { PersistedModel } from "../persistence";
import { recordName, recordProblem, type FieldType, type RecordSpec } from "../recordCheck";
import type { EssBackend } from "./backend";
import { badConfigurationProblem } from "./badConfigurations";
import {
  ESS_SNAPSHOT_VERSION,
  GROUP_LIFECYCLE_STATES,
  GROUP_TYPES,
  INSTANCE_CREATION_TYPES,
  INSTANCE_HEALTH_STATUSES,
  INSTANCE_LIFECYCLE_STATES,
  MULTI_AZ_POLICIES,
  TASK_STATUSES,
  type EssSnapshot,
} from "./model";

/** The key of ESS's section in the state file. */
export const ESS_STATE_KEY = "ess";

/** An InstanceConfig (containers are checked as records with a Name; their optional fields are free). */
const CONFIG: FieldType = {
  object: {
    scalingConfigurationId: "string|null",
    imageId: "string|null",
    launchTemplateId: "string|null",
    launchTemplateVersion: "string|null",
    instanceTypes: "string[]",
    containers: { list: { Name: "string" } },
  },
};
const GROUP_SPEC: RecordSpec = {
  id: "string",
  name: "string",
  regionId: "string",
  groupType: { enum: GROUP_TYPES },
  lifecycleState: { enum: GROUP_LIFECYCLE_STATES },
  multiAzPolicy: { enum: MULTI_AZ_POLICIES },
  minSize: "integer",
  maxSize: "integer",
  desiredCapacity: "integer",
  activeConfig: CONFIG,
  instanceIds: "string[]",
  activeTaskId: "string|null",
  latestTaskId: "string|null",
  createdAt: "number",
};
const INSTANCE_SPEC: RecordSpec = {
  id: "string",
  groupId: "string",
  lifecycleState: { enum: INSTANCE_LIFECYCLE_STATES },
  healthStatus: { enum: INSTANCE_HEALTH_STATUSES },
  creationType: { enum: INSTANCE_CREATION_TYPES },
  config: CONFIG,
  zoneId: "string",
  createdAt: "number",
  failNext: "string|null",
};
const TASK_SPEC: RecordSpec = {
  id: "string",
  seq: "integer",
  groupId: "string",
  regionId: "string",
  status: { enum: TASK_STATUSES },
  detail: "string",
  startTime: "number",
  endTime: "number|null",
  totalNeedUpdateCapacity: "integer",
  finishedUpdateCapacity: "integer",
  minHealthyPercentage: "integer",
  maxHealthyPercentage: "integer",
  skipMatching: "boolean",
  checkpointPauseTime: "integer",
  strategy: "string|null",
  desiredConfiguration: { object: {} },
  targetConfig: CONFIG,
  previousConfig: CONFIG,
  waveSize: "integer",
  pendingInstanceIds: "string[]",
  refreshedInstanceIds: "string[]",
  wave: {
    object: { kind: { enum: ["refresh", "rollback"] }, oldInstanceIds: "string[]", newInstanceIds: "string[]", endsAt: "number" },
    nullable: true,
  },
  timerAt: "number|null",
  nextCheckpoint: "integer",
  clientToken: "string|null",
  requestFingerprint: "string",
};

/** Why `data` (the file's `ess` value) is not a usable snapshot, naming the record and the field; `undefined` when it is. */
export function essSnapshotProblem(data: unknown): string | undefined {
  const s = data as Partial<EssSnapshot> | null;
  if (typeof s !== "object" || s === null || Array.isArray(s)) return "must be an object";
  if (s.version !== ESS_SNAPSHOT_VERSION) return `unsupported version ${String(s.version)} (expected ${ESS_SNAPSHOT_VERSION})`;
  if (!Number.isInteger(s.nextSeq)) return `"nextSeq" must be an integer`;
  for (const key of ["groups", "instances", "tasks", "clientTokens"] as const) {
    if (!Array.isArray(s[key])) return `"${key}" must be an array`;
  }
  const snapshot = s as EssSnapshot;
  return recordsProblem(snapshot) ?? referencesProblem(snapshot);
}

/** A task's `checkpoints` (percentages, not records): a list of integers. */
function checkpointsProblem(task: unknown): string | undefined {
  const checkpoints = (task as { checkpoints?: unknown }).checkpoints;
  if (Array.isArray(checkpoints) && checkpoints.every((p) => Number.isInteger(p))) return undefined;
  return `field "checkpoints" must be a list of integers, got ${JSON.stringify(checkpoints)?.slice(0, 64)}`;
}

function recordsProblem(snapshot: EssSnapshot): string | undefined {
  const lists: Array<[string, readonly unknown[], RecordSpec, (record: unknown) => string | undefined]> = [
    ["groups", snapshot.groups, GROUP_SPEC, () => undefined],
    ["instances", snapshot.instances, INSTANCE_SPEC, () => undefined],
    ["tasks", snapshot.tasks, TASK_SPEC, checkpointsProblem],
  ];
  for (const [list, records, spec, more] of lists) {
    for (let n = 0; n < records.length; n++) {
      const problem = recordProblem(records[n], spec) ?? more(records[n]);
      if (problem) return `${recordName(list, n, records[n])}: ${problem}`;
    }
  }
  for (let n = 0; n < snapshot.clientTokens.length; n++) {
    const entry = snapshot.clientTokens[n] as unknown;
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string" || typeof entry[1] !== "string") {
      return `clientTokens[${n}]: must be [clientToken, taskId]`;
    }
  }
  return badConfigurationsProblem(snapshot.badConfigurations as unknown);
}

/** The bad configurations (absent from files written before them): a list of marks. */
function badConfigurationsProblem(marks: unknown): string | undefined {
  if (marks === undefined) return undefined;
  if (!Array.isArray(marks)) return `"badConfigurations" must be an array`;
  for (let n = 0; n < marks.length; n++) {
    const problem = badConfigurationProblem(marks[n]);
    if (problem !== undefined) return `badConfigurations[${n}]: ${problem}`;
  }
  return undefined;
}

/** Every id a record points to must be in the file. */
function referencesProblem(snapshot: EssSnapshot): string | undefined {
  const groups = new Set(snapshot.groups.map((g) => g.id));
  const instances = new Set(snapshot.instances.map((i) => i.id));
  const tasks = new Set(snapshot.tasks.map((t) => t.id));
  const missing = (what: string, id: string) => `refers to ${what} ${id}, which is not in the file`;
  for (const [n, g] of snapshot.groups.entries()) {
    const name = recordName("groups", n, g);
    const instance = g.instanceIds.find((id) => !instances.has(id));
    if (instance !== undefined) return `${name}: field "instanceIds" ${missing("instance", instance)}`;
    for (const field of ["activeTaskId", "latestTaskId"] as const) {
      const id = g[field];
      if (id !== null && !tasks.has(id)) return `${name}: field "${field}" ${missing("task", id)}`;
    }
  }
  for (const [n, i] of snapshot.instances.entries()) {
    if (!groups.has(i.groupId)) return `${recordName("instances", n, i)}: field "groupId" ${missing("group", i.groupId)}`;
  }
  for (const [n, t] of snapshot.tasks.entries()) {
    if (!groups.has(t.groupId)) return `${recordName("tasks", n, t)}: field "groupId" ${missing("group", t.groupId)}`;
  }
  for (const [n, [token, taskId]] of snapshot.clientTokens.entries()) {
    if (!tasks.has(taskId)) return `clientTokens[${n}] (${token}): ${missing("task", taskId)}`;
  }
  return undefined;
}

/** The ESS model as the state file persists it (under {@link ESS_STATE_KEY}). */
export function essStateFile(backend: EssBackend): PersistedModel<EssSnapshot> {
  return {
    onDirty: (listener) => backend.onDirty(listener),
    snapshot: () => backend.toSnapshot(),
    problem: essSnapshotProblem,
    load: (snapshot) => backend.loadSnapshot(snapshot),
  };
}
