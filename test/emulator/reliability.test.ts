import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { isLoopback } from "../../emulator/control";
import { RateLimiter } from "../../emulator/rateLimit";
import { RequestLog } from "../../emulator/requestLog";
import { errorCode, sdkClient, sdkError, type AsClient } from "../helpers/emulator";
import { seededRandom, testSeed } from "../helpers/random";

let emu: RunningEmulator;
let as: AsClient;

beforeAll(async () => {
  // Fault probabilities draw from a seeded PRNG: the same seed fires the same faults (printed to replay).
  emu = await startEmulator({ clock: new ManualClock(), rateLimit: false, random: seededRandom(testSeed("emulator reliability", 424_242)) });
  as = sdkClient(emu);
});
afterEach(async () => {
  await emu.admin.clearFaults();
  await emu.admin.setRateLimit(false);
});
afterAll(() => emu.stop());

const describeGroups = () => as.DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6"] });

describe("fault injection", () => {
  it("returns the injected error code for the next `count` calls of one action, then recovers", async () => {
    await emu.admin.injectFault({ action: "DescribeAutoScalingGroups", code: "InternalError", count: 2 });
    expect(await errorCode(describeGroups)).toBe("InternalError");
    expect(await errorCode(describeGroups)).toBe("InternalError");
    expect((await describeGroups()).TotalCount).toBe(1);
    expect(await emu.admin.faults()).toEqual([]);
  });

  it("leaves other actions alone", async () => {
    await emu.admin.injectFault({ action: "StartInstanceRefresh", code: "RequestLimitExceeded" });
    expect((await describeGroups()).TotalCount).toBe(1);
  });

  it("applies to every action when no action is given, with the given message", async () => {
    await emu.admin.injectFault({ code: "ResourceUnavailable.AutoScalingGroupInActivity", message: "busy", count: 1 });
    const err = await sdkError(() => as.DescribeRefreshActivities({}));
    expect(err.code).toBe("ResourceUnavailable.AutoScalingGroupInActivity");
    expect(err.message).toBe("busy");
  });

  it("affects roughly `probability` of the calls", async () => {
    await emu.admin.injectFault({ action: "DescribeAutoScalingGroups", code: "InternalError", probability: 0.5 });
    let failed = 0;
    for (let n = 0; n < 200; n++) {
      try {
        await describeGroups();
      } catch {
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
  });

  it("probability 0 never fires", async () => {
    await emu.admin.injectFault({ code: "InternalError", probability: 0 });
    for (let n = 0; n < 20; n++) await describeGroups();
  });

  it("adds latency", async () => {
    await emu.admin.injectFault({ action: "DescribeAutoScalingGroups", latencyMs: 150, count: 1 });
    const t0 = performance.now();
    expect((await describeGroups()).TotalCount).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("drops the connection without a response (the SDK sees a transport error)", async () => {
    await emu.admin.injectFault({ action: "DescribeAutoScalingGroups", drop: true, count: 1 });
    const err = await sdkError(describeGroups);
    expect(err.code).toBeUndefined();
    expect((await describeGroups()).TotalCount).toBe(1);
    const log = await emu.admin.requests({ action: "DescribeAutoScalingGroups" });
    expect(log.at(-2)!.code).toBe("DROPPED");
  });

  it("rejects bad fault specs with HTTP 400", async () => {
    await expect(emu.admin.injectFault({ code: "X", probability: 2 })).rejects.toThrow(/400/);
    await expect(emu.admin.injectFault({ action: "DescribeAutoScalingGroups" })).rejects.toThrow(/400/);
  });
});

describe("rate limiting", () => {
  it("allows 20 requests per second per action and answers the rest with RequestLimitExceeded", async () => {
    // The wall clock stands still (fake Date, for the SDK's signatures and the emulator's limiter
    // alike), so all 30 requests fall in one window however slow the machine is.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const limitedEmu = await startEmulator({ clock: new ManualClock(), rateLimit: true });
    try {
      const client = sdkClient(limitedEmu);
      const describe = () => client.DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6"] });
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => describe()));
      const limited = results.filter((r) => r.status === "rejected" && (r.reason as { code?: string }).code === "RequestLimitExceeded");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
      expect(limited).toHaveLength(10);
      // another action has its own budget
      expect((await client.DescribeRefreshActivities({})).RequestId).toBeTypeOf("string");
      // one second later the window has moved on
      expect(await errorCode(describe)).toBe("RequestLimitExceeded");
      vi.setSystemTime(Date.now() + 1000);
      expect((await describe()).TotalCount).toBe(1);
    } finally {
      vi.useRealTimers();
      await limitedEmu.stop();
    }
  });

  it("can be switched off", async () => {
    await emu.admin.setRateLimit(false);
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => describeGroups()));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
  });

  it("is a sliding one-second window", () => {
    let now = 0;
    const rl = new RateLimiter(true, 20, () => now);
    for (let n = 0; n < 20; n++) expect(rl.tryAcquire("A")).toBe(true);
    expect(rl.tryAcquire("A")).toBe(false);
    now = 999;
    expect(rl.tryAcquire("A")).toBe(false);
    now = 1000;
    expect(rl.tryAcquire("A")).toBe(true);
    expect(rl.tryAcquire("B")).toBe(true);
  });
});

