/**
 * The per-group health endpoint (`GET /_emulator/health/<groupId>`): healthy (200) until an
 * InService instance runs a version marked bad, unhealthy (500, with the share) while one does,
 * healthy again after a rollback — for a Tencent Cloud group (versions of its launch configuration,
 * `admin.setVersion`) and an Alibaba Cloud ESS group (configurations, `admin.ess.markBadConfiguration`);
 * its modes (hang, refuse), probe counts, and the state file. The real SDKs drive the refreshes; the
 * pace is manual, moved by `finishBatch` / `ess.finishWave`.
 */
import * as http from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, healthUrl, startEmulator, type HealthAnswer, type RunningEmulator } from "../../emulator";
import { sdkClient, type AsClient } from "../helpers/emulator";
import { essClient } from "./alibabacloud/support";

/** The probe timeout of the "hang" test: far below the test's, far above a loopback answer. */
const PROBE_TIMEOUT_MS = 200;
/** How long `stop()` may take with a probe hanging. */
const PROMPT_STOP_MS = 2_000;
/** The image every seeded ESS group starts from (`DEFAULT_SEED_IMAGE_ID`). */
const ESS_BASE_IMAGE = "m-emulatorbaseimage00000";

let emu: RunningEmulator;
let as: AsClient;
let ess: ReturnType<typeof essClient>;

beforeAll(async () => {
  emu = await startEmulator({ clock: new ManualClock(), rateLimit: false, fixture: false });
  as = sdkClient(emu);
  ess = essClient(emu);
});
beforeEach(async () => {
  await emu.admin.reset({ empty: true });
  await emu.admin.setPace({ mode: "manual" });
  await emu.admin.ess.setPace({ mode: "manual" });
});
afterAll(() => emu.stop());

/** One probe: its HTTP status and JSON answer. */
async function probe(groupId: string, url = emu.url): Promise<{ status: number; body: HealthAnswer }> {
  const res = await fetch(healthUrl(url, groupId));
  return { status: res.status, body: (await res.json()) as HealthAnswer };
}

/** `STATUS unhealthy/instances` of a probe, for compact assertions. */
async function verdict(groupId: string): Promise<string> {
  const { status, body } = await probe(groupId);
  return `${status} ${body.unhealthy}/${body.instances}`;
}

