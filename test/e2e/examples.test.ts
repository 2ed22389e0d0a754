/**
 * The shipped examples through the real CLI: the quickstart (root Pulumi.yaml, TypeScript) with its
 * preview diffs and the policy gate, the CI workflow's exact commands and the rollout plan made from
 * their real output, and the canary approval flow.
 *
 * The quickstart is deployed once; every test after that previews a change in a config file of its
 * own (`TestStack.fork`), so no test depends on what another one set, and they run concurrently.
 * TypeScript programs run transpile-only (`tsc` type-checks the examples).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { DEFAULT_FIXTURE, type Pace, type RunningEmulator } from "../../emulator";
import { parsePreview, rolloutChanges } from "../../plan";
import { expectFailure, REPO_ROOT, requirePulumiCli, type PulumiResult } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator, type TestStack } from "../helpers/scenario";

/** A test runs a handful of TypeScript `pulumi` commands. */
const TEST_TIMEOUT_MS = 240_000;
const POLICY_PACK = path.join(REPO_ROOT, "policies");
/** The pack as the CI workflow uses it: from the installed package (scripts/build.sh installs it like npm). */
const INSTALLED_POLICY_PACK = path.join(REPO_ROOT, "node_modules", "pulumi-instance-refresh", "policies");
const PRODUCTION_POLICY_CONFIG = path.join(INSTALLED_POLICY_PACK, "config", "production.json");
/** One transition per poll of the provider: rollouts end in a few polls, every batch reported. */
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };

beforeAll(() => requirePulumiCli());

/** The quickstart, deployed once (on first use) for every test of it. */
let quickstart: Promise<{ emu: RunningEmulator; stack: TestStack; up: PulumiResult }> | undefined;
function deployedQuickstart() {
  quickstart ??= (async () => {
    const emu = await startTestEmulator({ name: "e2e quickstart", fixture: DEFAULT_FIXTURE });
    await emu.admin.setPace(ONE_STEP_PER_POLL);
    const stack = await createStack({ prefix: "e2e-quickstart", projectDir: REPO_ROOT, config: emulatorConfig(emu), secrets: "passphrase" });
    return { emu, stack, up: await stack.up() };
  })();
  return quickstart;
}
afterAll(async () => {
  const q = await quickstart?.catch(() => undefined);
  q?.stack.remove();
  await q?.emu.stop();
});

describe.concurrent("quickstart (root Pulumi.yaml)", () => {
  it(
    "rolls out in three batches on `pulumi up`, reporting each; a second preview has nothing to do, and passes the policy pack",
    async () => {
      const { stack, up } = await deployedQuickstart();
      for (const batch of [1, 2, 3]) expect(up.stdout).toMatch(new RegExp(`batch ${batch}/3 RUNNING`));
      expect(up.stdout).toMatch(/batch 3\/3 SUCCESSFUL — 6\/6 instances done, 0 failed/);
      expect(await stack.outputs()).toMatchObject({ status: "SUCCESSFUL", batches: 3, instanceCounts: { successful: 6, failed: 0 } });
      const preview = await stack.must(["preview", "--expect-no-changes", "--policy-pack", POLICY_PACK]);
      expect(preview.stdout, "the pack ran").toMatch(/Policies:\s+✅ instance-refresh-safety@v0\.1\.0 \(local: [^)]*policies\)/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "previews a paused flip as an in-place update with a per-property diff",
    async () => {
      const stack = (await deployedQuickstart()).stack.fork("paused");
      await stack.config({ paused: true });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/~ pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(update\)/);
      expect(preview.stdout).toMatch(/~ paused\s*: false => true/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "previews a batchNumber change as a replace, with a per-property diff",
    async () => {
      const stack = (await deployedQuickstart()).stack.fork("replace");
      await stack.config({ batchNumber: 2 });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(replace\)/);
      expect(preview.stdout).toMatch(/~ batchNumber\s*: 3 => 2/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "runs the CI workflow's commands: a gated JSON preview (of a delete-before-replace) and a rollout plan made from it",
    async () => {
      const { stack: deployed, emu } = await deployedQuickstart();
      const stack = deployed.fork("ci");
      await stack.config({ batchNumber: 2 });
      // Same command line as examples/ci/pull-request.yml.
      const preview = await stack.run(["preview", "--json", "--policy-pack", INSTALLED_POLICY_PACK, "--policy-pack-config", PRODUCTION_POLICY_CONFIG], {
        env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
      });
      const previewFile = path.join(stack.work.dir, "preview.json");
      fs.writeFileSync(previewFile, preview.stdout);
      const record = parsePreview(preview.stdout);
      const steps = record.steps.map((step) => step.op);
      expect(steps.indexOf("delete-replaced"), "the old refresh goes first").toBeGreaterThanOrEqual(0);
      expect(steps.indexOf("delete-replaced")).toBeLessThan(steps.indexOf("create-replacement"));
      expect(rolloutChanges(record)).toEqual([expect.objectContaining({ action: "restart", groupId: "asg-h7tgd87d", batchPlan: [3, 3] })]);

      const plan = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", ".bin", "instance-refresh-plan")], {
        input: fs.readFileSync(previewFile),
        encoding: "utf8",
      });
      expect(plan.status, plan.stderr).toBe(0);
      expect(plan.stdout).toContain("`web-rollout` on `asg-h7tgd87d` — cancels the current refresh");
      expect(plan.stdout).toContain("| batches | 2 (3 + 3 instances) |");
      // The production profile requires a first-batch pause: an advisory or mandatory finding is listed.
      expect(plan.stdout).toContain("### Policy violations");
      expect(record.violations.length).toBeGreaterThan(0);
      expect(await emu.admin.requests({ action: "StartInstanceRefresh" }), "a preview starts nothing").toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "stops an unsafe rollout at preview with the policy's message (the deployed one passes: the first test)",
    async () => {
      const unsafeStack = (await deployedQuickstart()).stack.fork("unsafe");
      await unsafeStack.config({ batchNumber: 1 });
      const unsafe = expectFailure(await unsafeStack.run(["preview", "--policy-pack", POLICY_PACK]));
      expect(unsafe.stdout).toContain("instance-refresh-min-batches");
      expect(unsafe.stdout).toMatch(/batchNumber 1 is below the minimum of 2/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "canary example: stops after the first batch, shows the approval in the next preview, and finishes once approved",
    async (ctx: TestContext) => {
      const emu = await startTestEmulator({ name: "e2e canary", fixture: DEFAULT_FIXTURE });
      ctx.onTestFinished(() => emu.stop());
      await emu.admin.setPace(ONE_STEP_PER_POLL);
      const stack = await createStack({ prefix: "e2e-canary", projectDir: path.join(REPO_ROOT, "examples", "canary"), config: emulatorConfig(emu), secrets: "passphrase" });
      ctx.onTestFinished(() => stack.remove());

      await stack.up();
      expect(await stack.outputs()).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 1, batchCount: 3 });

      await stack.config({ approvedBatches: 1 });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/~ approvedBatches\s*: 0 => 1/);
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ status: "SUCCESSFUL", currentBatch: 3 });
      await stack.must(["destroy", "--yes", "--skip-preview"]);
      expect(await stack.outputs()).toEqual({});
      expect((await emu.admin.requests({ action: "ResumeInstanceRefresh" })).map((r) => r.code)).toEqual(["OK"]);
    },
    TEST_TIMEOUT_MS,
  );
});
