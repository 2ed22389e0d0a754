import { unknownCheckingProxy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  BRIDGED_REFRESH_TYPE,
  INSTANCE_REFRESH_TYPE,
  SCALING_GROUP_TYPE,
  UNKNOWN,
  UNKNOWN_SENTINELS,
  isUnknown,
  readRefresh,
  readScalingGroup,
  stackFromUrn,
  toPlain,
} from "../../policies/resources";
import { ALL_UNKNOWN_SENTINELS, UNKNOWN_VALUE, bridgedProps, change, happyProps, scalingGroupProps } from "./fakeArgs";

describe("unknown values", () => {
  it("knows every sentinel @pulumi/policy knows", () => {
    expect(ALL_UNKNOWN_SENTINELS.length).toBeGreaterThanOrEqual(7);
    expect([...UNKNOWN_SENTINELS].sort()).toEqual([...ALL_UNKNOWN_SENTINELS].sort());
  });

  it("the proxy throws on unknown values, which is what toPlain guards against", () => {
    const proxied = unknownCheckingProxy({ a: UNKNOWN_VALUE.number }) as Record<string, unknown>;
    expect(() => proxied.a).toThrow(/can't be known during preview/);
  });

  it("toPlain replaces unknowns at any depth, through the proxy, and keeps known values", () => {
    const props = {
      a: UNKNOWN_VALUE.string,
      b: { c: UNKNOWN_VALUE.object, d: [1, UNKNOWN_VALUE.number, { e: "x" }] },
      f: null,
      g: false,
    };
    const expected = { a: UNKNOWN, b: { c: UNKNOWN, d: [1, UNKNOWN, { e: "x" }] }, f: null, g: false };
    expect(toPlain(unknownCheckingProxy(props))).toEqual(expected);
    expect(toPlain(props)).toEqual(expected);
    expect(toPlain(UNKNOWN_VALUE.array)).toBe(UNKNOWN);
  });

  it("isUnknown recognizes the symbol and raw sentinels only", () => {
    expect(isUnknown(UNKNOWN)).toBe(true);
    expect(isUnknown(UNKNOWN_VALUE.boolean)).toBe(true);
    expect(isUnknown("asg-9dn1a5y6")).toBe(false);
    expect(isUnknown(undefined)).toBe(false);
  });
});

describe("readRefresh", () => {
  it("reads an InstanceRefresh", () => {
    const view = readRefresh(INSTANCE_REFRESH_TYPE, unknownCheckingProxy(change(happyProps(), "instanceCounts", { total: 6 })));
    expect(view).toMatchObject({
      kind: "InstanceRefresh",
      groupId: "asg-9dn1a5y6",
      refreshMode: "ROLLING_UPDATE_RESET",
      batchNumber: 3,
      batchPause: "FIRST_BATCH_PAUSE",
      maxSurge: 1,
      failProcess: "AUTO_PAUSE",
      checkInstanceTargetHealth: true,
      instanceTotal: 6,
    });
  });

  it.each(["object", "array"] as const)("reads a bridged StartInstanceRefresh with %s blocks into the same shape", (form) => {
    const view = readRefresh(BRIDGED_REFRESH_TYPE, unknownCheckingProxy(bridgedProps(form)));
    expect(view).toMatchObject({ kind: "StartInstanceRefresh", batchNumber: 3, maxSurge: 1, checkInstanceTargetHealth: true });
    expect(view?.inputs).toEqual(happyProps());
  });

  it("propagates an unknown block to its settings", () => {
    const view = readRefresh(BRIDGED_REFRESH_TYPE, change(bridgedProps(), "refreshSettings", UNKNOWN_VALUE.array));
    expect(view?.batchNumber).toBe(UNKNOWN);
    expect(view?.checkInstanceTargetHealth).toBe(UNKNOWN);
  });

  it("ignores other types and tolerates missing settings", () => {
    expect(readRefresh(SCALING_GROUP_TYPE, {})).toBeUndefined();
    expect(readRefresh(INSTANCE_REFRESH_TYPE, {})).toMatchObject({ batchNumber: undefined, groupId: undefined });
  });
});

describe("readScalingGroup", () => {
  const read = (overrides: Record<string, unknown>) =>
    readScalingGroup({ type: SCALING_GROUP_TYPE, urn: "urn:x", name: "web", props: unknownCheckingProxy(scalingGroupProps(overrides)) });

  it("reads id, capacity and load balancers", () => {
    expect(read({})).toEqual({ urn: "urn:x", name: "web", id: "asg-9dn1a5y6", desiredCapacity: 6, maxSize: 10, behindLoadBalancer: false });
    expect(read({ loadBalancerIds: ["lb-1"] })?.behindLoadBalancer).toBe(true);
    expect(read({ forwardBalancerIds: [{ loadBalancerId: "lb-1" }], loadBalancerIds: UNKNOWN_VALUE.array })?.behindLoadBalancer).toBe(true);
    expect(read({ forwardBalancerIds: UNKNOWN_VALUE.array })?.behindLoadBalancer).toBe(UNKNOWN);
    expect(read({ forwardBalancerIds: undefined, loadBalancerIds: undefined })?.behindLoadBalancer).toBe(false);
  });

  it("ignores other types", () => {
    expect(readScalingGroup({ type: INSTANCE_REFRESH_TYPE, urn: "u", name: "n", props: {} })).toBeUndefined();
  });
});

describe("stackFromUrn", () => {
  it("reads the stack of a URN", () => {
    expect(stackFromUrn("urn:pulumi:prod::shop::pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh::web")).toBe("prod");
    expect(stackFromUrn("garbage")).toBeUndefined();
  });
});
