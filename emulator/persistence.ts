/**
 * Durability: the model is written to a state file (temp file + rename, so a crash never leaves a
 * half-written file) shortly after each change (debounced; `flush()` writes at once), and read back
 * on start. A corrupt file — bad JSON, a foreign format, a record with a missing or mistyped field,
 * a reference to a group, instance or activity that is not there — is an error naming the file, the
 * record and the field, never a silent empty state or a request that later fails with InternalError.
 * A state file whose folder is missing or not writable is refused at start-up too.
 */
import { accessSync, constants, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Backend } from "./tencentcloud/backend";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type StateSnapshot } from "./tencentcloud/state";

/** Delay between a change and the write that records it. */
export const PERSIST_DEBOUNCE_MS = 250;
/**
 * A write blocks the event loop (about 0.5 s for 10,000 activities), so the next one waits at
 * least this many times as long as the last write took, keeping persistence under ~10% of the time.
 */
export const PERSIST_BACKOFF_FACTOR = 10;

/** The state file cannot be used. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Emulator state file ${file} is unusable: ${reason}`);
    this.name = "StateFileError";
  }
}

/** Reads a state file: `null` when it does not exist; throws {@link StateFileError} when corrupt. */
export function readStateFile(file: string): StateSnapshot | null {
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new StateFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  const s = data as Partial<StateSnapshot> | null;
  if (typeof s !== "object" || s === null || s.format !== SNAPSHOT_FORMAT) {
    throw new StateFileError(file, `not an emulator state file (expected "format": "${SNAPSHOT_FORMAT}")`);
  }
  if (s.version !== SNAPSHOT_VERSION) throw new StateFileError(file, `unsupported version ${String(s.version)} (expected ${SNAPSHOT_VERSION})`);
  for (const key of ["groups", "instances", "activities", "failures"] as const) {
    if (!Array.isArray(s[key])) throw new StateFileError(file, `"${key}" must be an array`);
  }
  if (typeof s.nextSeq !== "number") throw new StateFileError(file, `"nextSeq" must be a number`);
  const problem = snapshotProblem(s as StateSnapshot);
  if (problem) throw new StateFileError(file, problem);
  return s as StateSnapshot;
}

// ---------------------------------------------------------------------------------------------
// Record validation: every field the model reads, by type, and the references between records.

/** The type of one field of a record. */
type FieldType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "string[]"
  | "integer|null"
  | "number|null"
  | "string|null"
  | { readonly enum: readonly string[]; readonly nullable?: boolean }
  | { readonly object: RecordSpec }
  | { readonly list: RecordSpec };
/** The fields of a record. */
type RecordSpec = Readonly<Record<string, FieldType>>;

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
};
const BATCH_INSTANCE_SPEC: RecordSpec = {
  instanceId: "string",
  status: { enum: ["WAITING", "INIT", "RUNNING", "FAILED", "CANCELLED", "SUCCESSFUL", "NOT_FOUND"] },
  lastActivityId: "string",
  message: "string",
  finishAt: "number|null",
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
};
const FAILURE_MARK_SPEC: RecordSpec = { message: "string", remaining: "integer" };

function typeName(type: FieldType): string {
  if (typeof type === "string") return type.replace("|", " or ");
  if ("enum" in type) return `one of ${type.enum.join(", ")}${type.nullable ? " or null" : ""}`;
  return "list" in type ? "a list of records" : "an object";
}

