/**
 * Check without API calls, retries under injected faults, wrong credentials, secrets — through the
 * real SDK against the emulator.
 */
import { describe, expect, test } from "vitest";
import { createProvider } from "../../provider/host";
import { GROUP, REGION, baseline, providerFor, withRolling, requestCount, useHarness } from "./helpers";

const h = useHarness();

const count = (action: string) => requestCount(h, action);

describe("check", () => {
  test("rejects bad inputs with self-contained reasons and makes no API call", async () => {
    const result = await h.provider.check({}, withRolling({ batchNumber: 0, batchPause: "SOMETIMES" as never }) as never);
    expect(result.failures).toEqual([
      { property: "refreshSettings.rollingUpdateSettings.batchNumber", reason: "refreshSettings.rollingUpdateSettings.batchNumber must be an integer from 1 to 2000; got 0" },
      {
        property: "refreshSettings.rollingUpdateSettings.batchPause",
        reason: 'refreshSettings.rollingUpdateSettings.batchPause must be one of AUTOMATIC, FIRST_BATCH_PAUSE, BATCH_INTERVAL_PAUSE; got "SOMETIMES"',
      },
    ]);
    expect(await h.emu.admin.requests()).toEqual([]);
  });
});

describe("retries", () => {
  test("reads are retried through RequestLimitExceeded and InternalError", async () => {
    await h.emu.admin.injectFault({ action: "DescribeRefreshActivities", code: "RequestLimitExceeded", count: 2 });
    await h.emu.admin.injectFault({ action: "DescribeAutoScalingGroups", code: "InternalError", count: 2 });
    const { outs } = await h.create(baseline());
    expect(outs.status).toBe("SUCCESSFUL");
    expect(await count("StartInstanceRefresh")).toBe(1);
  });

  test("a dropped StartInstanceRefresh is re-sent only after checking that nothing started", async () => {
    await h.emu.admin.injectFault({ action: "StartInstanceRefresh", drop: true, count: 1 });
    const { outs } = await h.create(baseline());
    expect(outs.status).toBe("SUCCESSFUL");
    const starts = await h.emu.admin.requests({ action: "StartInstanceRefresh" });
    expect(starts.map((s) => s.code)).toEqual(["DROPPED", "OK"]);
    const activities = (await h.emu.admin.group(GROUP)) as unknown as Record<string, unknown>;
    expect(activities).toBeTruthy();
  });

  test("a StartInstanceRefresh answered after the client gave up is adopted, not started twice", async () => {
    const { provider } = providerFor(h.emu, { requestTimeoutMs: 1000 });
    await h.emu.admin.injectFault({ action: "StartInstanceRefresh", latencyMs: 1100, count: 1 });
    const inputs = await h.checked(baseline());
    const { outs } = await provider.create(inputs);
    expect(outs.status).toBe("SUCCESSFUL");
    const starts = await h.emu.admin.requests({ action: "StartInstanceRefresh" });
    expect(starts.filter((s) => s.code === "OK").length).toBe(1);
  });

  test("a transient InternalError on StopInstanceRefresh is re-sent only if the activity still runs", async () => {
    await h.emu.admin.seedGroup({ groupId: "asg-slow0001", instanceCount: 20 });
    await h.emu.admin.injectFault({ action: "StopInstanceRefresh", code: "InternalError", count: 1 });
    const { outs } = await h.create(withRolling({ batchNumber: 20 }, { autoScalingGroupId: "asg-slow0001", paused: true }));
    expect(outs.status).toBe("MANUAL_PAUSE");
    expect((await h.emu.admin.requests({ action: "StopInstanceRefresh" })).map((r) => r.code)).toEqual(["InternalError", "OK"]);
  });

  test("added latency on every read only slows the wait down", async () => {
    await h.emu.admin.injectFault({ action: "DescribeRefreshActivities", latencyMs: 50 });
    const { outs } = await h.create(baseline());
    expect(outs.status).toBe("SUCCESSFUL");
  });
});

describe("credentials", () => {
  test("a wrong secret ends the operation at the first AuthFailure, without retries or secrets in the message", async () => {
    const { provider } = providerFor(h.emu, { secretKey: "WRONGSECRETKEY0000000000000000000" });
    const error = (await provider.create(await h.checked(baseline())).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/AuthFailure/);
    expect(error.message).toContain("tencentcloud:secretId");
    expect(error.message).not.toContain("WRONGSECRETKEY");
    expect(error.message).not.toContain(h.emu.secretId);
    const log = await h.emu.admin.requests();
    const perAction = new Map<string, number>();
    for (const r of log) perAction.set(r.action, (perAction.get(r.action) ?? 0) + 1);
    expect(Math.max(...perAction.values())).toBe(1);
  });

  test("missing credentials name both the config keys and the environment variables", async () => {
    const provider = createProvider({ env: {}, config: { region: REGION, endpoint: h.emu.url }, log: () => undefined });
    await expect(provider.create(await h.checked(baseline()))).rejects.toThrow(
      /tencentcloud:secretId.*tencentcloud:secretKey.*TENCENTCLOUD_SECRET_ID.*TENCENTCLOUD_SECRET_KEY/s,
    );
  });

  test("outputs and progress lines hold no credentials", async () => {
    const { outs } = await h.create(withRolling({ batchPause: "FIRST_BATCH_PAUSE" }));
    const text = JSON.stringify(outs) + h.logs.join("\n");
    expect(text).not.toContain(h.emu.secretKey);
    expect(text).not.toContain(h.emu.secretId);
  });

  test("configure reads the tencentcloud:* keys", async () => {
    const provider = createProvider({ env: {}, log: () => undefined });
    const values: Record<string, string> = {
      "tencentcloud:secretId": h.emu.secretId,
      "tencentcloud:secretKey": h.emu.secretKey,
      "tencentcloud:region": REGION,
      "instanceRefresh:endpoint": h.emu.url,
      "instanceRefresh:pollIntervalMs": "40",
    };
    await provider.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] } });
    const { outs } = await provider.create(await h.checked(baseline({ wait: { until: "started" } })));
    expect(outs.refreshActivityId).toMatch(/^asr-/);
  });
});
