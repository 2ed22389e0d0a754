/**
 * What comes after a rollout goes wrong, through the real SDK against the emulator, with the pace
 * set by the test (manual: nothing moves until the test says so): partial failures that the engine
 * can act on later, Ctrl-C, API outages, a lost race for the group, and tolerant reads.
 */
import * as http from "node:http";
import { beforeEach, describe, expect, test } from "vitest";
import { CancelSignal } from "../../provider/core/cancellation";
import { InstanceRefreshFailure } from "../../provider/core/errors";
import { GROUP, REGION, baseline, checkedInputs, eventually, providerFor, requestCount, useHarness, withRolling } from "./helpers";

const h = useHarness();
beforeEach(async () => {
  await h.emu.admin.setPace({ mode: "manual" });
});

/** The rejection of `promise` (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as Error;
}

/** The id of the refresh the provider started, from its "started" progress line. */
async function startedId(logs: string[]): Promise<string> {
  const line = await eventually(
    async () => logs.find((l) => l.includes(": started (StartInstanceRefresh")),
    (found) => found !== undefined,
  );
  return /(asr-\w+): started/.exec(line!)![1]!;
}

/** Starts an activity directly through the SDK, as another stack or the console would. */
async function startOutOfBand(batchNumber: number): Promise<string> {
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/as").as.v20180419;
  const client = new Client({
    credential: { secretId: h.emu.secretId, secretKey: h.emu.secretKey },
    region: REGION,
    profile: { httpProfile: { endpoint: h.emu.endpoint, protocol: "http://", agent: new http.Agent() } },
  });
  const res = await client.StartInstanceRefresh({ AutoScalingGroupId: GROUP, RefreshSettings: { RollingUpdateSettings: { BatchNumber: batchNumber } } });
  return res.RefreshActivityId;
}

describe("partial failures", () => {
  test("record the engine's __provider beside the outputs, so refresh, destroy and replace can load the provider", async () => {
    await h.emu.admin.setPace({ mode: "immediate" });
    await h.emu.admin.failInstance("ins-9dn1a503", "disk image checksum mismatch");
    const inputs = { ...(await h.checked(baseline())), __provider: "exports.handler = () => shim;" };
    const failure = await rejectionOf(h.provider.create(inputs));
    expect(failure).toBeInstanceOf(InstanceRefreshFailure);
    const properties = (failure as InstanceRefreshFailure).properties as unknown as Record<string, unknown>;
    expect(properties.status).toBe("FAILED_PAUSE");
    expect(properties.__provider).toBe("exports.handler = () => shim;");
  });
});

describe("Ctrl-C (the engine's Cancel call)", () => {
  test("stops a wait at once, recording the running refresh; the next update converges", async () => {
    const cancel = new CancelSignal();
    const { provider, logs } = providerFor(h.emu, { cancel });
    const creating = provider.create(await checkedInputs(provider, baseline()));
    const id = await startedId(logs);
    await h.emu.admin.stepActivity(id); // INIT → batch 1 RUNNING
    await eventually(async () => logs.some((l) => l.includes("batch 1/3 RUNNING")), Boolean);
    cancel.cancel();
    const failure = (await rejectionOf(creating)) as InstanceRefreshFailure;
    expect(failure).toBeInstanceOf(InstanceRefreshFailure);
    expect(failure.id).toBe(id);
    expect(failure.message).toContain(`${GROUP} ${id}: pulumi was cancelled (Ctrl-C)`);
    expect(failure.message).toContain("run `pulumi up` to keep waiting");
    expect(failure.properties.status).toBe("RUNNING");
    expect(await requestCount(h, "CancelInstanceRefresh")).toBe(0);

    await h.emu.admin.setPace({ mode: "immediate" });
    const { outs } = await h.update(id, failure.properties as unknown as Record<string, unknown>, baseline());
    expect(outs.status).toBe("SUCCESSFUL");
    expect(await requestCount(h, "StartInstanceRefresh")).toBe(1);
  });

  test("before StartInstanceRefresh, starts nothing", async () => {
    const cancel = new CancelSignal();
    const { provider } = providerFor(h.emu, { cancel });
    cancel.cancel();
    const error = await rejectionOf(provider.create(await checkedInputs(provider, baseline())));
    expect(error.message).toMatch(/cancelled \(Ctrl-C\) before StartInstanceRefresh; nothing was started/);
    expect(await requestCount(h, "StartInstanceRefresh")).toBe(0);
  });
});

