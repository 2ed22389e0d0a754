import { afterAll, beforeAll, beforeEach } from "vitest";
/** Shared setup of the provider's integration tests: an emulator, a provider pointed at it, a baseline input. */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CancelSignal } from "../../provider/core/cancellation";
import { createSdkTransport, type Transport } from "../../provider/tencentcloud/client/client";
import { createProvider, type InstanceRefreshProvider } from "../../provider/host";
import type { InstanceRefreshInputs } from "../../provider/tencentcloud/settings";

/** Group of the default fixture with 5 IN_SERVICE instances. */
export const GROUP = "asg-9dn1a5y6";
/** Second group of the default fixture. */
export const OTHER_GROUP = "asg-h7tgd87d";
export const REGION = "ap-guangzhou";
/** Poll interval of the tests, ms. */
export const POLL_MS = 40;

/** The one valid baseline every test starts from: 5 instances in 3 batches, no pause. */
export function baseline(overrides: Partial<InstanceRefreshInputs> = {}): InstanceRefreshInputs {
  return {
    autoScalingGroupId: GROUP,
    refreshSettings: { rollingUpdateSettings: { batchNumber: 3 } },
    wait: { timeoutSeconds: 30 },
    ...overrides,
  };
}

/** Baseline with rolling-update settings changed. */
export function withRolling(rolling: Partial<InstanceRefreshInputs["refreshSettings"]["rollingUpdateSettings"]>, overrides: Partial<InstanceRefreshInputs> = {}): InstanceRefreshInputs {
  const base = baseline(overrides);
  return { ...base, refreshSettings: { ...base.refreshSettings, rollingUpdateSettings: { ...base.refreshSettings.rollingUpdateSettings, ...rolling } } };
}

export interface Harness {
  emu: RunningEmulator;
  provider: InstanceRefreshProvider;
  logs: string[];
  /** check then create, as the engine does. */
  create(inputs: InstanceRefreshInputs): Promise<{ id: string; outs: Record<string, unknown> }>;
  /** check then update. */
  update(id: string, olds: Record<string, unknown>, inputs: InstanceRefreshInputs): Promise<{ outs: Record<string, unknown> }>;
  /** Checked (normalized) inputs. */
  checked(inputs: InstanceRefreshInputs): Promise<Record<string, unknown>>;
}

/** Options of {@link providerFor}. */
export interface ProviderForOptions {
  secretKey?: string;
  secretId?: string;
  requestTimeoutMs?: number;
  outageToleranceSeconds?: number;
  /** The test's own Ctrl-C switch. @default a fresh signal, never the process's engine hook */
  cancel?: CancelSignal;
  /** Wraps the SDK transport (to act between the provider and the API). */
  transport?: (sdk: Transport) => Transport;
}

/** A provider configured for `emu` with fast polling and its log captured. */
export function providerFor(emu: RunningEmulator, options: ProviderForOptions = {}) {
  const logs: string[] = [];
  const wrap = options.transport;
  const provider = createProvider({
    env: {},
    config: {
      credentials: { secretId: options.secretId ?? emu.secretId, secretKey: options.secretKey ?? emu.secretKey },
      region: REGION,
      endpoint: emu.url,
      pollIntervalMs: POLL_MS,
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
      ...(options.outageToleranceSeconds === undefined ? {} : { outageToleranceSeconds: options.outageToleranceSeconds }),
    },
    log: (line) => logs.push(line),
    retry: { baseDelayMs: 10, throttlingBaseDelayMs: 20 },
    cancel: options.cancel ?? new CancelSignal(),
    transport: wrap ? (region, config) => wrap(createSdkTransport({ ...config, credentials: config.credentials!, region })) : undefined,
  });
  return { provider, logs };
}

/** Runs check as the engine does and returns the normalized inputs (throws on a failure). */
export async function checkedInputs(provider: InstanceRefreshProvider, inputs: InstanceRefreshInputs): Promise<Record<string, unknown>> {
  const result = await provider.check({}, inputs as unknown as Record<string, unknown>);
  if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs as Record<string, unknown>;
}

/** Starts an emulator (real clock, fast batches) and a provider for it. */
export async function startHarness(secondsPerBatch = 0.15): Promise<Harness> {
  const emu = await startEmulator({ port: 0, secondsPerBatch, rateLimit: false });
  const { provider, logs } = providerFor(emu);
  const checked = (inputs: InstanceRefreshInputs) => checkedInputs(provider, inputs);
  return {
    emu,
    provider,
    logs,
    checked,
    create: async (inputs) => (await provider.create(await checked(inputs))) as { id: string; outs: Record<string, unknown> },
    update: async (id, olds, inputs) => (await provider.update(id, olds, await checked(inputs))) as { outs: Record<string, unknown> },
  };
}

/**
 * Registers the suite hooks around one harness: start it before all tests, reset the emulator (state,
 * faults, request log) and the captured logs before each, stop it after all. The returned object is
 * filled in by the first hook, so tests use it as a plain Harness.
 */
export function useHarness(secondsPerBatch?: number): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness(secondsPerBatch));
  });
  afterAll(async () => {
    await h.emu?.stop();
  });
  beforeEach(async () => {
    await h.emu.admin.reset();
    h.logs.length = 0;
  });
  return h;
}

/** Requests the emulator logged for `action`. */
export async function requestCount(h: Harness, action: string): Promise<number> {
  return (await h.emu.admin.requests({ action })).length;
}

/** Waits until `predicate` holds, polling every 20 ms. */
export async function eventually<T>(probe: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