describe("Tencent Cloud: versions of the launch configuration", () => {
  async function start(groupId: string, rolling: Record<string, unknown>): Promise<string> {
    const res = await as.StartInstanceRefresh({ AutoScalingGroupId: groupId, RefreshSettings: { RollingUpdateSettings: rolling } });
    return res.RefreshActivityId;
  }

  it("a bad version fails the first gate with the refreshed share, and a rollback makes the group healthy again", async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 4 });
    expect(await emu.admin.setVersion(groupId, { version: "v2", bad: true })).toEqual({ groupId, version: "v2", badVersions: ["v2"] });
    expect(await probe(groupId)).toEqual({
      status: 200,
      body: { status: "healthy", group: groupId, cloud: "tencentcloud", instances: 4, unhealthy: 0, unhealthyShare: 0, versions: { v1: 4 } },
    });

    const id = await start(groupId, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    expect(await verdict(groupId)).toBe("200 0/4"); // INIT: nothing refreshed yet
    expect((await emu.admin.finishBatch(id)).Status).toBe("AUTO_PAUSE");
    expect(await probe(groupId)).toEqual({
      status: 500,
      body: { status: "unhealthy", group: groupId, cloud: "tencentcloud", instances: 4, unhealthy: 2, unhealthyShare: 0.5, badVersion: "v2", versions: { v1: 2, v2: 2 } },
    });

    const { RefreshActivityId: rollback } = await as.RollbackInstanceRefresh({
      AutoScalingGroupId: groupId,
      OriginRefreshActivityId: id,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } },
    });
    expect(await verdict(groupId)).toBe("500 2/4");
    await emu.admin.finishBatch(rollback);
    expect(await verdict(groupId)).toBe("500 1/4"); // one instance back on v1
    expect((await emu.admin.finishBatch(rollback)).Status).toBe("SUCCESSFUL");
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { status: "healthy", unhealthy: 0, versions: { v1: 4 } } });
    // The launch configuration keeps its version; the instances run the one they ran before.
    const view = await emu.admin.group(groupId);
    expect(view).toMatchObject({ version: "v2", badVersions: ["v2"] });
    expect(Object.values(view.instanceVersions)).toEqual(["v1", "v1", "v1", "v1"]);
  });

  it("a good version stays healthy at every gate and runs everywhere in the end", async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 5 });
    await emu.admin.setVersion(groupId, { version: "v0", bad: true }); // a bad mark on a version nobody will run
    await emu.admin.setVersion(groupId, { version: "v2" });
    const id = await start(groupId, { BatchNumber: 3, BatchPause: "BATCH_INTERVAL_PAUSE" });
    const seen: string[] = [];
    for (let batch = 1; batch <= 3; batch++) {
      const a = await emu.admin.finishBatch(id);
      seen.push(`${a.Status} ${await verdict(groupId)}`);
      if (a.Status === "AUTO_PAUSE") await as.ResumeInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    }
    expect(seen).toEqual(["AUTO_PAUSE 200 0/5", "AUTO_PAUSE 200 0/5", "SUCCESSFUL 200 0/5"]);
    expect((await probe(groupId)).body.versions).toEqual({ v2: 5 });
  });

  it("the version is recorded when the activity starts: marking another one later changes nothing it rolls out", async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 2 });
    await emu.admin.setVersion(groupId, { version: "v2" });
    const id = await start(groupId, { BatchNumber: 1 });
    await emu.admin.setVersion(groupId, { version: "v3", bad: true });
    expect((await emu.admin.finishBatch(id)).Status).toBe("SUCCESSFUL");
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { versions: { v2: 2 } } });
    // Marking v2 bad afterwards turns the running instances unhealthy; marking it good again heals them.
    await emu.admin.setVersion(groupId, { version: "v2", bad: true });
    expect(await verdict(groupId)).toBe("500 2/2");
    await emu.admin.setVersion(groupId, { version: "v2", bad: false });
    expect(await verdict(groupId)).toBe("200 0/2");
  });

  it("MaxSurge instances run the version rolled out; AUTO_ROLLBACK restores what each instance ran", async () => {
    const { groupId, instanceIds } = await emu.admin.seedGroup({ instanceCount: 4 });
    await emu.admin.setVersion(groupId, { version: "v2", bad: true });
    const id = await start(groupId, { BatchNumber: 2, MaxSurge: 1, FailProcess: "AUTO_ROLLBACK" });
    await emu.admin.stepActivity(id); // INIT ends: the surge instance is created
    await emu.admin.stepActivity(id); // … and is in service
    expect(await verdict(groupId)).toBe("500 1/5");
    await emu.admin.failInstance(instanceIds[3]!, "image not found");
    await emu.admin.finishBatch(id); // batch 1: two instances on v2
    expect(await verdict(groupId)).toBe("500 3/5");
    const ended = await emu.admin.finishBatch(id); // batch 2 fails → FAILED, a ROLLBACK activity starts
    expect(ended.Status).toBe("FAILED");
    const rollback = (await emu.admin.group(groupId)).activeActivityId!;
    const statuses: string[] = [];
    for (let batch = 1; batch <= 4; batch++) statuses.push((await emu.admin.finishBatch(rollback)).Status);
    expect(statuses).toEqual(["RUNNING", "RUNNING", "RUNNING", "SUCCESSFUL"]); // one instance per batch
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { versions: { v1: 4 } } });
  });

  it("refuses an empty version, a non-boolean bad, and an unknown group", async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 1 });
    await expect(emu.admin.setVersion(groupId, { version: "" })).rejects.toThrow(/400 BadRequest: version must be a non-empty string/);
    await expect(emu.admin.setVersion(groupId, { version: "v2", bad: "yes" as never })).rejects.toThrow(/400 BadRequest: bad must be a boolean/);
    await expect(emu.admin.setVersion("asg-nosuch00", { version: "v2" })).rejects.toThrow(/404 NotFound/);
  });
});

