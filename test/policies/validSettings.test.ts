import { describe, expect, it } from "vitest";
import { validSettings } from "../../policies/validSettings";
import { BRIDGED_REFRESH_TYPE } from "../../policies/resources";
import { UNKNOWN_VALUE, bridgedProps, change, happyProps, resourceArgs, runResource } from "./fakeArgs";

const check = (props: Record<string, unknown>, type?: string) => runResource(validSettings, resourceArgs(props, { type }));
const BATCH_NUMBER = "refreshSettings.rollingUpdateSettings.batchNumber";

describe("instance-refresh-valid-settings", () => {
  it("is mandatory", () => {
    expect(validSettings.enforcementLevel).toBe("mandatory");
  });

  it("accepts the happy path", async () => {
    expect(await check(happyProps())).toEqual([]);
  });

  it("reports validateInputs violations with the resource, property and reason", async () => {
    expect(await check(change(happyProps(), BATCH_NUMBER, 0))).toEqual([
      'InstanceRefresh "web-refresh": refreshSettings.rollingUpdateSettings.batchNumber must be an integer from 1 to 2000; got 0',
    ]);
  });

  it("reports every violation, not just the first", async () => {
    let props = change(happyProps(), "refreshMode", "ROLLING");
    props = change(props, "refreshSettings.rollingUpdateSettings.failProcess", "RETRY");
    expect(await check(props)).toHaveLength(2);
  });

  it("reports a bad group id and unknown properties", async () => {
    const messages = await check(change(change(happyProps(), "autoScalingGroupId", "web"), "batchSize", 2));
    expect(messages.some((m) => m.includes("autoScalingGroupId must look like"))).toBe(true);
    expect(messages.some((m) => m.includes("batchSize is not a known property"))).toBe(true);
  });

  it("reports a missing batchNumber", async () => {
    expect(await check(change(happyProps(), BATCH_NUMBER, undefined))).toEqual([
      'InstanceRefresh "web-refresh": refreshSettings.rollingUpdateSettings.batchNumber is required',
    ]);
  });

  it("skips values unknown at preview instead of failing or reporting them", async () => {
    let props = change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string);
    props = change(props, BATCH_NUMBER, UNKNOWN_VALUE.number);
    props = change(props, "refreshSettings.checkInstanceTargetHealth", UNKNOWN_VALUE.boolean);
    expect(await check(props)).toEqual([]);
    expect(await check(change(happyProps(), "refreshSettings", UNKNOWN_VALUE.object))).toEqual([]);
  });

  it("still reports known bad values next to unknown ones", async () => {
    const props = change(change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string), BATCH_NUMBER, -1);
    expect(await check(props)).toHaveLength(1);
  });

  it("ignores other resource types", async () => {
    expect(await check(change(happyProps(), BATCH_NUMBER, 0), "tencentcloud:As/scalingGroup:ScalingGroup")).toEqual([]);
  });

  describe.each(["object", "array"] as const)("bridged StartInstanceRefresh, blocks as %s", (form) => {
    const bridgedBatchNumber =
      form === "object" ? BATCH_NUMBER : "refreshSettings.0.rollingUpdateSettings.0.batchNumber";

    it("accepts valid settings", async () => {
      expect(await check(bridgedProps(form), BRIDGED_REFRESH_TYPE)).toEqual([]);
    });

    it("reports the same violations as for an InstanceRefresh", async () => {
      expect(await check(change(bridgedProps(form), bridgedBatchNumber, 0), BRIDGED_REFRESH_TYPE)).toEqual([
        'StartInstanceRefresh "web-refresh": refreshSettings.rollingUpdateSettings.batchNumber must be an integer from 1 to 2000; got 0',
      ]);
    });

    it("treats Terraform's empty strings as unset", async () => {
      const path = form === "object" ? "refreshSettings.rollingUpdateSettings.batchPause" : "refreshSettings.0.rollingUpdateSettings.0.batchPause";
      expect(await check(change(change(bridgedProps(form), path, ""), "refreshMode", ""), BRIDGED_REFRESH_TYPE)).toEqual([]);
    });

    it("ignores bridged-only arguments such as timeouts", async () => {
      expect(await check(change(bridgedProps(form), "timeouts", { create: "10m" }), BRIDGED_REFRESH_TYPE)).toEqual([]);
    });
  });

  it("reports a bridged resource without refresh settings", async () => {
    expect(await check(change(bridgedProps(), "refreshSettings", []), BRIDGED_REFRESH_TYPE)).toEqual([
      'StartInstanceRefresh "web-refresh": refreshSettings is required',
    ]);
  });
});
