/**
 * Alibaba Cloud ESS inside the whole emulator (`startEmulator`): one port for both clouds
 * (dispatch by header), the shared request log (with `cloud`), counters, injected faults answered
 * in ESS's format, the ESS pace modes, the admin endpoints under `/_emulator/ess/` through
 * `EmulatorAdmin.ess`, the default fixture's ESS groups and the state file — the real Tencent Cloud
 * SDK and the real `@alicloud/openapi-core` client, a ManualClock.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudServices } from "../../../emulator/cloudServices";
import { FaultInjector } from "../../../emulator/faults";
import { RateLimiter } from "../../../emulator/rateLimit";
import { RequestLog } from "../../../emulator/requestLog";
import {
  ALIBABA_CLOUD,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  EmulatorAdminError,
  ManualClock,
  StateFileError,
  TENCENT_CLOUD,
  startEmulator,
  type EssTaskView,
  type RunningEmulator,
} from "../../../emulator";
import { sdkClient, type AsClient } from "../../helpers/emulator";
import { REGION, essClient, sdkFailure, type Body } from "./support";

/** The default fixture's ESS groups. */
const FIXTURE_WEB = "asg-bp1essweb00000000000";
const FIXTURE_API = "asg-bp1essapi00000000000";
/** ESS timing at the default pace (2 s waves): Pending and one wave. */
const PENDING_MS = 1_000;
const WAVE_MS = 2_000;
const HOUR_MS = 3_600_000;
const REQUEST_ID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

let emu: RunningEmulator;
let clock: ManualClock;
let tencent: AsClient;
let ess: ReturnType<typeof essClient>;

beforeAll(async () => {
  clock = new ManualClock();
  emu = await startEmulator({ clock, rateLimit: false });
  tencent = sdkClient(emu);
  ess = essClient(emu);
});
beforeEach(() => emu.admin.reset());
afterAll(() => emu.stop());

/** Starts an ESS refresh of `groupId` to a new image; returns the task id. */
async function essStart(groupId: string, params: Record<string, unknown> = {}): Promise<string> {
  const body = await ess.call("StartInstanceRefresh", { ScalingGroupId: groupId, DesiredConfiguration: { ImageId: "m-newimage" }, ...params });
  return body.InstanceRefreshTaskId as string;
}

/** The task as DescribeInstanceRefreshes returns it (one describe answer). */
async function essDescribe(groupId: string, taskId: string): Promise<Body> {
  const body = await ess.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, InstanceRefreshTaskIds: [taskId] });
  return (body.InstanceRefreshTasks as Body[])[0]!;
}

/** `Status finished/total`, for compact assertions. */
const shape = (t: Body | EssTaskView) => `${t.Status} ${t.FinishedUpdateCapacity}/${t.TotalNeedUpdateCapacity}`;

describe("one port, both clouds", () => {
  it("serves the Tencent Cloud SDK (X-TC-Action) and the ESS SDK (x-acs-action) on one port; the default fixture has both clouds' groups", async () => {
    const tencentGroups = await tencent.DescribeAutoScalingGroups({ Limit: 100 });
    expect(tencentGroups.AutoScalingGroupSet.map((g) => g.AutoScalingGroupId)).toEqual(expect.arrayContaining(["asg-9dn1a5y6", "asg-demo0010"]));
    const essGroups = await ess.call("DescribeScalingGroups", {});
    expect((essGroups.ScalingGroups as Body[]).map((g) => [g.ScalingGroupId, g.ScalingGroupName, g.TotalCapacity])).toEqual([
      [FIXTURE_WEB, "ess-web", 4],
      [FIXTURE_API, "ess-api", 2],
    ]);
    expect(emu.ess).toMatchObject({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET });
    expect(emu.ess.backend.groupInstances(FIXTURE_WEB).map((i) => i.id)).toEqual([1, 2, 3, 4].map((n) => `i-bp1essweb0000000000${n}`));
  });

  it("gives a request that names no cloud's action Tencent Cloud's answer, as before", async () => {
    const res = await fetch(`${emu.url}/`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Body).Response.Error.Code).toBe("MissingParameter");
    expect((await emu.admin.requests())[0]).toMatchObject({ cloud: TENCENT_CLOUD, action: "", code: "MissingParameter" });
  });

  it("refuses an ESS body over 1 MiB in ESS's format, and logs it", async () => {
    const res = await fetch(`${emu.url}/`, {
      method: "POST",
      headers: { "x-acs-action": "DescribeScalingGroups", "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=".padEnd(1024 * 1024 + 10, "x"),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ Code: "RequestEntityTooLarge", HostId: "ess.aliyuncs.com" });
    expect(await emu.admin.requests({ cloud: ALIBABA_CLOUD })).toMatchObject([{ action: "DescribeScalingGroups", code: "RequestEntityTooLarge" }]);
  });
});

