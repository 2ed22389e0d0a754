/**
 * The provider implementations the serialized shims load from node_modules
 * (`pulumi-instance-refresh/dist/provider/host`): `provider` for Tencent Cloud and
 * `alicloudProvider` for Alibaba Cloud ESS, each a cloud's spec over the core's dynamic provider
 * (`core/dynamicProvider.ts`), which holds the configuration and credentials in memory and one
 * backend per region.
 */
import type { CancelSignal } from "./core/cancellation";
import { createDynamicProvider, type DynamicProviderOptions, type InstanceRefreshProvider } from "./core/dynamicProvider";
import type { RateLimiter } from "./core/rateLimit";
import type { Random, Sleep } from "./core/retry";
import { alicloudSpec, type AlicloudSpecOptions } from "./alibabacloud/providerSpec";
import type { AlicloudConfig } from "./alibabacloud/config";
import type { ProviderConfig } from "./tencentcloud/config";
import { tencentSpec, type TencentSpecOptions } from "./tencentcloud/providerSpec";

export type { InstanceRefreshProvider } from "./core/dynamicProvider";

/** Options of {@link createProvider}; all optional, for tests and embedding. */
export interface ProviderOptions extends DynamicProviderOptions<ProviderConfig>, TencentSpecOptions {
  /** Environment used when configure has not run or a config key is unset. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Configuration used instead of `configure`'s (tests). */
  readonly config?: Partial<ProviderConfig>;
  /** Per-action rate limiter shared by every client of this provider. @default one per process */
  readonly limiter?: RateLimiter;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Math.random */
  readonly random?: Random;
  /** Fires when the operation is cancelled. @default the engine's Cancel call (Ctrl-C) */
  readonly cancel?: CancelSignal;
}

/** Options of {@link createAlicloudProvider}; all optional, for tests and embedding. */
export interface AlicloudProviderOptions extends DynamicProviderOptions<AlicloudConfig>, AlicloudSpecOptions {}

/**
 * Builds a Tencent Cloud provider instance. `provider` below is the one the shim uses; tests build their own.
 * @example
 * const p = createProvider({ config: { credentials, region: "ap-guangzhou", endpoint: emu.url, pollIntervalMs: 50 } });
 * const { id, outs } = await p.create((await p.check({}, inputs)).inputs);
 */
export function createProvider(options: ProviderOptions = {}): InstanceRefreshProvider {
  return createDynamicProvider(tencentSpec(options), options);
}

/**
 * Builds an Alibaba Cloud ESS provider instance. `alicloudProvider` below is the one the shim uses.
 * @example
 * const p = createAlicloudProvider({ config: { credentials, region: "cn-hangzhou", endpoint: emu.url, pollIntervalMs: 50 } });
 */
export function createAlicloudProvider(options: AlicloudProviderOptions = {}): InstanceRefreshProvider {
  return createDynamicProvider(alicloudSpec(options), options);
}

/** The Tencent Cloud provider the serialized shim loads. Configured by the engine through `configure`. */
export const provider: InstanceRefreshProvider = createProvider();

/** The Alibaba Cloud ESS provider the serialized shim loads. Configured by the engine through `configure`. */
export const alicloudProvider: InstanceRefreshProvider = createAlicloudProvider();
