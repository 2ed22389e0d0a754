/**
 * Figure 2 — API economy: one `pulumi up` creates N refresh resources on distinct groups and waits
 * for every refresh to finish, against the emulator with its rate limit on (as in the cloud). Counts
 * the describe calls of the refreshes and compares them with per-resource polling at the same
 * interval. One runner, two clouds:
 * - `apiEconomy`: Tencent Cloud AS, `InstanceRefresh` resources, DescribeRefreshActivities;
 * - `apiEconomyEss`: Alibaba Cloud ESS, `AlicloudInstanceRefresh` resources, DescribeInstanceRefreshes.
 */
import type { EmulatorAdmin, RequestLogEntry } from "../emulator";
import type { StackConfig } from "../test/helpers/pulumi";
import type { Figure, FigureRunner } from "./figure";
import { round } from "./measure";
import {
  PulumiWork,
  alicloudRefreshProgram,
  emulatorConfig,
  essEmulatorConfig,
  essGroupIds,
  groupIds,
  refreshProgram,
  seedEssGroups,
  seedGroups,
  startEmulatorProcess,
  type EmulatorFlags,
  type EmulatorProcess,
} from "./stack";

// ---------------------------------------------------------------------------------------------
// Shared by both clouds

/** Resource counts measured. */
export const API_ECONOMY_COUNTS = [1, 20, 100] as const;
/** Groups seeded (the largest N). */
export const API_ECONOMY_GROUPS = 100;
/** Instances per group, refreshed one per batch (Tencent) or per wave (ESS). */
export const API_ECONOMY_INSTANCES = 6;
/**
 * `pulumi up --parallel`: all N creates at once, so all N refreshes are waited on together (the
 * engine's default of 4 × CPUs would otherwise hold most of them back).
 */
export const API_ECONOMY_PARALLEL = 100;
/** The provider's poll interval (its default), ms. */
export const API_ECONOMY_POLL_INTERVAL_MS = 1000;
/** Goal at the largest N: at least this many times fewer describe calls than per-resource polling. */
export const API_ECONOMY_GOAL_RATIO = 10;

// ---------------------------------------------------------------------------------------------
// Tencent Cloud AS

/** Batches per refresh. */
export const API_ECONOMY_BATCHES = 6;
/**
 * Emulator pace, seconds per batch: a refresh lasts about BATCHES × this = 30 s, still short next to
 * a real one (minutes to hours), long enough that polling — not the fixed reads around each Start —
 * dominates (at 3 s refreshes the fixed two reads per resource do: see bench/README.md).
 */
export const API_ECONOMY_SECONDS_PER_BATCH = 5;

// ---------------------------------------------------------------------------------------------
// Alibaba Cloud ESS

/**
 * Min/Max healthy percentage of every task: 100/100 makes the emulator's waves one instance each
 * (`max(1, ⌊C·(Max−100)/100⌋ + ⌊C·(100−Min)/100⌋)`), so 6 instances take 6 waves — Tencent's 6 batches.
 */
export const API_ECONOMY_ESS_MIN_HEALTHY = 100;
export const API_ECONOMY_ESS_MAX_HEALTHY = 100;
/**
 * Emulator pace (`--ess-wave-seconds`), seconds per wave; Pending takes half of one. A task lasts
 * 2.5 + 6 × 5 = 32.5 s, against Tencent's 0.25 s INIT + 6 × 5 s = 30.25 s.
 */
export const API_ECONOMY_ESS_WAVE_SECONDS = 5;
/** The desired image of every task (the seeded groups run `m-emulatorbaseimage00000`). */
export const API_ECONOMY_ESS_IMAGE_ID = "m-benchnewimage0000001";

// ---------------------------------------------------------------------------------------------
// The runner

/** What the runner needs to know about one cloud. */
export interface EconomyCloud {
  /** Figure names: `<figure>-n<N>`, `<figure>-n<N>-ratio`, `<figure>-n<N>-throttled`. */
  readonly figure: string;
  /** The request log's `cloud`. */
  readonly cloud: "tencentcloud" | "alibabacloud";
  /** Prefix of its keys in `counters()`: none for Tencent Cloud, `alibabacloud:` for ESS. */
  readonly counterPrefix: string;
  /** The action that reads refreshes. */
  readonly describeAction: string;
  /** The error code of a throttled call. */
  readonly throttleCode: string;
  readonly emulatorFlags: EmulatorFlags;
  /** The groups seeded (API_ECONOMY_GROUPS); the first N are refreshed. */
  readonly groupIds: readonly string[];
  seed(admin: EmulatorAdmin, groupIds: readonly string[]): Promise<void>;
  /** The program of one refresh resource per group; exports `ids`. */
  program(groupIds: readonly string[]): string;
  config(emu: EmulatorProcess, extra: Record<string, string>): StackConfig;
  /** A refresh's start and end (epoch ms); throws unless it succeeded. */
  span(admin: EmulatorAdmin, id: string): Promise<{ startMs: number; endMs: number }>;
  /** The describe calls of a run in words ("Calls: …"), for the note and the log; throws on a call it does not expect. */
  breakdown(describes: readonly RequestLogEntry[]): string;
  /** One refresh in words, for the note. */
  readonly refreshNote: string;
}

