import { describe, expect, test } from "vitest";
import { UNKNOWN_VALUE, checkInputs, diffInputs } from "../../provider/tencentcloud/check";
import { resolveConfig } from "../../provider/tencentcloud/config";
import { normalizeInputs } from "../../provider/tencentcloud/settings";
import { baseline, withRolling } from "./helpers";

const ID = "asr-00000001";
const PROVIDER = { __provider: "exports.handler = ...v1" };

/** Old state: the checked baseline plus the outputs of a refresh in `status`. */
function state(status = "SUCCESSFUL", currentBatch = 3, inputs = baseline()) {
  return { ...normalizeInputs(inputs), ...PROVIDER, refreshActivityId: ID, status, currentBatch, batchCount: 3 } as Record<string, unknown>;
}
const news = (inputs = baseline(), provider = PROVIDER) => ({ ...(checkInputs({ ...inputs, ...provider } as never).inputs as Record<string, unknown>) });

describe("diff", () => {
  test("nothing changed → no changes", () => {
    expect(diffInputs(ID, state(), news())).toEqual({ changes: false });
  });

  test("only __provider changed (a package upgrade) → no changes: nothing is started, paused or resumed", () => {
    expect(diffInputs(ID, state(), news(baseline(), { __provider: "exports.handler = ...v2" }))).toEqual({ changes: false });
  });

  test("defaults written out explicitly are no change", () => {
    const explicit = withRolling({ batchPause: "AUTOMATIC", maxSurge: 0, failProcess: "AUTO_PAUSE" }, { paused: false, resumeMode: "RETRY", approvedBatches: 0, triggers: {} });
    expect(diffInputs(ID, state(), news(explicit))).toEqual({ changes: false });
  });

  test.each([
    ["autoScalingGroupId", baseline({ autoScalingGroupId: "asg-h7tgd87d" })],
    ["refreshMode", baseline({ refreshMode: "ROLLING_UPDATE_REPLACE" })],
    ["refreshSettings", withRolling({ batchNumber: 2 })],
    ["refreshSettings", withRolling({ failProcess: "AUTO_ROLLBACK" })],
    ["refreshSettings", baseline({ refreshSettings: { rollingUpdateSettings: { batchNumber: 3 }, checkInstanceTargetHealth: true } })],
    ["triggers", baseline({ triggers: { launchConfiguration: "asc-2" } })],
    ["region", baseline({ region: "ap-shanghai" })],
    ["adoptActivityId", baseline({ adoptActivityId: "asr-99999999" })],
  ])("%s changed → replace, delete before create", (key, inputs) => {
    expect(diffInputs(ID, state(), news(inputs))).toEqual({ changes: undefined, replaces: [key], deleteBeforeReplace: true });
  });

  test("an unknown trigger at preview → replace", () => {
    expect(diffInputs(ID, state(), { ...news(), triggers: { version: UNKNOWN_VALUE } }).replaces).toEqual(["triggers"]);
  });

  test.each([
    ["paused", baseline({ paused: true })],
    ["resumeMode", baseline({ resumeMode: "CONTINUE" })],
    ["approvedBatches", baseline({ approvedBatches: 1 })],
    ["wait", baseline({ wait: { until: "started", timeoutSeconds: 30 } })],
  ])("%s changed → in-place update with per-property diff left to the engine", (_key, inputs) => {
    expect(diffInputs(ID, state("RUNNING", 1), news(inputs))).toEqual({ changes: undefined });
  });

  test("adopting its own activity is no replacement", () => {
    expect(diffInputs(ID, state(), news(baseline({ adoptActivityId: ID }))).replaces).toBeUndefined();
  });

  test.each([
    ["MANUAL_PAUSE with paused false → update (resume)", "MANUAL_PAUSE", 1, baseline()],
    ["FAILED_PAUSE with paused false → update (resume with resumeMode)", "FAILED_PAUSE", 2, baseline()],
    ["AUTO_PAUSE at batch 1 with approvedBatches 1 → update (pass the gate)", "AUTO_PAUSE", 1, baseline({ approvedBatches: 1 })],
    ["RUNNING with paused true → update (stop)", "RUNNING", 1, baseline({ paused: true })],
    ["RUNNING while waiting until settled → update (wait again)", "RUNNING", 1, baseline()],
  ])("unchanged inputs but %s", (_name, status, batch, inputs) => {
    const olds = state(status, batch, inputs);
    expect(diffInputs(ID, olds, news(inputs))).toEqual({ changes: true });
  });

  test.each([
    ["AUTO_PAUSE at batch 2 with approvedBatches 1", "AUTO_PAUSE", 2, baseline({ approvedBatches: 1 })],
    ["MANUAL_PAUSE with paused true", "MANUAL_PAUSE", 1, baseline({ paused: true })],
    ["CANCELLED", "CANCELLED", 1, baseline()],
    ["RUNNING with wait until started", "RUNNING", 1, baseline({ wait: { until: "started" } })],
  ])("unchanged inputs and %s → no changes", (_name, status, batch, inputs) => {
    expect(diffInputs(ID, state(status, batch, inputs), news(inputs))).toEqual({ changes: false });
  });

  describe("rollback: true, decided from what state recorded (recordedActivityOf)", () => {
    const rollback = baseline({ rollback: true });
    const recorded = (status: string, outputs: Record<string, unknown>, inputs = baseline()) => ({ ...state(status, 3, inputs), ...outputs });

    test("refused at preview for a CANCELLED refresh, naming the input", () => {
      expect(() => diffInputs(ID, recorded("CANCELLED", { instanceCounts: { successful: 2, failed: 0 } }), news(rollback))).toThrow(
        /^rollback: refresh asr-00000001 on asg-\w+ cannot be rolled back: it was CANCELLED/,
      );
    });

    test("refused at preview when state counts no refreshed instance", () => {
      expect(() => diffInputs(ID, recorded("MANUAL_PAUSE", { instanceCounts: { successful: 0, failed: 0 } }), news(rollback))).toThrow(
        /nothing to roll back: no instance has been refreshed yet \(status MANUAL_PAUSE\)/,
      );
    });

    test("unchanged inputs and a recorded rollback still RUNNING → update (wait for it)", () => {
      const olds = recorded("SUCCESSFUL", { rollbackActivityId: "asr-r0llback", rollbackStatus: "RUNNING" }, rollback);
      expect(diffInputs(ID, olds, news(rollback))).toEqual({ changes: true });
    });

    test("unchanged inputs and a recorded rollback that ended → no changes", () => {
      const olds = recorded("SUCCESSFUL", { rollbackActivityId: "asr-r0llback", rollbackStatus: "SUCCESSFUL" }, rollback);
      expect(diffInputs(ID, olds, news(rollback))).toEqual({ changes: false });
    });
  });
});

