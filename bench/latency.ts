/**
 * Figure 3 — completion latency: from the moment the emulator marks an activity SUCCESSFUL to the
 * moment `pulumi up` exits, minus what the engine itself spends after a create returns.
 *
 * Method (side by side, alternating, on fresh stacks):
 * - A: one InstanceRefresh (wait until settled) on an in-process emulator; the activity's exact
 *   end (`endedAt`, ms, from the emulator's model — the API's EndTime has 1 s resolution) is
 *   compared with the wall-clock time `pulumi up` exited.
 * - B: one no-op dynamic resource whose create sleeps as long as the refresh lasts and writes
 *   `Date.now()` just before it returns; `pulumi up`'s exit minus that stamp is the engine's own
 *   tail (returning the result, writing state and outputs, shutting the plugins down).
 * The figure is median(A) − median(B): the time the provider needs to notice the end and return.
 * With the default 1 s poll interval, expect about half an interval on average, one at worst.
 *
 * The emulator's timeline and the poller's rounds both start at StartInstanceRefresh, so with a
 * whole-second refresh every sample would hit the same phase of the poll cycle (always ~1 s late, or
 * always ~0). Each sample therefore gets its own emulator whose batch length is stretched so that the
 * end falls at an evenly spread phase of the interval: the median then is an honest average case.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import type { FigureRunner } from "./figure";
import { median } from "./measure";
import { PulumiWork, emulatorConfig, groupIds, noopProgram, refreshProgram, seedGroups } from "./stack";

/** Measured pairs (after one unmeasured warm-up pair). */
export const LATENCY_SAMPLES = 5;
/** Emulator pace; with LATENCY_BATCHES a refresh lasts about 2 s. */
export const LATENCY_SECONDS_PER_BATCH = 1;
/** Sample i stretches each batch by i / LATENCY_SAMPLES × this, spreading the end over one poll interval. */
export const LATENCY_PHASE_SPREAD_SECONDS_PER_BATCH = 0.5;
/** Instances per group = batches per refresh. */
export const LATENCY_BATCHES = 2;
/** The no-op create's sleep, ms: about a refresh's duration. */
export const LATENCY_NOOP_SLEEP_MS = 2_000;
/** The provider's poll interval (its default), ms. */
export const LATENCY_POLL_INTERVAL_MS = 1000;
/** Goal: under one second beyond the engine's own overhead. */
export const LATENCY_GOAL_MS = 1000;

export const latency: FigureRunner = async (log) => {
  const groups = groupIds(LATENCY_SAMPLES + 1, "l");
  const refreshWork = PulumiWork.create("latency-refresh", "");
  const noopWork = PulumiWork.create("latency-noop", "");
  const stampFile = path.join(noopWork.dir, "stamps.txt");
  const a: number[] = [];
  const b: number[] = [];
  try {
    noopWork.writeProgram(noopProgram({ count: 1, sleepMs: LATENCY_NOOP_SLEEP_MS, stampFile }));
    for (let i = 0; i <= LATENCY_SAMPLES; i++) {
      // A: one refresh on a fresh group, a fresh stack and an emulator of its own (see the phase note above).
      const phase = i === 0 ? 0 : (i - 1) / LATENCY_SAMPLES;
      const emu = await startEmulator({
        secondsPerBatch: LATENCY_SECONDS_PER_BATCH + phase * LATENCY_PHASE_SPREAD_SECONDS_PER_BATCH,
        fixture: false,
        rateLimit: true,
      });
      let latencyA: number;
      try {
        const group = groups[i]!;
        await seedGroups(emu.admin, [group], LATENCY_BATCHES);
        refreshWork.writeProgram(refreshProgram({ groupIds: [group], batchNumber: LATENCY_BATCHES }));
        await refreshWork.initStack(`a${i}`, emulatorConfig(emu, { "instanceRefresh:pollIntervalMs": String(LATENCY_POLL_INTERVAL_MS) }));
        const upA = await refreshWork.must(["up", "--yes", "--skip-preview"]);
        const exitA = performance.timeOrigin + upA.endedAt;
        const activity = [...emu.backend.state.activities.values()].filter((x) => x.groupId === group).sort((x, y) => y.seq - x.seq)[0];
        if (!activity || activity.status !== "SUCCESSFUL" || activity.endedAt === null) throw new Error(`no successful activity on ${group}`);
        latencyA = exitA - activity.endedAt;
      } finally {
        await emu.stop();
      }

      // B: the same engine work around a create that returns at a known time.
      fs.rmSync(stampFile, { force: true });
      await noopWork.initStack(`b${i}`);
      const upB = await noopWork.must(["up", "--yes", "--skip-preview"]);
      const stamp = Number(fs.readFileSync(stampFile, "utf8").trim().split("\n").pop());
      const tailB = performance.timeOrigin + upB.endedAt - stamp;

      log(`${i === 0 ? "warm-up" : `sample ${i}`}: refresh end → up exit ${Math.round(latencyA)} ms; no-op create return → up exit ${Math.round(tailB)} ms`);
      if (i > 0) {
        a.push(latencyA);
        b.push(tailB);
      }
    }
  } finally {
    refreshWork.remove();
    noopWork.remove();
  }
  const beyond = median(a) - median(b);
  return [
    {
      name: "completion-latency",
      value: Math.round(beyond),
      unit: "ms beyond the engine's own tail (median)",
      goal: `< ${LATENCY_GOAL_MS}`,
      met: beyond < LATENCY_GOAL_MS,
      note:
        `Median over ${LATENCY_SAMPLES} alternating pairs (after a warm-up) of [emulator marks the activity SUCCESSFUL (model endedAt, ms) → pulumi up exits] = ${Math.round(median(a))} ms ` +
        `(samples ${a.map(Math.round).join(", ")}), minus the engine's tail measured on a no-op dynamic resource whose create sleeps ${LATENCY_NOOP_SLEEP_MS} ms ` +
        `and stamps Date.now() just before returning [stamp → pulumi up exits] = ${Math.round(median(b))} ms (samples ${b.map(Math.round).join(", ")}). ` +
        `The difference is the provider's detection time: poll interval ${LATENCY_POLL_INTERVAL_MS} ms (default), so 0–1 interval plus one describe round trip; ` +
        `Max ${Math.round(Math.max(...a) - median(b))} ms. A ${LATENCY_BATCHES}-batch refresh at ${LATENCY_SECONDS_PER_BATCH}–${LATENCY_SECONDS_PER_BATCH + LATENCY_PHASE_SPREAD_SECONDS_PER_BATCH} s/batch ` +
        `(stretched per sample so the end falls at evenly spread phases of the poll interval), rate limit on, each sample on a fresh stack, group and in-process emulator.`,
    },
    { name: "completion-latency-raw", value: Math.round(median(a)), unit: "ms refresh end → pulumi up exit (median)" },
    { name: "engine-tail", value: Math.round(median(b)), unit: "ms no-op create return → pulumi up exit (median)" },
  ];
};
