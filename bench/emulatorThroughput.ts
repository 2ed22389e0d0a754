/**
 * Figure 6 — emulator throughput: signed requests per second the emulator (its own process, rate
 * limit off) serves on loopback to the real SDK client (`tencentcloud-sdk-nodejs`, AS module,
 * keep-alive agent) at a concurrency of 32. The server's CPU time per request is read from
 * `/proc/<pid>/stat`, which shows what the server alone could sustain.
 */
import * as http from "node:http";
import type { FigureRunner } from "./figure";
import { procCpuMs, round, sleep } from "./measure";
import { startEmulatorProcess } from "./stack";

/** Requests in flight at once. */
export const THROUGHPUT_CONCURRENCY = 32;
/** Unmeasured warm-up, then the measured window, ms. */
export const THROUGHPUT_WARMUP_MS = 1_500;
export const THROUGHPUT_DURATION_MS = 6_000;
/** Goal, requests/second. */
export const THROUGHPUT_GOAL_RPS = 1_000;
/** A group of the default fixture. */
export const THROUGHPUT_GROUP_ID = "asg-9dn1a5y6";

interface AsClient {
  DescribeRefreshActivities(req: object): Promise<unknown>;
}

export const emulatorThroughput: FigureRunner = async (log) => {
  const emu = await startEmulatorProcess({ rateLimit: false });
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/as").as.v20180419 as { Client: new (c: unknown) => AsClient };
  const agent = new http.Agent({ keepAlive: true, maxSockets: THROUGHPUT_CONCURRENCY });
  const endpoint = new URL(emu.url).host;
  const client = new Client({
    credential: { secretId: emu.secretId, secretKey: emu.secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint, protocol: "http://", reqTimeout: 30, agent } },
  });
  const request = { Filters: [{ Name: "auto-scaling-group-id", Values: [THROUGHPUT_GROUP_ID] }], Limit: 20 };
  let phase: "warmup" | "measure" | "stop" = "warmup";
  let ok = 0;
  let errors = 0;
  try {
    const worker = async () => {
      while (phase !== "stop") {
        try {
          await client.DescribeRefreshActivities(request);
          if (phase === "measure") ok++;
        } catch {
          if (phase === "measure") errors++;
        }
      }
    };
    const workers = Array.from({ length: THROUGHPUT_CONCURRENCY }, worker);
    await sleep(THROUGHPUT_WARMUP_MS);
    const serverCpu0 = procCpuMs(emu.pid)!;
    const clientCpu0 = process.cpuUsage();
    const t0 = performance.now();
    phase = "measure";
    await sleep(THROUGHPUT_DURATION_MS);
    phase = "stop";
    const seconds = (performance.now() - t0) / 1000;
    const serverCpuMs = procCpuMs(emu.pid)! - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    await Promise.all(workers);
    const rps = ok / seconds;
    const serverMsPerRequest = serverCpuMs / ok;
    const clientMsPerRequest = (clientCpu.user + clientCpu.system) / 1000 / ok;
    log(`${ok} ok, ${errors} errors in ${seconds.toFixed(1)} s: ${rps.toFixed(0)} req/s; server ${serverMsPerRequest.toFixed(3)} ms CPU/request, client ${clientMsPerRequest.toFixed(3)}`);
    if (errors > 0) throw new Error(`${errors} requests failed`);
    return [
      {
        name: "emulator-throughput",
        value: Math.round(rps),
        unit: "signed requests/s (SDK client, concurrency 32)",
        goal: `>= ${THROUGHPUT_GOAL_RPS}`,
        met: rps >= THROUGHPUT_GOAL_RPS,
        note:
          `DescribeRefreshActivities filtered by group, real SDK client with a keep-alive http.Agent, ${THROUGHPUT_CONCURRENCY} in flight, ` +
          `emulator in its own process (rate limit off), ${THROUGHPUT_DURATION_MS / 1000} s after a ${THROUGHPUT_WARMUP_MS / 1000} s warm-up, ${errors} errors. ` +
          `CPU per request: server ${serverMsPerRequest.toFixed(3)} ms (so one core of server alone ≈ ${Math.round(1000 / serverMsPerRequest)} req/s), ` +
          `client (signing, SDK) ${clientMsPerRequest.toFixed(3)} ms — client and server share the 2 cores.`,
      },
      { name: "emulator-cpu-per-request", value: round(serverMsPerRequest, 3), unit: "ms server CPU/request" },
    ];
  } finally {
    phase = "stop";
    agent.destroy();
    await emu.stop();
  }
};