describe("Alibaba Cloud ESS: configurations marked bad", () => {
  /** Starts a refresh of `groupId` to `imageId`, two instances per wave, a checkpoint at 50 %; returns the task id. */
  async function start(groupId: string, imageId: string): Promise<string> {
    const body = await ess.call("StartInstanceRefresh", {
      ScalingGroupId: groupId,
      DesiredConfiguration: { ImageId: imageId },
      MinHealthyPercentage: 50,
      MaxHealthyPercentage: 100,
      Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }],
    });
    return body.InstanceRefreshTaskId as string;
  }

  it("a bad image fails the first checkpoint with the refreshed share, and Rollback makes the group healthy again", async () => {
    const { groupId } = await emu.admin.ess.seedGroup({ instanceCount: 4 });
    expect(await emu.admin.ess.markBadConfiguration({ imageId: "m-bad" })).toEqual([{ imageId: "m-bad" }]);
    expect(await probe(groupId)).toEqual({
      status: 200,
      body: { status: "healthy", group: groupId, cloud: "alibabacloud", instances: 4, unhealthy: 0, unhealthyShare: 0, versions: { [ESS_BASE_IMAGE]: 4 } },
    });

    const taskId = await start(groupId, "m-bad");
    expect((await emu.admin.ess.finishWave(taskId)).Status).toBe("CheckpointPause");
    expect(await probe(groupId)).toEqual({
      status: 500,
      body: {
        status: "unhealthy",
        group: groupId,
        cloud: "alibabacloud",
        instances: 4,
        unhealthy: 2,
        unhealthyShare: 0.5,
        badVersion: "m-bad",
        versions: { [ESS_BASE_IMAGE]: 2, "m-bad": 2 },
      },
    });

    await ess.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
    expect((await emu.admin.ess.finishWave(taskId)).Status).toBe("RollbackSuccessful");
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { status: "healthy", versions: { [ESS_BASE_IMAGE]: 4 } } });
  });

  it("a good image stays healthy at every checkpoint and runs everywhere in the end", async () => {
    const { groupId } = await emu.admin.ess.seedGroup({ instanceCount: 4 });
    await emu.admin.ess.markBadConfiguration({ imageId: "m-bad" });
    const taskId = await start(groupId, "m-good");
    expect((await emu.admin.ess.finishWave(taskId)).Status).toBe("CheckpointPause");
    expect(await verdict(groupId)).toBe("200 0/4");
    await ess.call("ResumeInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
    expect((await emu.admin.ess.finishWave(taskId)).Status).toBe("Successful");
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { versions: { "m-good": 4 } } });
  });

  it("marks match every member they name; malformed marks are refused", async () => {
    const { groupId } = await emu.admin.ess.seedGroup({ instanceCount: 2, launchTemplateId: "lt-web00000000000000000" });
    await emu.admin.ess.markBadConfiguration({ launchTemplateId: "lt-web00000000000000000", launchTemplateVersion: "2" });
    expect(await probe(groupId)).toMatchObject({ status: 200, body: { versions: { "lt-web00000000000000000:1": 2 } } });
    await emu.admin.ess.markBadConfiguration({ launchTemplateId: "lt-web00000000000000000", launchTemplateVersion: "1" });
    await emu.admin.ess.markBadConfiguration({ launchTemplateId: "lt-web00000000000000000", launchTemplateVersion: "1" }); // kept once
    expect(await probe(groupId)).toMatchObject({ status: 500, body: { unhealthy: 2, badVersion: "lt-web00000000000000000:1" } });
    expect(await emu.admin.ess.badConfigurations()).toHaveLength(2);
    await emu.admin.ess.clearBadConfigurations();
    expect(await verdict(groupId)).toBe("200 0/2");
    await expect(emu.admin.ess.markBadConfiguration({})).rejects.toThrow(/400 BadRequest: a bad configuration names at least one of/);
    await expect(emu.admin.ess.markBadConfiguration({ image: "m-x" } as never)).rejects.toThrow(/400 BadRequest: unknown field "image"/);
    await expect(emu.admin.ess.markBadConfiguration({ imageId: 7 } as never)).rejects.toThrow(/400 BadRequest: imageId must be a non-empty string/);
  });
});