describe("API outages during a wait", () => {
  test("a short outage is ridden out with progress lines, and the wait goes on", async () => {
    const { provider, logs } = providerFor(h.emu, { outageToleranceSeconds: 8 });
    const creating = provider.create(await checkedInputs(provider, baseline()));
    const id = await startedId(logs);
    await eventually(async () => (await requestCount(h, "DescribeRefreshActivities")) >= 2, Boolean);
    await h.emu.admin.injectFault({ action: "DescribeRefreshActivities", code: "InternalError" });
    await eventually(async () => logs.some((l) => l.startsWith(`${GROUP} ${id}: API unreachable for`)), Boolean);
    await h.emu.admin.clearFaults();
    await h.emu.admin.setPace({ mode: "immediate" });
    await h.emu.admin.stepActivity(id).catch(() => undefined); // runs on to the end from here
    const { outs } = (await creating) as { outs: Record<string, unknown> };
    expect(outs.status).toBe("SUCCESSFUL");
    expect(logs.find((l) => l.includes("API unreachable"))).toMatch(/InternalError.*retrying for up to 8 s; the refresh goes on in the cloud/);
    expect(logs.some((l) => l.includes("the API answers again after"))).toBe(true);
  });

  test("an outage past the tolerance ends the wait naming the group, the activity and what to run", async () => {
    const { provider, logs } = providerFor(h.emu, { outageToleranceSeconds: 1 });
    const creating = provider.create(await checkedInputs(provider, baseline()));
    const id = await startedId(logs);
    await h.emu.admin.injectFault({ action: "DescribeRefreshActivities", code: "InternalError" });
    const failure = (await rejectionOf(creating)) as InstanceRefreshFailure;
    expect(failure).toBeInstanceOf(InstanceRefreshFailure);
    expect(failure.id).toBe(id);
    // The last error is named once the client's own retries gave up; on a slow machine the tolerance may run out first.
    expect(failure.message).toMatch(new RegExp(`^${GROUP} ${id}: stopped waiting for ${id}: the API did not answer for \\d+ s \\((last error: .*InternalError.*|no answer)\\)`));
    expect(failure.message).toContain("instanceRefresh:outageToleranceSeconds (1 s)");
    expect(failure.message).toContain("run `pulumi up` again once the API answers");
    expect(await requestCount(h, "CancelInstanceRefresh")).toBe(0);
  });

  test("a silent API (requests time out) counts as an outage too", async () => {
    const { provider, logs } = providerFor(h.emu, { outageToleranceSeconds: 1, requestTimeoutMs: 200 });
    const creating = provider.create(await checkedInputs(provider, baseline()));
    await startedId(logs);
    // Past the group check and the describe after Start: the wait's own polls are running.
    await eventually(async () => (await requestCount(h, "DescribeRefreshActivities")) >= 4, Boolean);
    await h.emu.admin.injectFault({ action: "DescribeRefreshActivities", latencyMs: 5000 });
    const failure = await rejectionOf(creating);
    expect(failure.message).toMatch(/the API did not answer for \d+ s/);
    await h.emu.admin.clearFaults();
  });
});

describe("ownership of the group's refresh", () => {
  test("losing the race for the group gives a conflict naming the other activity, and adopts nothing", async () => {
    let otherId = "";
    const { provider } = providerFor(h.emu, {
      transport: (sdk) => async (action, params) => {
        // Another stack's StartInstanceRefresh lands between our check of the group and our call.
        if (action === "StartInstanceRefresh" && !otherId) otherId = await startOutOfBand(3);
        return sdk(action, params);
      },
    });
    const error = await rejectionOf(provider.create(await checkedInputs(provider, baseline())));
    expect(otherId).toMatch(/^asr-/);
    expect(error.message).toContain(`group ${GROUP} already has refresh activity ${otherId}`);
    expect(error.message).toContain(`adoptActivityId: "${otherId}"`);
    expect(error).not.toBeInstanceOf(InstanceRefreshFailure); // nothing recorded in state
    expect(await requestCount(h, "StartInstanceRefresh")).toBe(2); // theirs, and ours refused
  });
});

describe("waits", () => {
  test('wait.until "started" returns once the refresh runs, not at INIT', async () => {
    const { provider, logs } = providerFor(h.emu);
    let settled = false;
    const creating = provider.create(await checkedInputs(provider, baseline({ wait: { until: "started" } }))).finally(() => (settled = true));
    const id = await startedId(logs);
    await eventually(async () => (await requestCount(h, "DescribeRefreshActivities")) >= 3, Boolean);
    expect(settled).toBe(false); // still INIT after three polls
    await h.emu.admin.stepActivity(id);
    const { outs } = (await creating) as { outs: Record<string, unknown> };
    expect(outs.status).toBe("RUNNING");
  });
});

describe("reads and rollback lookups", () => {
  test("read keeps working when the recorded inputs no longer validate, and says so", async () => {
    await h.emu.admin.setPace({ mode: "immediate" });
    const { id, outs } = await h.create(baseline());
    const stale = { ...outs, wait: { until: "settled", timeoutSeconds: 10 ** 9 } };
    const result = await h.provider.read(id, stale);
    expect(result.id).toBe(id);
    expect((result.props as Record<string, unknown>).status).toBe("SUCCESSFUL");
    expect(h.logs.some((l) => l.includes("no longer pass validation (wait.timeoutSeconds"))).toBe(true);
  });

  test("an AuthFailure while looking up the rollback activity is reported, not swallowed", async () => {
    await h.emu.admin.setPace({ mode: "immediate" });
    await h.emu.admin.failInstance("ins-9dn1a503", "health check failed");
    const { provider } = providerFor(h.emu, {
      transport: (sdk) => async (action, params) => {
        const filters = (params.Filters ?? []) as Array<{ Name: string; Values: string[] }>;
        if (filters.some((f) => f.Name === "refresh-activity-type" && f.Values.includes("ROLLBACK"))) {
          throw Object.assign(new Error("The signature expired."), { code: "AuthFailure.SignatureExpire", requestId: "r-1" });
        }
        return sdk(action, params);
      },
    });
    const error = await rejectionOf(provider.create(await checkedInputs(provider, withRolling({ failProcess: "AUTO_ROLLBACK" }))));
    expect(error.message).toContain("AuthFailure.SignatureExpire");
  });

  test("delete of a refresh that already ended says nothing was cancelled", async () => {
    await h.emu.admin.setPace({ mode: "immediate" });
    const { id, outs } = await h.create(baseline());
    await h.provider.delete(id, outs);
    expect(h.logs.some((l) => l === `${GROUP} ${id}: already SUCCESSFUL (ended ${String(outs.endTime)}) before the delete reached it; nothing to cancel`)).toBe(true);
    expect(await requestCount(h, "CancelInstanceRefresh")).toBe(0);
  });
});
