import { describe, expect, test } from "vitest";
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import { MAX_IDS_PER_DESCRIBE, RefreshPoller } from "../../provider/tencentcloud/poller";

/** A fake API: activities by id, each call recorded. */
function fakeClient(activities: Map<string, RefreshActivity>) {
  const calls: string[][] = [];
  return {
    calls,
    describeRefreshActivities: async (req: { RefreshActivityIds?: string[] }) => {
      calls.push(req.RefreshActivityIds ?? []);
      return { RefreshActivitySet: (req.RefreshActivityIds ?? []).flatMap((id) => (activities.has(id) ? [activities.get(id)!] : [])), TotalCount: 0, RequestId: "r" };
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const ids = (n: number) => Array.from({ length: n }, (_, i) => `asr-${String(i).padStart(8, "0")}`);

describe("shared poller", () => {
  test("describes up to 100 ids per call", async () => {
    const activities = new Map(ids(250).map((id) => [id, { RefreshActivityId: id, Status: "RUNNING" }]));
    const client = fakeClient(activities);
    const poller = new RefreshPoller(client, { intervalMs: 0, sleep: async () => new Promise(() => undefined) });
    for (const id of ids(250)) poller.subscribe(id, () => undefined);
    await tick();
    expect(client.calls.map((c) => c.length)).toEqual([MAX_IDS_PER_DESCRIBE, MAX_IDS_PER_DESCRIBE, 50]);
  });

  test("notifies a subscriber first with the current state, then only on change", async () => {
    const activity: RefreshActivity = { RefreshActivityId: "asr-00000001", Status: "RUNNING" };
    const client = fakeClient(new Map([["asr-00000001", activity]]));
    const poller = new RefreshPoller(client, { intervalMs: 0, sleep: async () => void (await tick()) });
    const seen: string[] = [];
    const stop = poller.subscribe("asr-00000001", (e) => seen.push(e.activity?.Status ?? "gone"));
    for (let i = 0; i < 5; i++) await tick();
    activity.Status = "SUCCESSFUL";
    for (let i = 0; i < 5; i++) await tick();
    stop();
    expect(seen).toEqual(["RUNNING", "SUCCESSFUL"]);
  });

  test("reports an activity the API no longer returns", async () => {
    const client = fakeClient(new Map());
    const poller = new RefreshPoller(client, { intervalMs: 0, sleep: async () => new Promise(() => undefined) });
    const events: unknown[] = [];
    poller.subscribe("asr-00000009", (e) => events.push(e.activity));
    await tick();
    expect(events).toEqual([undefined]);
  });

  test("stops polling when nobody listens", async () => {
    const client = fakeClient(new Map([["asr-00000001", { RefreshActivityId: "asr-00000001" }]]));
    const poller = new RefreshPoller(client, { intervalMs: 0, sleep: async () => void (await tick()) });
    const stop = poller.subscribe("asr-00000001", () => undefined);
    await tick();
    stop();
    const before = client.calls.length;
    for (let i = 0; i < 5; i++) await tick();
    expect(client.calls.length - before).toBeLessThanOrEqual(1);
    expect(poller.watched).toEqual([]);
  });

  test("benchmark: 100 concurrent waits make at least 10x fewer describe calls than per-resource polling", async () => {
    const N = 100;
    const ROUNDS = 10;
    const activities = new Map(ids(N).map((id) => [id, { RefreshActivityId: id, Status: "RUNNING" } as RefreshActivity]));
    const shared = fakeClient(activities);
    let rounds = 0;
    const poller = new RefreshPoller(shared, {
      intervalMs: 0,
      sleep: async () => {
        rounds++;
        await tick();
      },
    });
    const stops = ids(N).map((id) => poller.subscribe(id, () => undefined));
    while (rounds < ROUNDS) await tick();
    stops.forEach((s) => s());
    const sharedCalls = shared.calls.length;
    const perResourceCalls = N * ROUNDS; // one describe per resource per round
    console.log(`poller benchmark: N=${N}, ${ROUNDS} rounds: shared ${sharedCalls} calls vs per-resource ${perResourceCalls} (${(perResourceCalls / sharedCalls).toFixed(0)}x fewer)`);
    expect(perResourceCalls / sharedCalls).toBeGreaterThanOrEqual(10);
  });
});
