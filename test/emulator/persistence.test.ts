import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock, startEmulator } from "../../emulator";
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
