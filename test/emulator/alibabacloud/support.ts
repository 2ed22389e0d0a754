/**
 * Shared by the ESS emulator tests: the ESS API on a plain node:http server around
 * `createAlibabaApi` ("standalone") or inside the whole emulator (`startEmulator`: one port for both
 * clouds, the shared services — "emulator"), the real `@alicloud/openapi-core` client (generic
 * `callApi`, ACS3-HMAC-SHA256 as the ESS SDK calls it) and raw requests for hand-signed (then altered) ones.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import Client, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import { ManualClock } from "../../../emulator/clock";
import { createAlibabaApi, type AlibabaApi, type AlibabaApiOptions } from "../../../emulator/alibabacloud/api";
import type { EssBackend } from "../../../emulator/alibabacloud/backend";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../emulator/emulator";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type SignedAcs3Request } from "../../../emulator/alibabacloud/signature";

/** The region every test uses. */
export const REGION = "cn-hangzhou";
/** SDK read timeout: generous on a busy 2-core machine, far below the test timeout. */
const READ_TIMEOUT_MS = 10_000;

/** Where the ESS API runs: alone on a plain node:http server, or inside the emulator (`startEmulator`). */
export type Harness = "standalone" | "emulator";
/** Both harnesses, for `describe.each`. */
export const HARNESSES: readonly Harness[] = ["standalone", "emulator"];

/** A running emulator. */
export interface EssServer {
  /** The API (standalone harness only). */
  api?: AlibabaApi;
  /** The whole emulator (emulator harness only). */
  emu?: RunningEmulator;
  backend: EssBackend;
  clock: ManualClock;
  /** `127.0.0.1:PORT`, the SDK's endpoint. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the API on 127.0.0.1:0 with a ManualClock and no throttling unless `options` say otherwise:
 * alone, or (`harness` "emulator") inside `startEmulator` with no fixture, where `options` may set
 * only `clock` and `credentials` (`emulatorOptions` the rest).
 */
export async function startEss(options: AlibabaApiOptions = {}, harness: Harness = "standalone", emulatorOptions: EmulatorOptions = {}): Promise<EssServer> {
  if (harness === "emulator") return startEssInEmulator(options, emulatorOptions);
  const clock = new ManualClock();
  const api = createAlibabaApi({ clock, rateLimit: false, ...options });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (api.matches(req)) void api.handle(req, res, Buffer.concat(chunks));
      else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api,
    backend: api.backend,
    clock: (options.clock as ManualClock | undefined) ?? clock,
    endpoint: `127.0.0.1:${port}`,
    close: async () => {
      api.backend.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startEssInEmulator(options: AlibabaApiOptions, emulatorOptions: EmulatorOptions): Promise<EssServer> {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const emu = await startEmulator({
    clock,
    fixture: false,
    rateLimit: false,
    ...(options.credentials ? { essCredentials: options.credentials } : {}),
    ...emulatorOptions,
  });
  return { emu, backend: emu.ess.backend, clock, endpoint: emu.endpoint, close: () => emu.stop() };
}

/** Who calls and which version. */
export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  version?: string;
}

/** A JSON answer body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

/** The real SDK client bound to the emulator: `call(action, params)` sends nested params flattened as the ESS SDK does. */
export function essClient(ess: Pick<EssServer, "endpoint">, opts: ClientOptions = {}): { call(action: string, params?: Record<string, unknown>): Promise<Body> } {
  const config = new $OpenApiUtil.Config({
    accessKeyId: opts.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: opts.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    endpoint: ess.endpoint,
    protocol: "http",
    readTimeout: READ_TIMEOUT_MS,
    ...(opts.securityToken !== undefined ? { securityToken: opts.securityToken } : {}),
  });
  const client = new Client(config);
  return {
    call: async (action, params = {}) => {
      const apiParams = new $OpenApiUtil.Params({
        action,
        version: opts.version ?? "2022-02-22",
        protocol: "HTTPS",
        pathname: "/",
        method: "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
      });
      const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: REGION, ...params }) });
      const res = await client.callApi(apiParams, request, new $dara.RuntimeOptions({}));
      return res.body as Body;
    },
  };
}

/** What the SDK threw. */
export interface SdkFailure {
  /** Error class name: ClientError, ServerError, ThrottlingError. */
  name: string;
  code: string;
  statusCode: number;
  data: Body;
}

/** Runs `fn`, which must fail, and returns what the SDK threw. */
export async function sdkFailure(fn: () => Promise<unknown>): Promise<SdkFailure> {
  try {
    await fn();
  } catch (e) {
    const err = e as { constructor: { name: string }; code: string; statusCode: number; data: Body };
    return { name: err.constructor.name, code: err.code, statusCode: err.statusCode, data: err.data };
  }
  throw new Error("expected the call to fail");
}

/** Sends a hand-made request and returns its status and JSON body. */
export function rawRequest(ess: EssServer, r: SignedAcs3Request): Promise<{ status: number; json: Body }> {
  const [host, port] = ess.endpoint.split(":") as [string, string];
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method: r.method, path: r.path, headers: r.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body }));
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

/** The task as DescribeInstanceRefreshes shows it (2022-02-22). */
export async function describeTask(client: ReturnType<typeof essClient>, groupId: string, taskId: string): Promise<Body> {
  const body = await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, InstanceRefreshTaskIds: [taskId] });
  return (body.InstanceRefreshTasks as Body[])[0]!;
}
