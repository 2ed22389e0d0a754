import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock, StateFileError, startEmulator } from "../../emulator";
import { sdkClient } from "../helpers/emulator";

const dir = mkdtempSync(join(tmpdir(), "emulator-state-"));

describe("state file", () => {
  it("keeps groups and activities across a restart, and the activity carries on", async () => {
    const file = join(dir, "state.json");
    const clock = new ManualClock();
    const first = await startEmulator({ clock, stateFile: file, rateLimit: false, fixture: false });
    const g = await first.admin.seedGroup({ instanceCount: 4 });
    await first.admin.failInstance(g.instanceIds[3]!, "persisted failure");
    const { RefreshActivityId: id } = await sdkClient(first).StartInstanceRefresh({
      AutoScalingGroupId: g.groupId,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" } },
    });
    clock.advance(first.backend.timing.initMs + first.backend.timing.batchMs);
    expect((await first.admin.activity(id)).Status).toBe("AUTO_PAUSE");
    await first.stop();
    expect(JSON.parse(readFileSync(file, "utf8")).format).toBe("pulumi-instance-refresh-emulator-state");

    const second = await startEmulator({ clock, stateFile: file, rateLimit: false, fixture: false });
    try {
      const as = sdkClient(second);
      const before = await second.admin.activity(id);
      expect(before.Status).toBe("AUTO_PAUSE");
      expect((await second.admin.group(g.groupId)).enabledStatus).toBe("DISABLED");
      await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
      clock.advance(second.backend.timing.batchMs);
      const after = await second.admin.activity(id);
      expect(after.Status).toBe("FAILED_PAUSE");
      expect(after.RefreshBatchSet[1]!.RefreshBatchRelatedInstanceSet[1]!.InstanceStatusMessage).toBe("persisted failure");
      // new ids never collide with restored ones
      const list = await as.DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
      expect(list.TotalCount).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it("starts from the fixture when the state file does not exist yet", async () => {
    const emu = await startEmulator({ clock: new ManualClock(), stateFile: join(dir, "fresh.json") });
    try {
      expect((await emu.admin.group("asg-h7tgd87d")).instanceIds).toHaveLength(6);
    } finally {
      await emu.stop();
    }
    expect(JSON.parse(readFileSync(join(dir, "fresh.json"), "utf8")).groups).toHaveLength(4);
  });

  it("refuses a corrupt state file with an error naming the file", async () => {
    const file = join(dir, "corrupt.json");
    writeFileSync(file, '{"format": "pulumi-instance-refresh-emulator-state", "version": 1, "groups": [');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(file);
  });

  it("refuses a JSON file that is not an emulator state file", async () => {
    const file = join(dir, "other.json");
    writeFileSync(file, '{"hello": "world"}');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/other\.json.*not an emulator state file/);
  });
});

describe("state file: checked at start-up", () => {
  /** A valid state file from a real run: one group of 4 instances, a refresh paused after its first batch, a pending failure. */
  let validState: Record<string, unknown>;

  beforeAll(async () => {
    const file = join(dir, "valid.json");
    const clock = new ManualClock();
    const emu = await startEmulator({ clock, stateFile: file, rateLimit: false, fixture: false });
    const g = await emu.admin.seedGroup({ instanceCount: 4 });
    await emu.admin.failInstance(g.instanceIds[3]!, "later");
    await sdkClient(emu).StartInstanceRefresh({
      AutoScalingGroupId: g.groupId,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" } },
    });
    clock.advance(emu.backend.timing.initMs + emu.backend.timing.batchMs);
    await emu.stop();
    validState = JSON.parse(readFileSync(file, "utf8"));
  });

  /** Writes the valid state with one change (`path` dotted, numeric parts index lists; `undefined` deletes) and starts on it. */
  const startWith = async (path: string, value: unknown) => {
    const state = structuredClone(validState);
    const keys = path.split(".");
    let node = state as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    if (value === undefined) delete node[keys[keys.length - 1]!];
    else node[keys[keys.length - 1]!] = value;
    const file = join(dir, `changed-${path.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(state));
    return { file, started: startEmulator({ clock: new ManualClock(), stateFile: file, rateLimit: false }) };
  };

  it("baseline: the valid state loads and serves its refresh", async () => {
    const { started } = await startWith("savedAt", "2026-01-01T00:00:00.000Z");
    const emu = await started;
    try {
      const activity = (validState.activities as Array<{ id: string }>)[0]!;
      expect((await emu.admin.activity(activity.id)).Status).toBe("AUTO_PAUSE");
    } finally {
      await emu.stop();
    }
  });

  it.each([
    ["an activity without its settings' BatchNumber", "activities.0.settings.RollingUpdateSettings.BatchNumber", undefined, /activities\[0\] \(asr-[a-z0-9]{8}\): field "settings\.RollingUpdateSettings\.BatchNumber" is missing \(expected integer\)/],
    ["an activity without its status", "activities.0.status", undefined, /activities\[0\] \(asr-[a-z0-9]{8}\): field "status" is missing \(expected one of INIT, /],
    ["a batch instance with an unknown status", "activities.0.batches.1.instances.0.status", "LOST", /activities\[0\] \(asr-[a-z0-9]{8}\): field "batches\.1\.instances\.0\.status" must be one of WAITING, .* got "LOST"/],
    ["an instance without its group", "instances.2.groupId", undefined, /instances\[2\] \(ins-[a-z0-9]{8}\): field "groupId" is missing \(expected string\)/],
    ["a group whose size is text", "groups.0.desiredCapacity", "4", /groups\[0\] \(asg-[a-z0-9]{8}\): field "desiredCapacity" must be integer, got "4"/],
    ["a group listing an instance that is not in the file", "groups.0.instanceIds.0", "ins-gone0000", /groups\[0\] \(asg-[a-z0-9]{8}\): field "instanceIds" refers to instance ins-gone0000, which is not in the file/],
    ["an activity of a group that is not in the file", "activities.0.groupId", "asg-gone0000", /activities\[0\] \(asr-[a-z0-9]{8}\): field "groupId" refers to group asg-gone0000/],
    ["a failure mark without its count", "failures.0.1.remaining", undefined, /failures\[0\] \(ins-[a-z0-9]{8}\): field "remaining" is missing/],
  ])("refuses %s, naming the file, the record and the field", async (_what, path, value, message) => {
    const { file, started } = await startWith(path, value);
    const error = await started.then(
      (emu) => emu.stop().then(() => new Error("started")),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(message);
  });

  it("refuses a state file in a folder that does not exist, naming the folder", async () => {
    const folder = join(dir, "no-such-folder");
    await expect(startEmulator({ stateFile: join(folder, "state.json") })).rejects.toThrow(`the folder ${folder} does not exist`);
  });

  it("refuses a state file whose folder is a file", async () => {
    const notAFolder = join(dir, "plain-file");
    writeFileSync(notAFolder, "x");
    await expect(startEmulator({ stateFile: join(notAFolder, "state.json") })).rejects.toThrow(`${notAFolder} is not a folder`);
  });
});

describe("state file: the admin API's changes", () => {
  it("records groups loaded with POST /_emulator/fixture without waiting for stop", async () => {
    const file = join(dir, "fixture-route.json");
    const emu = await startEmulator({ clock: new ManualClock(), stateFile: file, rateLimit: false, fixture: false });
    try {
      const res = await fetch(`${emu.url}/_emulator/fixture`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ groups: [{ groupId: "asg-fixture1", instanceCount: 2 }] }),
      });
      expect(res.status).toBe(200);
      const written = await pollFile(file, (state) => state.groups.some((g: { id: string }) => g.id === "asg-fixture1"));
      expect(written.instances).toHaveLength(2);
    } finally {
      await emu.stop();
    }
  });
});

/** Reads the state file until `done` holds (the persister writes about 250 ms after a change); fails after 5 s. */
async function pollFile(file: string, done: (state: { groups: Array<{ id: string }>; instances: unknown[] }) => boolean) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    if (existsSync(file)) {
      const state = JSON.parse(readFileSync(file, "utf8"));
      if (done(state)) return state as { groups: Array<{ id: string }>; instances: unknown[] };
    }
    if (Date.now() > deadline) throw new Error(`${file} did not record the change within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