/** Why `value` does not fit `type` (`undefined` when it does); `path` names the field. */
function fieldProblem(value: unknown, type: FieldType, path: string): string | undefined {
  if (value === undefined) return `field "${path}" is missing (expected ${typeName(type)})`;
  const ok = (() => {
    if (typeof type !== "string") {
      if ("enum" in type) return (type.nullable === true && value === null) || (typeof value === "string" && type.enum.includes(value));
      return true; // objects and lists are checked field by field below
    }
    switch (type) {
      case "string":
        return typeof value === "string";
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "boolean":
        return typeof value === "boolean";
      case "string[]":
        return Array.isArray(value) && value.every((v) => typeof v === "string");
      case "integer|null":
        return value === null || Number.isInteger(value);
      case "number|null":
        return value === null || (typeof value === "number" && Number.isFinite(value));
      case "string|null":
        return value === null || typeof value === "string";
    }
  })();
  if (!ok) return `field "${path}" must be ${typeName(type)}, got ${JSON.stringify(value)?.slice(0, 64)}`;
  if (typeof type === "object" && "object" in type) return recordProblem(value, type.object, `${path}.`);
  if (typeof type === "object" && "list" in type) {
    if (!Array.isArray(value)) return `field "${path}" must be ${typeName(type)}, got ${JSON.stringify(value)?.slice(0, 64)}`;
    for (let n = 0; n < value.length; n++) {
      const problem = recordProblem(value[n], type.list, `${path}.${n}.`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The first problem of a record against `spec`, or `undefined`; `prefix` is the path of nested records. */
function recordProblem(record: unknown, spec: RecordSpec, prefix = ""): string | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return prefix === "" ? "the record is not an object" : `field "${prefix.slice(0, -1)}" must be an object`;
  }
  for (const [field, type] of Object.entries(spec)) {
    const problem = fieldProblem((record as Record<string, unknown>)[field], type, `${prefix}${field}`);
    if (problem) return problem;
  }
  return undefined;
}

/** How a record is named in messages: `activities[3] (asr-y67t5r4e)`. */
function recordName(list: string, index: number, record: unknown): string {
  const id = typeof record === "object" && record !== null ? (record as { id?: unknown }).id : undefined;
  return `${list}[${index}]${typeof id === "string" ? ` (${id})` : ""}`;
}

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

/**
 * Checks that a state file can be written where it is asked for: its folder exists, is a folder
 * and is writable. Throws {@link StateFileError} naming the folder otherwise.
 * @example checkStateFileLocation("/no/such/folder/state.json") // throws: the folder /no/such/folder does not exist
 */
export function checkStateFileLocation(file: string): void {
  const folder = dirname(resolve(file));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new StateFileError(file, `the folder ${folder} does not exist; create it first or choose another --state-file`);
  }
  if (!isFolder) throw new StateFileError(file, `${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new StateFileError(file, `the folder ${folder} is not writable`);
  }
}

/** Writes a snapshot atomically (temp file in the same directory, then rename). */
export function writeStateFile(file: string, snapshot: StateSnapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, file);
}

/** Saves the backend's state to a file after changes. */
export class StatePersister {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastWriteMs = 0;

  constructor(
    readonly file: string,
    private readonly backend: Backend,
    private readonly debounceMs = PERSIST_DEBOUNCE_MS,
  ) {}

  /**
   * Checks the file's folder, then loads the file into the backend if it exists; returns whether it
   * did. Throws {@link StateFileError}.
   */
  load(): boolean {
    checkStateFileLocation(this.file);
    const snapshot = readStateFile(this.file);
    if (!snapshot) return false;
    this.backend.loadSnapshot(snapshot);
    return true;
  }

  /** Starts writing after changes. */
  start(): void {
    this.unsubscribe ??= this.backend.onDirty(() => this.schedule());
  }

  /** Writes now if a write is pending (or `force`). */
  flush(force = false): void {
    const pending = this.timer !== null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (pending || force) this.write();
  }

  /** Flushes and stops listening. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.flush(true);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        try {
          this.write();
        } catch (e) {
          process.stderr.write(`[emulator] cannot write state file ${this.file}: ${(e as Error).message}\n`);
        }
      },
      Math.max(this.debounceMs, this.lastWriteMs * PERSIST_BACKOFF_FACTOR),
    );
    this.timer.unref();
  }

  private write(): void {
    const started = performance.now();
    writeStateFile(this.file, this.backend.state.toSnapshot());
    this.lastWriteMs = performance.now() - started;
  }
}