describe("request log and counters", () => {
  it("logs every request with its cloud; `cloud` keeps one cloud's; ESS parameters are logged as sent", async () => {
    await tencent.StartInstanceRefresh({ AutoScalingGroupId: "asg-9dn1a5y6", RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } } });
    const taskId = await essStart(FIXTURE_WEB, {
      ClientToken: "token-1",
      MinHealthyPercentage: 90,
      MaxHealthyPercentage: 110,
      SkipMatching: false,
      Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }],
    });
    await essDescribe(FIXTURE_WEB, taskId);
    await sdkFailure(() => ess.call("ResumeInstanceRefresh", { ScalingGroupId: FIXTURE_WEB, InstanceRefreshTaskId: "ir-000000000000" }));

    const starts = await emu.admin.requests({ action: "StartInstanceRefresh" });
    expect(starts.map((e) => e.cloud)).toEqual([TENCENT_CLOUD, ALIBABA_CLOUD]);
    const [essStartEntry] = await emu.admin.requests({ action: "StartInstanceRefresh", cloud: ALIBABA_CLOUD });
    expect(essStartEntry).toMatchObject({
      cloud: ALIBABA_CLOUD,
      code: "OK",
      params: {
        RegionId: REGION,
        ScalingGroupId: FIXTURE_WEB,
        ClientToken: "token-1",
        MinHealthyPercentage: "90",
        MaxHealthyPercentage: "110",
        SkipMatching: "false",
        "Checkpoints.1.Percentage": "50",
        "Checkpoints.2.Percentage": "100",
        "DesiredConfiguration.ImageId": "m-newimage",
      },
    });
    expect(essStartEntry!.requestId).toMatch(REQUEST_ID_RE);
    expect(essStartEntry!.latencyMs).toBeGreaterThanOrEqual(0);
    const essEntries = await emu.admin.requests({ cloud: ALIBABA_CLOUD });
    expect(essEntries.map((e) => [e.action, e.code])).toEqual([
      ["StartInstanceRefresh", "OK"],
      ["DescribeInstanceRefreshes", "OK"],
      ["ResumeInstanceRefresh", "InvalidInstanceRefreshTaskId.NotFound"],
    ]);
    expect(essEntries[1]!.params).toMatchObject({ "InstanceRefreshTaskIds.1": taskId });
    expect((await emu.admin.requests({ cloud: TENCENT_CLOUD })).map((e) => e.action)).toEqual(["StartInstanceRefresh"]);

    // Counters: Tencent Cloud's keys unchanged, ESS's qualified.
    expect(await emu.admin.counters()).toEqual({
      StartInstanceRefresh: { total: 1, byCode: { OK: 1 } },
      "alibabacloud:StartInstanceRefresh": { total: 1, byCode: { OK: 1 } },
      "alibabacloud:DescribeInstanceRefreshes": { total: 1, byCode: { OK: 1 } },
      "alibabacloud:ResumeInstanceRefresh": { total: 1, byCode: { "InvalidInstanceRefreshTaskId.NotFound": 1 } },
    });
  });

  it("keys the shared rate-limit windows per cloud: ESS's StartInstanceRefresh does not use up Tencent Cloud's", async () => {
    const now = Date.now();
    const shared = { rateLimiter: new RateLimiter(true, 2, () => now), faults: new FaultInjector(), log: new RequestLog() };
    const tencentServices = new CloudServices(shared, TENCENT_CLOUD, "plain");
    const essServices = new CloudServices(shared, ALIBABA_CLOUD, "qualified");
    const refusals = { throttled: (action: string, limit: number) => new Error(`${action} over ${limit}`), injected: (code: string) => new Error(code) };
    await essServices.admit("StartInstanceRefresh", refusals);
    await essServices.admit("StartInstanceRefresh", refusals);
    await expect(essServices.admit("StartInstanceRefresh", refusals)).rejects.toThrow("StartInstanceRefresh over 2");
    await expect(tencentServices.admit("StartInstanceRefresh", refusals)).resolves.toBe("serve");
    expect([tencentServices.keyOf("A"), essServices.keyOf("A")]).toEqual(["A", "alibabacloud:A"]);
  });
});

