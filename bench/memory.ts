/**
 * Figure 7 — memory.
 * - The provider's host process (the `pulumi-resource-pulumi-nodejs` plugin: a node process running
 *   `@pulumi/pulumi/cmd/dynamic-provider`) while it waits on 100 refreshes at once, against the same
 *   process hosting 100 no-op dynamic resources whose creates sleep as long: peak RSS (VmHWM).
 * - The emulator (its own process) holding 1,000 groups of 10 instances and 10,000 finished
 *   activities: peak RSS; then its RSS after 10,000 and after 100,000 further requests with the
 *   default request-log ring (10,000 entries), next to a control emulator whose ring keeps every
 *   request, to show the log is bounded.
 */
import * as http from "node:http";
import { DEFAULT_REQUEST_LOG_LIMIT, signAuthorization } from "../emulator";
import type { Figure, FigureRunner } from "./figure";
import { RssSampler, formatBytes, procStatusBytes, round, sleep } from "./measure";
import { PulumiWork, emulatorConfig, expectOk, groupIds, noopProgram, refreshProgram, seedGroups, startEmulatorProcess, type EmulatorProcess } from "./stack";

/** Refreshes (and no-op resources) hosted at once. */
export const MEMORY_RESOURCES = 100;
/** Instances per group = batches; at MEMORY_SECONDS_PER_BATCH a refresh lasts about 10 s. */
export const MEMORY_BATCHES = 5;
export const MEMORY_SECONDS_PER_BATCH = 2;
/** The no-op create's sleep, ms: about a refresh's duration. */
export const MEMORY_NOOP_SLEEP_MS = 10_000;
/** Goal: InstanceRefresh host / no-op host peak RSS ≤ this. */
export const MEMORY_HOST_GOAL_RATIO = 1.2;

/** Emulator load: groups × instances, and finished activities (rounds of one Start per group). */
export const EMULATOR_GROUPS = 1_000;
export const EMULATOR_INSTANCES = 10;
export const EMULATOR_ACTIVITY_ROUNDS = 10;
/** Pace of those activities (one batch each), so a round finishes almost at once. */
export const EMULATOR_SECONDS_PER_BATCH = 0.01;
/** Goal: emulator peak RSS with that state, bytes. */
export const EMULATOR_RSS_GOAL_BYTES = 300e6;
/** Requests for the request-log check: RSS is read after the first and after the total. */
export const LOG_CHECK_FIRST = 10_000;
export const LOG_CHECK_TOTAL = 100_000;
/** Concurrency of the raw HTTP load. */
export const RAW_CONCURRENCY = 32;
/** Ring size of the control emulator: more than every request it gets (an unbounded log, for this run). */
export const CONTROL_RING_SIZE = 200_000;

