/**
 * The Alibaba Cloud provider's flows through the real `@alicloud/openapi-core` client (ACS3
 * signatures) against the ESS emulator API, in process: create and wait, checkpoints and their
 * approval, suspend and resume, rollback, delete of a running task, the ClientToken that makes a
 * repeated create take back its own task, refused inputs, and refused credentials.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createAlibabaApi, type AlibabaApi } from "../../emulator/alibabacloud/api";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../emulator/alibabacloud/signature";
import { RealClock } from "../../emulator/clock";
import { InstanceRefreshFailure, InstanceRefreshRejected } from "../../provider/core/errors";
import { CancelSignal } from "../../provider/core/cancellation";
import { RateLimiter } from "../../provider/core/rateLimit";
import { createAlicloudProvider, type InstanceRefreshProvider } from "../../provider/host";

const REGION = "cn-hangzhou";
/** Emulator pace: fast enough for a test, slow enough that a test can act between two steps. */
const TIMING = { pendingMs: 30, waveMs: 120, settleMs: 30 };
const POLL_MS = 15;

let api: AlibabaApi;
let server: http.Server;
let endpoint = "";
const lines: string[] = [];

beforeEach(async () => {
  api = createAlibabaApi({ clock: new RealClock(), timing: TIMING, rateLimit: false });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => void api.handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lines.length = 0;
});

