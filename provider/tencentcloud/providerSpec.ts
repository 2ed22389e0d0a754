/**
 * Tencent Cloud AS as a provider spec (`core/dynamicProvider.ts`): its configuration keys, its
 * client and backend per region, and its words for refused credentials.
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { CloudProviderSpec } from "../core/dynamicProvider";
import { RetryStrategy, type RetryOptions } from "./client/retry";
import { createTencentBackend } from "./backend";
import { TENCENT_INPUTS, diffInputs } from "./check";
import { createAutoScalingClient, type Transport } from "./client/client";
import { isAuthFailure } from "./client/errors";
import { missingCredentialsMessage, missingRegionMessage, resolveConfig, type ProviderConfig } from "./config";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, normalizeInputs, type InstanceRefreshInputs, type NormalizedInputs } from "./settings";
import type { InstanceRefreshOutputs } from "./types";

/** Test seams of the Tencent provider. */
export interface TencentSpecOptions {
  /** Replaces the SDK transport (tests). */
  readonly transport?: (region: string, config: ProviderConfig) => Transport;
  /** Retry tuning of the reads. */
  readonly retry?: Omit<RetryOptions, "sleep" | "random" | "classify">;
}

/**
 * The spec of the Tencent Cloud InstanceRefresh provider.
 * @example createDynamicProvider(tencentSpec(), { config: { region: "ap-guangzhou" } })
 */
export function tencentSpec(options: TencentSpecOptions = {}): CloudProviderSpec<RefreshActivity, NormalizedInputs, InstanceRefreshOutputs, ProviderConfig> {
  return {
    schema: TENCENT_INPUTS,
    diff: diffInputs,
    resolveConfig,
    backendFor(config, region, { limiter, sleep, random, now }) {
      if (!config.credentials) throw new Error(missingCredentialsMessage());
      const client = createAutoScalingClient({
        credentials: config.credentials,
        region,
        endpoint: config.endpoint,
        requestTimeoutMs: config.requestTimeoutMs,
        transport: options.transport?.(region, config),
        limiter,
        retry: new RetryStrategy({ ...options.retry, sleep, random }),
      });
      return createTencentBackend({ client, limiter, pollIntervalMs: config.pollIntervalMs, sleep, now });
    },
    missingRegionMessage,
    explainAuth(error, config) {
      if (!isAuthFailure(error)) return undefined;
      const id = config.credentials?.secretId.slice(0, 4) ?? "";
      return new Error(
        `Tencent Cloud rejected the credentials (${error.code}: ${error.apiMessage}) for SecretId ${id}***. ` +
          `Check tencentcloud:secretId / tencentcloud:secretKey (or TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY). Nothing was retried.`,
        { cause: error },
      );
    },
    normalizeLoose: (plain) => normalizeInputs(plain as unknown as InstanceRefreshInputs),
    regionOf: (inputs) => inputs.region,
    waitTimeoutSeconds: (inputs) => inputs?.wait.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    recordedRollbackId: (props) => (typeof props.rollbackActivityId === "string" ? props.rollbackActivityId : undefined),
  };
}
