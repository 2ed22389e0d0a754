import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PRODUCTION_STACK_PATTERN } from "../../policies/config";
import { BRIDGED_REFRESH_TYPE } from "../../policies/resources";
import { productionPattern, stackName } from "../../policies/production";
import { failProcess, productionPause, productionRollback, targetHealth } from "../../policies/safety";
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

const ROLLING = "refreshSettings.rollingUpdateSettings";

describe("instance-refresh-fail-process", () => {
  const check = (props: Record<string, unknown>, options: FakeArgsOptions & { type?: string } = {}) =>
    runResource(failProcess, resourceArgs(props, options));

  it("is advisory", () => {
    expect(failProcess.enforcementLevel).toBe("advisory");
  });

  it("accepts the happy path, AUTO_ROLLBACK and an unset failProcess", async () => {
    expect(await check(happyProps())).toEqual([]);
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, "AUTO_ROLLBACK"))).toEqual([]);
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, undefined))).toEqual([]);
  });

  it("advises against AUTO_CANCEL", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, "AUTO_CANCEL"))).toEqual([
      'InstanceRefresh "web-refresh": failProcess AUTO_CANCEL cancels the refresh on the first failure: failed instances stay in standby ' +
        "and the group is left part-updated, with no resume or rollback; prefer AUTO_PAUSE or AUTO_ROLLBACK (policy config discouragedFailProcesses)",
    ]);
  });

  it("honours config discouragedFailProcesses", async () => {
    const config = { discouragedFailProcesses: ["AUTO_PAUSE"] };
    expect(await check(happyProps(), { config })).toEqual([expect.stringContaining("failProcess AUTO_PAUSE pauses the refresh")]);
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, "AUTO_CANCEL"), { config })).toEqual([]);
  });

  it("says nothing while failProcess is unknown", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, UNKNOWN_VALUE.string))).toEqual([]);
  });

  it("checks the bridged resource", async () => {
    const props = change(bridgedProps("array"), "refreshSettings.0.rollingUpdateSettings.0.failProcess", "AUTO_CANCEL");
    expect(await check(props, { type: BRIDGED_REFRESH_TYPE })).toHaveLength(1);
  });
});

describe("instance-refresh-target-health", () => {
  const check = (resources: FakeResource[], options: FakeArgsOptions = {}) => stackMessages(targetHealth, resources, options);
  const healthOff = change(happyProps(), "refreshSettings.checkInstanceTargetHealth", false);
  const behindClb = scalingGroup("web", { forwardBalancerIds: [{ loadBalancerId: "lb-12345678", listenerId: "lbl-1", targetAttributes: [] }] });

  it("is advisory", () => {
    expect(targetHealth.enforcementLevel).toBe("advisory");
  });

  it("accepts the happy path behind a load balancer", async () => {
    expect(await check([behindClb, refresh("web-refresh")])).toEqual([]);
  });

  it("advises the health check for a group behind a load balancer in the stack", async () => {
    expect(await check([behindClb, refresh("web-refresh", healthOff)])).toEqual([
      'InstanceRefresh "web-refresh": checkInstanceTargetHealth is off but scaling group "web" in this stack is behind a load balancer ' +
        "(forwardBalancerIds/loadBalancerIds): refreshed instances count as done before they pass the load balancer's health check; " +
        "set refreshSettings.checkInstanceTargetHealth to true",
    ]);
  });

  it("treats an unset health check as off and classic loadBalancerIds as a load balancer", async () => {
    const props = change(happyProps(), "refreshSettings.checkInstanceTargetHealth", undefined);
    expect(await check([scalingGroup("web", { loadBalancerIds: ["lb-abcdefgh"] }), refresh("web-refresh", props)])).toHaveLength(1);
  });

  it("says nothing for a group without load balancers", async () => {
    expect(await check([scalingGroup("web"), refresh("web-refresh", healthOff)])).toEqual([]);
  });

  it("uses config groupsBehindLoadBalancer", async () => {
    const messages = await check([refresh("web-refresh", healthOff)], { config: { groupsBehindLoadBalancer: [GROUP_ID] } });
    expect(messages).toEqual([expect.stringContaining(`group ${GROUP_ID} is behind a load balancer (policy config groupsBehindLoadBalancer)`)]);
  });

  it("says nothing while the health check or the load balancers are unknown", async () => {
    const unknownCheck = change(happyProps(), "refreshSettings.checkInstanceTargetHealth", UNKNOWN_VALUE.boolean);
    expect(await check([behindClb, refresh("web-refresh", unknownCheck)])).toEqual([]);
    const unknownLb = scalingGroup("web", { forwardBalancerIds: UNKNOWN_VALUE.array });
    expect(await check([unknownLb, refresh("web-refresh", healthOff)])).toEqual([]);
  });

  it("checks the bridged resource", async () => {
    const props = change(bridgedProps("array"), "refreshSettings.0.checkInstanceTargetHealth", false);
    expect(await check([behindClb, bridged("tf-refresh", props)])).toEqual([expect.stringMatching(/^StartInstanceRefresh "tf-refresh"/)]);
  });
});

