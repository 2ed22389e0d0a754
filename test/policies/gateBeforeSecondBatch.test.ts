/**
 * `instance-refresh-gate-before-second-batch` on the four refresh kinds: each test starts from a
 * baseline that has a gate before the second batch in a production stack, and changes one thing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE } from "../../policies/essResources";
import { gateBeforeSecondBatch } from "../../policies/gateBeforeSecondBatch";
import { BRIDGED_REFRESH_TYPE, INSTANCE_REFRESH_TYPE } from "../../policies/resources";
import { UNKNOWN_VALUE, bridgedEssProps, bridgedProps, change, essProps, happyProps, resourceArgs, runResource, type FakeArgsOptions } from "./fakeArgs";

const PROD = { stack: "prod" };
const PROD_REASON = 'stack "prod" matches productionStackPattern "^(prod|production)(-|$)"';
const GATE = { http: { url: "https://web.example.com/healthz", headers: { Authorization: "Bearer token" } }, onFailure: "rollback" };
const ROLLING = "refreshSettings.rollingUpdateSettings";

const run = (type: string, props: Record<string, unknown>, options: FakeArgsOptions = PROD) =>
  runResource(gateBeforeSecondBatch, resourceArgs(props, { ...options, type }));

describe("InstanceRefresh: the AUTO_PAUSE after batch 1, ended by gate or approvedBatches", () => {
  const label = 'InstanceRefresh "web-refresh"';
  /** The happy path pauses after batch 1 (FIRST_BATCH_PAUSE): a human gate; with `gate`, a measured one. */
  const baseline = () => ({ ...happyProps(), gate: GATE });
  const check = (props: Record<string, unknown>, options?: FakeArgsOptions) => run(INSTANCE_REFRESH_TYPE, props, options);

  it("baseline: a pause after batch 1 with a measured gate passes in production; so does the human gate alone", async () => {
    expect(await check(baseline())).toEqual([]);
    expect(await check(happyProps())).toEqual([]);
    expect(await check(change(baseline(), `${ROLLING}.batchPause`, "BATCH_INTERVAL_PAUSE"))).toEqual([]);
  });

  it("batchPause AUTOMATIC without a gate: nothing checks batch 1; names the property and the fix", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, "AUTOMATIC"))).toEqual([
      `${label}: refreshSettings.rollingUpdateSettings.batchPause AUTOMATIC does not pause after batch 1, so nothing checks it before batch 2 starts, ` +
        `and ${PROD_REASON}: set refreshSettings.rollingUpdateSettings.batchPause FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE, so the refresh waits in ` +
        "AUTO_PAUSE after batch 1 (gate set: a measured gate; otherwise approvedBatches resumes it: a human one)",
    ]);
  });

  it("batchPause unset counts as the API's AUTOMATIC", async () => {
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, undefined))).toEqual([
      expect.stringContaining(`${label}: refreshSettings.rollingUpdateSettings.batchPause unset (AUTOMATIC) does not pause after batch 1`),
    ]);
  });

  it("a gate under batchPause AUTOMATIC never runs: says so", async () => {
    expect(await check(change(baseline(), `${ROLLING}.batchPause`, "AUTOMATIC"))).toEqual([
      `${label}: gate is set but refreshSettings.rollingUpdateSettings.batchPause AUTOMATIC never pauses between batches, so the gate never runs ` +
        `and batch 2 starts unchecked, and ${PROD_REASON}: set refreshSettings.rollingUpdateSettings.batchPause FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE, ` +
        "so the gate probes the service in the AUTO_PAUSE after batch 1",
    ]);
  });

  it("one batch has no second batch: asks for two or more with a pause after the first", async () => {
    expect(await check(change(baseline(), `${ROLLING}.batchNumber`, 1))).toEqual([
      `${label}: refreshSettings.rollingUpdateSettings.batchNumber 1 has no second batch: the whole group is refreshed at once, before any gate could ` +
        `stop the rollout, and ${PROD_REASON}: use refreshSettings.rollingUpdateSettings.batchNumber 2 or more with ` +
        "refreshSettings.rollingUpdateSettings.batchPause FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE, so the rollout pauses after batch 1 " +
        "(gate set: a measured gate; otherwise approvedBatches resumes it: a human one)",
    ]);
  });

  it("says nothing outside production, or when a value is unknown at preview", async () => {
    const automatic = change(happyProps(), `${ROLLING}.batchPause`, "AUTOMATIC");
    expect(await check(automatic, {})).toEqual([]);
    expect(await check(change(happyProps(), `${ROLLING}.batchPause`, UNKNOWN_VALUE.string))).toEqual([]);
    expect(await check(change(automatic, `${ROLLING}.batchNumber`, UNKNOWN_VALUE.number))).toEqual([]);
  });
});

