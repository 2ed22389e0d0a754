import { describe, expect, it } from "vitest";
import { allowedBatchSize, maxBatchSize, minBatchesForPercent } from "../../policies/batchSize";
import {
  GROUP_ID,
  UNKNOWN_VALUE,
  bridged,
  bridgedProps,
  change,
  happyProps,
  refresh,
  scalingGroup,
  stackMessages,
  type FakeArgsOptions,
  type FakeResource,
} from "./fakeArgs";

const BATCH_NUMBER = "refreshSettings.rollingUpdateSettings.batchNumber";
const withBatches = (n: unknown) => change(happyProps(), BATCH_NUMBER, n);
const check = (resources: FakeResource[], options: FakeArgsOptions = {}) => stackMessages(maxBatchSize, resources, options);

describe("allowedBatchSize / minBatchesForPercent", () => {
  it("rounds the share down but never below one instance", () => {
    expect(allowedBatchSize(5, 50)).toBe(2);
    expect(allowedBatchSize(1, 50)).toBe(1);
    expect(allowedBatchSize(10, 25)).toBe(2);
    expect(allowedBatchSize(4, 100)).toBe(4);
  });

  it("finds the fewest batches that fit", () => {
    expect(minBatchesForPercent(5, 50)).toBe(3);
    expect(minBatchesForPercent(6, 50)).toBe(2);
    expect(minBatchesForPercent(10, 25)).toBe(5);
    expect(minBatchesForPercent(1, 50)).toBe(1);
  });
});

describe("instance-refresh-max-batch-size", () => {
  it("is mandatory", () => {
    expect(maxBatchSize.enforcementLevel).toBe("mandatory");
  });

  it("accepts the happy path (3 batches of 2 in 6 instances)", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh")])).toEqual([]);
  });

  it("accepts batches of exactly maxBatchPercent", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh", withBatches(2))])).toEqual([]);
  });

  it("rejects a batch above maxBatchPercent, naming value, limit and a fix", async () => {
    expect(await check([scalingGroup("web", { desiredCapacity: 5 }), refresh("web-refresh", withBatches(2))])).toEqual([
      'InstanceRefresh "web-refresh": batchNumber 2 makes the largest batch 3 of the group\'s 5 instances (60%, group size from ' +
        'scaling group "web" in this stack (desiredCapacity)), above the maximum of 50% (policy config maxBatchPercent); use batchNumber 3 or more',
    ]);
  });

  it("honours config maxBatchPercent", async () => {
    const messages = await check([scalingGroup("web"), refresh("web-refresh")], { config: { maxBatchPercent: 25 } });
    expect(messages).toEqual([expect.stringContaining("above the maximum of 25% (policy config maxBatchPercent); use batchNumber 6 or more")]);
    expect(await check([scalingGroup("web"), refresh("web-refresh", withBatches(2))], { config: { maxBatchPercent: 100 } })).toEqual([]);
  });

  it("uses config groupSizes before the stack's scaling group", async () => {
    const resources = [scalingGroup("web"), refresh("web-refresh", withBatches(2))];
    expect(await check(resources)).toEqual([]);
    const messages = await check(resources, { config: { groupSizes: { [GROUP_ID]: 5 } } });
    expect(messages).toEqual([expect.stringContaining(`largest batch 3 of the group's 5 instances (60%, group size from policy config groupSizes["${GROUP_ID}"])`)]);
  });

  it("uses maxSize when the scaling group has no desired capacity", async () => {
    const group = scalingGroup("web", { desiredCapacity: undefined, maxSize: 11 });
    expect(await check([group, refresh("web-refresh", withBatches(2))])).toEqual([
      expect.stringContaining('largest batch 6 of the group\'s 11 instances (55%, group size from scaling group "web" in this stack (maxSize))'),
    ]);
  });

  it("does not fall back to maxSize while the desired capacity is unknown", async () => {
    const group = scalingGroup("web", { desiredCapacity: UNKNOWN_VALUE.number, maxSize: 10 });
    expect(await check([group, refresh("web-refresh")])).toEqual([]);
  });

  it("matches a new scaling group by dependency while both ids are unknown", async () => {
    const group = scalingGroup("web", { id: UNKNOWN_VALUE.string, desiredCapacity: 4 });
    const props = change(withBatches(1), "autoScalingGroupId", UNKNOWN_VALUE.string);
    const messages = await check([group, refresh("web-refresh", props, { autoScalingGroupId: ["web"] })]);
    expect(messages).toEqual([expect.stringContaining("largest batch 4 of the group's 4 instances (100%")]);
  });

  it("does not guess between several scaling groups", async () => {
    const a = scalingGroup("a", { id: UNKNOWN_VALUE.string });
    const b = scalingGroup("b", { id: UNKNOWN_VALUE.string });
    const props = change(withBatches(1), "autoScalingGroupId", UNKNOWN_VALUE.string);
    expect(await check([a, b, refresh("web-refresh", props, { autoScalingGroupId: ["a", "b"] })])).toEqual([]);
  });

  it("says nothing when the group size is unknown", async () => {
    expect(await check([refresh("web-refresh", withBatches(1))])).toEqual([]);
  });

  it("leaves unknown, invalid and too-large batch numbers to other policies", async () => {
    for (const value of [UNKNOWN_VALUE.number, 0, "2", 7]) {
      expect(await check([scalingGroup("web"), refresh("web-refresh", withBatches(value))])).toEqual([]);
    }
  });

  it.each(["object", "array"] as const)("checks the bridged resource with %s blocks", async (form) => {
    const path = form === "object" ? BATCH_NUMBER : "refreshSettings.0.rollingUpdateSettings.0.batchNumber";
    const messages = await check([scalingGroup("web"), bridged("tf-refresh", change(bridgedProps(form), path, 1))]);
    expect(messages).toEqual([expect.stringMatching(/^StartInstanceRefresh "tf-refresh": batchNumber 1 makes the largest batch 6/)]);
  });
});
