/**
 * The provider implementation the serialized shim loads from node_modules
 * (`pulumi-instance-refresh/dist/provider/host`). It holds the configuration and credentials in
 * memory, one Tencent backend (client, coalesced reads, shared poller) per region, and runs the
 * core's flows (`core/lifecycle.ts`, `core/teardown.ts`) over it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CancelSignal } from "./core/cancellation";
import { createAutoScalingClient, type Transport } from "./tencentcloud/client/client";
import { isAuthFailure } from "./tencentcloud/client/errors";
import { RateLimiter } from "./core/rateLimit";
import { realSleep, RetryStrategy, type Random, type RetryOptions, type Sleep } from "./tencentcloud/client/retry";
import { PROVIDER_KEY, checkInputs, diffInputs, pickInputs, tryNormalize } from "./tencentcloud/check";
import { missingCredentialsMessage, missingRegionMessage, resolveConfig, type ProviderConfig } from "./tencentcloud/config";
import { engineLogger } from "./core/engineLog";
import { InstanceRefreshFailure, InstanceRefreshRejected } from "./core/errors";
import { engineCancelSignal } from "./core/hostHooks";
import type { FlowContext } from "./core/context";
import { createFlow, readFlow, updateFlow } from "./core/lifecycle";
import { deleteFlow } from "./core/teardown";
import { createTencentBackend } from "./tencentcloud/backend";
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { InstanceRefreshOutputs } from "./tencentcloud/types";
import { guardAgainstOrphaning } from "./core/orphanGuard";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, normalizeInputs, validateInputs, type InstanceRefreshInputs, type NormalizedInputs } from "./tencentcloud/settings";

/** Options of {@link createProvider}; all optional, for tests and embedding. */
export interface ProviderOptions {
  /** Environment used when configure has not run or a config key is unset. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Configuration used instead of `configure`'s (tests). */
  readonly config?: Partial<ProviderConfig>;
  /** Where progress lines go. @default the engine's log, attached to the resource (console.log where that is not possible) */
  readonly log?: (line: string) => void;
  /** Replaces the SDK transport (tests). */
  readonly transport?: (region: string, config: ProviderConfig) => Transport;
  /** Retry tuning of the reads. */
  readonly retry?: Omit<RetryOptions, "sleep" | "random" | "classify">;
  /** Per-action rate limiter shared by every client of this provider. @default one per provider */
  readonly limiter?: RateLimiter;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Math.random */
  readonly random?: Random;
  /** @default Date.now */
  readonly now?: () => number;
  /** Fires when the operation is cancelled. @default the engine's Cancel call (Ctrl-C), see `core/hostHooks.ts` */
  readonly cancel?: CancelSignal;
}

/** The flows' context of one region. */
type TencentFlowContext = FlowContext<RefreshActivity, NormalizedInputs, InstanceRefreshOutputs>;

/** A dynamic provider with every method defined. */
export type InstanceRefreshProvider = Required<pulumi.dynamic.ResourceProvider>;

/** Process-wide limiter: the API's limit is per action, whatever the number of providers. */
const processLimiter = new RateLimiter();

/**
 * Builds a provider instance. `provider` below is the one the shim uses; tests build their own.
 * @example
 * const p = createProvider({ config: { credentials, region: "ap-guangzhou", endpoint: emu.url, pollIntervalMs: 50 } });
 * const { id, outs } = await p.create((await p.check({}, inputs)).inputs);
 */