interface Run {
  n: number;
  describeCalls: number;
  breakdown: string;
  throttled: number;
  /** Throttled answers by action, e.g. "StartInstanceRefresh 3". */
  throttledBy: string;
  /** The cloud's other calls, e.g. "DescribeScalingGroups 100, StartInstanceRefresh 100". */
  otherCalls: string;
  upMs: number;
  /** First StartInstanceRefresh to the last refresh's end, ms. */
  windowMs: number;
  /** Σ over resources of ceil(refresh duration / interval) + 1. */
  perResourcePolls: number;
  startsOk: number;
}

/** Figure 2 for one cloud: the runs at each N, then their rows. */
export async function runApiEconomy(cloud: EconomyCloud, log: (line: string) => void): Promise<Figure[]> {
  const emu = await startEmulatorProcess({ ...cloud.emulatorFlags, fixture: false });
  const runs: Run[] = [];
  const key = (action: string) => `${cloud.counterPrefix}${action}`;
  const ours = (counterKey: string) => (cloud.counterPrefix ? counterKey.startsWith(cloud.counterPrefix) : !counterKey.includes(":"));
  try {
    for (const n of API_ECONOMY_COUNTS) {
      await emu.admin.reset({ empty: true });
      await cloud.seed(emu.admin, cloud.groupIds);
      const groups = cloud.groupIds.slice(0, n);
      const work = PulumiWork.create(`${cloud.figure}-${n}`, cloud.program(groups));
      try {
        await work.initStack("bench", cloud.config(emu, { "instanceRefresh:pollIntervalMs": String(API_ECONOMY_POLL_INTERVAL_MS) }));
        const up = await work.must(["up", "--yes", "--skip-preview", "--parallel", String(API_ECONOMY_PARALLEL)]);
        const counters = await emu.admin.counters();
        const describes = await emu.admin.requests({ action: cloud.describeAction, cloud: cloud.cloud, limit: 100_000 });
        const starts = await emu.admin.requests({ action: "StartInstanceRefresh", cloud: cloud.cloud, limit: 100_000 });
        const ids = (await work.outputs()).ids as string[];
        let lastEnd = 0;
        let perResourcePolls = 0;
        for (const id of ids) {
          const { startMs, endMs } = await cloud.span(emu.admin, id);
          lastEnd = Math.max(lastEnd, endMs);
          perResourcePolls += Math.ceil((endMs - startMs) / API_ECONOMY_POLL_INTERVAL_MS) + 1;
        }
        const firstStart = Math.min(...starts.map((s) => Date.parse(s.time)));
        const throttledCounters = Object.entries(counters).filter(([k, c]) => ours(k) && (c.byCode[cloud.throttleCode] ?? 0) > 0);
        const run: Run = {
          n,
          describeCalls: counters[key(cloud.describeAction)]?.total ?? 0,
          breakdown: cloud.breakdown(describes),
          throttled: throttledCounters.reduce((sum, [, c]) => sum + (c.byCode[cloud.throttleCode] ?? 0), 0),
          throttledBy: throttledCounters.map(([k, c]) => `${k.slice(cloud.counterPrefix.length)} ${c.byCode[cloud.throttleCode]}`).join(", "),
          otherCalls: Object.entries(counters)
            .filter(([k]) => ours(k) && k !== key(cloud.describeAction))
            .map(([k, c]) => `${k.slice(cloud.counterPrefix.length)} ${c.total}`)
            .sort()
            .join(", "),
          upMs: up.durationMs,
          windowMs: Math.max(0, lastEnd + 1000 - firstStart), // EndTime has 1 s resolution: count its whole second
          perResourcePolls,
          startsOk: counters[key("StartInstanceRefresh")]?.byCode.OK ?? 0,
        };
        if (run.startsOk !== n) throw new Error(`expected ${n} successful StartInstanceRefresh, got ${run.startsOk}`);
        if (describes.length !== run.describeCalls) {
          throw new Error(`the request log holds ${describes.length} ${cloud.describeAction} calls, the counter ${run.describeCalls}: raise the emulator's --request-log-limit`);
        }
        log(
          `N=${n}: ${run.describeCalls} describes (${run.breakdown}), ${run.throttled} throttled${run.throttledBy ? ` (${run.throttledBy})` : ""}, ` +
            `up ${Math.round(up.durationMs)} ms, window ${run.windowMs} ms, per-resource polls ${perResourcePolls}`,
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
      name: `${cloud.figure}-n${r.n}`,
      value: r.describeCalls,
      unit: `${cloud.describeAction} calls`,
      ...(last ? { goal: `>= ${API_ECONOMY_GOAL_RATIO}x fewer than per-resource polling, 0 throttled`, met: ratio >= API_ECONOMY_GOAL_RATIO && r.throttled === 0 } : {}),
      note:
        `${r.n} refreshes of ${cloud.refreshNote}, poll interval ${API_ECONOMY_POLL_INTERVAL_MS} ms, rate limit on, pulumi up --parallel ${API_ECONOMY_PARALLEL}. ` +
        `Calls: ${r.breakdown}. Other calls: ${r.otherCalls}. ` +
        `Per-resource polling over the same window (first Start to last end, ${(r.windowMs / 1000).toFixed(1)} s) = N x window / interval = ${Math.round(perResourceBaseline)} calls ` +
        `-> ${round(ratio, 1)}x fewer. A stricter baseline, each resource polling only during its own refresh plus one final poll, is ${r.perResourcePolls} calls ` +
        `(${round(r.perResourcePolls / r.describeCalls, 2)}x; the fixed per-resource reads dominate at short refreshes). ` +
        `${cloud.throttleCode} responses: ${r.throttled}${r.throttledBy ? ` (${r.throttledBy})` : ""}. pulumi up took ${(r.upMs / 1000).toFixed(1)} s.`,
    });
    figures.push({
      name: `${cloud.figure}-n${r.n}-ratio`,
      value: round(ratio, 1),
      unit: "x fewer describes than N x window / interval",
      ...(last ? { goal: `>= ${API_ECONOMY_GOAL_RATIO}`, met: ratio >= API_ECONOMY_GOAL_RATIO } : {}),
    });
    figures.push({
      name: `${cloud.figure}-n${r.n}-throttled`,
      value: r.throttled,
      unit: `${cloud.throttleCode} responses`,
      goal: "0",
      met: r.throttled === 0,
    });
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The two clouds

/** Tencent Cloud AS: InstanceRefresh, DescribeRefreshActivities (≤ 100 ids per call). */
export const TENCENT_ECONOMY: EconomyCloud = {
  figure: "api-economy",
  cloud: "tencentcloud",
  counterPrefix: "",
  describeAction: "DescribeRefreshActivities",
  throttleCode: "RequestLimitExceeded",
  emulatorFlags: { secondsPerBatch: API_ECONOMY_SECONDS_PER_BATCH },
  groupIds: groupIds(API_ECONOMY_GROUPS, "e"),
  seed: (admin, ids) => seedGroups(admin, ids, API_ECONOMY_INSTANCES),
  program: (ids) => refreshProgram({ groupIds: ids, batchNumber: API_ECONOMY_BATCHES }),
  config: (emu, extra) => emulatorConfig(emu, extra),
  async span(admin, id) {
    const a = await admin.activity(id);
    if (a.Status !== "SUCCESSFUL") throw new Error(`${id} ended ${a.Status}`);
    return { startMs: Date.parse(a.StartTime ?? a.CreatedTime ?? ""), endMs: Date.parse(a.EndTime ?? "") };
  },
  // The log keeps a Tencent call's scalar parameters only (not RefreshActivityIds): by-id calls are
  // told from by-group listings by their paging, not by their ids.
  breakdown(describes) {
    const byIds = describes.filter((d) => d.params.Limit === 100 && d.params.Offset === undefined).length;
    const single = describes.filter((d) => d.params.Limit === 1).length;
    const byGroup = describes.filter((d) => d.params.Offset !== undefined).length;
    return (
      `${byIds} by-id calls (the shared poll rounds and the coalesced read after each Start, <= 100 ids each), ${single} single-id reads (Limit 1), ` +
      `${byGroup} by-group listings (the in-flight check before each Start, <= 5 groups each)`
    );
  },
  refreshNote: `${API_ECONOMY_INSTANCES} instances in ${API_ECONOMY_BATCHES} batches at ${API_ECONOMY_SECONDS_PER_BATCH} s/batch`,
};

/** The task ids a DescribeInstanceRefreshes call asked for (`InstanceRefreshTaskIds.N`, as logged). */
function taskIdsOf(entry: RequestLogEntry): string[] {
  return Object.entries(entry.params)
    .filter(([k]) => /^InstanceRefreshTaskIds\.\d+$/.test(k))
    .map(([, v]) => String(v));
}

/**
 * Splits ESS describes: by-group listings (`ScalingGroupId`) and by-id calls (`InstanceRefreshTaskIds.N`).
 * A task is read by id first right after its Start (the coalesced read), then only by the shared poll
 * rounds: a by-id call whose every id is new is a read after Start, any other a poll round.
 */
export function essBreakdown(describes: readonly RequestLogEntry[], maxIdsPerCall = 50): string {
  const seen = new Set<string>();
  let pollRounds = 0;
  let afterStart = 0;
  let singleAfterStart = 0;
  let byGroup = 0;
  let mostIds = 0;
  const pollSizes: number[] = [];
  for (const d of describes) {
    const ids = taskIdsOf(d);
    if (d.params.ScalingGroupId !== undefined && ids.length === 0) {
      byGroup++;
      continue;
    }
    if (ids.length === 0) throw new Error(`a DescribeInstanceRefreshes with neither ids nor a group: ${JSON.stringify(d.params)}`);
    if (d.params.ScalingGroupId !== undefined) throw new Error(`a DescribeInstanceRefreshes by ids and group: ${JSON.stringify(d.params)}`);
    mostIds = Math.max(mostIds, ids.length);
    if (ids.every((id) => !seen.has(id))) {
      afterStart++;
      if (ids.length === 1) singleAfterStart++;
    } else {
      pollRounds++;
      pollSizes.push(ids.length);
    }
    for (const id of ids) seen.add(id);
  }
  if (mostIds > maxIdsPerCall) throw new Error(`a DescribeInstanceRefreshes asked for ${mostIds} ids (the API takes ${maxIdsPerCall})`);
  const full = pollSizes.filter((s) => s === maxIdsPerCall).length;
  return (
    `${pollRounds} shared poll rounds (<= ${maxIdsPerCall} ids each; ${full} of them with ${maxIdsPerCall}), ` +
    `${afterStart} coalesced reads after the Starts (of ${seen.size} task${seen.size === 1 ? "" : "s"}; ${singleAfterStart} of those reads carried a single id), ` +
    `${byGroup} by-group listings (one group each: the in-flight check before each Start, whose listing the ClientToken reuses); largest by-id call ${mostIds} id${mostIds === 1 ? "" : "s"}`
  );
}

/** Alibaba Cloud ESS: AlicloudInstanceRefresh, DescribeInstanceRefreshes (≤ 50 ids per call, one group per listing). */
export const ESS_ECONOMY: EconomyCloud = {
  figure: "api-economy-ess",
  cloud: "alibabacloud",
  counterPrefix: "alibabacloud:",
  describeAction: "DescribeInstanceRefreshes",
  throttleCode: "Throttling",
  emulatorFlags: { essWaveSeconds: API_ECONOMY_ESS_WAVE_SECONDS },
  groupIds: essGroupIds(API_ECONOMY_GROUPS, "bench"),
  seed: (admin, ids) => seedEssGroups(admin, ids, API_ECONOMY_INSTANCES),
  program: (ids) =>
    alicloudRefreshProgram({
      groupIds: ids,
      imageId: API_ECONOMY_ESS_IMAGE_ID,
      minHealthyPercentage: API_ECONOMY_ESS_MIN_HEALTHY,
      maxHealthyPercentage: API_ECONOMY_ESS_MAX_HEALTHY,
    }),
  config: (emu, extra) => essEmulatorConfig(emu, extra),
  async span(admin, id) {
    const t = await admin.ess.task(id);
    if (t.Status !== "Successful") throw new Error(`${id} ended ${t.Status}${t.Detail ? ` (${t.Detail})` : ""}`);
    return { startMs: Date.parse(t.StartTime), endMs: Date.parse(t.EndTime ?? "") };
  },
  breakdown: (describes) => essBreakdown(describes),
  refreshNote:
    `${API_ECONOMY_INSTANCES} instances, Min/Max healthy ${API_ECONOMY_ESS_MIN_HEALTHY}/${API_ECONOMY_ESS_MAX_HEALTHY} (waves of one instance: ${API_ECONOMY_INSTANCES} waves) ` +
    `at ${API_ECONOMY_ESS_WAVE_SECONDS} s/wave after ${API_ECONOMY_ESS_WAVE_SECONDS / 2} s Pending`,
};

/** Figure 2, Tencent Cloud AS. */
export const apiEconomy: FigureRunner = (log) => runApiEconomy(TENCENT_ECONOMY, log);
/** Figure 2, Alibaba Cloud ESS. */
export const apiEconomyEss: FigureRunner = (log) => runApiEconomy(ESS_ECONOMY, log);