describe("the endpoint", () => {
  it("answers 404 for a group no cloud's model knows, and only GET and HEAD", async () => {
    const res = await fetch(healthUrl(emu.url, "asg-nosuch00"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NotFound", message: "no scaling group asg-nosuch00 in any cloud's model" } });
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 1 });
    expect((await fetch(healthUrl(emu.url, groupId), { method: "HEAD" })).status).toBe(200);
    const post = await fetch(healthUrl(emu.url, groupId), { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    await expect(emu.admin.healthMode("asg-nosuch00", "hang")).rejects.toThrow(/404 NotFound/);
    await expect(emu.admin.healthStats("asg-nosuch00")).rejects.toThrow(/404 NotFound/);
    await expect(emu.admin.healthMode(groupId, "slow" as never)).rejects.toThrow(/400 BadRequest: mode must be one of normal, hang, refuse/);
  });

  it("counts probes whatever the mode; is not an API call (no fault, no request log); reset clears counts and modes", async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 2 });
    await emu.admin.injectFault({ drop: true }); // every action of every cloud
    await probe(groupId);
    await probe(groupId);
    await emu.admin.healthMode(groupId, "refuse");
    await expect(fetch(healthUrl(emu.url, groupId))).rejects.toThrow();
    expect(await emu.admin.healthStats(groupId)).toEqual({ groupId, requests: 3, mode: "refuse" });
    expect(await emu.admin.requests()).toEqual([]);
    await emu.admin.reset({ empty: true });
    const again = await emu.admin.seedGroup({ groupId, instanceCount: 2 });
    expect(await emu.admin.healthStats(again.groupId)).toEqual({ groupId, requests: 0, mode: "normal" });
  });

  it("refuse: the connection closes without an answer; normal again answers", async () => {
    const { groupId } = await emu.admin.ess.seedGroup({ instanceCount: 1 });
    await emu.admin.healthMode(groupId, "refuse");
    const error = await fetch(healthUrl(emu.url, groupId)).catch((e: unknown) => e as Error & { cause?: { code?: string } });
    expect(error).toBeInstanceOf(TypeError);
    await emu.admin.healthMode(groupId, "normal");
    expect(await verdict(groupId)).toBe("200 0/1");
  });

  it("hang: a probe never answers (a 200 ms client times out), and stop() still returns at once", async () => {
    const own = await startEmulator({ clock: new ManualClock(), rateLimit: false, fixture: false });
    try {
      const { groupId } = await own.admin.seedGroup({ instanceCount: 1 });
      expect(await own.admin.healthMode(groupId, "hang")).toEqual({ groupId, requests: 0, mode: "hang" });
      await expect(fetch(healthUrl(own.url, groupId), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).rejects.toThrow(/timeout|aborted/i);
      // A probe still waiting when the emulator stops: its connection is closed, stop() does not wait for it.
      const waiting = new Promise<string>((resolve) => {
        http.get(healthUrl(own.url, groupId), { agent: false }, () => resolve("answered")).on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
      await expect.poll(async () => (await own.admin.healthStats(groupId)).requests).toBe(2);
      const stopping = Date.now();
      await own.stop();
      expect(Date.now() - stopping).toBeLessThan(PROMPT_STOP_MS);
      expect(await waiting).toBe("ECONNRESET");
    } finally {
      await own.stop();
    }
  });
});

describe("the state file", () => {
  it("keeps versions, bad versions and bad configurations; a file written before them loads with v1 everywhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-health-"));
    const stateFile = join(dir, "state.json");
    const clock = new ManualClock();
    const first = await startEmulator({ clock, rateLimit: false, fixture: false, stateFile });
    const tencent = await first.admin.seedGroup({ groupId: "asg-health01", instanceCount: 2 });
    await first.admin.setVersion(tencent.groupId, { version: "v2", bad: true });
    await first.admin.setPace({ mode: "immediate" });
    await sdkClient(first).StartInstanceRefresh({ AutoScalingGroupId: tencent.groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
    const alibaba = await first.admin.ess.seedGroup({ instanceCount: 1 });
    await first.admin.ess.markBadConfiguration({ imageId: ESS_BASE_IMAGE });
    await first.stop();

    const second = await startEmulator({ clock, rateLimit: false, fixture: false, stateFile });
    try {
      expect(await second.admin.group(tencent.groupId)).toMatchObject({ version: "v2", badVersions: ["v2"] });
      expect((await probe(tencent.groupId, second.url)).body).toMatchObject({ status: "unhealthy", unhealthy: 2, versions: { v2: 2 } });
      expect(await second.admin.ess.badConfigurations()).toEqual([{ imageId: ESS_BASE_IMAGE }]);
      expect(await probe(alibaba.groupId, second.url)).toMatchObject({ status: 500, body: { unhealthy: 1 } });
    } finally {
      await second.stop();
    }

    // The same file as written before versions: no version fields, no "badConfigurations".
    const data = JSON.parse(readFileSync(stateFile, "utf8")) as Record<string, Record<string, unknown>[]> & { ess: Record<string, unknown> };
    for (const g of data.groups!) {
      delete g.version;
      delete g.badVersions;
    }
    for (const i of data.instances!) delete i.version;
    for (const a of data.activities!) {
      delete a.version;
      for (const b of a.batches as { instances: Record<string, unknown>[] }[]) for (const e of b.instances) delete e.previousVersion;
    }
    delete data.ess.badConfigurations;
    writeFileSync(stateFile, JSON.stringify(data));
    const old = await startEmulator({ clock, rateLimit: false, fixture: false, stateFile });
    try {
      expect(await old.admin.group(tencent.groupId)).toMatchObject({ version: "v1", badVersions: [], instanceVersions: { [tencent.instanceIds[0]!]: "v1" } });
      expect(await probe(tencent.groupId, old.url)).toMatchObject({ status: 200, body: { versions: { v1: 2 } } });
      expect(await probe(alibaba.groupId, old.url)).toMatchObject({ status: 200 });
    } finally {
      await old.stop();
    }
  });

  it("refuses a malformed version field or bad configuration, naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-health-"));
    const stateFile = join(dir, "state.json");
    const emuWithFile = await startEmulator({ clock: new ManualClock(), rateLimit: false, fixture: false, stateFile });
    await emuWithFile.admin.seedGroup({ groupId: "asg-health02", instanceCount: 1 });
    await emuWithFile.stop();
    const data = JSON.parse(readFileSync(stateFile, "utf8")) as { groups: Record<string, unknown>[]; ess: Record<string, unknown> };
    data.groups[0]!.badVersions = "v2";
    writeFileSync(stateFile, JSON.stringify(data));
    await expect(startEmulator({ stateFile })).rejects.toThrow(/groups\[0\] \(asg-health02\): field "badVersions" must be string\[\]/);
    data.groups[0]!.badVersions = [];
    data.ess.badConfigurations = [{ imageId: "" }];
    writeFileSync(stateFile, JSON.stringify(data));
    await expect(startEmulator({ stateFile })).rejects.toThrow(/ess: badConfigurations\[0\]: imageId must be a non-empty string/);
  });
});
