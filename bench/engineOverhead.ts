/**
 * Figure 4 — engine overhead: `pulumi preview` and `pulumi up` of 50 InstanceRefresh resources
 * (wait until "started") against the same stack shape of 50 no-op dynamic resources, alternating,
 * each on a fresh stack (and a reset emulator), medians.
 */
import type { Figure, FigureRunner } from "./figure";
import { median, round } from "./measure";
import { PulumiWork, emulatorConfig, groupIds, noopProgram, refreshProgram, seedGroups, startEmulatorProcess } from "./stack";

/** Resources per stack. */
export const ENGINE_RESOURCES = 50;
/** Repetitions of each of the four commands. */
export const ENGINE_REPS = 3;
/** Instances per group = batches; the emulator pace keeps refreshes running (wait is "started"). */
export const ENGINE_BATCHES = 2;
export const ENGINE_SECONDS_PER_BATCH = 10;
/** Goal: InstanceRefresh / no-op ≤ this. */
export const ENGINE_GOAL_RATIO = 1.2;
/** The provider's per-action request cap (provider/core/rateLimit.ts), requests/s — sets a floor on `up`. */
export const PROVIDER_REQUESTS_PER_SECOND = 18;

export const engineOverhead: FigureRunner = async (log) => {
  const emu = await startEmulatorProcess({ secondsPerBatch: ENGINE_SECONDS_PER_BATCH, fixture: false });
  const groups = groupIds(ENGINE_RESOURCES, "o");
  const refreshWork = PulumiWork.create("engine-refresh", refreshProgram({ groupIds: groups, batchNumber: ENGINE_BATCHES, waitUntil: "started" }));
  const noopWork = PulumiWork.create("engine-noop", noopProgram({ count: ENGINE_RESOURCES }));
  const t = { previewA: [] as number[], previewB: [] as number[], upA: [] as number[], upB: [] as number[] };
  let calls: Record<string, number> = {};
  try {
    for (let i = 0; i < ENGINE_REPS; i++) {
      await emu.admin.reset({ empty: true });
      await seedGroups(emu.admin, groups, ENGINE_BATCHES);
      await refreshWork.initStack(`r${i}`, emulatorConfig(emu));
      await noopWork.initStack(`n${i}`);
      t.previewA.push((await refreshWork.must(["preview"])).durationMs);
      t.previewB.push((await noopWork.must(["preview"])).durationMs);
      t.upA.push((await refreshWork.must(["up", "--yes", "--skip-preview"])).durationMs);
      t.upB.push((await noopWork.must(["up", "--yes", "--skip-preview"])).durationMs);
      calls = Object.fromEntries(Object.entries(await emu.admin.counters()).map(([action, counter]) => [action, counter.total]));
      log(
        `rep ${i + 1}: preview ${Math.round(t.previewA[i]!)} vs ${Math.round(t.previewB[i]!)} ms, up ${Math.round(t.upA[i]!)} vs ${Math.round(t.upB[i]!)} ms (calls ${JSON.stringify(calls)})`,
      );
    }
  } finally {
    refreshWork.remove();
    noopWork.remove();
    await emu.stop();
  }
  const ratio = (a: number[], b: number[]) => median(a) / median(b);
  const preview = ratio(t.previewA, t.previewB);
  const up = ratio(t.upA, t.upB);
  const busiest = Math.max(0, ...Object.values(calls));
  const floorMs = (busiest / PROVIDER_REQUESTS_PER_SECOND) * 1000;
  const callList = Object.entries(calls).map(([action, n]) => `${n} ${action}`).join(", ");
  const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(", ");
  const figures: Figure[] = [
    {
      name: "engine-overhead-preview",
      value: round(preview, 2),
      unit: "x (50 InstanceRefresh / 50 no-op, median)",
      goal: `<= ${ENGINE_GOAL_RATIO}`,
      met: preview <= ENGINE_GOAL_RATIO,
      note: `pulumi preview on a fresh stack (50 creates planned): InstanceRefresh ${ms(t.previewA)} ms vs no-op ${ms(t.previewB)} ms; ${ENGINE_REPS} alternating reps.`,
    },
    {
      name: "engine-overhead-up",
      value: round(up, 2),
      unit: "x (50 InstanceRefresh / 50 no-op, median)",
      goal: `<= ${ENGINE_GOAL_RATIO}`,
      met: up <= ENGINE_GOAL_RATIO,
      note:
        `pulumi up --skip-preview on a fresh stack, wait until "started": InstanceRefresh ${ms(t.upA)} ms vs no-op ${ms(t.upB)} ms (median difference ` +
        `${Math.round(median(t.upA) - median(t.upB))} ms). The InstanceRefresh up makes real API calls against the emulator (rate limit on): ` +
        `${callList} for 50 creates (last rep); the provider's ${PROVIDER_REQUESTS_PER_SECOND}/s per-action cap alone spreads the busiest action over >= ${Math.round(floorMs)} ms; ` +
        `the no-op makes no call. Engine parallelism: the default (--parallel 8).`,
    },
  ];
  return figures;
};
