/**
 * Clocks drive the refresh state machine. Signatures and rate limiting always use the wall clock;
 * only the model's progress follows this clock, so tests can fast-forward without re-signing.
 */

/** A listener told the new time after the clock jumps. */
export type ClockListener = (nowMs: number) => void;

/** The clock the model reads. Both implementations can be advanced (the real one by an offset). */
export interface Clock {
  /** `"real"` (wall time plus an offset) or `"manual"` (moves only when told). */
  readonly kind: "real" | "manual";
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Moves time forward by `ms` (≥ 0) and notifies listeners. */
  advance(ms: number): void;
  /** Jumps to `epochMs` (never backwards) and notifies listeners. */
  set(epochMs: number): void;
  /** Registers a listener called after every `advance`/`set`; returns an unsubscribe function. */
  onChange(listener: ClockListener): () => void;
}

/** Start time of a {@link ManualClock} created without one: 2025-01-01T00:00:00Z. */
export const DEFAULT_MANUAL_CLOCK_START_MS = Date.UTC(2025, 0, 1, 0, 0, 0);

abstract class BaseClock implements Clock {
  abstract readonly kind: "real" | "manual";
  private readonly listeners = new Set<ClockListener>();
  abstract now(): number;
  protected abstract shift(ms: number): void;

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance: ms must be a finite number >= 0, got ${ms}`);
    this.shift(ms);
    this.emit();
  }

  set(epochMs: number): void {
    if (!Number.isFinite(epochMs)) throw new RangeError(`clock.set: epochMs must be finite, got ${epochMs}`);
    const delta = epochMs - this.now();
    if (delta < 0) throw new RangeError(`clock.set: cannot move backwards (now ${this.now()}, asked ${epochMs})`);
    this.shift(delta);
    this.emit();
  }

  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const now = this.now();
    for (const l of [...this.listeners]) l(now);
  }
}

/**
 * Wall-clock time plus an offset that `advance` grows (handy to fast-forward a demo).
 * @example const clock = new RealClock(); clock.advance(60_000); // one minute ahead
 */
export class RealClock extends BaseClock {
  readonly kind = "real" as const;
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  protected shift(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * A clock that only moves when told: tests call `advance(ms)` instead of sleeping.
 * @example
 * const clock = new ManualClock();
 * const emu = await startEmulator({ clock, fixture: false });
 * clock.advance(2_000); // one batch at the default pace
 */
export class ManualClock extends BaseClock {
  readonly kind = "manual" as const;
  private current: number;
  /** @param startMs epoch ms to start at. @default DEFAULT_MANUAL_CLOCK_START_MS */
  constructor(startMs: number = DEFAULT_MANUAL_CLOCK_START_MS) {
    super();
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  protected shift(ms: number): void {
    this.current += ms;
  }
}

/**
 * Formats epoch ms as the API does: `YYYY-MM-DDTHH:mm:ssZ` (UTC, whole seconds); `null` stays `null`.
 * @example formatTime(0) // "1970-01-01T00:00:00Z"
 */
export function formatTime(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