describe("instance-refresh-production-pause", () => {
  const automatic = change(happyProps(), `${ROLLING}.batchPause`, "AUTOMATIC");
  const check = (props: Record<string, unknown>, options: FakeArgsOptions & { type?: string } = {}) =>
    runResource(productionPause, resourceArgs(props, { stack: "prod", ...options }));

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is advisory", () => {
    expect(productionPause.enforcementLevel).toBe("advisory");
  });

  it("accepts the happy path (FIRST_BATCH_PAUSE) and BATCH_INTERVAL_PAUSE in production", async () => {
    expect(await check(happyProps())).toEqual([]);
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, "BATCH_INTERVAL_PAUSE"))).toEqual([]);
  });

  it("advises a first-batch pause in a stack named production", async () => {
    expect(await check(automatic)).toEqual([
      'InstanceRefresh "web-refresh": batchPause AUTOMATIC does not stop after the first batch, and stack "prod" matches ' +
        'productionStackPattern "^(prod|production)(-|$)": use FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE to check the first batch ' +
        "before the rest (policy config acceptedBatchPauses)",
    ]);
  });

  it("treats an unset batchPause as AUTOMATIC", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, undefined))).toHaveLength(1);
  });

  it.each([
    ["prod", true],
    ["production", true],
    ["prod-eu", true],
    ["production-2", true],
    ["dev", false],
    ["preprod", false],
    ["product", false],
    ["staging", false],
  ])("stack %s is production by default: %s", async (stack, production) => {
    expect(await check(automatic, { stack })).toHaveLength(production ? 1 : 0);
  });

  it("honours config productionStackPattern", async () => {
    expect(await check(automatic, { stack: "live", config: { productionStackPattern: "^live$" } })).toHaveLength(1);
    expect(await check(automatic, { stack: "prod", config: { productionStackPattern: "^live$" } })).toEqual([]);
  });

  it("rejects an invalid productionStackPattern with a clear error", async () => {
    await expect(check(automatic, { config: { productionStackPattern: "(" } })).rejects.toThrow(/productionStackPattern "\(" is not a valid regular expression/);
  });

  it("honours config productionTags", async () => {
    const options = { stack: "eu-main", config: { productionTags: { environment: "production" } } };
    expect(await check(automatic, { ...options, stackTags: { environment: "production" } })).toEqual([
      expect.stringContaining("the stack is tagged environment=production (policy config productionTags)"),
    ]);
    expect(await check(automatic, { ...options, stackTags: { environment: "staging" } })).toEqual([]);
  });

  it("honours config acceptedBatchPauses", async () => {
    expect(await check(automatic, { config: { acceptedBatchPauses: ["AUTOMATIC"] } })).toEqual([]);
    const interval = change(happyProps(), `${ROLLING}.batchPause`, "BATCH_INTERVAL_PAUSE");
    expect(await check(interval, { config: { acceptedBatchPauses: ["FIRST_BATCH_PAUSE"] } })).toHaveLength(1);
  });

  it("says nothing while batchPause is unknown", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, UNKNOWN_VALUE.string))).toEqual([]);
  });

  it("checks the bridged resource", async () => {
    const props = change(bridgedProps("object"), `${ROLLING}.batchPause`, "AUTOMATIC");
    expect(await check(props, { type: BRIDGED_REFRESH_TYPE })).toHaveLength(1);
  });

  it("reads the stack name from the URN, else from the engine's environment", () => {
    expect(stackName("urn:pulumi:prod-eu::shop::pulumi:pulumi:Stack::shop-prod-eu")).toBe("prod-eu");
    vi.stubEnv("PULUMI_STACK", "production");
    expect(stackName("not-a-urn")).toBe("production");
  });

  it("compiles the default pattern", () => {
    expect(productionPattern(DEFAULT_PRODUCTION_STACK_PATTERN, "instance-refresh-production-pause").test("prod")).toBe(true);
  });
});

