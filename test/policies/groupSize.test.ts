import { describe, expect, it } from "vitest";
import { groupKey, groupSizeFromScalingGroup, readStack, resolveGroupSize } from "../../policies/groupSize";
import { UNKNOWN } from "../../policies/resources";
import { GROUP_ID, UNKNOWN_VALUE, change, happyProps, refresh, scalingGroup, stackArgs, type FakeResource } from "./fakeArgs";

function context(resources: FakeResource[]) {
  const stack = readStack(stackArgs(resources).resources);
  return { stack, refresh: stack.refreshes[0] };
}

describe("resolveGroupSize", () => {
  it("prefers config, then the stack's scaling group, then the outputs", () => {
    const outputs = change(happyProps(), "instanceCounts", { total: 4 });
    const { stack, refresh: r } = context([scalingGroup("web"), refresh("r", outputs)]);
    expect(resolveGroupSize(r, stack, { [GROUP_ID]: 9 })).toEqual({ count: 9, source: `policy config groupSizes["${GROUP_ID}"]` });
    expect(resolveGroupSize(r, stack, {})).toEqual({ count: 6, source: 'scaling group "web" in this stack (desiredCapacity)' });
    const alone = context([refresh("r", outputs)]);
    expect(resolveGroupSize(alone.refresh, alone.stack, {})).toEqual({ count: 4, source: "the resource's outputs (instanceCounts.total)" });
  });

  it("ignores config for other groups and unknown outputs", () => {
    const outputs = change(happyProps(), "instanceCounts", { total: UNKNOWN_VALUE.number });
    const { stack, refresh: r } = context([refresh("r", outputs)]);
    expect(resolveGroupSize(r, stack, { "asg-00000000": 3 })).toBeUndefined();
  });

  it("does not use config while the group id is unknown", () => {
    const { stack, refresh: r } = context([refresh("r", change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string))]);
    expect(resolveGroupSize(r, stack, { [GROUP_ID]: 3 })).toBeUndefined();
  });
});

describe("groupSizeFromScalingGroup", () => {
  const view = (overrides: Record<string, unknown>) => context([scalingGroup("web", overrides)]).stack.groups[0];

  it("uses desired capacity, else max size", () => {
    expect(groupSizeFromScalingGroup(view({}))?.count).toBe(6);
    expect(groupSizeFromScalingGroup(view({ desiredCapacity: undefined }))?.count).toBe(10);
    expect(groupSizeFromScalingGroup(view({ desiredCapacity: 0 }))?.count).toBe(0);
  });

  it("gives nothing while a capacity is unknown", () => {
    expect(groupSizeFromScalingGroup(view({ desiredCapacity: UNKNOWN_VALUE.number }))).toBeUndefined();
    expect(groupSizeFromScalingGroup(view({ desiredCapacity: undefined, maxSize: UNKNOWN_VALUE.number }))).toBeUndefined();
  });
});

describe("groupKey", () => {
  it("is the id, else the matched group's id or URN", () => {
    const known = context([refresh("r")]);
    expect(groupKey(known.refresh, known.stack.groups)).toBe(GROUP_ID);
    const viaGroup = context([
      refresh("r", change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string), { autoScalingGroupId: ["web"] }),
      scalingGroup("web", { id: UNKNOWN_VALUE.string }),
    ]);
    expect(viaGroup.stack.groups[0].id).toBe(UNKNOWN);
    expect(groupKey(viaGroup.refresh, viaGroup.stack.groups)).toMatch(/^urn:pulumi:.*::web$/);
  });
});
