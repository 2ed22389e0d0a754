/**
 * Durability: the model is written to a state file (temp file + rename, so a crash never leaves a
 * half-written file) shortly after each change (debounced; `flush()` writes at once), and read back
 * on start. A corrupt file is an error naming the file, never a silent empty state.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Backend } from "./backend";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type StateSnapshot } from "./state";

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
  for (const a of s.activities!) {
    if (typeof a?.id !== "string" || typeof a.groupId !== "string" || !Array.isArray(a.batches)) {
      throw new StateFileError(file, `an activity record is malformed`);
    }
  }
  return s as StateSnapshot;
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

  /** Loads the file into the backend if it exists; returns whether it did. Throws {@link StateFileError}. */
  load(): boolean {
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
