/**
 * Shared test helpers for talking to the emulator through the real tencentcloud-sdk-nodejs AS client
 * and through raw, hand-signed fetch requests.
 */
import * as http from "node:http";
import { signAuthorization, type AutoScalingGroup, type Instance, type RefreshActivity, type RunningEmulator } from "../../emulator";

// Only the AS client (~60 ms to load instead of the whole SDK).
const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/as").as.v20180419 as {
  Client: new (config: unknown) => AsClient;
};

/** The subset of the SDK's AS client used by tests (responses typed loosely on purpose). */
export interface AsClient {
  StartInstanceRefresh(req: object): Promise<{ RefreshActivityId: string; RequestId: string }>;
  StopInstanceRefresh(req: object): Promise<{ RequestId: string }>;
  ResumeInstanceRefresh(req: object): Promise<{ RequestId: string }>;
  CancelInstanceRefresh(req: object): Promise<{ RequestId: string }>;
  RollbackInstanceRefresh(req: object): Promise<{ RefreshActivityId: string; RequestId: string }>;
  DescribeRefreshActivities(req: object): Promise<{ TotalCount: number; RefreshActivitySet: RefreshActivity[]; RequestId: string }>;
  DescribeAutoScalingGroups(req: object): Promise<{ TotalCount: number; AutoScalingGroupSet: AutoScalingGroup[]; RequestId: string }>;
  DescribeAutoScalingInstances(req: object): Promise<{ TotalCount: number; AutoScalingInstanceSet: Instance[]; RequestId: string }>;
  request(action: string, req: object): Promise<unknown>;
}

/** One keep-alive agent for all test clients (also keeps the SDK away from http_proxy). */
export const testAgent = new http.Agent({ keepAlive: true });

/** A real SDK client pointed at the emulator. */
export function sdkClient(
  emu: Pick<RunningEmulator, "endpoint" | "secretId" | "secretKey">,
  credential: { secretId?: string; secretKey?: string; token?: string } = {},
): AsClient {
  return new Client({
    credential: { secretId: credential.secretId ?? emu.secretId, secretKey: credential.secretKey ?? emu.secretKey, token: credential.token },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqTimeout: 10, agent: testAgent } },
  });
}

/** Calls `fn` and returns the SDK error's `code` (fails the test if it succeeds). */
export async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code) return code;
    throw e;
  }
  throw new Error("expected the call to fail");
}

/** Calls `fn` and returns the SDK error (fails the test if it succeeds). */
export async function sdkError(fn: () => Promise<unknown>): Promise<{ code?: string; message: string; requestId?: string; traceId?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

/** A parsed response envelope (success fields are left loose). */
export interface RawEnvelope {
  Response: { RequestId: string; Error?: { Code: string; Message: string }; [field: string]: unknown };
}

/** Options of {@link rawRequest}. */
export interface RawRequest {
  action?: string | null;
  version?: string | null;
  body?: string;
  timestamp?: number;
  /** Override the Authorization header entirely (`null` to omit). */
  authorization?: string | null;
  secretId?: string;
  secretKey?: string;
  token?: string;
  headers?: Record<string, string>;
  method?: string;
}

/** A hand-made, correctly signed (unless overridden) request; returns status, headers and parsed JSON. */
export async function rawRequest(
  emu: Pick<RunningEmulator, "url" | "host" | "port" | "secretId" | "secretKey">,
  r: RawRequest = {},
): Promise<{ status: number; headers: Headers; json: RawEnvelope; text: string }> {
  const body = r.body ?? "{}";
  const timestamp = r.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-TC-Timestamp": String(timestamp), "X-TC-Region": "ap-guangzhou" };
  if (r.action !== null) headers["X-TC-Action"] = r.action ?? "DescribeRefreshActivities";
  if (r.version !== null) headers["X-TC-Version"] = r.version ?? "2018-04-19";
  if (r.token !== undefined) headers["X-TC-Token"] = r.token;
  if (r.authorization !== null) {
    headers.Authorization =
      r.authorization ??
      signAuthorization({ secretId: r.secretId ?? emu.secretId, secretKey: r.secretKey ?? emu.secretKey, host: `${emu.host}:${emu.port}`, body, timestamp });
  }
  Object.assign(headers, r.headers ?? {});
  const method = r.method ?? "POST";
  const res = await fetch(`${emu.url}/`, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body });
  const text = await res.text();
  let json: RawEnvelope;
  try {
    json = JSON.parse(text) as RawEnvelope;
  } catch {
    throw new Error(`response is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, json, text };
}
