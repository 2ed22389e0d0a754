/**
 * Durability: a model is written to a state file (temp file + rename, so a crash never leaves a
 * half-written file) shortly after each change (debounced; `flush()` writes at once), and read back
 * on start. A corrupt file — bad JSON, or content the model's own checks refuse (Tencent Cloud:
 * `tencentcloud/stateFile.ts`, naming the record and the field) — is an error naming the file, never
 * a silent empty state or a request that later fails with InternalError. A state file whose folder
 * is missing or not writable is refused at start-up too.
 */
import { accessSync, constants, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

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

/** A model as its state file holds it: a JSON-safe snapshot `S`, written after changes and read back on start. */
export interface PersistedModel<S> {
  /** Subscribes to "something changed"; returns an unsubscribe function. */
  onDirty(listener: () => void): () => void;
  /** A JSON-safe snapshot of the whole model. */
  snapshot(): S;
  /** Why parsed JSON is not a usable snapshot, naming the record and the field; `undefined` when it is one. */
  problem(data: unknown): string | undefined;
  /** Replaces the whole model with a checked snapshot. */
  load(snapshot: S): void;
}

/**
 * Reads a state file: `null` when it does not exist; throws {@link StateFileError} when it is not JSON
 * or `problem` finds fault with its content.
 */
export function readStateFile<S>(file: string, problem: (data: unknown) => string | undefined): S | null {
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new StateFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  const reason = problem(data);
  if (reason !== undefined) throw new StateFileError(file, reason);
  return data as S;
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
export function writeStateFile(file: string, snapshot: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, file);
}

/** Saves a model's state to a file after changes. */
export class StatePersister<S> {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastWriteMs = 0;

  constructor(
    readonly file: string,
    private readonly model: PersistedModel<S>,
    private readonly debounceMs = PERSIST_DEBOUNCE_MS,
  ) {}

  /**
   * Checks the file's folder, then loads the file into the model if it exists; returns whether it
   * did. Throws {@link StateFileError}.
   */
  load(): boolean {
    checkStateFileLocation(this.file);
    const snapshot = readStateFile<S>(this.file, (data) => this.model.problem(data));
    if (!snapshot) return false;
    this.model.load(snapshot);
    return true;
  }

  /** Starts writing after changes. */
  start(): void {
    this.unsubscribe ??= this.model.onDirty(() => this.schedule());
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
    writeStateFile(this.file, this.model.snapshot());
    this.lastWriteMs = performance.now() - started;
  }
}

/**
 * Several models in one state file: `primary` at the top level — so a file written before the other
 * models were persisted loads unchanged — and each of `sections` under its own key. A file without a
 * section's key leaves that model as it started (its fixture); a section's problem is named with its
 * key, e.g. `ess: tasks[0] (ir-…): field "status" …`.
 * @example new StatePersister(file, persistedTogether(backendStateFile(tencent), { ess: essStateFile(ess) }))
 */
export function persistedTogether<S extends object>(
  primary: PersistedModel<S>,
  sections: Readonly<Record<string, PersistedModel<unknown>>>,
): PersistedModel<S & Record<string, unknown>> {
  const entries = Object.entries(sections);
  const present = (data: object) => entries.filter(([key]) => (data as Record<string, unknown>)[key] !== undefined);
  return {
    onDirty(listener) {
      const unsubscribes = [primary, ...entries.map(([, m]) => m)].map((m) => m.onDirty(listener));
      return () => unsubscribes.forEach((u) => u());
    },
    snapshot: () => {
      const out: Record<string, unknown> = { ...(primary.snapshot() as Record<string, unknown>) };
      for (const [key, model] of entries) out[key] = model.snapshot();
      return out as S & Record<string, unknown>;
    },
    problem(data) {
      const problem = primary.problem(data);
      if (problem !== undefined) return problem;
      for (const [key, model] of present(data as object)) {
        const inSection = model.problem((data as Record<string, unknown>)[key]);
        if (inSection !== undefined) return `${key}: ${inSection}`;
      }
      return undefined;
    },
    load(snapshot) {
      primary.load(snapshot);
      for (const [key, model] of present(snapshot)) model.load((snapshot as Record<string, unknown>)[key]);
    },
  };
}
