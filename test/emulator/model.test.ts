import { describe, expect, it } from "vitest";
import { ApiError, Backend, ManualClock, RealClock, batchSizes, formatTime, startEmulator } from "../../emulator";
import { EventQueue } from "../../emulator/eventQueue";

describe("batch split", () => {
  it("splits 5 instances into 3 batches as 2, 2, 1", () => {
    expect(batchSizes(5, 3)).toEqual([2, 2, 1]);
  });
  it("keeps sizes within one of each other, larger first", () => {
    expect(batchSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(batchSizes(6, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(batchSizes(7, 1)).toEqual([7]);
  });
});

describe("clock and time format", () => {
  it("formats times as YYYY-MM-DDTHH:mm:ssZ and keeps null", () => {
    expect(formatTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678))).toBe("2025-01-02T03:04:05Z");
    expect(formatTime(null)).toBeNull();
  });
  it("never moves a clock backwards", () => {
    const c = new ManualClock(1000);
    expect(() => c.set(999)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
  });
  it("lets the real clock be fast-forwarded by an offset", () => {
    const c = new RealClock();
    const before = c.now();
    c.advance(60_000);
    expect(c.now() - before).toBeGreaterThanOrEqual(60_000);
  });
});

describe("event queue", () => {
  it("pops events in time order and skips replaced ones", () => {
    const q = new EventQueue();
    q.schedule("a", 30);
    q.schedule("b", 10);
    q.schedule("a", 5);
    q.schedule("c", 20);
    q.schedule("c", null);
    expect(q.popDue(100)).toEqual({ id: "a", at: 5 });
    expect(q.popDue(100)).toEqual({ id: "b", at: 10 });
    expect(q.popDue(100)).toBeNull();
  });
});

describe("backend without HTTP", () => {
  it("runs an activity against a manual clock and raises typed errors", () => {
    const clock = new ManualClock();
    const b = new Backend({ clock, secondsPerBatch: 1 });
    const g = b.seedGroup({ instanceCount: 2 });
    const a = b.startInstanceRefresh({ AutoScalingGroupId: g.id, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } } });
    expect(() => b.startInstanceRefresh({ AutoScalingGroupId: g.id, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } })).toThrow(ApiError);
    clock.advance(5_000);
    expect(b.getActivity(a.id).status).toBe("SUCCESSFUL");
    expect(b.getGroup(g.id).activeActivityId).toBeNull();
    b.close();
  });
});

describe("real clock", () => {
  it("moves activities in real time without any request", async () => {
    const emu = await startEmulator({ secondsPerBatch: 0.05, fixture: false, rateLimit: false });
    try {
      const g = emu.backend.seedGroup({ instanceCount: 2 });
      const a = emu.backend.startInstanceRefresh({ AutoScalingGroupId: g.id, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } } });
      const deadline = Date.now() + 5_000;
      while (a.status !== "SUCCESSFUL" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(a.status).toBe("SUCCESSFUL");
      expect(a.endedAt! - a.startedAt!).toBeGreaterThanOrEqual(100);
    } finally {
      await emu.stop();
    }
  });
});