describe.each([
  ["object", bridgedProps("object")],
  ["one-element lists", bridgedProps("array")],
] as const)("StartInstanceRefresh (bridged, blocks as %s): the same pause, resumed by hand", (_form, props) => {
  const label = 'StartInstanceRefresh "web-refresh"';
  const rolling = (value: unknown) => {
    const copy = structuredClone(props) as { refreshSettings: unknown };
    const settings = Array.isArray(copy.refreshSettings) ? copy.refreshSettings[0] : copy.refreshSettings;
    const block = settings.rollingUpdateSettings;
    (Array.isArray(block) ? block[0] : block).batchPause = value;
    return copy as Record<string, unknown>;
  };

  it("baseline: FIRST_BATCH_PAUSE passes in production", async () => {
    expect(await run(BRIDGED_REFRESH_TYPE, props)).toEqual([]);
  });

  it("AUTOMATIC, or Terraform's empty string for unset: asks for the pause, and names InstanceRefresh for a measured gate", async () => {
    const message =
      `${label}: refreshSettings.rollingUpdateSettings.batchPause AUTOMATIC does not pause after batch 1, so nothing checks it before batch 2 starts, ` +
      `and ${PROD_REASON}: set refreshSettings.rollingUpdateSettings.batchPause FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE: the refresh then waits in ` +
      "AUTO_PAUSE after batch 1 until someone resumes it (for a measured gate, use this package's InstanceRefresh and its gate input)";
    expect(await run(BRIDGED_REFRESH_TYPE, rolling("AUTOMATIC"))).toEqual([message]);
    expect(await run(BRIDGED_REFRESH_TYPE, rolling(""))).toEqual([message.replace("batchPause AUTOMATIC", "batchPause unset (AUTOMATIC)")]);
  });
});

describe("AlicloudInstanceRefresh: a checkpoint below 100 % with a gate there", () => {
  const label = 'AlicloudInstanceRefresh "web-refresh"';
  const baseline = () => ({ ...essProps(), gate: GATE });
  const check = (props: Record<string, unknown>, options?: FakeArgsOptions) => run(ALICLOUD_INSTANCE_REFRESH_TYPE, props, options);

  it("baseline: checkpoint 20 % with a measured gate passes in production; with requireApproval too", async () => {
    expect(await check(baseline())).toEqual([]);
    expect(await check(change(baseline(), "gate.requireApproval", true))).toEqual([]);
    expect(await check(change(baseline(), "gate", UNKNOWN_VALUE.object))).toEqual([]);
  });

  it("without gate the checkpoint times out: asks for gate", async () => {
    expect(await check(change(baseline(), "gate", undefined))).toEqual([
      `${label}: checkpoints pause at 20% but gate is unset, so ESS resumes by itself after checkpointPauseTime (60 minutes) whether or not the first ` +
        `part is healthy, and ${PROD_REASON}: set gate (an HTTP probe that must stay healthy for gate.soakSeconds before the refresh resumes), ` +
        "with gate.requireApproval: true for a human approval (approvedCheckpoints) too",
    ]);
  });

  it("a first checkpoint of 100 % (or none) has no second batch", async () => {
    const message =
      `${label}: checkpoints unset has no second batch: the first checkpoint is 100%, so the whole group is refreshed before any gate could stop ` +
      `the rollout, and ${PROD_REASON}: add a checkpoint below 100%, e.g. checkpoints: [{ percentage: 20 }, { percentage: 100 }], and set gate ` +
      "(an HTTP probe that must stay healthy at the checkpoint before the rest; gate.requireApproval: true adds a human approval, approvedCheckpoints)";
    expect(await check(change(baseline(), "checkpoints", undefined))).toEqual([message]);
    expect(await check(change(baseline(), "checkpoints", [{ percentage: 100 }]))).toEqual([message.replace("checkpoints unset", "checkpoints [100]")]);
  });

  it("says nothing outside production, or when the checkpoints are unknown", async () => {
    expect(await check(change(baseline(), "gate", undefined), { stack: "dev" })).toEqual([]);
    expect(await check(change(essProps(), "checkpoints", UNKNOWN_VALUE.array))).toEqual([]);
  });
});

describe("ess.InstanceRefresh (bridged): a checkpoint below 100 %", () => {
  const label = 'ess.InstanceRefresh "web-refresh"';

  it("baseline: checkpoint 20 % passes in production (its pause is the only hold the bridged resource has)", async () => {
    expect(await run(BRIDGED_ESS_INSTANCE_REFRESH_TYPE, bridgedEssProps())).toEqual([]);
  });

  it("no checkpoint below 100 %: no second batch", async () => {
    expect(await run(BRIDGED_ESS_INSTANCE_REFRESH_TYPE, change(bridgedEssProps(), "checkpoints", []))).toEqual([
      `${label}: checkpoints unset has no second batch: the first checkpoint is 100%, so the whole group is refreshed before any gate could stop ` +
        `the rollout, and ${PROD_REASON}: add a checkpoint below 100%, e.g. checkpoints: [{ percentage: 20 }, { percentage: 100 }]`,
    ]);
  });
});

describe("config", () => {
  const automatic = change(happyProps(), `${ROLLING}.batchPause`, "AUTOMATIC");

  it("production by the policy's own pattern, or by a stack tag", async () => {
    expect(await run(INSTANCE_REFRESH_TYPE, automatic, { stack: "live", config: { productionStackPattern: "^live$" } })).toEqual([
      expect.stringContaining('and stack "live" matches productionStackPattern "^live$": set'),
    ]);
    const tagged = { stack: "eu", stackTags: { environment: "production" }, config: { productionTags: { environment: "production" } } };
    expect(await run(INSTANCE_REFRESH_TYPE, automatic, tagged)).toEqual([
      expect.stringContaining("and the stack is tagged environment=production (policy config productionTags): set"),
    ]);
  });

  it("is advisory by default, mandatory in production.json, off in dev.json", () => {
    const readJson = (path: string) => JSON.parse(readFileSync(join(__dirname, "../..", path), "utf8")) as Record<string, unknown>;
    expect(gateBeforeSecondBatch.enforcementLevel).toBe("advisory");
    expect(readJson("policies/config/production.json")["instance-refresh-gate-before-second-batch"]).toBe("mandatory");
    expect(readJson("policies/config/dev.json")["instance-refresh-gate-before-second-batch"]).toBe("disabled");
  });
});