/** Minimal signed-request sender over one keep-alive agent (no SDK: the load generator should be cheap). */
class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: RAW_CONCURRENCY });
  private readonly url: URL;
  constructor(private readonly emu: EmulatorProcess) {
    this.url = new URL(emu.url);
  }

  /** Headers for one body, signed now (a signature stays valid for minutes, so it can be replayed). */
  sign(action: string, body: string): Record<string, string> {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      "Content-Type": "application/json",
      "X-TC-Action": action,
      "X-TC-Version": "2018-04-19",
      "X-TC-Timestamp": String(timestamp),
      "X-TC-Region": "ap-guangzhou",
      Authorization: signAuthorization({ secretId: this.emu.secretId, secretKey: this.emu.secretKey, host: this.url.host, body, timestamp }),
    };
  }

  send(headers: Record<string, string>, body: string): Promise<{ Response: { Error?: { Code: string } } }> {
    return new Promise((resolve, reject) => {
      const req = http.request(this.url, { method: "POST", agent: this.agent, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Runs `jobs` with {@link RAW_CONCURRENCY} in flight; returns the error codes seen (per job). */
  async run(count: number, job: (i: number) => Promise<string | undefined>): Promise<Array<string | undefined>> {
    const results = new Array<string | undefined>(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        results[i] = await job(i);
      }
    };
    await Promise.all(Array.from({ length: RAW_CONCURRENCY }, worker));
    return results;
  }

  close(): void {
    this.agent.destroy();
  }
}

async function providerHostPeak(program: string, prefix: string, config: Parameters<PulumiWork["initStack"]>[1]): Promise<{ peak: number; processes: number; ms: number }> {
  const work = PulumiWork.create(prefix, program);
  try {
    await work.initStack("bench", config);
    const running = work.start(["up", "--yes", "--skip-preview", "--parallel", String(MEMORY_RESOURCES)]);
    const sampler = new RssSampler(["dynamic-provider"], () => running.pid).start();
    const up = expectOk(await running.result);
    const { peakBytes, processes } = sampler.stop();
    if (processes === 0) throw new Error("no dynamic-provider process was seen");
    return { peak: peakBytes, processes, ms: up.durationMs };
  } finally {
    work.remove();
  }
}

export const memory: FigureRunner = async (log) => {
  const figures: Figure[] = [];

  // --- the provider's host process
  {
    const emu = await startEmulatorProcess({ secondsPerBatch: MEMORY_SECONDS_PER_BATCH, fixture: false });
    try {
      const groups = groupIds(MEMORY_RESOURCES, "m");
      await seedGroups(emu.admin, groups, MEMORY_BATCHES);
      const refresh = await providerHostPeak(refreshProgram({ groupIds: groups, batchNumber: MEMORY_BATCHES }), "memory-refresh", emulatorConfig(emu));
      const noop = await providerHostPeak(noopProgram({ count: MEMORY_RESOURCES, sleepMs: MEMORY_NOOP_SLEEP_MS }), "memory-noop", {});
      const ratio = refresh.peak / noop.peak;
      log(`provider host peak RSS: ${formatBytes(refresh.peak)} (InstanceRefresh) vs ${formatBytes(noop.peak)} (no-op)`);
      figures.push({
        name: "provider-host-rss-ratio",
        value: round(ratio, 2),
        unit: "x peak RSS (100 refreshes / 100 no-op)",
        goal: `<= ${MEMORY_HOST_GOAL_RATIO}`,
        met: ratio <= MEMORY_HOST_GOAL_RATIO,
        note:
          `Peak RSS (VmHWM, sampled every 100 ms from /proc) of the dynamic-provider node process under one pulumi up --parallel ${MEMORY_RESOURCES}: ` +
          `${formatBytes(refresh.peak)} while it started and waited on ${MEMORY_RESOURCES} refreshes at once (${MEMORY_BATCHES} batches at ${MEMORY_SECONDS_PER_BATCH} s, up ${(refresh.ms / 1000).toFixed(0)} s), ` +
          `vs ${formatBytes(noop.peak)} hosting ${MEMORY_RESOURCES} no-op dynamic resources whose creates sleep ${MEMORY_NOOP_SLEEP_MS / 1000} s (up ${(noop.ms / 1000).toFixed(0)} s).`,
      });
      figures.push({ name: "provider-host-rss", value: round(refresh.peak / 1e6, 1), unit: "MB peak RSS (100 refreshes)" });
    } finally {
      await emu.stop();
    }
  }

  // --- the emulator under a large state, with the default request-log ring and, as a control, a
  // ring large enough to keep every request of the run (what an unbounded log would do)
  const bounded = await emulatorUnderLoad(undefined);
  const control = await emulatorUnderLoad(CONTROL_RING_SIZE);
  log(
    `emulator: ${bounded.started} activities; peak ${formatBytes(bounded.statePeak)} with the state, ${formatBytes(bounded.finalPeak)} after serving; ` +
      `RSS after ${LOG_CHECK_FIRST}/${LOG_CHECK_TOTAL} requests: default ring ${formatBytes(bounded.rss10k)}/${formatBytes(bounded.rss100k)}, ` +
      `control ${formatBytes(control.rss10k)}/${formatBytes(control.rss100k)}`,
  );
  figures.push({
    name: "emulator-peak-rss",
    value: round(bounded.finalPeak / 1e6, 1),
    unit: "MB peak RSS (1,000 groups x 10 instances, 10,000 finished activities, serving)",
    goal: `<= ${EMULATOR_RSS_GOAL_BYTES / 1e6}`,
    met: bounded.finalPeak <= EMULATOR_RSS_GOAL_BYTES,
    note:
      `Emulator CLI in its own process: ${EMULATOR_GROUPS} groups of ${EMULATOR_INSTANCES} instances loaded through the admin fixture endpoint, then ${bounded.started} ` +
      `StartInstanceRefresh (signed raw HTTP, rate limit off) in rounds of one per group, each activity finishing at ${EMULATOR_SECONDS_PER_BATCH} s/batch: ` +
      `VmHWM ${formatBytes(bounded.statePeak)} with that state built, ${formatBytes(bounded.finalPeak)} after also serving ${LOG_CHECK_TOTAL} DescribeRefreshActivities ` +
      `(each answers a group's 10 activities with their instances; the figure is this larger peak).`,
  });
  figures.push({
    name: "emulator-request-log-entries",
    value: bounded.logEntries,
    unit: `entries kept after ${bounded.started + LOG_CHECK_TOTAL} requests (default ring)`,
    goal: `<= ${DEFAULT_REQUEST_LOG_LIMIT} (bounded)`,
    met: bounded.logEntries <= DEFAULT_REQUEST_LOG_LIMIT,
    note:
      `Entries the admin API returns from the request log after ${bounded.started} Starts and ${LOG_CHECK_TOTAL} describes: ${bounded.logEntries} with the default ring, ` +
      `${control.logEntries} on a control emulator whose ring (${CONTROL_RING_SIZE}) keeps every request. VmRSS after ${LOG_CHECK_FIRST} → ${LOG_CHECK_TOTAL} describes: ` +
      `default ring ${formatBytes(bounded.rss10k)} → ${formatBytes(bounded.rss100k)}, control ${formatBytes(control.rss10k)} → ${formatBytes(control.rss100k)}. ` +
      `At this size the log's entries (~0.25 KB each) disappear in V8's heap sizing: RSS grows by about the same in both, so RSS alone cannot show the bound; ` +
      `the entry count does, and neither process grows without limit.`,
  });
  figures.push({
    name: "emulator-rss-after-100k-requests",
    value: round(bounded.rss100k / 1e6, 1),
    unit: `MB VmRSS (after 10k: ${round(bounded.rss10k / 1e6, 1)} MB)`,
  });
  return figures;
};

/** Builds the large state on a fresh emulator process, then sends LOG_CHECK_TOTAL describes. */
async function emulatorUnderLoad(requestLogLimit: number | undefined): Promise<{
  started: number;
  statePeak: number;
  finalPeak: number;
  rss10k: number;
  rss100k: number;
  /** Entries the request log holds after the run (admin API). */
  logEntries: number;
}> {
  const emu = await startEmulatorProcess({ secondsPerBatch: EMULATOR_SECONDS_PER_BATCH, fixture: false, rateLimit: false, requestLogLimit });
  const raw = new RawClient(emu);
  try {
    const groups = groupIds(EMULATOR_GROUPS, "g");
    const res = await fetch(`${emu.url}/_emulator/fixture`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ groups: groups.map((groupId) => ({ groupId, instanceCount: EMULATOR_INSTANCES })) }),
    });
    if (!res.ok) throw new Error(`loading the fixture failed: ${res.status} ${await res.text()}`);
    let started = 0;
    for (let round = 0; started < EMULATOR_GROUPS * EMULATOR_ACTIVITY_ROUNDS; round++) {
      if (round > EMULATOR_ACTIVITY_ROUNDS * 5) throw new Error(`only ${started} activities started`);
      const codes = await raw.run(EMULATOR_GROUPS, async (i) => {
        const body = JSON.stringify({ AutoScalingGroupId: groups[i], RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
        return (await raw.send(raw.sign("StartInstanceRefresh", body), body)).Response.Error?.Code;
      });
      started += codes.filter((c) => c === undefined).length;
      await sleep(EMULATOR_SECONDS_PER_BATCH * 1000 * 3 + 50); // let the round finish
    }
    const statePeak = procStatusBytes(emu.pid, "VmHWM")!;

    const describeBody = (g: number) => JSON.stringify({ Filters: [{ Name: "auto-scaling-group-id", Values: [groups[g]] }], Limit: 20 });
    const signed = new Map<number, Record<string, string>>();
    const load = async (from: number, to: number) => {
      signed.clear(); // signatures stay valid for minutes: re-sign once per phase
      const codes = await raw.run(to - from, async (k) => {
        const g = (from + k) % groups.length;
        let headers = signed.get(g);
        if (!headers) signed.set(g, (headers = raw.sign("DescribeRefreshActivities", describeBody(g))));
        return (await raw.send(headers, describeBody(g))).Response.Error?.Code;
      });
      const bad = codes.filter((c) => c !== undefined);
      if (bad.length > 0) throw new Error(`${bad.length} requests failed, e.g. ${bad[0]}`);
    };
    await load(0, LOG_CHECK_FIRST);
    const rss10k = procStatusBytes(emu.pid, "VmRSS")!;
    await load(LOG_CHECK_FIRST, LOG_CHECK_TOTAL);
    const rss100k = procStatusBytes(emu.pid, "VmRSS")!;
    const finalPeak = procStatusBytes(emu.pid, "VmHWM")!;
    const logEntries = (await emu.admin.requests({ limit: CONTROL_RING_SIZE * 2 })).length;
    return { started, statePeak, finalPeak, rss10k, rss100k, logEntries };
  } finally {
    raw.close();
    await emu.stop();
  }
}
