import { describe, expect, it } from "vitest";
import { onePerGroup } from "../../policies/stack";
import { INSTANCE_REFRESH_TYPE } from "../../policies/resources";
import {
  UNKNOWN_VALUE,
  bridged,
  change,
  happyProps,
  refresh,
  runStack,
  scalingGroup,
  stackArgs,
  urnOf,
  type FakeResource,
} from "./fakeArgs";

const check = (resources: FakeResource[]) => runStack(onePerGroup, stackArgs(resources));
const unknownGroup = () => change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string);

describe("instance-refresh-one-per-group", () => {
  it("is a mandatory stack policy", () => {
    expect(onePerGroup.enforcementLevel).toBe("mandatory");
    expect(typeof onePerGroup.validateStack).toBe("function");
  });

  it("accepts one refresh per group", async () => {
    const other = change(happyProps(), "autoScalingGroupId", "asg-00000000");
    expect(await check([scalingGroup("web"), refresh("a"), refresh("b", other)])).toEqual([]);
  });

  it("reports the second refresh of a group against its URN", async () => {
    expect(await check([refresh("a"), refresh("b")])).toEqual([
      {
        message:
          'InstanceRefresh "b": 2 refreshes target scaling group asg-9dn1a5y6 (InstanceRefresh "a", InstanceRefresh "b"), ' +
          "but a group runs one refresh activity at a time (AutoScalingGroupInRefreshActivity); keep one",
        urn: urnOf(INSTANCE_REFRESH_TYPE, "b"),
      },
    ]);
  });

  it("reports every extra refresh", async () => {
    expect(await check([refresh("a"), refresh("b"), refresh("c")])).toHaveLength(2);
  });

  it("counts the bridged StartInstanceRefresh with InstanceRefresh", async () => {
    const reported = await check([refresh("a"), bridged("tf")]);
    expect(reported.map((r) => r.message)).toEqual([expect.stringMatching(/^StartInstanceRefresh "tf": 2 refreshes target scaling group asg-9dn1a5y6/)]);
  });

  it("finds duplicates at preview through the scaling group the unknown id comes from", async () => {
    const group = scalingGroup("web", { id: UNKNOWN_VALUE.string });
    const reported = await check([
      group,
      refresh("a", unknownGroup(), { autoScalingGroupId: ["web"] }),
      refresh("b", unknownGroup(), { autoScalingGroupId: ["web"] }),
    ]);
    expect(reported).toHaveLength(1);
    expect(reported[0].message).toContain("target the scaling group urn:pulumi:dev::shop::tencentcloud:As/scalingGroup:ScalingGroup::web");
  });

  it("matches a known id against a dependency on the scaling group with that id", async () => {
    const reported = await check([scalingGroup("web"), refresh("a"), refresh("b", unknownGroup(), { autoScalingGroupId: ["web"] })]);
    expect(reported).toHaveLength(1);
  });

  it("never reports refreshes whose group is unknown", async () => {
    expect(await check([refresh("a", unknownGroup()), refresh("b", unknownGroup())])).toEqual([]);
  });
});