describe("injected faults", () => {
  it("answers an injected code in ESS's format (HTTP status, HostId, Recommend), for ESS only when the rule names the cloud", async () => {
    await emu.admin.injectFault({ action: "DescribeScalingGroups", cloud: ALIBABA_CLOUD, code: "InternalError", message: "boom", count: 1 });
    await emu.admin.injectFault({ action: "DescribeAutoScalingGroups", cloud: ALIBABA_CLOUD, code: "InternalError" });
    const f = await sdkFailure(() => ess.call("DescribeScalingGroups", {}));
    expect(f).toMatchObject({ name: "ServerError", code: "InternalError", statusCode: 500 });
    expect(f.data).toMatchObject({ Code: "InternalError", Message: "boom", HostId: "ess.aliyuncs.com" });
    expect(f.data.Recommend).toContain("q=InternalError");
    expect((await ess.call("DescribeScalingGroups", {})).TotalCount).toBe(2);
    // The ESS-scoped rule on a Tencent Cloud action name never fires for Tencent Cloud.
    expect((await tencent.DescribeAutoScalingGroups({})).TotalCount).toBeGreaterThan(0);
    expect((await emu.admin.requests({ cloud: ALIBABA_CLOUD })).map((e) => e.code)).toEqual(["InternalError", "OK"]);
  });

  it("translates a rule for every cloud written with Tencent Cloud's RequestLimitExceeded into ESS's Throttling; drops a connection", async () => {
    await emu.admin.injectFault({ action: "DescribeScalingInstances", code: "RequestLimitExceeded", count: 1 });
    const f = await sdkFailure(() => ess.call("DescribeScalingInstances", { ScalingGroupId: FIXTURE_API }));
    expect(f).toMatchObject({ name: "ThrottlingError", code: "Throttling", statusCode: 400 });
    await emu.admin.injectFault({ action: "DescribeScalingInstances", cloud: ALIBABA_CLOUD, drop: true, count: 1 });
    await expect(ess.call("DescribeScalingInstances", { ScalingGroupId: FIXTURE_API })).rejects.toThrow();
    expect((await ess.call("DescribeScalingInstances", { ScalingGroupId: FIXTURE_API })).TotalCount).toBe(2);
    expect((await emu.admin.requests({ cloud: ALIBABA_CLOUD })).map((e) => e.code)).toEqual(["Throttling", "DROPPED", "OK"]);
  });
});

describe("ESS pace", () => {
  it("starts in clock pace, accepts every mode, refuses a bad one, and reset restores clock", async () => {
    expect(await emu.admin.ess.pace()).toEqual({ mode: "clock" });
    expect(await emu.admin.ess.setPace({ mode: "afterDescribes", describes: 3 })).toEqual({ mode: "afterDescribes", describes: 3 });
    await expect(emu.admin.ess.setPace({ mode: "fast" } as never)).rejects.toThrow(/400 BadRequest: mode must be one of/);
    expect(await emu.admin.pace()).toEqual({ mode: "clock" }); // Tencent Cloud's pace is its own
    await emu.admin.reset();
    expect(await emu.admin.ess.pace()).toEqual({ mode: "clock" });
  });

  it("manual: nothing moves however far the clock goes; step and finish-wave move a task; back to clock, due transitions happen at their own time", async () => {
    await emu.admin.ess.setPace({ mode: "manual" });
    const id = await essStart(FIXTURE_API);
    await emu.admin.advanceClock(HOUR_MS);
    expect(shape(await essDescribe(FIXTURE_API, id))).toBe("Pending 0/2");
    expect(shape(await emu.admin.ess.stepTask(id))).toBe("InProgress 0/2");
    expect(shape(await emu.admin.ess.finishWave(id))).toBe("InProgress 1/2");

    const stepped = clock.now();
    await emu.admin.ess.setPace({ mode: "clock" });
    await emu.admin.advanceClock(WAVE_MS);
    const t = await essDescribe(FIXTURE_API, id);
    expect(shape(t)).toBe("Successful 2/2");
    expect(Date.parse(t.EndTime as string)).toBe(Math.floor((stepped + WAVE_MS) / 1000) * 1000);
  });

  it("afterDescribes: one transition after every N describes that returned the task; the Nth still shows the state before", async () => {
    await emu.admin.ess.setPace({ mode: "afterDescribes", describes: 2 });
    const id = await essStart(FIXTURE_API);
    const seen: string[] = [];
    for (let n = 0; n < 8; n++) seen.push(shape(await essDescribe(FIXTURE_API, id)));
    expect(seen).toEqual(["Pending 0/2", "Pending 0/2", "InProgress 0/2", "InProgress 0/2", "InProgress 1/2", "InProgress 1/2", "Successful 2/2", "Successful 2/2"]);
  });

  it("afterDescribes: describes by group count, other requests do not", async () => {
    await emu.admin.ess.setPace({ mode: "afterDescribes", describes: 1 });
    const id = await essStart(FIXTURE_API);
    for (let n = 0; n < 3; n++) await ess.call("DescribeScalingGroups", { ScalingGroupIds: [FIXTURE_API] });
    expect(shape(await emu.admin.ess.task(id))).toBe("Pending 0/2");
    await ess.call("DescribeInstanceRefreshes", { ScalingGroupId: FIXTURE_API });
    expect(shape(await emu.admin.ess.task(id))).toBe("InProgress 0/2");
  });

  it("immediate: a task runs to its next stop at once — a checkpoint pause, then the end on Resume", async () => {
    await emu.admin.ess.setPace({ mode: "immediate" });
    const id = await essStart(FIXTURE_API, { Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }] });
    expect(shape(await essDescribe(FIXTURE_API, id))).toBe("CheckpointPause 1/2");
    await ess.call("ResumeInstanceRefresh", { ScalingGroupId: FIXTURE_API, InstanceRefreshTaskId: id });
    expect(shape(await essDescribe(FIXTURE_API, id))).toBe("Successful 2/2");
  });
});

