/**
 * The InstanceRefresh resource through the real Pulumi CLI and engine, the real SDK and the emulator:
 * `pulumi up`, pause and resume through config, replacement, failure and recovery, drift on
 * `pulumi refresh`, destroy of a running refresh, and secrets kept out of state and logs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SECRET_KEY } from "../../emulator";
import { describeResult, expectFailure, expectOk } from "../helpers/pulumi";
import { startScenario, type Scenario } from "./harness";

/** Each scenario runs several real `pulumi` commands. */
const SCENARIO_TIMEOUT_MS = 300_000;

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.cleanup();
  scenario = undefined;
});

const activitiesOf = async (s: Scenario) => {
  const requests = await s.emulator.admin.requests({ action: "StartInstanceRefresh" });
  return requests.filter((r) => r.code === "OK");
};

describe("InstanceRefresh with the real Pulumi CLI", () => {
  it(
    "refreshes every batch on `pulumi up`, then previews no changes",
    async () => {
      scenario = await startScenario({ name: "up" });
      const up = expectOk(scenario.run(["up", "--yes", "--skip-preview"]));
      expect(up.stdout).toMatch(/batch 2\/2 SUCCESSFUL/);
      const outputs = scenario.outputs();
      expect(outputs).toMatchObject({ status: "SUCCESSFUL", batchCount: 2, instanceCounts: { successful: 4, failed: 0 } });
      expectOk(scenario.run(["preview", "--expect-no-changes"]));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "pauses a running refresh when paused flips to true and resumes it when it flips back",
    async () => {
      // Batches long enough that the refresh is still in its first batch when the pause arrives.
      scenario = await startScenario({ name: "pause", instanceCount: 4, secondsPerBatch: 30 });
      const s = scenario;
      s.config({ waitUntil: "started" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const id = String(s.outputs().id);

      s.config({ paused: true });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      expect((await s.emulator.admin.activity(id)).Status).toBe("MANUAL_PAUSE");

      s.config({ paused: false, waitUntil: "settled" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      expect(s.outputs()).toMatchObject({ id, status: "SUCCESSFUL" });
      expect(await activitiesOf(s)).toHaveLength(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "replaces the refresh when a setting changes, never running two on the group at once",
    async () => {
      scenario = await startScenario({ name: "replace", instanceCount: 4, secondsPerBatch: 3 });
      const s = scenario;
      s.config({ waitUntil: "started" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const first = String(s.outputs().id);

      s.config({ batchNumber: 4, waitUntil: "settled" });
      const preview = expectOk(s.run(["preview", "--diff"]));
      expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(replace\)/);
      expect(preview.stdout).toMatch(/batchNumber\s*:\s*2\s*=>\s*4/);
      expectOk(s.run(["up", "--yes", "--skip-preview"]));

      const second = String(s.outputs().id);
      expect(second).not.toBe(first);
      expect((await s.emulator.admin.activity(first)).Status).toMatch(/SUCCESSFUL|CANCELLED/);
      expect(s.outputs()).toMatchObject({ status: "SUCCESSFUL", batchCount: 4 });
      const counters = await s.emulator.admin.counters();
      expect(counters.StartInstanceRefresh.byCode["ResourceUnavailable.AutoScalingGroupInRefreshActivity"] ?? 0).toBe(0);
      expect(await activitiesOf(s)).toHaveLength(2);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "fails `pulumi up` with the instance's message, keeps the refresh in state, and completes it on CONTINUE",
    async () => {
      scenario = await startScenario({ name: "fail", instanceCount: 4 });
      const s = scenario;
      const group = await s.emulator.admin.group(s.groupId);
      await s.emulator.admin.failInstance(group.instanceIds[0], "image img-00000001 failed to boot", { count: 100 });

      const up = expectFailure(s.run(["up", "--yes", "--skip-preview"]));
      expect(up.stdout + up.stderr).toContain("image img-00000001 failed to boot");
      expect(up.stdout + up.stderr).toContain("FAILED_PAUSE");
      const state = JSON.parse(s.exportText()) as { deployment: { resources?: { type: string; id?: string }[] } };
      const kept = state.deployment.resources?.find((r) => r.type.endsWith("InstanceRefresh"));
      expect(kept?.id, "the failed refresh stays in state").toMatch(/^asr-/);

      s.config({ resumeMode: "CONTINUE" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      expect(s.outputs()).toMatchObject({ id: kept?.id, status: "SUCCESSFUL", instanceCounts: { failed: 1 } });
      expect(await activitiesOf(s)).toHaveLength(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "shows an out-of-band pause as drift on `pulumi refresh`, and resumes it on `pulumi up`",
    async () => {
      scenario = await startScenario({ name: "drift-pause", instanceCount: 4, secondsPerBatch: 5 });
      const s = scenario;
      s.config({ waitUntil: "started" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const id = String(s.outputs().id);
      await s.emulator.admin.consolePause(id);

      const refresh = expectOk(s.run(["refresh", "--yes", "--skip-preview", "--diff"]));
      expect(refresh.stdout).toMatch(/paused\s*:\s*(false\s*=>\s*true|true\s*=>\s*false)/);
      s.config({ waitUntil: "settled" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      expect(s.outputs()).toMatchObject({ id, status: "SUCCESSFUL" });
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "records an out-of-band cancel on `pulumi refresh` and does not restart the rollout on its own",
    async () => {
      scenario = await startScenario({ name: "drift-cancel", instanceCount: 4, secondsPerBatch: 5 });
      const s = scenario;
      s.config({ waitUntil: "started" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const id = String(s.outputs().id);
      await s.emulator.admin.consoleCancel(id);

      const refresh = expectOk(s.run(["refresh", "--yes", "--skip-preview"]));
      expect(refresh.stdout + refresh.stderr).toContain(`${id}: CANCELLED`);
      const state = JSON.parse(s.exportText()) as { deployment: { resources: { id?: string; outputs?: { status?: string } }[] } };
      expect(state.deployment.resources.find((r) => r.id === id)?.outputs?.status).toBe("CANCELLED");
      expectOk(s.run(["preview", "--expect-no-changes"]));
      expect(await activitiesOf(s)).toHaveLength(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "stops, then cancels a running refresh on `pulumi destroy`",
    async () => {
      // Batches long enough that the refresh is still running when destroy arrives, even on a loaded machine.
      scenario = await startScenario({ name: "destroy", instanceCount: 4, secondsPerBatch: 12 });
      const s = scenario;
      s.config({ waitUntil: "started" });
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const id = String(s.outputs().id);

      expectOk(s.run(["destroy", "--yes", "--skip-preview"]));
      const mutations = (await s.emulator.admin.requests({})).filter(
        (r) => ["StopInstanceRefresh", "CancelInstanceRefresh"].includes(r.action) && r.code === "OK",
      );
      expect(mutations.map((r) => r.action)).toEqual(["StopInstanceRefresh", "CancelInstanceRefresh"]);
      expect((await s.emulator.admin.activity(id)).Status).toBe("CANCELLED");
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "keeps credentials out of state, outputs and logs",
    async () => {
      scenario = await startScenario({ name: "secrets" });
      const s = scenario;
      const up = expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const exported = s.exportText();
      for (const [where, text] of [
        ["stack export", exported],
        ["pulumi up output", up.stdout + up.stderr],
        ["stack outputs", JSON.stringify(s.outputs())],
      ]) {
        expect(text, where).not.toContain(DEFAULT_SECRET_KEY);
      }
      expect(describeResult(up)).not.toContain(DEFAULT_SECRET_KEY);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "reports no change when only the provider's code changed (a package upgrade)",
    async () => {
      scenario = await startScenario({ name: "upgrade" });
      const s = scenario;
      expectOk(s.run(["up", "--yes", "--skip-preview"]));
      const state = s.exportText();
      const upgraded = state.replace(/("__provider":\s*")(exports\.handler)/, "$1/* v0.2.0 */ $2");
      expect(upgraded, "the state holds a serialized provider to change").not.toBe(state);
      const file = `${s.work.dir}/upgraded-state.json`;
      require("node:fs").writeFileSync(file, upgraded);
      expectOk(s.run(["stack", "import", "--file", file]));

      const preview = expectOk(s.run(["preview", "--expect-no-changes", "--diff"]));
      expect(preview.stdout).not.toMatch(/~\s+pulumi-nodejs:dynamic/);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
