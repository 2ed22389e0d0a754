/**
 * Provider configuration: stack config keys first (the same keys as the bridged
 * `@tencentcloud_iac/pulumi` provider), environment variables second. Credentials stay in memory,
 * in the configured provider instance only.
 */
import type { Credentials } from "./client/client";
import { DEFAULT_ENDPOINT, DEFAULT_REQUEST_TIMEOUT_MS } from "./client/client";
import { OUTAGE_TOLERANCE_CONFIG_KEY } from "../core/outage";
import { DEFAULT_POLL_INTERVAL_MS } from "./poller";

/** Stack configuration keys read by `configure`. */
export const CONFIG_KEYS = {
  secretId: "tencentcloud:secretId",
  secretKey: "tencentcloud:secretKey",
  securityToken: "tencentcloud:securityToken",
  region: "tencentcloud:region",
  endpoint: "instanceRefresh:endpoint",
  pollIntervalMs: "instanceRefresh:pollIntervalMs",
  requestTimeoutMs: "instanceRefresh:requestTimeoutMs",
  outageToleranceSeconds: OUTAGE_TOLERANCE_CONFIG_KEY,
} as const;

/** Environment variables used when the matching config key is not set. */
export const ENV_VARS = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  securityToken: "TENCENTCLOUD_SESSION_TOKEN",
  region: "TENCENTCLOUD_REGION",
  endpoint: "INSTANCE_REFRESH_ENDPOINT",
  pollIntervalMs: "INSTANCE_REFRESH_POLL_INTERVAL_MS",
  requestTimeoutMs: "INSTANCE_REFRESH_REQUEST_TIMEOUT_MS",
  outageToleranceSeconds: "INSTANCE_REFRESH_OUTAGE_TOLERANCE_SECONDS",
} as const;

/**
 * How long a wait rides out an API that does not answer (refused connections, timeouts, 5xx,
 * throttling) before it gives up, in seconds. The refresh goes on in the cloud meanwhile.
 * @default 600
 */
export const DEFAULT_OUTAGE_TOLERANCE_SECONDS = 600;

/** The resolved configuration of one provider instance. */
export interface ProviderConfig {
  /** Undefined when neither config nor environment has them; operations that call the API then fail. */
  readonly credentials?: Credentials;
  /** Default region; the `region` input overrides it per resource. */
  readonly region?: string;
  /** Base URL of the API. @default "https://as.tencentcloudapi.com" */
  readonly endpoint: string;
  /** @default 1000 */
  readonly pollIntervalMs: number;
  /** @default 10000 */
  readonly requestTimeoutMs: number;
  /** @default DEFAULT_OUTAGE_TOLERANCE_SECONDS */
  readonly outageToleranceSeconds: number;
}

/** Reads one value: config key first, then environment variable; blank counts as unset. */
type Lookup = (key: keyof typeof CONFIG_KEYS) => string | undefined;

/**
 * Resolves the configuration from a config getter and an environment.
 * @example resolveConfig((k) => stackConfig[k], process.env).endpoint // "https://as.tencentcloudapi.com"
 */
export function resolveConfig(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const lookup: Lookup = (key) => {
    const fromConfig = get(CONFIG_KEYS[key]);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    const fromEnv = env[ENV_VARS[key]];
    return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
  };
  const secretId = lookup("secretId");
  const secretKey = lookup("secretKey");
  const token = lookup("securityToken");
  return {
    credentials: secretId && secretKey ? { secretId, secretKey, ...(token ? { token } : {}) } : undefined,
    region: lookup("region"),
    endpoint: lookup("endpoint") ?? DEFAULT_ENDPOINT,
    pollIntervalMs: positiveNumber(lookup("pollIntervalMs"), DEFAULT_POLL_INTERVAL_MS, "pollIntervalMs", "milliseconds"),
    requestTimeoutMs: positiveNumber(lookup("requestTimeoutMs"), DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs", "milliseconds"),
    outageToleranceSeconds: positiveNumber(lookup("outageToleranceSeconds"), DEFAULT_OUTAGE_TOLERANCE_SECONDS, "outageToleranceSeconds", "seconds"),
  };
}

function positiveNumber(value: string | undefined, fallback: number, key: keyof typeof CONFIG_KEYS, unit: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${CONFIG_KEYS[key]} (or ${ENV_VARS[key]}) must be a positive number of ${unit}; got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** The error raised when an operation needs the API and no credentials are configured. */
export function missingCredentialsMessage(): string {
  return (
    `InstanceRefresh: no Tencent Cloud credentials. Set the stack config ${CONFIG_KEYS.secretId} and ${CONFIG_KEYS.secretKey} ` +
    `(pulumi config set --secret ...), optionally ${CONFIG_KEYS.securityToken}, or the environment variables ` +
    `${ENV_VARS.secretId} and ${ENV_VARS.secretKey} (optionally ${ENV_VARS.securityToken}).`
  );
}

/** The error raised when no region is known. */
export function missingRegionMessage(): string {
  return `InstanceRefresh: no region. Set the resource's region input, the stack config ${CONFIG_KEYS.region} or the environment variable ${ENV_VARS.region}.`;
}
