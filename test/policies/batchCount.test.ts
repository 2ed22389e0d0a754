import { describe, expect, it } from "vitest";
import { batchNumberWithinGroup, minBatches } from "../../policies/batchCount";
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
} from "./fakeArgs";

const BATCH_NUMBER = "refreshSettings.rollingUpdateSettings.batchNumber";
const withBatches = (n: unknown) => change(happyProps(), BATCH_NUMBER, n);

describe("instance-refresh-min-batches", () => {
  const check = (props: Record<string, unknown>, options: FakeArgsOptions = {}, group = scalingGroup("web")) =>
    stackMessages(minBatches, [group, refresh("web-refresh", props)], options);

  it("is mandatory", () => {
    expect(minBatches.enforcementLevel).toBe("mandatory");
  });

  it("accepts the happy path", async () => {
    expect(await check(happyProps())).toEqual([]);
  });

  it("rejects one batch, naming the resource, the value and the limit", async () => {
    expect(await check(withBatches(1))).toEqual([
      'InstanceRefresh "web-refresh": batchNumber 1 is below the minimum of 2 batches: one batch refreshes the whole group at once (policy config minBatchNumber)',
    ]);
  });

  it("accepts exactly minBatchNumber", async () => {
    expect(await check(withBatches(2))).toEqual([]);
  });

  it("honours config minBatchNumber", async () => {
    const messages = await check(withBatches(3), { config: { minBatchNumber: 4 } });
    expect(messages).toEqual([
      'InstanceRefresh "web-refresh": batchNumber 3 is below the minimum of 4 batches: each of 3 batches refreshes about 1/3 of the group at once (policy config minBatchNumber)',
    ]);
  });

  it("accepts one instance per batch for a group smaller than minBatchNumber", async () => {
    const small = scalingGroup("web", { desiredCapacity: 3 });
    expect(await check(withBatches(3), { config: { minBatchNumber: 5 } }, small)).toEqual([]);
    const messages = await check(withBatches(2), { config: { minBatchNumber: 5 } }, small);
    expect(messages[0]).toContain("below the minimum of 3 batches for this 3-instance group");
  });

  it("uses config groupSizes for the small-group exception", async () => {
    const elsewhere = scalingGroup("other", { id: "asg-00000000" });
    expect(await check(withBatches(1), { config: { groupSizes: { [GROUP_ID]: 1 } } }, elsewhere)).toEqual([]);
  });

  it("leaves invalid and unknown batch numbers to other policies", async () => {
    expect(await check(withBatches(0))).toEqual([]);
    expect(await check(withBatches(1.5))).toEqual([]);
    expect(await check(withBatches(UNKNOWN_VALUE.number))).toEqual([]);
    expect(await check(change(happyProps(), "refreshSettings", UNKNOWN_VALUE.object))).toEqual([]);
  });

  it("checks the bridged StartInstanceRefresh in both block forms", async () => {
    for (const [form, path] of [
      ["object", BATCH_NUMBER],
      ["array", "refreshSettings.0.rollingUpdateSettings.0.batchNumber"],
    ] as const) {
      const messages = await stackMessages(minBatches, [bridged("tf-refresh", change(bridgedProps(form), path, 1))]);
      expect(messages).toEqual([expect.stringMatching(/^StartInstanceRefresh "tf-refresh": batchNumber 1 is below the minimum of 2 batches/)]);
    }
  });
});

describe("instance-refresh-batch-number-within-group", () => {
  const check = (resources: Parameters<typeof stackMessages>[1], options: FakeArgsOptions = {}) =>
    stackMessages(batchNumberWithinGroup, resources, options);

  it("is mandatory", () => {
    expect(batchNumberWithinGroup.enforcementLevel).toBe("mandatory");
  });

  it("accepts the happy path and exactly one instance per batch", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh")])).toEqual([]);
    expect(await check([scalingGroup("web"), refresh("web-refresh", withBatches(6))])).toEqual([]);
  });

  it("rejects more batches than instances, naming the size and its source", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh", withBatches(7))])).toEqual([
      'InstanceRefresh "web-refresh": batchNumber 7 is above the group\'s 6 instances (scaling group "web" in this stack (desiredCapacity)): ' +
        "StartInstanceRefresh would fail at up with InvalidParameterValue.BatchNumberTooLarge; use at most 6",
    ]);
  });

  it("uses config groupSizes", async () => {
    const messages = await check([refresh("web-refresh", withBatches(3))], { config: { groupSizes: { [GROUP_ID]: 2 } } });
    expect(messages).toEqual([expect.stringContaining(`above the group's 2 instances (policy config groupSizes["${GROUP_ID}"])`)]);
  });

  it("uses the InstanceRefresh's outputs", async () => {
    const props = change(withBatches(5), "instanceCounts", { total: 4, succeeded: 4 });
    expect(await check([refresh("web-refresh", props)])).toEqual([
      expect.stringContaining("above the group's 4 instances (the resource's outputs (instanceCounts.total))"),
    ]);
  });

  it("reports an empty group", async () => {
    const messages = await check([scalingGroup("web", { desiredCapacity: 0 }), refresh("web-refresh")]);
    expect(messages).toEqual([expect.stringContaining("the group has no instances to refresh")]);
  });

  it("says nothing when the group size is unknown", async () => {
    expect(await check([refresh("web-refresh", withBatches(50))])).toEqual([]);
    expect(await check([scalingGroup("web", { desiredCapacity: UNKNOWN_VALUE.number }), refresh("web-refresh", withBatches(50))])).toEqual([]);
  });

  it("checks the bridged resource", async () => {
    const props = change(bridgedProps("array"), "refreshSettings.0.rollingUpdateSettings.0.batchNumber", 9);
    expect(await check([scalingGroup("web"), bridged("tf-refresh", props)])).toEqual([
      expect.stringMatching(/^StartInstanceRefresh "tf-refresh": batchNumber 9 is above the group's 6 instances/),
    ]);
  });
});