describe("check", () => {
  test("returns the inputs normalized, __provider kept", () => {
    const { inputs, failures } = checkInputs({ ...baseline(), ...PROVIDER } as never);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...normalizeInputs(baseline()), ...PROVIDER });
  });

  test.each([
    [{ autoScalingGroupId: "group-1" }, "autoScalingGroupId", 'autoScalingGroupId must look like "asg-9dn1a5y6"'],
    [{ refreshMode: "ROLLING" }, "refreshMode", "refreshMode must be one of ROLLING_UPDATE_RESET, ROLLING_UPDATE_REPLACE"],
    [{ resumeMode: "SKIP" }, "resumeMode", "resumeMode must be one of RETRY, CONTINUE"],
    [{ approvedBatches: -1 }, "approvedBatches", "approvedBatches must be an integer from 0 to 2000; got -1"],
    [{ wait: { until: "forever" } }, "wait.until", "wait.until must be one of started, settled"],
    [{ triggers: { v: 1 } }, "triggers.v", "triggers.v must be a string; got 1"],
    [{ paused: "yes" }, "paused", 'paused must be true or false; got "yes"'],
    [{ colour: "red" }, "colour", "colour is not a known property"],
  ])("rejects %j naming %s", (override, property, reason) => {
    const { failures } = checkInputs({ ...baseline(), ...override } as never);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toContain(reason);
  });

  test("rejects a missing batchNumber by its dotted path", () => {
    const { failures } = checkInputs({ autoScalingGroupId: "asg-9dn1a5y6", refreshSettings: { rollingUpdateSettings: {} } });
    expect(failures).toEqual([{ property: "refreshSettings.rollingUpdateSettings.batchNumber", reason: "refreshSettings.rollingUpdateSettings.batchNumber is required" }]);
  });

  test("skips unknown values at preview and leaves the inputs as given", () => {
    const given = { ...baseline(), autoScalingGroupId: UNKNOWN_VALUE };
    const { inputs, failures } = checkInputs(given as never);
    expect(failures).toEqual([]);
    expect(inputs).toEqual(given);
  });
});

describe("config", () => {
  test("stack config wins over environment variables", () => {
    const cfg = resolveConfig((k) => ({ "tencentcloud:secretId": "AKIDcfg", "tencentcloud:secretKey": "keycfg" })[k], {
      TENCENTCLOUD_SECRET_ID: "AKIDenv",
      TENCENTCLOUD_SECRET_KEY: "keyenv",
      TENCENTCLOUD_REGION: "ap-beijing",
    });
    expect(cfg).toMatchObject({ credentials: { secretId: "AKIDcfg", secretKey: "keycfg" }, region: "ap-beijing", endpoint: "https://as.tencentcloudapi.com", pollIntervalMs: 1000 });
  });

  test("environment variables fill in, session token included", () => {
    const cfg = resolveConfig(() => undefined, { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b", TENCENTCLOUD_SESSION_TOKEN: "t", INSTANCE_REFRESH_ENDPOINT: "http://127.0.0.1:1" });
    expect(cfg).toMatchObject({ credentials: { secretId: "a", secretKey: "b", token: "t" }, endpoint: "http://127.0.0.1:1" });
  });

  test("no credentials → undefined (the API-calling operations then explain)", () => {
    expect(resolveConfig(() => undefined, {}).credentials).toBeUndefined();
  });

  test("a bad poll interval is rejected naming the key", () => {
    expect(() => resolveConfig((k) => (k === "instanceRefresh:pollIntervalMs" ? "soon" : undefined), {})).toThrow(/instanceRefresh:pollIntervalMs/);
  });
});
