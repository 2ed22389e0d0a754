/**
 * The Alibaba Cloud provider's configuration: stack config keys first (the bridged `alicloud`
 * provider's), environment variables second (the Alibaba Cloud SDK's, then the bridged provider's
 * legacy `ALICLOUD_*`). Credentials stay in memory, in the configured provider instance only.
 */
import type { BaseConfig } from "../core/dynamicProvider";
import { OUTAGE_TOLERANCE_CONFIG_KEY } from "../core/outage";
import { DEFAULT_POLL_INTERVAL_MS } from "../core/poller";
import { DEFAULT_REQUEST_TIMEOUT_MS, type AlicloudCredentials } from "./client/client";

/** Stack configuration keys read by `configure`. */
export const ALICLOUD_CONFIG_KEYS = {
  accessKey: "alicloud:accessKey",
  secretKey: "alicloud:secretKey",
  securityToken: "alicloud:securityToken",
  region: "alicloud:region",
  endpoint: "instanceRefresh:alicloudEndpoint",
  pollIntervalMs: "instanceRefresh:pollIntervalMs",
  requestTimeoutMs: "instanceRefresh:requestTimeoutMs",
  outageToleranceSeconds: OUTAGE_TOLERANCE_CONFIG_KEY,
} as const;

/** Environment variables read when the matching config key is not set, first match wins. */
export const ALICLOUD_ENV_VARS: Readonly<Record<keyof typeof ALICLOUD_CONFIG_KEYS, readonly string[]>> = {
  accessKey: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
  secretKey: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
  securityToken: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
  region: ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"],
  endpoint: ["INSTANCE_REFRESH_ALICLOUD_ENDPOINT"],
  pollIntervalMs: ["INSTANCE_REFRESH_POLL_INTERVAL_MS"],
  requestTimeoutMs: ["INSTANCE_REFRESH_REQUEST_TIMEOUT_MS"],
  outageToleranceSeconds: ["INSTANCE_REFRESH_OUTAGE_TOLERANCE_SECONDS"],
};

/** How long a wait rides out an API that does not answer, seconds. @default 600 */
export const DEFAULT_ALICLOUD_OUTAGE_TOLERANCE_SECONDS = 600;

/** The resolved configuration of one Alibaba Cloud provider instance. */
export interface AlicloudConfig extends BaseConfig {
  /** Undefined when neither config nor environment has them; operations that call the API then fail. */
  readonly credentials?: AlicloudCredentials;
  /** Base URL of the ESS API. @default `https://ess.<region>.aliyuncs.com` */
  readonly endpoint?: string;
  /** @default 1000 */
  readonly pollIntervalMs: number;
  /** @default 10000 */
  readonly requestTimeoutMs: number;
}

/**
 * Resolves the configuration from a config getter and an environment.
 * @example resolveAlicloudConfig((k) => stackConfig[k], process.env).region // "cn-hangzhou"
 */
export function resolveAlicloudConfig(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv = process.env): AlicloudConfig {
  const lookup = (key: keyof typeof ALICLOUD_CONFIG_KEYS): string | undefined => {
    const fromConfig = get(ALICLOUD_CONFIG_KEYS[key]);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    return ALICLOUD_ENV_VARS[key].map((name) => env[name]).find((v) => v !== undefined && v !== "");
  };
  const positive = (key: keyof typeof ALICLOUD_CONFIG_KEYS, fallback: number, unit: string): number => {
    const value = lookup(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new Error(`${ALICLOUD_CONFIG_KEYS[key]} (or ${ALICLOUD_ENV_VARS[key].join(" / ")}) must be a positive number of ${unit}; got ${JSON.stringify(value)}`);
    }
    return parsed;
  };
  const accessKeyId = lookup("accessKey");
  const accessKeySecret = lookup("secretKey");
  const securityToken = lookup("securityToken");
  return {
    credentials: accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) } : undefined,
    region: lookup("region"),
    endpoint: lookup("endpoint"),
    pollIntervalMs: positive("pollIntervalMs", DEFAULT_POLL_INTERVAL_MS, "milliseconds"),
    requestTimeoutMs: positive("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, "milliseconds"),
    outageToleranceSeconds: positive("outageToleranceSeconds", DEFAULT_ALICLOUD_OUTAGE_TOLERANCE_SECONDS, "seconds"),
  };
}

/** The error raised when an operation needs the API and no credentials are configured. */
export function missingAlicloudCredentialsMessage(): string {
  return (
    `InstanceRefresh (Alibaba Cloud): no credentials. Set the stack config ${ALICLOUD_CONFIG_KEYS.accessKey} and ${ALICLOUD_CONFIG_KEYS.secretKey} ` +
    `(pulumi config set --secret ...), optionally ${ALICLOUD_CONFIG_KEYS.securityToken}, or the environment variables ` +
    `${ALICLOUD_ENV_VARS.accessKey.join(" / ")} and ${ALICLOUD_ENV_VARS.secretKey.join(" / ")} (optionally ${ALICLOUD_ENV_VARS.securityToken.join(" / ")}).`
  );
}

/** The error raised when no region is known. */
export function missingAlicloudRegionMessage(): string {
  return `InstanceRefresh (Alibaba Cloud): no region. Set the resource's region input, the stack config ${ALICLOUD_CONFIG_KEYS.region} or the environment variable ${ALICLOUD_ENV_VARS.region.join(" / ")}.`;
}