afterEach(async () => {
  api.backend.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A provider on the emulator; `secret` replaces the accepted secret. */
function provider(secret = DEFAULT_ACCESS_KEY_SECRET): InstanceRefreshProvider {
  return createAlicloudProvider({
    config: { credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: secret }, region: REGION, endpoint, pollIntervalMs: POLL_MS, outageToleranceSeconds: 5 },
    log: (line) => lines.push(line),
    limiter: new RateLimiter({ limitPerSecond: 1000 }),
    cancel: new CancelSignal(),
  });
}

/** A valid baseline of inputs on a fresh group of `instanceCount` instances. */
function baseline(instanceCount = 4, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const group = api.backend.seedGroup({ instanceCount, regionId: REGION });
  return { scalingGroupId: group.id, desiredConfiguration: { imageId: "m-newimage000000000001" }, minHealthyPercentage: 50, maxHealthyPercentage: 100, ...extra };
}

async function checked(p: InstanceRefreshProvider, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { inputs: normalized, failures } = await p.check({}, inputs);
  expect(failures).toEqual([]);
  return normalized;
}

/** What the create threw. */
async function createFailure(p: InstanceRefreshProvider, inputs: Record<string, unknown>): Promise<Error> {
  try {
    await p.create(inputs);
  } catch (e) {
    return e as Error;
  }
  throw new Error("create succeeded");
}

describe("AlicloudInstanceRefresh through the real SDK", () => {
  test("create starts a task with a ClientToken, waits with percent progress, and records the outputs", async () => {
    const p = provider();
    const { id, outs } = await p.create(await checked(p, baseline()));
    expect(id).toMatch(/^ir-/);
    expect(outs).toMatchObject({ instanceRefreshTaskId: id, status: "Successful", finishedUpdateCapacity: 4, totalNeedUpdateCapacity: 4, percentRefreshed: 100, skipMatching: true });
    expect(lines.some((l) => /: InProgress — \d\/4 refreshed \(\d+%\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/Successful — 4\/4 refreshed \(100%\)/);
    expect(api.backend.getTask(id).clientToken).toMatch(/^pir-[0-9a-f]{40}$/);
  });

  test("a create repeated after an interrupted one takes back its own task (same ClientToken) instead of starting a second", async () => {
    const p = provider();
    const inputs = await checked(p, { ...baseline(), wait: { until: "started" } });
    const first = await p.create(inputs);
    const again = await p.create(inputs);
    expect(again.id).toBe(first.id);
    expect(lines.some((l) => l.includes(`${first.id}: taken back`))).toBe(true);
    expect(api.backend.describeInstanceRefreshes({ regionId: REGION, scalingGroupId: String(inputs.scalingGroupId) }).length).toBe(1);
  });

  test("a task someone else started on the group is never taken over: a conflict naming it and adoptTaskId", async () => {
    const p = provider();
    const inputs = await checked(p, baseline());
    const other = api.backend.startInstanceRefresh({ regionId: REGION, scalingGroupId: String(inputs.scalingGroupId), clientToken: "someone-else", desiredConfiguration: { ImageId: "m-otherimage00000000001" }, checkpoints: [] });
    const error = await createFailure(p, inputs);
    expect(error).toBeInstanceOf(InstanceRefreshRejected);
    expect(error.message).toContain(`already has refresh activity ${other.id}`);
    expect(error.message).toContain(`adoptTaskId: "${other.id}"`);
  });

  test("a checkpoint pauses the wait (settled at the gate); approvedCheckpoints resumes it, then it succeeds", async () => {
    const p = provider();
    const inputs = await checked(p, baseline(4, { checkpoints: [{ percentage: 50 }, { percentage: 100 }], checkpointPauseTime: 60 }));
    const { id, outs } = await p.create(inputs);
    expect(outs).toMatchObject({ status: "CheckpointPause", currentCheckpoint: 1, checkpointCount: 1, finishedUpdateCapacity: 2 });
    const approved = { ...outs, approvedCheckpoints: 1 };
    expect((await p.diff(id, outs, approved)).changes).toBeUndefined(); // an in-place update
    const { outs: after } = await p.update(id, outs, (await p.check(outs, approved)).inputs);
    expect(after).toMatchObject({ status: "Successful", percentRefreshed: 100 });
    expect(lines.some((l) => l.endsWith("resuming (CheckpointPause after checkpoint 1 and approvedCheckpoints is 1) — ResumeInstanceRefresh"))).toBe(true);
  });

  test("paused: true suspends a running task; paused: false resumes it", async () => {
    const p = provider();
    const inputs = await checked(p, { ...baseline(8, { minHealthyPercentage: 100, maxHealthyPercentage: 100 }), wait: { until: "started" } });
    const { id, outs } = await p.create(inputs);
    const paused = (await p.update(id, outs, { ...inputs, paused: true })).outs;
    expect(paused.status).toBe("Paused");
    const resumed = (await p.update(id, paused, { ...inputs, paused: false, wait: { until: "settled", timeoutSeconds: 60 } })).outs;
    expect(resumed.status).toBe("Successful");
  });

  test("rollback: true rolls the task back once; a second update sends nothing", async () => {
    const p = provider();
    const inputs = await checked(p, baseline());
    const { id, outs } = await p.create(inputs);
    const rollback = { ...inputs, rollback: true };
    const first = (await p.update(id, outs, rollback)).outs;
    expect(first.status).toBe("RollbackSuccessful");
    const second = (await p.update(id, first, rollback)).outs;
    expect(second.status).toBe("RollbackSuccessful");
    expect(lines.filter((l) => l.includes("— RollbackInstanceRefresh started")).length).toBe(1);
    expect(lines.some((l) => l.includes("already exists (RollbackSuccessful)"))).toBe(true);
  });

  test("delete cancels a running task at once and waits out Cancelling", async () => {
    const p = provider();
    const inputs = await checked(p, { ...baseline(8, { minHealthyPercentage: 100, maxHealthyPercentage: 100 }), wait: { until: "started" } });
    const { id, outs } = await p.create(inputs);
    await p.delete(id, outs);
    expect(api.backend.getTask(id).status).toBe("Cancelled");
    expect(lines.some((l) => l.endsWith(`${id}: cancelling — CancelInstanceRefresh`))).toBe(true);
  });

  test("a task that fails fails the create with its Detail and keeps the resource in state", async () => {
    const p = provider();
    const inputs = await checked(p, baseline(2, { minHealthyPercentage: 100, maxHealthyPercentage: 100 }));
    const group = api.backend.getGroup(String(inputs.scalingGroupId));
    api.backend.failInstance(api.backend.groupInstances(group.id)[0]!.id, "ECS image m-newimage000000000001 failed to boot");
    const failure = await createFailure(p, inputs);
    expect(failure).toBeInstanceOf(InstanceRefreshFailure);
    expect(failure.message).toMatch(/Instance refresh ir-\w+ on asg-\w+ is Failed/);
    expect(failure.message).toContain("failed to boot");
    expect((failure as InstanceRefreshFailure).properties.status).toBe("Failed");
  });

  test("check names bad inputs and the allowed values; nothing is sent", async () => {
    const p = provider();
    const { failures } = await p.check({}, { ...baseline(), minHealthyPercentage: 120, checkpoints: [{ percentage: 60 }, { percentage: 40 }], desiredConfiguration: { imageId: "m-1", scalingConfigurationId: "asc-1" } });
    expect(failures?.map((f) => f.property)).toEqual(["minHealthyPercentage", "checkpoints[1].percentage", "checkpoints", "desiredConfiguration"]);
    expect(failures?.[0]?.reason).toBe("minHealthyPercentage must be an integer from 0 to 100; got 120");
  });

  test("a wrong secret ends with one clear error naming the keys, and the secret is never printed", async () => {
    const p = provider("wrong-secret-0000000000000000");
    const error = await createFailure(p, await checked(p, baseline()));
    expect(error.message).toMatch(/^Alibaba Cloud rejected the credentials \(SignatureDoesNotMatch: .*\) for AccessKey LTAI\*\*\*\./);
    expect(error.message).not.toContain("wrong-secret");
    expect(error.message).not.toContain(DEFAULT_ACCESS_KEY_ID);
  });
});
