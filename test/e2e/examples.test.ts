/**
 * The shipped examples through the real CLI: the quickstart (root Pulumi.yaml, TypeScript) with its
 * preview diffs and the policy gate, the CI workflow's exact commands and the rollout plan made from
 * their real output, and the canary approval flow.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { parsePreview, rolloutChanges } from "../../plan";
import { expectFailure, expectOk, makeWorkDir, pulumi, REPO_ROOT, type PulumiOptions, type WorkDir } from "../helpers/pulumi";
import { startEmulatorProcess, type EmulatorProcess } from "./harness";

/** A suite runs a dozen TypeScript `pulumi` commands. */
const SUITE_TIMEOUT_MS = 600_000;
const POLICY_PACK = path.join(REPO_ROOT, "policies");
/** The pack as the CI workflow uses it: from the installed package (scripts/build.sh installs it like npm). */
const INSTALLED_POLICY_PACK = path.join(REPO_ROOT, "node_modules", "pulumi-instance-refresh", "policies");
const PRODUCTION_POLICY_CONFIG = path.join(INSTALLED_POLICY_PACK, "config", "production.json");

/** A stack of an example project whose config file lives in the work directory, not the repository. */
function exampleStack(work: WorkDir, projectDir: string, stack: string) {
  const configFile = path.join(work.dir, `Pulumi.${stack}.yaml`);
  const run = (args: string[], options: PulumiOptions = {}) => {
    const withConfig = args[0] === "stack" ? args : [...args, "--config-file", configFile];
    return pulumi(work, [...withConfig, "--stack", stack], { cwd: projectDir, ...options });
  };
  return {
    configFile,
    run,
    set: (key: string, value: string, secret = false) => expectOk(run(["config", "set", ...(secret ? ["--secret"] : []), key, value])),
    outputs: () => JSON.parse(expectOk(run(["stack", "output", "--json"])).stdout) as Record<string, unknown>,
  };
}

async function initStack(work: WorkDir, projectDir: string, emulator: EmulatorProcess) {
  const stack = exampleStack(work, projectDir, "e2e");
  expectOk(pulumi(work, ["stack", "init", "e2e"], { cwd: projectDir }));
  // `stack init` writes the stack's encryption salt beside Pulumi.yaml (it takes no --config-file):
  // move it to the work directory so the repository stays clean.
  fs.renameSync(path.join(projectDir, "Pulumi.e2e.yaml"), stack.configFile);
  stack.set("instanceRefresh:endpoint", emulator.url);
  stack.set("instanceRefresh:pollIntervalMs", "200");
  stack.set("tencentcloud:region", "ap-guangzhou");
  stack.set("tencentcloud:secretId", DEFAULT_SECRET_ID, true);
  stack.set("tencentcloud:secretKey", DEFAULT_SECRET_KEY, true);
  return stack;
}

describe("quickstart (root Pulumi.yaml)", () => {
  let emulator: EmulatorProcess;
  let work: WorkDir;
  let stack: ReturnType<typeof exampleStack>;

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ secondsPerBatch: 0.5 });
    work = makeWorkDir("e2e-quickstart");
    stack = await initStack(work, REPO_ROOT, emulator);
  }, SUITE_TIMEOUT_MS);
  afterAll(async () => {
    if (stack) expectOk(stack.run(["destroy", "--yes", "--skip-preview"]));
    await emulator?.stop();
    work?.remove();
  }, SUITE_TIMEOUT_MS);

  it(
    "rolls out in three batches on `pulumi up`; a second preview has nothing to do",
    () => {
      expectOk(stack.run(["up", "--yes", "--skip-preview"]));
      expect(stack.outputs()).toMatchObject({ status: "SUCCESSFUL", batches: 3, instanceCounts: { successful: 6, failed: 0 } });
      expectOk(stack.run(["preview", "--expect-no-changes"]));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "previews a paused flip as an in-place update with a per-property diff",
    () => {
      stack.set("paused", "true");
      const preview = expectOk(stack.run(["preview", "--diff"]));
      expect(preview.stdout).toMatch(/~ pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(update\)/);
      expect(preview.stdout).toMatch(/~ paused\s*: false => true/);
      expectOk(stack.run(["config", "rm", "paused"]));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "previews a batchNumber change as a delete-before-replace",
    () => {
      stack.set("batchNumber", "2");
      const preview = expectOk(stack.run(["preview", "--diff"]));
      expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(replace\)/);
      expect(preview.stdout).toMatch(/~ batchNumber\s*: 3 => 2/);
      const events = stack.run(["preview", "--json"], { env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } });
      const steps = parsePreview(expectOk(events).stdout).steps.map((step) => step.op);
      expect(steps.indexOf("delete-replaced"), "the old refresh goes first").toBeGreaterThanOrEqual(0);
      expect(steps.indexOf("delete-replaced")).toBeLessThan(steps.indexOf("create-replacement"));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "runs the CI workflow's commands: a gated JSON preview and a rollout plan made from it",
    () => {
      // Same command line as examples/ci/pull-request.yml.
      const preview = stack.run(["preview", "--json", "--policy-pack", INSTALLED_POLICY_PACK, "--policy-pack-config", PRODUCTION_POLICY_CONFIG], {
        env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
      });
      const previewFile = path.join(work.dir, "preview.json");
      fs.writeFileSync(previewFile, preview.stdout);
      const record = parsePreview(preview.stdout);
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
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "stops an unsafe rollout at preview with the policy's message, and passes a safe one",
    () => {
      stack.set("batchNumber", "1");
      const unsafe = expectFailure(stack.run(["preview", "--policy-pack", POLICY_PACK]));
      expect(unsafe.stdout).toContain("instance-refresh-min-batches");
      expect(unsafe.stdout).toMatch(/batchNumber 1 is below the minimum of 2/);

      expectOk(stack.run(["config", "rm", "batchNumber"]));
      expectOk(stack.run(["preview", "--policy-pack", POLICY_PACK]));
    },
    SUITE_TIMEOUT_MS,
  );
});

describe("canary example", () => {
  let emulator: EmulatorProcess;
  let work: WorkDir;

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ secondsPerBatch: 0.5 });
    work = makeWorkDir("e2e-canary");
  });
  afterAll(async () => {
    await emulator?.stop();
    work?.remove();
  });

  it(
    "stops after the first batch, shows the approval in the next preview, and finishes once approved",
    async () => {
      const stack = await initStack(work, path.join(REPO_ROOT, "examples", "canary"), emulator);
      expectOk(stack.run(["up", "--yes", "--skip-preview"]));
      expect(stack.outputs()).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 1, batchCount: 3 });

      stack.set("approvedBatches", "1");
      const preview = expectOk(stack.run(["preview", "--diff"]));
      expect(preview.stdout).toMatch(/~ approvedBatches\s*: 0 => 1/);
      expectOk(stack.run(["up", "--yes", "--skip-preview"]));
      expect(stack.outputs()).toMatchObject({ status: "SUCCESSFUL", currentBatch: 3 });
      expectOk(stack.run(["destroy", "--yes", "--skip-preview"]));
    },
    SUITE_TIMEOUT_MS,
  );
});
