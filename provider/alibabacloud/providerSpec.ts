/**
 * Alibaba Cloud ESS as a provider spec (`core/dynamicProvider.ts`): its configuration keys, its
 * client and backend per region, and its words for refused credentials.
 */
import type { CloudProviderSpec } from "../core/dynamicProvider";
import { createAlicloudBackend } from "./backend";
import { ALICLOUD_INPUTS, diffAlicloudInputs } from "./check";
import { createEssClient, type EssTransport } from "./client/client";
import { AlibabaCloudApiError } from "./client/errors";
import { missingAlicloudCredentialsMessage, missingAlicloudRegionMessage, resolveAlicloudConfig, type AlicloudConfig } from "./config";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, normalizeAlicloudInputs, type AlicloudInstanceRefreshInputs, type NormalizedAlicloudInputs } from "./settings";
import type { AlicloudInstanceRefreshOutputs, EssTask } from "./types";

/** Test seams of the Alibaba Cloud provider. */
export interface AlicloudSpecOptions {
  /** Replaces the SDK transport (tests). */
  readonly transport?: (region: string, config: AlicloudConfig) => EssTransport;
}

/** Codes of refused credentials. */
const AUTH_FAILURE = /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|MissingSecurityToken)/;

/**
 * The spec of the Alibaba Cloud InstanceRefresh provider.
 * @example createDynamicProvider(alicloudSpec(), { config: { region: "cn-hangzhou" } })
 */
export function alicloudSpec(options: AlicloudSpecOptions = {}): CloudProviderSpec<EssTask, NormalizedAlicloudInputs, AlicloudInstanceRefreshOutputs, AlicloudConfig> {
  return {
    schema: ALICLOUD_INPUTS,
    diff: diffAlicloudInputs,
    resolveConfig: resolveAlicloudConfig,
    backendFor(config, region, { limiter, sleep, random, now }) {
      if (!config.credentials) throw new Error(missingAlicloudCredentialsMessage());
      const client = createEssClient({
        credentials: config.credentials,
        region,
        endpoint: config.endpoint,
        requestTimeoutMs: config.requestTimeoutMs,
        transport: options.transport?.(region, config),
        limiter,
        retry: { sleep, random },
      });
      return createAlicloudBackend({ client, limiter, pollIntervalMs: config.pollIntervalMs, sleep, now });
    },
    missingRegionMessage: missingAlicloudRegionMessage,
    explainAuth(error, config) {
      if (!(error instanceof AlibabaCloudApiError) || !AUTH_FAILURE.test(error.code)) return undefined;
      const id = config.credentials?.accessKeyId.slice(0, 4) ?? "";
      return new Error(
        `Alibaba Cloud rejected the credentials (${error.code}: ${error.apiMessage}) for AccessKey ${id}***. ` +
          `Check alicloud:accessKey / alicloud:secretKey (or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET). Nothing was retried.`,
        { cause: error },
      );
    },
    normalizeLoose: (plain) => normalizeAlicloudInputs(plain as unknown as AlicloudInstanceRefreshInputs),
    regionOf: (inputs) => inputs.region,
    waitTimeoutSeconds: (inputs) => inputs?.wait.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    // A rollback is the task's own status: the task id is the rollback's.
    recordedRollbackId: () => undefined,
  };
}