describe("ESS admin endpoints", () => {
  it("seeds a group and shows it with its instances and active configuration", async () => {
    const seeded = await emu.admin.ess.seedGroup({ instanceCount: 3, name: "seeded" });
    expect(seeded.groupId).toMatch(/^asg-[a-z0-9]{20}$/);
    expect(seeded.instanceIds).toHaveLength(3);
    const view = await emu.admin.ess.group(seeded.groupId);
    expect(view).toMatchObject({ groupId: seeded.groupId, name: "seeded", regionId: REGION, activeTaskId: null, instanceIds: seeded.instanceIds });
    expect(view.activeConfig.imageId).toBe("m-emulatorbaseimage00000");
    expect(view.scalingGroup).toMatchObject({ ScalingGroupId: seeded.groupId, TotalCapacity: 3, ActiveCapacity: 3 });
    expect(view.instances.map((i) => i.InstanceId)).toEqual(seeded.instanceIds);
    expect((await emu.admin.ess.groups()).map((g) => g.groupId)).toEqual([FIXTURE_WEB, FIXTURE_API, seeded.groupId]);
  });

  it("fails an instance, reads the task as DescribeInstanceRefreshes writes it, and the group's active configuration after a refresh", async () => {
    const id = await essStart(FIXTURE_WEB);
    expect(await emu.admin.ess.task(id)).toEqual(await essDescribe(FIXTURE_WEB, id));
    await emu.admin.ess.failInstance("i-bp1essweb00000000002", "disk attach failed");
    await emu.admin.ess.finishWave(id);
    const failed = await emu.admin.ess.finishWave(id);
    expect(failed).toMatchObject({ Status: "Failed", Detail: "disk attach failed", FinishedUpdateCapacity: 1 });

    const api = await essStart(FIXTURE_API);
    await emu.admin.ess.finishWave(api);
    expect((await emu.admin.ess.finishWave(api)).Status).toBe("Successful");
    expect((await emu.admin.ess.group(FIXTURE_API)).activeConfig.imageId).toBe("m-newimage");
  });

  it("answers 404 for unknown records, 409 for a task that waits for a call or a taken id, 400 for a bad spec", async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: EmulatorAdminError) => [e.status, e.code]);
    expect(await refusal(emu.admin.ess.task("ir-000000000000"))).toEqual([404, "NotFound"]);
    expect(await refusal(emu.admin.ess.group("asg-00000000000000000000"))).toEqual([404, "NotFound"]);
    expect(await refusal(emu.admin.ess.failInstance("i-00000000000000000000", "x"))).toEqual([404, "NotFound"]);
    expect(await refusal(emu.admin.ess.seedGroup({ groupId: FIXTURE_WEB }))).toEqual([409, "Conflict"]);
    expect(await refusal(emu.admin.ess.seedGroup({ groupId: "asg-short" }))).toEqual([400, "BadRequest"]);
    expect(await refusal(emu.admin.ess.seedGroup({ groupType: "VM" } as never))).toEqual([400, "BadRequest"]);
    const id = await essStart(FIXTURE_API);
    clock.advance(PENDING_MS);
    await ess.call("SuspendInstanceRefresh", { ScalingGroupId: FIXTURE_API, InstanceRefreshTaskId: id });
    await emu.admin.ess.finishWave(id); // the wave in flight completes; Paused waits for Resume
    expect(await refusal(emu.admin.ess.stepTask(id))).toEqual([409, "Conflict"]);
  });

  it("reset puts both clouds back to the fixture (or empty)", async () => {
    await emu.admin.ess.seedGroup({ instanceCount: 1 });
    await emu.admin.seedGroup({ instanceCount: 1 });
    await emu.admin.reset();
    expect((await emu.admin.ess.groups()).map((g) => g.groupId)).toEqual([FIXTURE_WEB, FIXTURE_API]);
    await emu.admin.reset({ empty: true });
    expect(await emu.admin.ess.groups()).toEqual([]);
    expect(await emu.admin.groups()).toEqual([]);
  });
});

