/**
 * Figure 5 — policy overhead: `pulumi preview` of 50 InstanceRefresh resources with and without
 * `--policy-pack policies` (the pack runs from dist/policies, built by scripts/build.sh),
 * alternating on one stack, medians.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FigureRunner } from "./figure";
import { median, round } from "./measure";
import { PulumiWork, REPO_ROOT, emulatorConfig, groupIds, refreshProgram, startEmulatorProcess } from "./stack";

/** Resources in the stack. */
export const POLICY_RESOURCES = 50;
/** Repetitions of each preview. */
export const POLICY_REPS = 3;
/** Batches (2 satisfies the pack's default minimum, so the preview passes). */
export const POLICY_BATCHES = 2;
/** Goal: with / without ≤ this. */
export const POLICY_GOAL_RATIO = 1.3;

export const policyOverhead: FigureRunner = async (log) => {
  const pack = path.join(REPO_ROOT, "policies");
  if (!fs.existsSync(path.join(REPO_ROOT, "dist", "policies", "pack.js"))) throw new Error("dist/policies/pack.js is missing: run scripts/build.sh");
  const emu = await startEmulatorProcess({ fixture: false });
  const work = PulumiWork.create("policy", refreshProgram({ groupIds: groupIds(POLICY_RESOURCES, "p"), batchNumber: POLICY_BATCHES, waitUntil: "started" }));
  const without: number[] = [];
  const withPack: number[] = [];
  let violations = "";
  try {
    await work.initStack("bench", emulatorConfig(emu));
    // Warm-up (first run loads everything from a cold disk cache).
    await work.must(["preview"]);
    for (let i = 0; i < POLICY_REPS; i++) {
      without.push((await work.must(["preview"])).durationMs);
      const r = await work.must(["preview", "--policy-pack", pack]);
      withPack.push(r.durationMs);
      if (!/instance-refresh/.test(r.stdout)) violations = " (no policy output seen: check the pack ran)";
      log(`rep ${i + 1}: without ${Math.round(without[i]!)} ms, with ${Math.round(withPack[i]!)} ms`);
    }
  } finally {
    work.remove();
    await emu.stop();
  }
  const ratio = median(withPack) / median(without);
  const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(", ");
  return [
    {
      name: "policy-overhead-preview",
      value: round(ratio, 2),
      unit: "x (with / without the pack, median)",
      goal: `<= ${POLICY_GOAL_RATIO}`,
      met: ratio <= POLICY_GOAL_RATIO,
      note:
        `pulumi preview of ${POLICY_RESOURCES} InstanceRefresh resources (${POLICY_BATCHES} batches each) with --policy-pack policies (defaults: advisory findings printed, none mandatory): ` +
        `${ms(withPack)} ms vs without ${ms(without)} ms; ${POLICY_REPS} alternating reps after a warm-up, median difference ${Math.round(median(withPack) - median(without))} ms${violations}.`,
    },
  ];
};