describe("request log and counters", () => {
  it("records seq, time, action, selected parameters, result code and latency", async () => {
    await emu.admin.reset();
    await as.StopInstanceRefresh({ AutoScalingGroupId: "asg-9dn1a5y6", RefreshActivityId: "asr-00000000" }).catch(() => undefined);
    await describeGroups();
    const entries = await emu.admin.requests();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      seq: 1,
      action: "StopInstanceRefresh",
      params: { AutoScalingGroupId: "asg-9dn1a5y6", RefreshActivityId: "asr-00000000" },
      code: "ResourceNotFound.RefreshActivityNotFound",
    });
    expect(entries[1]).toMatchObject({ seq: 2, action: "DescribeAutoScalingGroups", code: "OK" });
    expect(entries[1]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(entries[1]!.time)).not.toBeNaN();
    expect(await emu.admin.counters()).toEqual({
      StopInstanceRefresh: { total: 1, byCode: { "ResourceNotFound.RefreshActivityNotFound": 1 } },
      DescribeAutoScalingGroups: { total: 1, byCode: { OK: 1 } },
    });
  });

  it("is a bounded ring buffer while the counters keep counting", () => {
    const log = new RequestLog(3);
    for (let n = 0; n < 5; n++) log.add({ time: "", cloud: "tencentcloud", action: "A", params: {}, code: "OK", latencyMs: 0, requestId: "" });
    expect(log.entries().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.counts()).toEqual({ A: { total: 5, byCode: { OK: 5 } } });
  });
});

describe("admin API", () => {
  it("accepts only loopback clients", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback("::ffff:192.168.1.2")).toBe(false);
  });

  it("answers unknown endpoints with 404 and bad JSON with 400", async () => {
    expect((await fetch(`${emu.url}/_emulator/nope`)).status).toBe(404);
    expect((await fetch(`${emu.url}/_emulator/groups`, { method: "POST", body: "{" })).status).toBe(400);
    await expect(emu.admin.activity("asr-00000000")).rejects.toThrow(/404/);
  });

  it("reset restores the fixture and drops seeded groups", async () => {
    const g = await emu.admin.seedGroup({ name: "temp", instanceCount: 2 });
    expect(g.instanceIds).toHaveLength(2);
    await emu.admin.reset();
    await expect(emu.admin.group(g.groupId)).rejects.toThrow(/404/);
    expect((await emu.admin.group("asg-9dn1a5y6")).instanceIds).toHaveLength(5);
  });

  it("advances the manual clock", async () => {
    const before = await emu.admin.clock();
    const after = await emu.admin.advanceClock(5000);
    expect(after.now - before.now).toBe(5000);
    expect(after.kind).toBe("manual");
  });
});
