/**
 * The rollout plan made by the installed `instance-refresh-plan` from real `pulumi preview --json`
 * output (the CI workflow's streaming form), checked against what the next `pulumi up` then really
 * sends to the emulator: an update that the recorded status triggers with unchanged inputs, a
 * `paused: true` on a refresh that already finished, and `rollback: true` on that refresh.
 *
 * Needs the CLI (`scripts/with-tools`) and a fresh `scripts/build.sh`.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { assertFreshBuild } from "../helpers/buildStamp";
import { CONFIG_DRIVEN_PROGRAM } from "../helpers/programs";
import { REPO_ROOT, expectFailure, requirePulumiCli } from "../helpers/pulumi";
import { MUTATING_ACTIONS, createStack, emulatorConfig, startTestEmulator, type TestStack } from "../helpers/scenario";

/** A few real `pulumi` commands and refreshes of 0.5 s batches. */
const SUITE_TIMEOUT_MS = 300_000;
const PLAN_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "instance-refresh-plan");

let emu: RunningEmulator;
let stack: TestStack;
let groupId: string;

beforeAll(async () => {
  requirePulumiCli();
  assertFreshBuild(REPO_ROOT);
  emu = await startTestEmulator({ name: "plan-cli", secondsPerBatch: 0.5 });
  const group = await emu.admin.seedGroup({ instanceCount: 4 });
  groupId = group.groupId;
  // The first refresh attempt of one instance fails; its retry succeeds.
  await emu.admin.failInstance(group.instanceIds[0]!, "image img-00000001 failed to boot", { count: 1 });
  stack = await createStack({ prefix: "plan-cli", program: CONFIG_DRIVEN_PROGRAM, config: emulatorConfig(emu, { groupId }) });
}, SUITE_TIMEOUT_MS);

afterAll(async () => {
  stack?.remove();
  await emu?.stop();
});

/** The CI workflow's two steps: `pulumi preview --json` (streamed events), then the plan made from them. */
async function planOfPreview(): Promise<string> {
  const preview = await stack.must(["preview", "--json"], { env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } });
  const plan = spawnSync(process.execPath, [PLAN_BIN], { input: preview.stdout, encoding: "utf8" });
  expect(plan.status, plan.stderr).toBe(0);
  // Each rollout is drawn; --no-diagram writes the same plan without the diagrams.
  expect(plan.stdout).toContain("```mermaid\nflowchart TD\n");
  const text = spawnSync(process.execPath, [PLAN_BIN, "--no-diagram"], { input: preview.stdout, encoding: "utf8" });
  expect(text.status, text.stderr).toBe(0);
  expect(text.stdout).not.toContain("```mermaid");
  expect(`${plan.stdout.replace(/```mermaid\n[\s\S]*?\n```\n\n?/g, "").trimEnd()}\n`).toBe(text.stdout);
  return plan.stdout;
}

/** The mutating calls `up` sent, with their parameters, since request `sinceSeq`. */
async function mutationsSince(sinceSeq: number) {
  const entries = await emu.admin.requests({ sinceSeq });
  return entries.filter((e) => (MUTATING_ACTIONS as readonly string[]).includes(e.action)).map((e) => ({ action: e.action, params: e.params }));
}

const lastSeq = async () => (await emu.admin.requests({ limit: 1 }))[0]?.seq ?? 0;

describe("the rollout plan says what `pulumi up` then sends", () => {
  it("refuses an unknown argument with its usage, and prints the usage on --help", () => {
    const wrong = spawnSync(process.execPath, [PLAN_BIN, "--diagram=off"], { input: "", encoding: "utf8" });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('instance-refresh-plan: unknown argument "--diagram=off"');
    expect(wrong.stderr).toContain("usage: instance-refresh-plan [--no-diagram] < preview.json > plan.md");
    const help = spawnSync(process.execPath, [PLAN_BIN, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--no-diagram");
  });

  it(
    "an unchanged refresh paused on a failed instance: the plan says ResumeInstanceRefresh with RETRY, and up sends exactly that",
    async () => {
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.stdout + failed.stderr).toContain("FAILED_PAUSE");
      const id = String((await stack.exportState()).deployment.resources?.find((r) => r.type.endsWith("InstanceRefresh"))?.id);
      expect(id).toMatch(/^asr-/);

      const plan = await planOfPreview();
      expect(plan).toContain(`\`rollout\` on \`${groupId}\` — resumes the refresh paused on failed instances, refreshing them again`);
      expect(plan).toContain(`\`pulumi up\` sends ResumeInstanceRefresh (ResumeMode RETRY) to ${id}, then waits until it settles.`);
      expect(plan).toContain("Forecast from the status in state: FAILED_PAUSE at batch 1/2.");
      expect(plan).not.toContain("untouched");

      const since = await lastSeq();
      await stack.up();
      expect(await mutationsSince(since)).toEqual([
        { action: "ResumeInstanceRefresh", params: expect.objectContaining({ RefreshActivityId: id, ResumeMode: "RETRY" }) },
      ]);
      expect(await stack.outputs()).toMatchObject({ status: "SUCCESSFUL" });
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "paused: true on a SUCCESSFUL refresh: the plan says no API call, and up sends none",
    async () => {
      await stack.config({ paused: true });
      const plan = await planOfPreview();
      expect(plan).toContain("— sends nothing to the refresh");
      expect(plan).toContain("(it is SUCCESSFUL; only the inputs in state change).");
      expect(plan).not.toContain("pauses the running refresh");

      const since = await lastSeq();
      await stack.up();
      expect(await mutationsSince(since)).toEqual([]);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "rollback: true on the SUCCESSFUL refresh: the plan says RollbackInstanceRefresh for its 4 instances, and up sends exactly that",
    async () => {
      const id = String((await stack.outputs()).id);
      await stack.config({ paused: false, rollback: true });
      const plan = await planOfPreview();
      expect(plan).toContain(`\`rollout\` on \`${groupId}\` — rolls back the refresh: the instances it refreshed return to their previous configuration`);
      expect(plan).toContain(
        `\`pulumi up\` sends RollbackInstanceRefresh, which rolls back ${id}: 4 instances return to the configuration they had before the refresh, ` +
          "then waits until the rollback settles.",
      );

      const since = await lastSeq();
      await stack.up();
      expect(await mutationsSince(since)).toEqual([
        { action: "RollbackInstanceRefresh", params: expect.objectContaining({ AutoScalingGroupId: groupId, OriginRefreshActivityId: id }) },
      ]);
      expect(await stack.outputs()).toMatchObject({ id, rollbackStatus: "SUCCESSFUL" });
    },
    SUITE_TIMEOUT_MS,
  );
});
