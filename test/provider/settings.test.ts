import { describe, expect, it } from "vitest";
import { batchSizes, normalizeInputs, validateAgainstGroup, validateInputs, type InstanceRefreshInputs } from "../../provider/tencentcloud/settings";

const UNKNOWN = Symbol("unknown");
const isUnknown = (value: unknown) => value === UNKNOWN;

/** One valid baseline; each case changes one thing. */
function baseline(): InstanceRefreshInputs {
  return {
    autoScalingGroupId: "asg-9dn1a5y6",
    refreshMode: "ROLLING_UPDATE_RESET",
    refreshSettings: {
      rollingUpdateSettings: { batchNumber: 3, batchPause: "FIRST_BATCH_PAUSE", maxSurge: 1, failProcess: "AUTO_PAUSE" },
      checkInstanceTargetHealth: true,
      checkInstanceTargetHealthTimeout: 600,
    },
    paused: false,
    resumeMode: "RETRY",
    approvedBatches: 0,
    triggers: { imageId: "img-6ns5om13" },
    wait: { until: "settled", timeoutSeconds: 600 },
    region: "ap-guangzhou",
  };
}

/** Applies `change` to a copy of the baseline (a path and a value; `undefined` deletes). */
function withChange(path: string, value: unknown): unknown {
  const inputs = JSON.parse(JSON.stringify(baseline())) as Record<string, unknown>;
  const keys = path.split(".");
  let target = inputs;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[keys[keys.length - 1]];
  else target[keys[keys.length - 1]] = value;
  return inputs;
}

describe("validateInputs", () => {
  it("accepts the baseline", () => {
    expect(validateInputs(baseline())).toEqual([]);
  });

  it.each([
    ["autoScalingGroupId", undefined, "is required"],
    ["autoScalingGroupId", "", 'must look like "asg-9dn1a5y6"'],
    ["autoScalingGroupId", "asg-TOOLONG123", 'must look like "asg-9dn1a5y6"'],
    ["autoScalingGroupId", 42, "got 42"],
    ["refreshMode", "ROLLING", "must be one of ROLLING_UPDATE_RESET, ROLLING_UPDATE_REPLACE"],
    ["refreshSettings", undefined, "is required"],
    ["refreshSettings", "fast", "must be an object"],
    ["refreshSettings.rollingUpdateSettings", undefined, "is required"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", undefined, "is required"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", 0, "must be an integer from 1 to 2000; got 0"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", -2, "got -2"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", 2.5, "got 2.5"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", 1e12, "got 1000000000000"],
    ["refreshSettings.rollingUpdateSettings.batchNumber", "3", 'got "3"'],
    ["refreshSettings.rollingUpdateSettings.batchPause", "SOMETIMES", "must be one of AUTOMATIC, FIRST_BATCH_PAUSE, BATCH_INTERVAL_PAUSE"],
    ["refreshSettings.rollingUpdateSettings.maxSurge", -1, "must be an integer from 0 to 2000"],
    ["refreshSettings.rollingUpdateSettings.failProcess", "AUTO_RETRY", "must be one of AUTO_PAUSE, AUTO_ROLLBACK, AUTO_CANCEL"],
    ["refreshSettings.rollingUpdateSettings.batchSize", 2, "is not a known property"],
    ["refreshSettings.checkInstanceTargetHealth", "yes", "must be true or false"],
    ["refreshSettings.checkInstanceTargetHealthTimeout", 59, "must be an integer from 60 to 7200"],
    ["paused", "no", "must be true or false"],
    ["resumeMode", "SKIP", "must be one of RETRY, CONTINUE"],
    ["approvedBatches", -1, "must be an integer from 0 to 2000"],
    ["triggers", "img-1", "must be a map of strings"],
    ["triggers.imageId", 7, "must be a string"],
    ["wait.until", "forever", "must be one of started, settled"],
    ["wait.timeoutSeconds", 0, "must be an integer from 1 to 86400"],
    ["region", "Guangzhou", 'must look like "ap-guangzhou"'],
    ["adoptActivityId", "asr-1", 'must look like "asr-y67t5r4e"'],
    ["color", "blue", "is not a known property"],
  ])("reports %s = %j: %s", (path, value, reason) => {
    const violations = validateInputs(withChange(path, value));
    expect(violations).toEqual([{ property: path, reason: expect.stringContaining(reason) }]);
  });

  it("skips values unknown at preview", () => {
    expect(validateInputs(withChange("refreshSettings.rollingUpdateSettings.batchNumber", UNKNOWN), { isUnknown })).toEqual([]);
    expect(validateInputs(withChange("refreshSettings", UNKNOWN), { isUnknown })).toEqual([]);
  });

  it("ignores the engine's own keys such as __provider", () => {
    expect(validateInputs({ ...baseline(), __provider: "exports.handler = …" })).toEqual([]);
  });

  it("checks batchNumber and maxSurge against the group's size when it is known", () => {
    expect(validateInputs(baseline(), { group: { instanceCount: 2 } })).toEqual([
      { property: "refreshSettings.rollingUpdateSettings.batchNumber", reason: expect.stringContaining("at most the group's 2 in-service instances") },
    ]);
  });
});

describe("validateAgainstGroup", () => {
  it("allows a surge up to the first, largest batch", () => {
    expect(validateAgainstGroup({ batchNumber: 3, maxSurge: 2 }, { instanceCount: 5 })).toEqual([]);
  });

  it("rejects a surge above the first batch, naming the batch size", () => {
    expect(validateAgainstGroup({ batchNumber: 3, maxSurge: 3 }, { instanceCount: 5 })).toEqual([
      { property: "refreshSettings.rollingUpdateSettings.maxSurge", reason: expect.stringContaining("at most the 2 instances of one batch") },
    ]);
  });

  it("says nothing when the group's size is unknown", () => {
    expect(validateAgainstGroup({ batchNumber: 50, maxSurge: 50 }, undefined)).toEqual([]);
  });
});

describe("batchSizes", () => {
  it("splits 5 instances into 3 batches as 2, 2, 1", () => {
    expect(batchSizes(5, 3)).toEqual([2, 2, 1]);
  });

  it("splits evenly when it can", () => {
    expect(batchSizes(6, 3)).toEqual([2, 2, 2]);
  });
});

describe("normalizeInputs", () => {
  it("fills in the documented defaults", () => {
    const normalized = normalizeInputs({ autoScalingGroupId: "asg-9dn1a5y6", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } });
    expect(normalized).toEqual({
      autoScalingGroupId: "asg-9dn1a5y6",
      refreshMode: "ROLLING_UPDATE_RESET",
      refreshSettings: {
        rollingUpdateSettings: { batchNumber: 2, batchPause: "AUTOMATIC", maxSurge: 0, failProcess: "AUTO_PAUSE" },
        checkInstanceTargetHealth: false,
        checkInstanceTargetHealthTimeout: 1800,
      },
      paused: false,
      resumeMode: "RETRY",
      approvedBatches: 0,
      triggers: {},
      wait: { until: "settled", timeoutSeconds: 3600 },
    });
  });
});