describe("state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "emulator-ess-state-"));

  it("keeps an ESS task (and its ClientToken) across a stop and a restart, and the task carries on", async () => {
    const file = join(dir, "state.json");
    const stateClock = new ManualClock();
    const first = await startEmulator({ clock: stateClock, stateFile: file, rateLimit: false, fixture: false });
    const { groupId } = await first.admin.ess.seedGroup({ instanceCount: 3 });
    const id = await essClient(first).call("StartInstanceRefresh", { ScalingGroupId: groupId, ClientToken: "persisted", DesiredConfiguration: { ImageId: "m-next" } });
    stateClock.advance(PENDING_MS + WAVE_MS);
    const before = await first.admin.ess.task(id.InstanceRefreshTaskId as string);
    expect(shape(before)).toBe("InProgress 1/3");
    await first.stop();
    const saved = JSON.parse(readFileSync(file, "utf8")) as Body;
    expect(saved.format).toBe("pulumi-instance-refresh-emulator-state");
    expect(saved.ess.tasks).toHaveLength(1);

    const second = await startEmulator({ clock: stateClock, stateFile: file, rateLimit: false, fixture: false });
    try {
      expect(await second.admin.ess.task(id.InstanceRefreshTaskId as string)).toEqual(before);
      const again = await essClient(second).call("StartInstanceRefresh", { ScalingGroupId: groupId, ClientToken: "persisted", DesiredConfiguration: { ImageId: "m-next" } });
      expect(again.InstanceRefreshTaskId).toBe(id.InstanceRefreshTaskId);
      stateClock.advance(2 * WAVE_MS);
      expect(shape(await second.admin.ess.task(id.InstanceRefreshTaskId as string))).toBe("Successful 3/3");
      expect((await second.admin.ess.group(groupId)).activeConfig.imageId).toBe("m-next");
    } finally {
      await second.stop();
    }
  });

  it("loads a file written before ESS was persisted unchanged; ESS starts from its fixture", async () => {
    const file = join(dir, "tencent-only.json");
    const first = await startEmulator({ clock: new ManualClock(), stateFile: file, rateLimit: false, fixture: false });
    await first.admin.seedGroup({ groupId: "asg-old00001", instanceCount: 2 });
    await first.stop();
    const saved = JSON.parse(readFileSync(file, "utf8")) as Body;
    delete saved.ess;
    writeFileSync(file, JSON.stringify(saved));

    const second = await startEmulator({ clock: new ManualClock(), stateFile: file, rateLimit: false });
    try {
      expect((await second.admin.groups()).map((g) => g.groupId)).toEqual(["asg-old00001"]);
      expect((await second.admin.ess.groups()).map((g) => g.groupId)).toEqual([FIXTURE_WEB, FIXTURE_API]);
    } finally {
      await second.stop();
    }
    expect((JSON.parse(readFileSync(file, "utf8")) as Body).ess.groups).toHaveLength(2);
  });

  it("refuses a file whose ESS section is corrupt, naming the section, the record and the field", async () => {
    const file = join(dir, "corrupt-ess.json");
    const first = await startEmulator({ clock: new ManualClock(), stateFile: file, fixture: false });
    await first.stop();
    const saved = JSON.parse(readFileSync(file, "utf8")) as Body;
    saved.ess.groups = [{ id: "asg-bad" }];
    writeFileSync(file, JSON.stringify(saved));
    const failure = await startEmulator({ stateFile: file }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(StateFileError);
    expect((failure as Error).message).toContain('ess: groups[0] (asg-bad): field "name" is missing (expected string)');
  });
});
