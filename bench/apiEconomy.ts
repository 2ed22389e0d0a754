/**
 * Figure 2 — API economy: one `pulumi up` creates N InstanceRefresh resources on distinct groups
 * and waits for every refresh to finish, against the emulator with its rate limit on (as in the
 * cloud). Counts DescribeRefreshActivities calls and compares them with per-resource polling at the
 * same interval.
 */
import type { Figure, FigureRunner } from "./figure";
import { round } from "./measure";
import { PulumiWork, emulatorConfig, groupIds, refreshProgram, seedGroups, startEmulatorProcess } from "./stack";

/** Resource counts measured. */
export const API_ECONOMY_COUNTS = [1, 20, 100] as const;
/** Groups seeded (the largest N). */
export const API_ECONOMY_GROUPS = 100;
/** Instances per group, refreshed one per batch. */
export const API_ECONOMY_INSTANCES = 6;
/** Batches per refresh. */
export const API_ECONOMY_BATCHES = 6;
/**
 * Emulator pace, seconds per batch: a refresh lasts about BATCHES × this = 30 s, still short next to
 * a real one (minutes to hours), long enough that polling — not the fixed reads around each Start —
 * dominates (at 3 s refreshes the fixed two reads per resource do: see bench/README.md).
 */
export const API_ECONOMY_SECONDS_PER_BATCH = 5;
/**
 * `pulumi up --parallel`: all N creates at once, so all N refreshes are waited on together (the
 * engine's default of 4 × CPUs would otherwise hold most of them back).
 */
export const API_ECONOMY_PARALLEL = 100;
/** The provider's poll interval (its default), ms. */
export const API_ECONOMY_POLL_INTERVAL_MS = 1000;
/** Goal at the largest N: at least this many times fewer describe calls than per-resource polling. */
export const API_ECONOMY_GOAL_RATIO = 10;

interface Run {
  n: number;
  describeCalls: number;
  pollRounds: number;
  singleDescribes: number;
  filteredDescribes: number;
  throttled: number;
  /** RequestLimitExceeded by action, e.g. "StartInstanceRefresh 3". */
  throttledBy: string;
  upMs: number;
  /** First StartInstanceRefresh to the last activity's end, ms. */
  windowMs: number;
  /** Σ over resources of ceil(activity duration / interval) + 1. */
  perResourcePolls: number;
  startsOk: number;
}

