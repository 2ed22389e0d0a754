/**
 * Riding out an API outage during a wait: a wait keeps going while the API is silent or failing
 * with retryable errors, says so at intervals, and gives up only after the configured tolerance
 * (`instanceRefresh:outageToleranceSeconds`). The refresh itself goes on in the cloud meanwhile.
 */

/** The stack config key of the tolerance, named in the give-up message. */
export const OUTAGE_TOLERANCE_CONFIG_KEY = "instanceRefresh:outageToleranceSeconds";

/** Silence (no answer from the API) that counts as an outage, ms; at most a quarter of the tolerance. @default 10000 */
export const OUTAGE_NOTICE_AFTER_MS = 10_000;
/** How often an ongoing outage is reported, ms; at most a quarter of the tolerance. @default 30000 */
export const OUTAGE_REPORT_INTERVAL_MS = 30_000;

/** Options of {@link OutageWatch}. */
export interface OutageWatchOptions {
  /** Who waits, for messages: `"asg-9dn1a5y6 asr-y67t5r4e"`. */
  readonly subject: string;
  /** Give up after this much silence, ms. */
  readonly toleranceMs: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** Builds the error thrown on giving up from the explanation. */
  readonly giveUp: (explanation: string) => Error;
}

/**
 * Tracks when the API last answered and decides, each time a wait wakes up, whether to go on
 * quietly, report the outage, or give up.
 * @example
 * const watch = new OutageWatch({ subject, toleranceMs: 600_000, now: Date.now, log, giveUp: (m) => new Error(m) });
 * watch.failed(error);              // a retryable error from a poll
 * watch.check(poller.lastAnswerAt); // logs "API unreachable for 40 s …" or throws after 600 s
 */
export class OutageWatch {
  private lastAnswerMs: number;
  private lastError?: Error;
  private lastReportMs?: number;
  private readonly noticeAfterMs: number;
  private readonly reportEveryMs: number;

  constructor(private readonly options: OutageWatchOptions) {
    this.lastAnswerMs = options.now();
    this.noticeAfterMs = Math.min(OUTAGE_NOTICE_AFTER_MS, options.toleranceMs / 4);
    this.reportEveryMs = Math.min(OUTAGE_REPORT_INTERVAL_MS, options.toleranceMs / 4);
  }

  /** The API answered (at `atMs`, default now): any outage is over. */
  answered(atMs: number = this.options.now()): void {
    if (atMs <= this.lastAnswerMs) return;
    if (this.lastReportMs !== undefined) {
      this.options.log(`${this.options.subject}: the API answers again after ${seconds(atMs - this.lastAnswerMs)} s`);
    }
    this.lastAnswerMs = atMs;
    this.lastError = undefined;
    this.lastReportMs = undefined;
  }

  /** A call failed with a retryable error (kept for the messages). */
  failed(error: Error): void {
    this.lastError = error;
  }

  /**
   * Reports an ongoing outage at most every {@link OUTAGE_REPORT_INTERVAL_MS}, and throws the
   * `giveUp` error once the API has been silent for the tolerance.
   * @param lastAnswerAtMs when another reader (the shared poller) last heard the API.
   */
  check(lastAnswerAtMs?: number): void {
    if (lastAnswerAtMs !== undefined) this.answered(lastAnswerAtMs);
    const now = this.options.now();
    const silentMs = now - this.lastAnswerMs;
    const why = this.lastError ? ` (last error: ${this.lastError.message})` : " (no answer)";
    if (silentMs >= this.options.toleranceMs) {
      throw this.options.giveUp(
        `the API did not answer for ${seconds(silentMs)} s${why}, more than ${OUTAGE_TOLERANCE_CONFIG_KEY} (${seconds(this.options.toleranceMs)} s)`,
      );
    }
    if (silentMs < this.noticeAfterMs) return;
    if (this.lastReportMs === undefined || now - this.lastReportMs >= this.reportEveryMs) {
      this.lastReportMs = now;
      this.options.log(
        `${this.options.subject}: API unreachable for ${seconds(silentMs)} s${why}, retrying for up to ${seconds(this.options.toleranceMs)} s; the refresh goes on in the cloud`,
      );
    }
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