export function createProvider(options: ProviderOptions = {}): InstanceRefreshProvider {
  const engineLog = options.log ? undefined : engineLogger();
  const log = options.log ?? engineLog!;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? processLimiter;
  const cancel = options.cancel ?? engineCancelSignal();
  let config: ProviderConfig | undefined;
  const regions = new Map<string, TencentFlowContext>();

  const currentConfig = (): ProviderConfig => {
    config ??= { ...resolveConfig(() => undefined, options.env ?? process.env), ...stripUndefined(options.config ?? {}) };
    return config;
  };

  const contextFor = (region: string | undefined): TencentFlowContext => {
    const cfg = currentConfig();
    const resolved = region ?? cfg.region;
    if (!resolved) throw new Error(missingRegionMessage());
    const existing = regions.get(resolved);
    if (existing) return existing;
    if (!cfg.credentials) throw new Error(missingCredentialsMessage());
    const client = createAutoScalingClient({
      credentials: cfg.credentials,
      region: resolved,
      endpoint: cfg.endpoint,
      requestTimeoutMs: cfg.requestTimeoutMs,
      transport: options.transport?.(resolved, cfg),
      limiter,
      retry: new RetryStrategy({ ...options.retry, sleep, random }),
    });
    const backend = createTencentBackend({ client, limiter, pollIntervalMs: cfg.pollIntervalMs, sleep, now });
    const ctx: TencentFlowContext = {
      backend,
      classify: backend.classify,
      log,
      sleep,
      random,
      now,
      cancel,
      outageToleranceMs: cfg.outageToleranceSeconds * 1000,
    };
    regions.set(resolved, ctx);
    return ctx;
  };

  /** Wrong credentials end the operation with one clear message. */
  const explainAuth = (error: unknown): unknown => {
    if (!isAuthFailure(error)) return error;
    const id = currentConfig().credentials?.secretId.slice(0, 4) ?? "";
    return new Error(
      `Tencent Cloud rejected the credentials (${error.code}: ${error.apiMessage}) for SecretId ${id}***. ` +
        `Check tencentcloud:secretId / tencentcloud:secretKey (or TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY). Nothing was retried.`,
      { cause: error },
    );
  };

  const inputsOf = (props: Record<string, unknown>, what: string): NormalizedInputs => {
    const plain = pickInputs(props);
    const violations = validateInputs(plain);
    if (violations.length > 0) {
      throw new InstanceRefreshRejected(`${what}: invalid inputs: ${violations.map((v) => `${v.property} ${v.reason}`).join("; ")}`, violations[0].property);
    }
    return tryNormalize(plain)!;
  };

  /**
   * Runs a flow. A partial failure also records the engine-owned `__provider`: without it the
   * engine could not load the provider again to refresh, update or delete the recorded resource.
   */
  const guard = async <T>(run: () => Promise<T>, props: Record<string, unknown> = {}): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InstanceRefreshFailure && props[PROVIDER_KEY] !== undefined) {
        throw error.withProperties({ [PROVIDER_KEY]: props[PROVIDER_KEY] });
      }
      throw explainAuth(error);
    } finally {
      // Every progress line reaches the engine before the operation it belongs to ends.
      await engineLog?.flush();
    }
  };

  /**
   * Inputs recorded in state, for read: validated when possible, but a record that a stricter
   * release no longer accepts is still read back (with a notice), so `pulumi refresh` never breaks
   * on existing state.
   */
  const recordedInputs = (props: Record<string, unknown>, id: string): NormalizedInputs => {
    const normalized = tryNormalize(props);
    if (normalized) return normalized;
    const plain = pickInputs(props);
    const violations = validateInputs(plain).map((v) => `${v.property} ${v.reason}`);
    log(`${String(plain.autoScalingGroupId ?? "")} ${id}: the inputs recorded in state no longer pass validation (${violations.join("; ")}); reading the refresh back anyway. Fix them in the program before the next \`pulumi up\`.`);
    return normalizeInputs(plain as unknown as InstanceRefreshInputs);
  };

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      guardAgainstOrphaning();
      config = { ...resolveConfig((key) => req.config.get(key), options.env ?? process.env), ...stripUndefined(options.config ?? {}) };
      regions.clear();
    },

    async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
      return checkInputs(news, olds);
    },

    async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      return diffInputs(id, olds, news);
    },

    async create(props: Record<string, unknown>) {
      const inputs = inputsOf(props, "create");
      return guard(() => createFlow(contextFor(inputs.region), inputs), props);
    },

    async read(id: string, props?: Record<string, unknown>) {
      const inputs = recordedInputs(props ?? {}, id);
      const result = await guard(() => readFlow(contextFor(inputs.region), id, inputs));
      // An empty id tells the engine the resource is gone.
      if (!result) return { id: "", props: {} };
      return { id, props: { ...result.outs, paused: result.paused }, inputs: { ...inputs, paused: result.paused } };
    },

    async update(id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      const inputs = inputsOf(news, "update");
      const { outs } = await guard(() => updateFlow(contextFor(inputs.region), id, inputs), news);
      return { outs };
    },

    async delete(id: string, props: Record<string, unknown>) {
      const inputs = tryNormalize(props);
      const groupId = inputs?.autoScalingGroupId ?? String(props.autoScalingGroupId ?? "");
      const region = inputs?.region ?? (typeof props.region === "string" ? props.region : undefined);
      const timeoutSeconds = inputs?.wait.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
      const rollbackActivityId = inputs?.rollback && typeof props.rollbackActivityId === "string" ? props.rollbackActivityId : undefined;
      await guard(() => deleteFlow(contextFor(region), { id, groupId, timeoutSeconds, rollback: inputs?.rollback === true, rollbackActivityId }));
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The provider the serialized shim loads. Configured by the engine through `configure`. */
export const provider: InstanceRefreshProvider = createProvider();
