import { describe, expect, it } from "vitest";
import { maxSurge, surgeOnReset } from "../../policies/maxSurge";
import { BRIDGED_REFRESH_TYPE } from "../../policies/resources";
import {
  GROUP_ID,
  UNKNOWN_VALUE,
  bridged,
  bridgedProps,
  change,
  happyProps,
  refresh,
  resourceArgs,
  runResource,
  scalingGroup,
  stackMessages,
  type FakeArgsOptions,
  type FakeResource,
} from "./fakeArgs";

const MAX_SURGE = "refreshSettings.rollingUpdateSettings.maxSurge";
const withSurge = (n: unknown) => change(happyProps(), MAX_SURGE, n);

describe("instance-refresh-max-surge", () => {
  const check = (resources: FakeResource[], options: FakeArgsOptions = {}) => stackMessages(maxSurge, resources, options);

  it("is mandatory", () => {
    expect(maxSurge.enforcementLevel).toBe("mandatory");
  });

  it("accepts the happy path and a surge of one whole batch", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh")])).toEqual([]);
    expect(await check([scalingGroup("web"), refresh("web-refresh", withSurge(2))])).toEqual([]);
  });

  it("rejects a surge above the first batch, naming value, limit and source", async () => {
    expect(await check([scalingGroup("web", { desiredCapacity: 5 }), refresh("web-refresh", withSurge(3))])).toEqual([
      'InstanceRefresh "web-refresh": maxSurge 3 is above the 2 instances of the first batch (5 instances in 3 batches, ' +
        'group size from scaling group "web" in this stack (desiredCapacity)): StartInstanceRefresh would fail at up with ' +
        "InvalidParameterValue.MaxSurgeTooLarge; use at most 2",
    ]);
  });

  it("uses config groupSizes", async () => {
    const messages = await check([refresh("web-refresh", withSurge(2))], { config: { groupSizes: { [GROUP_ID]: 3 } } });
    expect(messages).toEqual([expect.stringContaining("above the 1 instances of the first batch (3 instances in 3 batches")]);
  });

  it("applies the config maxSurge cost cap even when the group size is unknown", async () => {
    expect(await check([refresh("web-refresh", withSurge(12))], { config: { maxSurge: 10 } })).toEqual([
      'InstanceRefresh "web-refresh": maxSurge 12 is above the maximum of 10 extra instances (policy config maxSurge): ' +
        "surge instances are pay-as-you-go and exist for the whole refresh",
    ]);
    expect(await check([refresh("web-refresh", withSurge(10))], { config: { maxSurge: 10 } })).toEqual([]);
  });

  it("has no cost cap by default", async () => {
    expect(await check([refresh("web-refresh", withSurge(1000))])).toEqual([]);
  });

  it("reports both limits when both are exceeded", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh", withSurge(5))], { config: { maxSurge: 4 } })).toHaveLength(2);
  });

  it("skips unset, unknown and invalid surges", async () => {
    for (const value of [undefined, UNKNOWN_VALUE.number, -1, 1.5, "3"]) {
      expect(await check([scalingGroup("web"), refresh("web-refresh", withSurge(value))], { config: { maxSurge: 0 } })).toEqual([]);
    }
  });

  it("skips the per-batch check when the batch number is unknown", async () => {
    const props = change(withSurge(5), "refreshSettings.rollingUpdateSettings.batchNumber", UNKNOWN_VALUE.number);
    expect(await check([scalingGroup("web"), refresh("web-refresh", props)])).toEqual([]);
  });

  it.each(["object", "array"] as const)("checks the bridged resource with %s blocks", async (form) => {
    const path = form === "object" ? MAX_SURGE : "refreshSettings.0.rollingUpdateSettings.0.maxSurge";
    const messages = await check([scalingGroup("web"), bridged("tf-refresh", change(bridgedProps(form), path, 3))]);
    expect(messages).toEqual([expect.stringMatching(/^StartInstanceRefresh "tf-refresh": maxSurge 3 is above the 2 instances/)]);
  });
});

describe("instance-refresh-surge-on-reset", () => {
  const check = (props: Record<string, unknown>, options: FakeArgsOptions & { type?: string } = {}) =>
    runResource(surgeOnReset, resourceArgs(props, options));

  it("is advisory", () => {
    expect(surgeOnReset.enforcementLevel).toBe("advisory");
  });

  it("accepts the happy path (reset with a surge)", async () => {
    expect(await check(happyProps())).toEqual([]);
  });

  it("advises a surge for ROLLING_UPDATE_RESET without one", async () => {
    expect(await check(withSurge(0))).toEqual([
      'InstanceRefresh "web-refresh": refreshMode ROLLING_UPDATE_RESET with maxSurge 0 reinstalls instances in place, taking each batch ' +
        "out of service; set refreshSettings.rollingUpdateSettings.maxSurge to 1 or more to keep capacity during the refresh (policy config requireMaxSurge)",
    ]);
  });

  it("treats an unset mode and surge as the API defaults (RESET, 0)", async () => {
    expect(await check(change(withSurge(undefined), "refreshMode", undefined))).toHaveLength(1);
  });

  it("accepts ROLLING_UPDATE_REPLACE without a surge", async () => {
    expect(await check(change(withSurge(0), "refreshMode", "ROLLING_UPDATE_REPLACE"))).toEqual([]);
  });

  it("is off with requireMaxSurge false", async () => {
    expect(await check(withSurge(0), { config: { requireMaxSurge: false } })).toEqual([]);
  });

  it("says nothing while the mode or surge is unknown", async () => {
    expect(await check(withSurge(UNKNOWN_VALUE.number))).toEqual([]);
    expect(await check(change(withSurge(0), "refreshMode", UNKNOWN_VALUE.string))).toEqual([]);
  });

  it("checks the bridged resource", async () => {
    const props = change(bridgedProps("array"), "refreshSettings.0.rollingUpdateSettings.0.maxSurge", 0);
    expect(await check(props, { type: BRIDGED_REFRESH_TYPE })).toEqual([expect.stringMatching(/^StartInstanceRefresh "web-refresh": refreshMode/)]);
  });
});
