/**
 * The state file of the Auto Scaling model: the snapshot of `state.ts` as the file holds it, and its
 * checks — this format and version, every record with every field the model reads, of the right type
 * and in the right enum, and only references to groups, instances and activities in the file. Each
 * problem names the record and the field. The file machinery itself is `../persistence.ts`.
 */
import type { PersistedModel } from "../persistence";
import { recordName, recordProblem, type RecordSpec } from "../recordCheck";
import type { Backend } from "./backend";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type StateSnapshot } from "./state";

/** Why parsed JSON is not a usable snapshot of this format and version, naming the record and field; `undefined` when it is. */
export function snapshotFileProblem(data: unknown): string | undefined {
  const s = data as Partial<StateSnapshot> | null;
  if (typeof s !== "object" || s === null || s.format !== SNAPSHOT_FORMAT) {
    return `not an emulator state file (expected "format": "${SNAPSHOT_FORMAT}")`;
  }
  if (s.version !== SNAPSHOT_VERSION) return `unsupported version ${String(s.version)} (expected ${SNAPSHOT_VERSION})`;
  for (const key of ["groups", "instances", "activities", "failures"] as const) {
    if (!Array.isArray(s[key])) return `"${key}" must be an array`;
  }
  if (typeof s.nextSeq !== "number") return `"nextSeq" must be a number`;
  return snapshotProblem(s as StateSnapshot);
}

/** The backend's model as a state file persists it. */
export function backendStateFile(backend: Backend): PersistedModel<StateSnapshot> {
  return {
    onDirty: (listener) => backend.onDirty(listener),
    snapshot: () => backend.state.toSnapshot(),
    problem: snapshotFileProblem,
    load: (snapshot) => backend.loadSnapshot(snapshot),
  };
}

// ---------------------------------------------------------------------------------------------
// The records of the file, field by field.

const ACTIVITY_STATUS = ["INIT", "RUNNING", "SUCCESSFUL", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE", "CANCELLED", "FAILED"] as const;

const GROUP_SPEC: RecordSpec = {
  id: "string",
  name: "string",
  createdAt: "number",
  launchConfigurationId: "string",
  launchConfigurationName: "string",
  minSize: "integer",
  maxSize: "integer",
  desiredCapacity: "integer",
  vpcId: "string",
  subnetIds: "string[]",
  zones: "string[]",
  instanceIds: "string[]",
  activeActivityId: "string|null",
  // Versions (versions.ts): absent from files written before them.
  version: { optional: "string" },
  badVersions: { optional: "string[]" },
};
const INSTANCE_SPEC: RecordSpec = {
  id: "string",
  groupId: "string",
  lifeCycleState: "string",
  healthStatus: "string",
  protectedFromScaleIn: "boolean",
  zone: "string",
  creationType: { enum: ["AUTO_CREATION", "MANUAL_ATTACHING"] },
  instanceType: "string",
  addedAt: "number",
  surge: "boolean",
  version: { optional: "string" },
};
const BATCH_INSTANCE_SPEC: RecordSpec = {
  instanceId: "string",
  status: { enum: ["WAITING", "INIT", "RUNNING", "FAILED", "CANCELLED", "SUCCESSFUL", "NOT_FOUND"] },
  lastActivityId: "string",
  message: "string",
  finishAt: "number|null",
  previousVersion: { optional: "string|null" },
};
const BATCH_SPEC: RecordSpec = {
  num: "integer",
  status: { enum: ["WAITING", "INIT", "RUNNING", "FAILED", "PARTIALLY_SUCCESSFUL", "CANCELLED", "SUCCESSFUL"] },
  instances: { list: BATCH_INSTANCE_SPEC },
  startedAt: "number|null",
  endedAt: "number|null",
};
const ACTIVITY_SPEC: RecordSpec = {
  id: "string",
  seq: "integer",
  groupId: "string",
  type: { enum: ["NORMAL", "ROLLBACK"] },
  originId: "string",
  mode: { enum: ["ROLLING_UPDATE_RESET", "ROLLING_UPDATE_REPLACE"] },
  settings: {
    object: {
      RollingUpdateSettings: {
        object: {
          BatchNumber: "integer",
          BatchPause: { enum: ["FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE", "AUTOMATIC"] },
          MaxSurge: "integer",
          FailProcess: { enum: ["AUTO_PAUSE", "AUTO_ROLLBACK", "AUTO_CANCEL"] },
        },
      },
      CheckInstanceTargetHealth: "boolean",
      CheckInstanceTargetHealthTimeout: "integer",
    },
  },
  status: { enum: ACTIVITY_STATUS },
  currentBatchNum: "integer",
  createdAt: "number",
  startedAt: "number|null",
  endedAt: "number|null",
  batches: { list: BATCH_SPEC },
  phase: { enum: ["INIT", "SURGE_OUT", "BATCH_RUNNING", "PAUSED", "SURGE_IN", "DONE"] },
  phaseEndsAt: "number|null",
  surgeInstanceIds: "string[]",
  surgeDone: "boolean",
  supersededBy: "string|null",
  supersededEndStatus: { enum: ACTIVITY_STATUS, nullable: true },
  version: { optional: "string" },
};
const FAILURE_MARK_SPEC: RecordSpec = { message: "string", remaining: "integer" };

/** The first problem of a snapshot's records and references, naming the record and the field; `undefined` when sound. */
export function snapshotProblem(snapshot: StateSnapshot): string | undefined {
  const lists: Array<[string, readonly unknown[], RecordSpec]> = [
    ["groups", snapshot.groups, GROUP_SPEC],
    ["instances", snapshot.instances, INSTANCE_SPEC],
    ["activities", snapshot.activities, ACTIVITY_SPEC],
  ];
  for (const [list, records, spec] of lists) {
    for (let n = 0; n < records.length; n++) {
      const problem = recordProblem(records[n], spec);
      if (problem) return `${recordName(list, n, records[n])}: ${problem}`;
    }
  }
  for (let n = 0; n < snapshot.failures.length; n++) {
    const entry = snapshot.failures[n] as unknown;
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      return `failures[${n}]: must be [instanceId, { message, remaining }]`;
    }
    const problem = recordProblem(entry[1], FAILURE_MARK_SPEC);
    if (problem) return `failures[${n}] (${entry[0]}): ${problem}`;
  }
  // References: every id a record points to must be in the file.
  const groups = new Set(snapshot.groups.map((g) => g.id));
  const instances = new Set(snapshot.instances.map((i) => i.id));
  const activities = new Set(snapshot.activities.map((a) => a.id));
  const missing = (what: string, id: string) => `refers to ${what} ${id}, which is not in the file`;
  for (const [n, g] of snapshot.groups.entries()) {
    const name = recordName("groups", n, g);
    const instance = g.instanceIds.find((id) => !instances.has(id));
    if (instance !== undefined) return `${name}: field "instanceIds" ${missing("instance", instance)}`;
    if (g.activeActivityId !== null && !activities.has(g.activeActivityId)) return `${name}: field "activeActivityId" ${missing("activity", g.activeActivityId)}`;
  }
  for (const [n, i] of snapshot.instances.entries()) {
    if (!groups.has(i.groupId)) return `${recordName("instances", n, i)}: field "groupId" ${missing("group", i.groupId)}`;
  }
  for (const [n, a] of snapshot.activities.entries()) {
    if (!groups.has(a.groupId)) return `${recordName("activities", n, a)}: field "groupId" ${missing("group", a.groupId)}`;
  }
  return undefined;
}
