/**
 * The policy pack through the real Pulumi CLI and engine, loaded from an installed copy of the
 * package exactly as the README's command names it (`node_modules/pulumi-instance-refresh/policies`),
 * on the scenario program of `fixtures/program` (InstanceRefresh-typed resources, no cloud): the
 * shipped configs, shared settings set once, and config mistakes stopped before any resource is
 * checked, each named — or, where the engine owns the mistake, what the engine does.
 *
 * Needs the CLI (`scripts/with-tools`) and a fresh `scripts/build.sh`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertFreshBuild, installedPackageDir } from "../helpers/buildStamp";
import { REPO_ROOT, expectFailure, expectOk, requirePulumiCli, type PulumiResult } from "../helpers/pulumi";
import { createStack, type TestStack } from "../helpers/scenario";

/** A handful of real `pulumi preview` runs. */
const SUITE_TIMEOUT_MS = 300_000;
/** The README's paths, relative to the project directory. */
const PACK = "node_modules/pulumi-instance-refresh/policies";
const PRODUCTION_CONFIG = `${PACK}/config/production.json`;
const DEV_CONFIG = `${PACK}/config/dev.json`;
const FIXTURE = path.join(__dirname, "fixtures", "program");

let stack: TestStack;

beforeAll(async () => {
  requirePulumiCli();
  assertFreshBuild(REPO_ROOT);
  stack = await createStack({
    prefix: "policy-cli",
    program: { name: "policy-fixture", files: { "index.js": fs.readFileSync(path.join(FIXTURE, "index.js"), "utf8") }, runtimeOptions: { typescript: false } },
  });
  // `npm install pulumi-instance-refresh`: a copy of the installed package in the project's node_modules.
  fs.cpSync(installedPackageDir(REPO_ROOT), path.join(stack.work.dir, "node_modules", "pulumi-instance-refresh"), { recursive: true });
}, SUITE_TIMEOUT_MS);

afterAll(() => stack?.remove());

/** `pulumi preview --diff` of `scenario` with the pack and `config` (a file path, or an object written to one). */
async function preview(scenario: string, config: string | object): Promise<PulumiResult & { output: string }> {
  await stack.config({ scenario });
  let file = config;
  if (typeof config !== "string") {
    file = path.join(stack.work.dir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config));
  }
  const result = await stack.run(["preview", "--diff", "--policy-pack", PACK, "--policy-pack-config", file as string]);
  return { ...result, output: result.stdout + result.stderr };
}

/** What the engine prints when the pack refuses its config: before any resource is checked, without a stack trace. */
function expectConfigRefused(result: PulumiResult & { output: string }, message: string): void {
  expectFailure(result);
  expect(result.output).toContain('error: configuring policy pack "instance-refresh-safety"');
  expect(result.output).toContain(message);
  expect(result.output).not.toContain("web-refresh create");
  expect(result.output).not.toMatch(/^\s+at /m);
}

describe("the pack from an installed package, with the README's command", () => {
  it(
    "passes a safe rollout with the shipped production and dev configs",
    async () => {
      expectOk(await preview("happy", PRODUCTION_CONFIG));
      expectOk(await preview("happy", DEV_CONFIG));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "checks group sizes set once in instance-refresh-shared-config, with every size-dependent policy",
    async () => {
      const config = { "instance-refresh-shared-config": { groupSizes: { "asg-9dn1a5y6": 6 } } };
      const result = expectFailure(await preview("too-many-batches", config));
      expect(result.stdout).toContain("instance-refresh-batch-number-within-group");
      expect(result.stdout).toContain("batchNumber 7 is above the group's 6 instances");
      // Without the size, the same rollout passes: nothing to compare with.
      expectOk(await preview("too-many-batches", {}));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "advises a rollout that can be rolled back in a stack made production once, in instance-refresh-shared-config",
    async () => {
      // The fixture's stack is named "test"; the happy rollout pauses (AUTO_PAUSE) on failure.
      const result = expectOk(await preview("happy", { "instance-refresh-shared-config": { productionStackPattern: "^test$" } }));
      expect(result.stdout).toContain("[advisory]  instance-refresh-production-rollback");
      expect(result.stdout).toContain("refreshSettings.rollingUpdateSettings.failProcess AUTO_PAUSE pauses the refresh on the first failure");
      expect(result.stdout).toContain("use AUTO_ROLLBACK (policy config acceptedFailProcesses)");
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "checks Alibaba Cloud ESS refreshes with the same pack, and one normal-form limit for both clouds",
    async () => {
      expectOk(await preview("ess-happy", PRODUCTION_CONFIG));
      const result = expectFailure(await preview("ess-unsafe", { "instance-refresh-rollout-limits": { maxUnavailable: "25%" } }));
      expect(result.stdout).toContain("[mandatory]  instance-refresh-min-healthy");
      expect(result.stdout).toContain(
        'AlicloudInstanceRefresh "ess-refresh": minHealthyPercentage 30 is below the minimum of 50 (policy config minHealthyPercentage)',
      );
      expect(result.stdout).toContain('minHealthyPercentage 30 lets 100 − 30 = 70% of the group\'s capacity be out of service at once, above maxUnavailable "25%"');
      expect(result.stdout).toContain("[advisory]  instance-refresh-skip-matching");
      // The engine hands stack policies the resources in its own order: either refresh may be the one reported.
      expect(result.stdout).toMatch(
        /AlicloudInstanceRefresh "ess-refresh(-b)?": 2 refreshes target scaling group asg-bp1a2b3c4d5e6f7g8h9i \(.*\), but a group runs one instance refresh task at a time/,
      );
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "refuses a misspelt config key, naming it and the allowed keys",
    async () => {
      const result = await preview("happy", { "instance-refresh-min-batches": { minBatchNumbr: 3 } });
      expectConfigRefused(
        result,
        'instance-refresh-min-batches: unknown config key "minBatchNumbr" (did you mean "minBatchNumber"?); allowed: enforcementLevel, minBatchNumber, groupSizes',
      );
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "refuses an unknown policy name given a level, which the engine passes on silently",
    async () => {
      const result = await preview("happy", { "instance-refresh-min-batch": "mandatory" });
      expectConfigRefused(result, 'unknown policy "instance-refresh-min-batch" (did you mean "instance-refresh-min-batches"?)');
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "leaves an unknown policy name without a level to the engine, which refuses it without naming it",
    async () => {
      // The engine refuses to send an entry without an enforcement level to any pack (CLI v3.276).
      const result = expectFailure(await preview("happy", { "instance-refresh-min-batch": { minBatchNumber: 3 } }));
      expect(result.output).toContain('error: configuring policy pack "instance-refresh-safety"');
      expect(result.output).toContain('invalid enforcement level ""');
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "refuses a productionStackPattern that does not compile before checking any resource",
    async () => {
      const result = await preview("no-pause", { "instance-refresh-shared-config": { productionStackPattern: "(prod" } });
      expectConfigRefused(result, 'instance-refresh-shared-config: productionStackPattern "(prod" is not a valid regular expression');
    },
    SUITE_TIMEOUT_MS,
  );
});