describe("instance-refresh-production-rollback", () => {
  /** The baseline: the happy path made rollback-capable (ROLLING_UPDATE_RESET, AUTO_ROLLBACK), in a stack named prod. */
  const rollbackProps = () => change(happyProps(), `${ROLLING}.failProcess`, "AUTO_ROLLBACK");
  const bridgedRollbackProps = () => change(bridgedProps("array"), "refreshSettings.0.rollingUpdateSettings.0.failProcess", "AUTO_ROLLBACK");
  const check = (props: Record<string, unknown>, options: FakeArgsOptions & { type?: string } = {}) =>
    runResource(productionRollback, resourceArgs(props, { stack: "prod", ...options }));
  const IN_PROD = 'stack "prod" matches productionStackPattern "^(prod|production)(-|$)"';
  const REPLACE_MESSAGE =
    `refreshMode ROLLING_UPDATE_REPLACE cannot be rolled back (the API's rollback does not support it), and ${IN_PROD}: ` +
    "use refreshMode ROLLING_UPDATE_RESET so a bad rollout can be rolled back";
  const AUTO_PAUSE_MESSAGE =
    `refreshSettings.rollingUpdateSettings.failProcess AUTO_PAUSE pauses the refresh on the first failure, and ${IN_PROD}: ` +
    "use AUTO_ROLLBACK (policy config acceptedFailProcesses): with AUTO_ROLLBACK the cloud rolls a failed refresh back by itself";

  it("is advisory", () => {
    expect(productionRollback.enforcementLevel).toBe("advisory");
  });

  it("accepts ROLLING_UPDATE_RESET with AUTO_ROLLBACK in production, and an unset refreshMode (ROLLING_UPDATE_RESET)", async () => {
    expect(await check(rollbackProps())).toEqual([]);
    expect(await check(change(rollbackProps(), "refreshMode", undefined))).toEqual([]);
  });

  it("advises AUTO_ROLLBACK over AUTO_PAUSE, naming the property and the accepted values", async () => {
    expect(await check(happyProps())).toEqual([`InstanceRefresh "web-refresh": ${AUTO_PAUSE_MESSAGE}`]);
  });

  it("treats an unset failProcess as AUTO_PAUSE", async () => {
    expect(await check(change(rollbackProps(), `${ROLLING}.failProcess`, undefined))).toEqual([
      `InstanceRefresh "web-refresh": ${AUTO_PAUSE_MESSAGE.replace("failProcess AUTO_PAUSE", "failProcess unset (AUTO_PAUSE)")}`,
    ]);
  });

  it("advises ROLLING_UPDATE_RESET over ROLLING_UPDATE_REPLACE, which cannot be rolled back", async () => {
    expect(await check(change(rollbackProps(), "refreshMode", "ROLLING_UPDATE_REPLACE"))).toEqual([`InstanceRefresh "web-refresh": ${REPLACE_MESSAGE}`]);
  });

  it("reports each property on its own", async () => {
    expect(await check(change(happyProps(), "refreshMode", "ROLLING_UPDATE_REPLACE"))).toEqual([
      `InstanceRefresh "web-refresh": ${REPLACE_MESSAGE}`,
      `InstanceRefresh "web-refresh": ${AUTO_PAUSE_MESSAGE}`,
    ]);
  });

  it("says nothing outside production", async () => {
    expect(await check(change(happyProps(), "refreshMode", "ROLLING_UPDATE_REPLACE"), { stack: "dev" })).toEqual([]);
  });

  it("honours config productionStackPattern and productionTags", async () => {
    expect(await check(happyProps(), { stack: "live", config: { productionStackPattern: "^live$" } })).toHaveLength(1);
    expect(await check(happyProps(), { stack: "prod", config: { productionStackPattern: "^live$" } })).toEqual([]);
    const tagged = { stack: "eu-main", config: { productionTags: { environment: "production" } } };
    expect(await check(happyProps(), { ...tagged, stackTags: { environment: "production" } })).toEqual([
      expect.stringContaining("and the stack is tagged environment=production (policy config productionTags): use AUTO_ROLLBACK"),
    ]);
    expect(await check(happyProps(), { ...tagged, stackTags: { environment: "staging" } })).toEqual([]);
  });

  it("rejects an invalid productionStackPattern with an error naming the policy", async () => {
    await expect(check(happyProps(), { config: { productionStackPattern: "(" } })).rejects.toThrow(
      /instance-refresh-production-rollback: productionStackPattern "\(" is not a valid regular expression/,
    );
  });

  it("honours config acceptedFailProcesses", async () => {
    expect(await check(happyProps(), { config: { acceptedFailProcesses: ["AUTO_ROLLBACK", "AUTO_PAUSE"] } })).toEqual([]);
    expect(await check(rollbackProps(), { config: { acceptedFailProcesses: ["AUTO_PAUSE"] } })).toEqual([
      'InstanceRefresh "web-refresh": refreshSettings.rollingUpdateSettings.failProcess AUTO_ROLLBACK rolls the refreshed instances back on the first failure, ' +
        `and ${IN_PROD}: use AUTO_PAUSE (policy config acceptedFailProcesses)`,
    ]);
  });

  it("says nothing about values that are unknown at preview or invalid (instance-refresh-valid-settings reports those)", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, UNKNOWN_VALUE.string))).toEqual([]);
    expect(await check(change(happyProps(), `${ROLLING}.failProcess`, "AUTO_ROLLBAK"))).toEqual([]);
    expect(await check(change(rollbackProps(), "refreshMode", UNKNOWN_VALUE.string))).toEqual([]);
    expect(await check(change(rollbackProps(), "refreshMode", "BLUE_GREEN"))).toEqual([]);
  });

  it("accepts the bridged StartInstanceRefresh with AUTO_ROLLBACK, blocks as lists or objects", async () => {
    expect(await check(bridgedRollbackProps(), { type: BRIDGED_REFRESH_TYPE })).toEqual([]);
    expect(await check(change(bridgedProps("object"), `${ROLLING}.failProcess`, "AUTO_ROLLBACK"), { type: BRIDGED_REFRESH_TYPE })).toEqual([]);
  });

  it("checks the bridged StartInstanceRefresh's failProcess, Terraform's \"\" counting as unset", async () => {
    expect(await check(bridgedProps("array"), { type: BRIDGED_REFRESH_TYPE })).toEqual([`StartInstanceRefresh "web-refresh": ${AUTO_PAUSE_MESSAGE}`]);
    const unset = change(bridgedRollbackProps(), "refreshSettings.0.rollingUpdateSettings.0.failProcess", "");
    expect(await check(unset, { type: BRIDGED_REFRESH_TYPE })).toEqual([
      expect.stringMatching(/^StartInstanceRefresh "web-refresh": refreshSettings\.rollingUpdateSettings\.failProcess unset \(AUTO_PAUSE\)/),
    ]);
  });

  it("checks the bridged StartInstanceRefresh's refreshMode", async () => {
    const replace = change(bridgedRollbackProps(), "refreshMode", "ROLLING_UPDATE_REPLACE");
    expect(await check(replace, { type: BRIDGED_REFRESH_TYPE })).toEqual([`StartInstanceRefresh "web-refresh": ${REPLACE_MESSAGE}`]);
  });
});

