/**
 * The health gate through the real SDK against the emulator, with a local health endpoint whose
 * answer each test sets: a healthy gate resumes by itself, an unhealthy one pauses, rolls back or
 * cancels and fails with the evidence, a probe that never answers is unhealthy within its timeout,
 * transport failures are samples (not crashes), and `requireApproval` waits for the approval too.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InstanceRefreshFailure } from "../../provider/core/errors";
import { validateGate } from "../../provider/core/gateSettings";
import { probeOnce } from "../../provider/core/probe";
import { requestCount, useHarness, withRolling } from "./helpers";

const h = useHarness();

/** What the health endpoint answers: a status and body, or nothing at all. */
let answer: { status: number; body: string } | "hang" = { status: 200, body: '{"status":"healthy"}' };
let server: http.Server;
let healthUrl = "";
const seenHeaders: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders.push(req.headers);
    if (answer === "hang") return; // never answers
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  healthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A canary rollout (a pause after every batch) with a short gate. */
function gated(gate: Record<string, unknown> = {}) {
  return withRolling({ batchPause: "BATCH_INTERVAL_PAUSE" }, { gate: { http: { url: healthUrl }, soakSeconds: 1, intervalSeconds: 1, unhealthyThreshold: 1, ...gate } as never });
}

async function failureOf(promise: Promise<unknown>): Promise<InstanceRefreshFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InstanceRefreshFailure);
  return error as InstanceRefreshFailure;
}

describe("health gate", () => {
  test("a healthy endpoint passes every gate with no human step; the decisions are in the outputs", async () => {
    answer = { status: 200, body: '{"status":"healthy"}' };
    const { outs } = await h.create(gated());
    expect(outs.status).toBe("SUCCESSFUL");
    const decisions = outs.gateDecisions as Array<{ step: number; verdict: string; samples: number; healthy: number }>;
    expect(decisions.map((d) => [d.step, d.verdict])).toEqual([
      [1, "passed"],
      [2, "passed"],
    ]);
    expect(decisions.every((d) => d.samples >= 2 && d.healthy === d.samples)).toBe(true);
    expect(await requestCount(h, "ResumeInstanceRefresh")).toBe(2);
    expect(h.logs.some((l) => /health gate after batch 1 passed: \d+\/\d+ samples healthy over 1 s/.test(l))).toBe(true);
  });

  test("an unhealthy endpoint with onFailure pause: up fails with the status, body and timing; the refresh stays paused at the gate", async () => {
    answer = { status: 500, body: '{"status":"unhealthy","unhealthy":2}' };
    const failure = await failureOf(h.create(gated({ onFailure: "pause" })));
    expect(failure.message).toMatch(/the health gate after batch 1 failed: 1\/1 samples unhealthy \(GET http:\/\/127\.0\.0\.1:\d+\/healthz\)/);
    expect(failure.message).toContain("status 500, expected 200");
    expect(failure.message).toContain('body: "{\\"status\\":\\"unhealthy\\",\\"unhealthy\\":2}"');
    expect(failure.message).toMatch(/\(\d+ ms\)/);
    expect(failure.properties.status).toBe("AUTO_PAUSE");
    expect((failure.properties.gateDecisions as Array<{ verdict: string }>)[0]!.verdict).toBe("failed");
    expect(await requestCount(h, "ResumeInstanceRefresh")).toBe(0);
  });

  test("onFailure rollback rolls the refresh back and fails with the evidence; onFailure cancel cancels it", async () => {
    answer = { status: 503, body: "bad version" };
    const rolledBack = await failureOf(h.create(gated({ onFailure: "rollback" })));
    expect(rolledBack.message).toContain("It was rolled back (RollbackInstanceRefresh); the rollback settled.");
    expect(rolledBack.properties.rollbackStatus).toBe("SUCCESSFUL");
    expect(await requestCount(h, "RollbackInstanceRefresh")).toBe(1);

    const cancelled = await failureOf(h.create(gated({ onFailure: "cancel" })));
    expect(cancelled.message).toContain("It was cancelled (CancelInstanceRefresh)");
    expect(cancelled.properties.status).toBe("CANCELLED");
  });

  test("a probe that never answers is unhealthy within its timeoutSeconds", async () => {
    answer = "hang";
    const started = Date.now();
    const sample = await probeOnce({ url: healthUrl, expectStatus: 200, timeoutSeconds: 1 });
    expect(sample).toMatchObject({ healthy: false, reason: "no answer within 1 s" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a refused connection, an unknown host and a TLS failure are unhealthy samples with the reason, not a crash", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await probeOnce({ url: `http://127.0.0.1:${port}/healthz`, expectStatus: 200, timeoutSeconds: 2 });
    expect(refused.healthy).toBe(false);
    expect(refused.reason).toContain("connection refused (ECONNREFUSED)");
    const dns = await probeOnce({ url: "http://no-such-host.invalid/healthz", expectStatus: 200, timeoutSeconds: 2 });
    expect(dns.healthy).toBe(false);
    expect(dns.reason).toMatch(/DNS lookup failed/);
    // https:// to the plain-HTTP health server: the TLS handshake fails.
    const tls = await probeOnce({ url: healthUrl.replace("http://", "https://"), expectStatus: 200, timeoutSeconds: 2 });
    expect(tls.healthy).toBe(false);
    expect(tls.reason).toMatch(/^TLS error \(ERR_SSL_/);
  });

  test("bodyContains and headers: a healthy status without the text is unhealthy; headers are sent and never printed", async () => {
    answer = { status: 200, body: '{"status":"degraded"}' };
    const sample = await probeOnce({ url: healthUrl, expectStatus: 200, timeoutSeconds: 2, bodyContains: '"healthy"', headers: { authorization: "Bearer s3cret-token" } });
    expect(sample).toMatchObject({ healthy: false, reason: 'body does not contain "\\"healthy\\""' });
    expect(seenHeaders.at(-1)?.authorization).toBe("Bearer s3cret-token");
    answer = { status: 200, body: '{"status":"healthy"}' };
    await h.create(gated({ http: { url: healthUrl, headers: { authorization: "Bearer s3cret-token" } } }));
    expect(h.logs.join("\n")).not.toContain("s3cret-token");
  });

  test("requireApproval: a passed gate also waits for approvedBatches", async () => {
    answer = { status: 200, body: "ok" };
    const { id, outs } = await h.create(gated({ requireApproval: true }));
    expect(outs).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 1 });
    expect(h.logs.some((l) => l.includes("health gate after batch 1 passed; waiting for approvedBatches >= 1 (gate.requireApproval)"))).toBe(true);
    const approved = await h.update(id, outs, { ...gated({ requireApproval: true }), approvedBatches: 2 });
    expect(approved.outs.status).toBe("SUCCESSFUL");
    expect((approved.outs.gateDecisions as unknown[]).length).toBeGreaterThanOrEqual(3);
  });

  test("check names a bad gate input and the allowed values", () => {
    expect(validateGate({ http: { url: "ftp://x" }, onFailure: "retry", soakSeconds: 0 }, "gate")).toEqual([
      { property: "gate.soakSeconds", reason: "must be an integer from 1 to 86400; got 0" },
      { property: "gate.onFailure", reason: 'must be one of pause, rollback, cancel; got "retry"' },
      { property: "gate.http.url", reason: 'must be an http:// or https:// URL; got "ftp://x"' },
    ]);
    expect(validateGate({ http: { url: "http://x" }, soakSeconds: 5, intervalSeconds: 10 }, "gate")).toEqual([
      { property: "gate.intervalSeconds", reason: "must be at most soakSeconds (5); got 10" },
    ]);
  });
});
