/**
 * The Auto Scaling client the provider uses: one per configured provider, every action behind the
 * per-action rate limiter, reads behind the retry strategy. The SDK's AS module is required lazily,
 * on the first call, and only that module (not the whole SDK).
 */
import type * as http from "node:http";
import type * as Models from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import { fromSdkError } from "./errors";
import { RateLimiter } from "../../core/rateLimit";
import { credentialRedactor } from "../../core/redact";
import { RetryStrategy, type RetryOptions } from "./retry";

/** The SDK module this client loads (AS only: ~60 ms instead of ~360 ms for the whole SDK). */
export const SDK_AS_MODULE = "tencentcloud-sdk-nodejs/tencentcloud/services/as";
/** The public endpoint of Auto Scaling. */
export const DEFAULT_ENDPOINT = "https://as.tencentcloudapi.com";
/**
 * Per-request timeout, ms (the SDK's own default is 60 s). Control-plane calls answer in well under
 * a second; a request still silent after 10 s is lost, and the retry or the wait's outage tolerance
 * takes over. @default 10000
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Actions that change nothing and may be retried freely. */
export const READ_ACTIONS: ReadonlySet<string> = new Set([
  "DescribeRefreshActivities",
  "DescribeAutoScalingGroups",
  "DescribeAutoScalingInstances",
]);

/** API credentials. They live only in the client, never in state, outputs, logs or errors. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials. */
  readonly token?: string;
}

/** Sends one signed API call and returns the `Response` object (without the envelope). */
export type Transport = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Options of {@link createAutoScalingClient}. */
export interface ClientOptions {
  readonly credentials: Credentials;
  /** e.g. `ap-guangzhou`. */
  readonly region: string;
  /** Base URL, e.g. `http://127.0.0.1:8123`. @default DEFAULT_ENDPOINT */
  readonly endpoint?: string;
  /** @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
  /** Replaces the SDK (tests). @default an SDK-backed transport */
  readonly transport?: Transport;
  /** Retry tuning for reads, or a ready strategy to share. */
  readonly retry?: RetryOptions | RetryStrategy;
  /** Limiter to share; by default one per client. */
  readonly limiter?: RateLimiter;
}

/** The calls the provider makes, typed with the SDK's models. */
export interface AutoScalingClient {
  startInstanceRefresh(req: Models.StartInstanceRefreshRequest): Promise<Models.StartInstanceRefreshResponse>;
  stopInstanceRefresh(req: Models.StopInstanceRefreshRequest): Promise<Models.StopInstanceRefreshResponse>;
  resumeInstanceRefresh(req: Models.ResumeInstanceRefreshRequest): Promise<Models.ResumeInstanceRefreshResponse>;
  cancelInstanceRefresh(req: Models.CancelInstanceRefreshRequest): Promise<Models.CancelInstanceRefreshResponse>;
  rollbackInstanceRefresh(req: Models.RollbackInstanceRefreshRequest): Promise<Models.RollbackInstanceRefreshResponse>;
  describeRefreshActivities(req: Models.DescribeRefreshActivitiesRequest): Promise<Models.DescribeRefreshActivitiesResponse>;
  describeAutoScalingGroups(req: Models.DescribeAutoScalingGroupsRequest): Promise<Models.DescribeAutoScalingGroupsResponse>;
  describeAutoScalingInstances(req: Models.DescribeAutoScalingInstancesRequest): Promise<Models.DescribeAutoScalingInstancesResponse>;
  /** The retry strategy of the reads (its quota is shared by all of them). */
  readonly retry: RetryStrategy;
}

/** Splits a base URL into the SDK's `protocol` and `endpoint` (host[:port]). */
export function parseEndpoint(endpoint: string): { protocol: "http://" | "https://"; host: string } {
  const withScheme = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`instanceRefresh:endpoint must be a URL such as "http://127.0.0.1:8123"; got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`instanceRefresh:endpoint must use http or https; got ${JSON.stringify(endpoint)}`);
  }
  return { protocol: url.protocol === "http:" ? "http://" : "https://", host: url.host };
}

/** Builds a function that replaces the credentials in a text. */
export const makeRedactor = (credentials: Credentials): ((text: string) => string) =>
  credentialRedactor({ id: credentials.secretId, secrets: [credentials.secretKey, credentials.token] });

/** A transport over the real SDK; the AS module is loaded on the first call. */
export function createSdkTransport(options: Pick<ClientOptions, "credentials" | "region" | "endpoint" | "requestTimeoutMs">): Transport {
  let client: { request(action: string, req: unknown): Promise<Record<string, unknown>> } | undefined;
  const load = () => {
    if (client) return client;
    const { protocol, host } = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
    // An explicit agent: the SDK would otherwise route through $http_proxy (it ignores NO_PROXY).
    const agentModule: typeof http = protocol === "http://" ? require("node:http") : require("node:https");
    const agent = new agentModule.Agent({ keepAlive: true });
    const { Client } = require(SDK_AS_MODULE).as.v20180419;
    client = new Client({
      credential: { secretId: options.credentials.secretId, secretKey: options.credentials.secretKey, token: options.credentials.token },
      region: options.region,
      profile: {
        httpProfile: {
          endpoint: host,
          protocol,
          reqTimeout: Math.max(1, Math.ceil((options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) / 1000)),
          agent,
        },
      },
    });
    return client!;
  };
  return (action, params) => load().request(action, params);
}

/**
 * Creates the client of one configured provider.
 * @example
 * const client = createAutoScalingClient({ credentials: { secretId, secretKey }, region: "ap-guangzhou", endpoint: "http://127.0.0.1:8123" });
 * const { RefreshActivitySet } = await client.describeRefreshActivities({ RefreshActivityIds: ["asr-12345678"] });
 */
export function createAutoScalingClient(options: ClientOptions): AutoScalingClient {
  const transport = options.transport ?? createSdkTransport(options);
  const limiter = options.limiter ?? new RateLimiter();
  const retry = options.retry instanceof RetryStrategy ? options.retry : new RetryStrategy(options.retry);
  const redact = makeRedactor(options.credentials);

  const once = async (action: string, params: object): Promise<never> => {
    await limiter.acquire(action);
    try {
      return (await transport(action, params as Record<string, unknown>)) as never;
    } catch (error) {
      throw fromSdkError(action, error, redact);
    }
  };
  const call = (action: string, params: object): Promise<never> =>
    READ_ACTIONS.has(action) ? retry.run(() => once(action, params)) : once(action, params);

  return {
    startInstanceRefresh: (req) => call("StartInstanceRefresh", req),
    stopInstanceRefresh: (req) => call("StopInstanceRefresh", req),
    resumeInstanceRefresh: (req) => call("ResumeInstanceRefresh", req),
    cancelInstanceRefresh: (req) => call("CancelInstanceRefresh", req),
    rollbackInstanceRefresh: (req) => call("RollbackInstanceRefresh", req),
    describeRefreshActivities: (req) => call("DescribeRefreshActivities", req),
    describeAutoScalingGroups: (req) => call("DescribeAutoScalingGroups", req),
    describeAutoScalingInstances: (req) => call("DescribeAutoScalingInstances", req),
    retry,
  };
}

