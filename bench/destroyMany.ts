/**
 * Figure 8 — destroy of many running refreshes: N InstanceRefresh resources are started (`pulumi up`
 * with `wait.until: "started"`), then `pulumi destroy` runs while every refresh is still running,
 * once with the engine's default `--parallel` and once with `--parallel N`. Counts the refreshes the
 * destroy cancelled and those that ended before their delete got a slot (each such delete says so
 * in the output), with the emulator's rate limit on.
 */
import type { Figure, FigureRunner } from "./figure";
import { PulumiWork, emulatorConfig, groupIds, refreshProgram, seedGroups, startEmulatorProcess } from "./stack";

/** Refreshes destroyed. */
export const DESTROY_MANY_COUNT = 200;
/** Instances per group, refreshed one per batch. */
export const DESTROY_MANY_INSTANCES = 4;
/** Batches per refresh. */
export const DESTROY_MANY_BATCHES = 4;
/** Emulator pace: a refresh lasts about BATCHES × this = 80 s, well beyond the time `up` takes to start them all and `destroy --parallel N` to stop them. */
export const DESTROY_MANY_SECONDS_PER_BATCH = 20;
/** The provider's poll interval, ms (its default). */
export const DESTROY_MANY_POLL_INTERVAL_MS = 1000;
/** What the engine runs at once without `--parallel` on this machine (4 per CPU, as `pulumi destroy --help` says). */
export const ENGINE_DEFAULT_PARALLEL_LABEL = "default";

interface DestroyRun {
  readonly parallel: string;
  readonly cancelled: number;
  readonly endedFirst: number;
  readonly saidEndedFirst: number;
  readonly destroyMs: number;
}

async function destroyRun(parallel: number | undefined, log: (line: string) => void): Promise<DestroyRun> {
  const label = parallel === undefined ? ENGINE_DEFAULT_PARALLEL_LABEL : String(parallel);
  const emu = await startEmulatorProcess({ secondsPerBatch: DESTROY_MANY_SECONDS_PER_BATCH, fixture: false });
  const groups = groupIds(DESTROY_MANY_COUNT, "d");
  const work = PulumiWork.create(
    `destroy-many-${label}`,
    refreshProgram({ groupIds: groups, batchNumber: DESTROY_MANY_BATCHES, waitUntil: "started" }),
  );
  try {
    await seedGroups(emu.admin, groups, DESTROY_MANY_INSTANCES);
    await work.initStack("bench", emulatorConfig(emu, { "instanceRefresh:pollIntervalMs": String(DESTROY_MANY_POLL_INTERVAL_MS) }));
    await work.must(["up", "--yes", "--skip-preview", "--parallel", String(DESTROY_MANY_COUNT)]);
    const ids = (await work.outputs()).ids as string[];
    const destroy = await work.must(["destroy", "--yes", "--skip-preview", ...(parallel === undefined ? [] : ["--parallel", String(parallel)])]);
    const statuses = await Promise.all(ids.map(async (id) => (await emu.admin.activity(id)).Status));
    const run: DestroyRun = {
      parallel: label,
      cancelled: statuses.filter((s) => s === "CANCELLED").length,
      endedFirst: statuses.filter((s) => s === "SUCCESSFUL").length,
      // Distinct activities: the engine shows each line in its progress display and again in its diagnostics.
      saidEndedFirst: new Set(
        [...destroy.output.matchAll(/(asr-\w+): \S+ .*(before the delete reached it; nothing to cancel|before it could be cancelled; nothing was cancelled)/g)].map((m) => m[1]),
      ).size,
      destroyMs: destroy.durationMs,
    };
    log(`--parallel ${label}: ${run.cancelled} cancelled, ${run.endedFirst} ended before their delete (${run.saidEndedFirst} said so), destroy ${Math.round(run.destroyMs / 1000)} s`);
    return run;
  } finally {
    work.remove();
    await emu.stop();
  }
}

export const destroyMany: FigureRunner = async (log) => {
  const runs = [await destroyRun(undefined, log), await destroyRun(DESTROY_MANY_COUNT, log)];
  return runs.flatMap((r): Figure[] => [
    {
      name: `destroy-many-parallel-${r.parallel}-cancelled`,
      value: r.cancelled,
      unit: `of ${DESTROY_MANY_COUNT} running refreshes cancelled`,
      note:
        `pulumi destroy${r.parallel === ENGINE_DEFAULT_PARALLEL_LABEL ? "" : ` --parallel ${r.parallel}`} of ${DESTROY_MANY_COUNT} refreshes started by one up (wait until started), ` +
        `${DESTROY_MANY_INSTANCES} instances in ${DESTROY_MANY_BATCHES} batches at ${DESTROY_MANY_SECONDS_PER_BATCH} s/batch, rate limit on. ` +
        `${r.endedFirst} ended SUCCESSFUL before they could be cancelled (their delete got no slot in time, or their running batch was their last); ` +
        `the destroy output named ${r.saidEndedFirst} of them. It took ${(r.destroyMs / 1000).toFixed(1)} s.`,
    },
    {
      name: `destroy-many-parallel-${r.parallel}-reported`,
      value: r.saidEndedFirst,
      unit: "refreshes that ended first and were reported as such",
      goal: `${r.endedFirst} (every one)`,
      met: r.saidEndedFirst === r.endedFirst,
    },
    { name: `destroy-many-parallel-${r.parallel}-seconds`, value: Math.round(r.destroyMs / 100) / 10, unit: "s (pulumi destroy)" },
  ]);
};
