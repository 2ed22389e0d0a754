/**
 * The ESS client the provider uses: one region, every action through `@alicloud/openapi-core`'s
 * generic `callApi` (RPC style, ACS3-HMAC-SHA256, parameters in the query, flattened as the ESS SDK
 * does), a per-action rate limit and retries of the reads (`core/`). Mutations are sent once: the
 * flows decide what to re-send after looking at the state.
 */
import { RateLimiter } from "../../core/rateLimit";
import { credentialRedactor } from "../../core/redact";
import { RetryStrategy, type RetryOptions } from "../../core/retry";
import type { EssTask } from "../types";
import { AlibabaCloudApiError, classifyAcsError, fromAcsError } from "./errors";

/** The ESS API version every call uses. */
export const ESS_API_VERSION = "2022-02-22";
/** @default 10000 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Most task ids one DescribeInstanceRefreshes takes (its largest `MaxResults`). */
export const MAX_TASKS_PER_DESCRIBE = 50;
/** Most group ids one DescribeScalingGroups takes (its largest `PageSize`). */
export const MAX_GROUPS_PER_DESCRIBE = 50;
/** Largest `PageSize` of DescribeScalingInstances. */
export const MAX_INSTANCES_PER_PAGE = 100;
/** Most pages read when listing. */
export const MAX_PAGES = 20;
/** Actions that change nothing and may be retried freely. */
export const READ_ACTIONS: ReadonlySet<string> = new Set(["DescribeInstanceRefreshes", "DescribeScalingGroups", "DescribeScalingInstances"]);

/** An AccessKey pair, optionally with an STS token. They live only in the client. */
export interface AlicloudCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/** Sends one signed call (parameters nested; the transport flattens them) and returns the answer body. */
export type EssTransport = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Options of {@link createEssClient}. */
export interface EssClientOptions {
  readonly credentials: AlicloudCredentials;
  /** e.g. `cn-hangzhou`. */
  readonly region: string;
  /** Base URL, e.g. `http://127.0.0.1:9100`. @default `https://ess.<region>.aliyuncs.com` */
  readonly endpoint?: string;
  /** @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
  /** Replaces the SDK (tests). */
  readonly transport?: EssTransport;
  /** Retry tuning of the reads, or a ready strategy to share. */
  readonly retry?: Omit<RetryOptions<AlibabaCloudApiError>, "classify"> | RetryStrategy<AlibabaCloudApiError>;
  /** Limiter to share. @default one per client */
  readonly limiter?: RateLimiter;
}

/** A page of tasks. */
export interface TaskPage {
  readonly tasks: EssTask[];
  readonly nextToken?: string;
}

/** The calls the provider makes. Every one carries the client's `RegionId`. */
export interface EssClient {
  startInstanceRefresh(params: Record<string, unknown>): Promise<string>;
  suspendInstanceRefresh(groupId: string, taskId: string): Promise<void>;
  resumeInstanceRefresh(groupId: string, taskId: string): Promise<void>;
  cancelInstanceRefresh(groupId: string, taskId: string): Promise<void>;
  rollbackInstanceRefresh(groupId: string, taskId: string): Promise<void>;
  /** Tasks by id (at most {@link MAX_TASKS_PER_DESCRIBE}). */
  describeTasks(taskIds: readonly string[]): Promise<EssTask[]>;
  /** A group's tasks, newest first, one page. */
  describeGroupTasks(groupId: string, nextToken?: string): Promise<TaskPage>;
  /** The groups' `ActiveCapacity` (In Service instances), by id (at most {@link MAX_GROUPS_PER_DESCRIBE}); a group that does not exist is missing. */
  activeCapacities(groupIds: readonly string[]): Promise<Map<string, number>>;
  readonly retry: RetryStrategy<AlibabaCloudApiError>;
}

/** The endpoint a region's calls go to when none is configured. */
export const defaultEndpoint = (region: string): string => `https://ess.${region}.aliyuncs.com`;

/** Splits a base URL into the SDK's `protocol` and `endpoint` (host[:port]). */
export function parseEssEndpoint(endpoint: string): { protocol: "http" | "https"; host: string } {
  const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`the ESS endpoint must use http or https; got ${JSON.stringify(endpoint)}`);
  return { protocol: url.protocol === "http:" ? "http" : "https", host: url.host };
}

/** Replaces the credentials in a text. */
export const makeAcsRedactor = (credentials: AlicloudCredentials): ((text: string) => string) =>
  credentialRedactor({ id: credentials.accessKeyId, secrets: [credentials.accessKeySecret, credentials.securityToken] });

/** The SDK's modules, loaded on the first call. */
interface OpenApiModules {
  Client: new (config: unknown) => { callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body: Record<string, unknown> }> };
  Config: new (init: Record<string, unknown>) => unknown;
  Params: new (init: Record<string, unknown>) => unknown;
  OpenApiRequest: new (init: Record<string, unknown>) => unknown;
  query: (params: Record<string, unknown>) => Record<string, string>;
  RuntimeOptions: new (init: Record<string, unknown>) => unknown;
}

