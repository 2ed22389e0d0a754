/**
 * One HTTP health probe: GET the URL with a timeout and tell healthy from unhealthy, with the
 * evidence (status, body excerpt, time taken, or why no answer came: DNS, refused connection,
 * timeout, TLS). A probe never throws: every failure is an unhealthy sample.
 */
import type { NormalizedGate } from "./gateSettings";

/** Longest body excerpt kept as evidence, characters. */
export const BODY_EXCERPT_CHARS = 200;
/** Most body bytes read from an answer (the rest is not needed to decide). */
export const MAX_BODY_BYTES = 64 * 1024;

/** One sample of a probe. */
export interface ProbeSample {
  /** When it was sent (ISO time). */
  readonly at: string;
  readonly healthy: boolean;
  /** HTTP status, when an answer came. */
  readonly status?: number;
  /** Milliseconds until the answer (or the failure). */
  readonly ms: number;
  /** Why it is unhealthy, in words. */
  readonly reason?: string;
  /** The start of the answer's body, for the evidence. */
  readonly bodyExcerpt?: string;
}

/** Words for a transport failure's code. */
const TRANSPORT_REASONS: Readonly<Record<string, string>> = {
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed without an answer",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
};

/** Why a fetch failed, in words: DNS, refused, timeout, TLS, … */
function transportReason(error: unknown, timeoutSeconds: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutSeconds} s`;
  const code = e?.cause?.code ?? "";
  if (TRANSPORT_REASONS[code]) return `${TRANSPORT_REASONS[code]} (${code})`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return `TLS error (${code})`;
  return e?.cause?.message ?? e?.message ?? String(error);
}

/** Reads at most {@link MAX_BODY_BYTES} of a body as text. */
async function readSome(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Sends one probe.
 * @example await probeOnce(gate.http) // { at: "…", healthy: false, status: 500, ms: 3, reason: "status 500, expected 200", bodyExcerpt: '{"status":"unhealthy"…' }
 */
export async function probeOnce(http: NormalizedGate["http"], now: () => number = Date.now): Promise<ProbeSample> {
  const started = now();
  const at = new Date(started).toISOString();
  try {
    const response = await fetch(http.url, {
      method: "GET",
      headers: http.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(http.timeoutSeconds * 1000),
    });
    const body = await readSome(response.body);
    const ms = now() - started;
    const bodyExcerpt = body.slice(0, BODY_EXCERPT_CHARS) || undefined;
    if (response.status !== http.expectStatus) {
      return { at, healthy: false, status: response.status, ms, reason: `status ${response.status}, expected ${http.expectStatus}`, bodyExcerpt };
    }
    if (http.bodyContains !== undefined && !body.includes(http.bodyContains)) {
      return { at, healthy: false, status: response.status, ms, reason: `body does not contain ${JSON.stringify(http.bodyContains)}`, bodyExcerpt };
    }
    return { at, healthy: true, status: response.status, ms, bodyExcerpt };
  } catch (error) {
    return { at, healthy: false, ms: now() - started, reason: transportReason(error, http.timeoutSeconds) };
  }
}

/**
 * A sample in words, for progress lines and evidence (never the headers).
 * @example describeSample(sample) // "unhealthy: status 500, expected 200 (3 ms)"
 */
export function describeSample(sample: ProbeSample): string {
  if (sample.healthy) return `healthy: status ${sample.status} (${sample.ms} ms)`;
  return `unhealthy: ${sample.reason ?? "unknown"} (${sample.ms} ms)`;
}