export const apiEconomy: FigureRunner = async (log) => {
  const emu = await startEmulatorProcess({ secondsPerBatch: API_ECONOMY_SECONDS_PER_BATCH, fixture: false });
  const runs: Run[] = [];
  try {
    const allGroups = groupIds(API_ECONOMY_GROUPS, "e");
    for (const n of API_ECONOMY_COUNTS) {
      await emu.admin.reset({ empty: true });
      await seedGroups(emu.admin, allGroups, API_ECONOMY_INSTANCES);
      const groups = allGroups.slice(0, n);
      const work = PulumiWork.create(`api-economy-${n}`, refreshProgram({ groupIds: groups, batchNumber: API_ECONOMY_BATCHES }));
      try {
        await work.initStack("bench", emulatorConfig(emu, { "instanceRefresh:pollIntervalMs": String(API_ECONOMY_POLL_INTERVAL_MS) }));
        const up = await work.must(["up", "--yes", "--skip-preview", "--parallel", String(API_ECONOMY_PARALLEL)]);
        const counters = await emu.admin.counters();
        const describes = await emu.admin.requests({ action: "DescribeRefreshActivities", limit: 100_000 });
        const starts = await emu.admin.requests({ action: "StartInstanceRefresh", limit: 100_000 });
        const ids = (await work.outputs()).ids as string[];
        let lastEnd = 0;
        let perResourcePolls = 0;
        for (const id of ids) {
          const a = await emu.admin.activity(id);
          if (a.Status !== "SUCCESSFUL") throw new Error(`${id} ended ${a.Status}`);
          const start = Date.parse(a.StartTime ?? a.CreatedTime ?? "");
          const end = Date.parse(a.EndTime ?? "");
          lastEnd = Math.max(lastEnd, end);
          perResourcePolls += Math.ceil((end - start) / API_ECONOMY_POLL_INTERVAL_MS) + 1;
        }
        const firstStart = Math.min(...starts.map((s) => Date.parse(s.time)));
        const throttled = Object.values(counters).reduce((sum, c) => sum + (c.byCode.RequestLimitExceeded ?? 0), 0);
        const throttledBy = Object.entries(counters)
          .filter(([, c]) => (c.byCode.RequestLimitExceeded ?? 0) > 0)
          .map(([action, c]) => `${action} ${c.byCode.RequestLimitExceeded}`)
          .join(", ");
        const run: Run = {
          throttledBy,
          n,
          describeCalls: counters.DescribeRefreshActivities?.total ?? 0,
          pollRounds: describes.filter((d) => d.params.Limit === 100 && d.params.Offset === undefined).length,
          singleDescribes: describes.filter((d) => d.params.Limit === 1).length,
          filteredDescribes: describes.filter((d) => d.params.Offset !== undefined).length,
          throttled,
          upMs: up.durationMs,
          windowMs: Math.max(0, lastEnd + 1000 - firstStart), // EndTime has 1 s resolution: count its whole second
          perResourcePolls,
          startsOk: counters.StartInstanceRefresh?.byCode.OK ?? 0,
        };
        if (run.startsOk !== n) throw new Error(`expected ${n} successful StartInstanceRefresh, got ${run.startsOk}`);
        log(
          `N=${n}: ${run.describeCalls} describes (${run.pollRounds} poll rounds, ${run.singleDescribes} single-id, ${run.filteredDescribes} filtered), ` +
            `${throttled} throttled${throttledBy ? ` (${throttledBy})` : ""}, up ${Math.round(up.durationMs)} ms, window ${run.windowMs} ms, per-resource polls ${perResourcePolls}`,
        );
        runs.push(run);
      } finally {
        work.remove();
      }
    }
  } finally {
    await emu.stop();
  }

  const figures: Figure[] = [];
  for (const r of runs) {
    const perResourceBaseline = (r.n * r.windowMs) / API_ECONOMY_POLL_INTERVAL_MS;
    const ratio = perResourceBaseline / r.describeCalls;
    const last = r.n === API_ECONOMY_COUNTS[API_ECONOMY_COUNTS.length - 1];
    figures.push({
      name: `api-economy-n${r.n}`,
      value: r.describeCalls,
      unit: "DescribeRefreshActivities calls",
      ...(last ? { goal: `>= ${API_ECONOMY_GOAL_RATIO}x fewer than per-resource polling, 0 throttled`, met: ratio >= API_ECONOMY_GOAL_RATIO && r.throttled === 0 } : {}),
      note:
        `${r.n} refreshes of ${API_ECONOMY_INSTANCES} instances in ${API_ECONOMY_BATCHES} batches at ${API_ECONOMY_SECONDS_PER_BATCH} s/batch, poll interval ${API_ECONOMY_POLL_INTERVAL_MS} ms, rate limit on, pulumi up --parallel ${API_ECONOMY_PARALLEL}. ` +
        `Calls: ${r.pollRounds} shared poll rounds (<= 100 ids each), ${r.singleDescribes} single-id reads (after each Start, around mutations), ` +
        `${r.filteredDescribes} by-group listings (the in-flight check before each Start). ` +
        `Per-resource polling over the same window (first Start to last end, ${(r.windowMs / 1000).toFixed(1)} s) = N x window / interval = ${Math.round(perResourceBaseline)} calls ` +
        `-> ${round(ratio, 1)}x fewer. A stricter baseline, each resource polling only during its own activity plus one final poll, is ${r.perResourcePolls} calls ` +
        `(${round(r.perResourcePolls / r.describeCalls, 2)}x; the fixed per-resource reads dominate at short refreshes). ` +
        `RequestLimitExceeded responses: ${r.throttled}${r.throttledBy ? ` (${r.throttledBy})` : ""}. pulumi up took ${(r.upMs / 1000).toFixed(1)} s.`,
    });
    figures.push({
      name: `api-economy-n${r.n}-ratio`,
      value: round(ratio, 1),
      unit: "x fewer describes than N x window / interval",
      ...(last ? { goal: `>= ${API_ECONOMY_GOAL_RATIO}`, met: ratio >= API_ECONOMY_GOAL_RATIO } : {}),
    });
    figures.push({
      name: `api-economy-n${r.n}-throttled`,
      value: r.throttled,
      unit: "RequestLimitExceeded responses",
      goal: "0",
      met: r.throttled === 0,
    });
  }
  return figures;
};
