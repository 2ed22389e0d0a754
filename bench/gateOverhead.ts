/**
 * Figure — what a health gate adds to a rollout beyond its soak time.
 *
 * Method (side by side, alternating, in one process): the Tencent provider creates a 3-batch canary
 * refresh (`BATCH_INTERVAL_PAUSE`: a gate after batches 1 and 2) on an in-process emulator whose
 * batches end at once (`immediate` pace), polling every GATE_POLL_INTERVAL_MS.
 * - A: with `gate` (soak GATE_SOAK_SECONDS, one sample per GATE_INTERVAL_SECONDS, on a local health
 *   endpoint that answers 200).
 * - B: without a gate, with `approvedBatches` opening both pauses (the provider resumes them itself).
 * Overhead per gate = (median(A) − median(B)) / gates − soak: the probing, the decision and the
 * resume's extra reads. The gates' soak time itself is the user's choice, not overhead.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock, startEmulator } from "../emulator";
import { CancelSignal } from "../provider/core/cancellation";
import { RateLimiter } from "../provider/core/rateLimit";
import { createProvider } from "../provider/host";
import type { FigureRunner } from "./figure";
import { median, round } from "./measure";

/** Measured pairs (after one unmeasured warm-up pair). */
export const GATE_SAMPLES = 5;
/** The gate's soak and sampling interval, seconds. */
export const GATE_SOAK_SECONDS = 2;
export const GATE_INTERVAL_SECONDS = 1;
/** The provider's poll interval in this figure, ms. */
export const GATE_POLL_INTERVAL_MS = 100;
/** Batches of the refresh (a gate after each but the last). */
export const GATE_BATCHES = 3;
/** Goal: under half a second per gate beyond its soak. */
export const GATE_OVERHEAD_GOAL_MS = 500;

export const gateOverhead: FigureRunner = async (log) => {
  const emu = await startEmulator({ fixture: false, rateLimit: false, clock: new ManualClock() });
  const health = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => health.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
  const provider = createProvider({
    config: { credentials: { secretId: emu.secretId, secretKey: emu.secretKey }, region: "ap-guangzhou", endpoint: emu.url, pollIntervalMs: GATE_POLL_INTERVAL_MS },
    log: () => undefined,
    limiter: new RateLimiter({ limitPerSecond: 1000 }),
    cancel: new CancelSignal(),
  });
  const run = async (gated: boolean): Promise<number> => {
    await emu.admin.reset({ empty: true });
    await emu.admin.setPace({ mode: "immediate" });
    const { groupId } = await emu.admin.seedGroup({ instanceCount: GATE_BATCHES });
    const inputs = {
      autoScalingGroupId: groupId,
      refreshSettings: { rollingUpdateSettings: { batchNumber: GATE_BATCHES, batchPause: "BATCH_INTERVAL_PAUSE" } },
      ...(gated
        ? { gate: { http: { url }, soakSeconds: GATE_SOAK_SECONDS, intervalSeconds: GATE_INTERVAL_SECONDS } }
        : { approvedBatches: GATE_BATCHES }),
    };
    const { inputs: checked, failures } = await provider.check({}, inputs);
    if (failures?.length) throw new Error(`invalid inputs: ${JSON.stringify(failures)}`);
    const started = performance.now();
    const { outs } = await provider.create(checked);
    const ms = performance.now() - started;
    if ((outs as { status?: string }).status !== "SUCCESSFUL") throw new Error(`ended ${(outs as { status?: string }).status}`);
    return ms;
  };
  const withGate: number[] = [];
  const withoutGate: number[] = [];
  try {
    await run(true);
    await run(false);
    for (let i = 0; i < GATE_SAMPLES; i++) {
      withGate.push(await run(true));
      withoutGate.push(await run(false));
    }
  } finally {
    health.close();
    await emu.stop();
  }
  const gates = GATE_BATCHES - 1;
  const perGate = (median(withGate) - median(withoutGate)) / gates - GATE_SOAK_SECONDS * 1000;
  log(`with gate ${withGate.map((m) => Math.round(m)).join(", ")} ms; without ${withoutGate.map((m) => Math.round(m)).join(", ")} ms`);
  return [
    {
      name: "gate-overhead-per-gate",
      value: round(perGate, 0),
      unit: "ms per gate beyond its soak",
      goal: `< ${GATE_OVERHEAD_GOAL_MS}`,
      met: perGate < GATE_OVERHEAD_GOAL_MS,
      note:
        `${GATE_BATCHES}-batch canary refresh (${gates} gates), soak ${GATE_SOAK_SECONDS} s sampled every ${GATE_INTERVAL_SECONDS} s, poll ${GATE_POLL_INTERVAL_MS} ms, ` +
        `emulator pace immediate, provider in process. Median create: ${Math.round(median(withGate))} ms with the gate, ` +
        `${Math.round(median(withoutGate))} ms with approvedBatches instead (${GATE_SAMPLES} alternating pairs after a warm-up pair). ` +
        `Overhead = (difference / ${gates}) − soak.`,
    },
  ];
};
