/**
 * The soak of a health gate: probe the gate's URL every `intervalSeconds` for `soakSeconds`, with
 * a progress line per sample; `unhealthyThreshold` consecutive unhealthy samples fail it, a soak
 * that ends without that passes it. Ctrl-C interrupts it at once. The decision, with its evidence,
 * is recorded in the outputs (`gateDecisions`).
 */
import type { CancelSignal } from "./cancellation";
import type { NormalizedGate } from "./gateSettings";
import { describeSample, probeOnce, type ProbeSample } from "./probe";

/** Samples kept as evidence in a decision (the last ones). */
export const EVIDENCE_SAMPLES = 5;

/** What one gate decided. */
export interface GateDecision {
  /** The activity and the batch (or checkpoint) the gate followed. */
  readonly activityId: string;
  readonly step: number;
  /** When probing started and ended (ISO times). */
  readonly from: string;
  readonly to: string;
  readonly samples: number;
  readonly healthy: number;
  readonly verdict: "passed" | "failed" | "interrupted";
  /** The last samples, in words (status, reason, time; a body excerpt of the last unhealthy one). */
  readonly evidence: string[];
}

/** What a soak needs. */
export interface GateRun {
  readonly gate: NormalizedGate;
  /** `asg-… asr-…`, the start of every line. */
  readonly subject: string;
  readonly activityId: string;
  /** `batch 1`, `checkpoint 1`. */
  readonly where: string;
  readonly step: number;
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly cancel: CancelSignal;
  /** @default probeOnce */
  readonly probe?: (http: NormalizedGate["http"]) => Promise<ProbeSample>;
}

/** Sleeps `ms`, or less when the operation is cancelled. */
function pause(ms: number, cancel: CancelSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const unlisten = cancel.onCancel(done);
    function done() {
      clearTimeout(timer);
      unlisten();
      resolve();
    }
  });
}

/** A sample as evidence: its words, and for an unhealthy answer the start of its body. */
function evidenceOf(sample: ProbeSample): string {
  const body = !sample.healthy && sample.bodyExcerpt ? `; body: ${JSON.stringify(sample.bodyExcerpt)}` : "";
  return `${sample.at} ${describeSample(sample)}${body}`;
}

/**
 * Soaks one gate.
 * @example const decision = await runGate({ gate, subject: "asg-… asr-…", activityId, where: "batch 1", step: 1, log, now: Date.now, cancel });
 */
export async function runGate(run: GateRun): Promise<GateDecision> {
  const { gate, log, now } = run;
  const probe = run.probe ?? ((http) => probeOnce(http, now));
  const started = now();
  const deadline = started + gate.soakSeconds * 1000;
  const evidence: string[] = [];
  let samples = 0;
  let healthy = 0;
  let unhealthyInARow = 0;
  log(`${run.subject}: health gate after ${run.where}: probing GET ${gate.http.url} every ${gate.intervalSeconds} s for ${gate.soakSeconds} s`);
  const decide = (verdict: GateDecision["verdict"]): GateDecision => ({
    activityId: run.activityId,
    step: run.step,
    from: new Date(started).toISOString(),
    to: new Date(now()).toISOString(),
    samples,
    healthy,
    verdict,
    evidence: evidence.slice(-EVIDENCE_SAMPLES),
  });
  for (;;) {
    if (run.cancel.cancelled) return decide("interrupted");
    const sample = await probe(gate.http);
    samples++;
    if (sample.healthy) healthy++;
    unhealthyInARow = sample.healthy ? 0 : unhealthyInARow + 1;
    evidence.push(evidenceOf(sample));
    log(`${run.subject}: health gate after ${run.where}: sample ${samples} ${describeSample(sample)}`);
    if (unhealthyInARow >= gate.unhealthyThreshold) {
      log(`${run.subject}: health gate after ${run.where} FAILED: ${unhealthyInARow} unhealthy samples in a row (unhealthyThreshold ${gate.unhealthyThreshold})`);
      return decide("failed");
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      log(`${run.subject}: health gate after ${run.where} passed: ${healthy}/${samples} samples healthy over ${gate.soakSeconds} s`);
      return decide("passed");
    }
    await pause(Math.min(gate.intervalSeconds * 1000, remaining), run.cancel);
  }
}

/** Most decisions kept in the outputs (the latest). */
export const MAX_RECORDED_DECISIONS = 20;

/**
 * The decisions recorded before with the new ones after them (the same gate soaked again keeps both),
 * at most {@link MAX_RECORDED_DECISIONS}; undefined when there are none.
 * @example mergeDecisions(olds.gateDecisions, outs.gateDecisions)
 */
export function mergeDecisions(recorded: unknown, fresh: unknown): GateDecision[] | undefined {
  const list = (value: unknown) => (Array.isArray(value) ? (value as GateDecision[]) : []);
  const seen = new Set<string>();
  const merged = [...list(recorded), ...list(fresh)].filter((d) => {
    const key = `${d.activityId}/${d.step}/${d.from}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return merged.length > 0 ? merged.slice(-MAX_RECORDED_DECISIONS) : undefined;
}