function loadOpenApi(): OpenApiModules {
  const core = require("@alicloud/openapi-core");
  const dara = require("@darabonba/typescript");
  return {
    Client: core.default,
    Config: core.$OpenApiUtil.Config,
    Params: core.$OpenApiUtil.Params,
    OpenApiRequest: core.$OpenApiUtil.OpenApiRequest,
    query: (params) => core.OpenApiUtil.query(params),
    RuntimeOptions: dara.RuntimeOptions,
  };
}

/** A transport over `@alicloud/openapi-core` (ACS3-HMAC-SHA256, RPC style, POST, query parameters). */
export function createOpenApiTransport(options: Pick<EssClientOptions, "credentials" | "region" | "endpoint" | "requestTimeoutMs">): EssTransport {
  let sdk: { modules: OpenApiModules; client: InstanceType<OpenApiModules["Client"]> } | undefined;
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const load = () => {
    if (sdk) return sdk;
    const modules = loadOpenApi();
    const { protocol, host } = parseEssEndpoint(options.endpoint ?? defaultEndpoint(options.region));
    const { accessKeyId, accessKeySecret, securityToken } = options.credentials;
    const config = new modules.Config({
      accessKeyId,
      accessKeySecret,
      ...(securityToken ? { securityToken } : {}),
      endpoint: host,
      protocol,
      regionId: options.region,
      readTimeout: timeout,
      connectTimeout: timeout,
    });
    sdk = { modules, client: new modules.Client(config) };
    return sdk;
  };
  return async (action, params) => {
    const { modules, client } = load();
    const call = new modules.Params({
      action,
      version: ESS_API_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new modules.OpenApiRequest({ query: modules.query(params) });
    const runtime = new modules.RuntimeOptions({ readTimeout: timeout, connectTimeout: timeout, autoretry: false });
    return (await client.callApi(call, request, runtime)).body;
  };
}

/**
 * Creates the client of one region.
 * @example
 * const ess = createEssClient({ credentials: { accessKeyId, accessKeySecret }, region: "cn-hangzhou", endpoint: "http://127.0.0.1:9100" });
 * const [task] = await ess.describeTasks(["ir-bp1a2b3c4d5e"]);
 */
export function createEssClient(options: EssClientOptions): EssClient {
  const transport = options.transport ?? createOpenApiTransport(options);
  const limiter = options.limiter ?? new RateLimiter();
  const retry =
    options.retry instanceof RetryStrategy
      ? options.retry
      : new RetryStrategy<AlibabaCloudApiError>({
          ...options.retry,
          classify: (e) => ({ kind: classifyAcsError(e), timedOut: e instanceof AlibabaCloudApiError && e.timedOut }),
        });
  const redact = makeAcsRedactor(options.credentials);
  const once = async (action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    await limiter.acquire(`ess:${action}`);
    try {
      return await transport(action, { RegionId: options.region, ...params });
    } catch (error) {
      throw fromAcsError(action, error, redact);
    }
  };
  const call = (action: string, params: Record<string, unknown>) => (READ_ACTIONS.has(action) ? retry.run(() => once(action, params)) : once(action, params));
  const task = (groupId: string, taskId: string) => ({ ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });

  return {
    async startInstanceRefresh(params) {
      const body = await call("StartInstanceRefresh", params);
      if (typeof body.InstanceRefreshTaskId !== "string") throw new Error("StartInstanceRefresh returned no InstanceRefreshTaskId");
      return body.InstanceRefreshTaskId;
    },
    suspendInstanceRefresh: async (groupId, taskId) => void (await call("SuspendInstanceRefresh", task(groupId, taskId))),
    resumeInstanceRefresh: async (groupId, taskId) => void (await call("ResumeInstanceRefresh", task(groupId, taskId))),
    cancelInstanceRefresh: async (groupId, taskId) => void (await call("CancelInstanceRefresh", task(groupId, taskId))),
    rollbackInstanceRefresh: async (groupId, taskId) => void (await call("RollbackInstanceRefresh", task(groupId, taskId))),
    async describeTasks(taskIds) {
      const body = await call("DescribeInstanceRefreshes", { InstanceRefreshTaskIds: [...taskIds], MaxResults: MAX_TASKS_PER_DESCRIBE });
      return (body.InstanceRefreshTasks ?? []) as EssTask[];
    },
    async describeGroupTasks(groupId, nextToken) {
      const body = await call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, MaxResults: MAX_TASKS_PER_DESCRIBE, ...(nextToken ? { NextToken: nextToken } : {}) });
      const next = typeof body.NextToken === "string" && body.NextToken !== "" ? body.NextToken : undefined;
      return { tasks: (body.InstanceRefreshTasks ?? []) as EssTask[], nextToken: next };
    },
    async activeCapacities(groupIds) {
      const body = await call("DescribeScalingGroups", { ScalingGroupIds: [...groupIds], PageSize: MAX_GROUPS_PER_DESCRIBE });
      const groups = (body.ScalingGroups ?? []) as Array<{ ScalingGroupId?: string; ActiveCapacity?: number }>;
      return new Map(groups.map((g) => [g.ScalingGroupId ?? "", g.ActiveCapacity ?? 0]));
    },
    retry,
  };
}
