/**
 * Assembles an emulator — the composition of the cloud-neutral services (clock, rate limiter,
 * faults, request log, state file, admin API, HTTP server) with each cloud's parts (Tencent Cloud:
 * backend, signature verifier, API, admin endpoints) — and registers the clouds' APIs with the
 * server. {@link startEmulator} is the programmatic entry point; `cli.ts` wraps it.
 */
import type { AddressInfo } from "node:net";
import { EmulatorAdmin } from "./adminClient";
import { RealClock, type Clock } from "./clock";
import type { CloudDispatch } from "./cloudApi";
import type { ApiServices, EmulatorContext } from "./context";
import { handleAdminRequest, serviceRoutes } from "./control";
import { FaultInjector } from "./faults";
import { DEFAULT_SECONDS_PER_BATCH } from "./pace";
import { StatePersister } from "./persistence";
import { RateLimiter } from "./rateLimit";
import { DEFAULT_REQUEST_LOG_LIMIT, RequestLog } from "./requestLog";
import { createEmulatorServer, listen } from "./server";
import { tencentAdminRoutes } from "./tencentcloud/adminRoutes";
import { Backend } from "./tencentcloud/backend";
import { tencentCloudApi } from "./tencentcloud/cloudApi";
import { DEFAULT_FIXTURE, loadFixture, type Fixture } from "./tencentcloud/seeding";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, SignatureVerifier, type Credential } from "./tencentcloud/signature";
import { backendStateFile } from "./tencentcloud/stateFile";

/** Default listen host. */
export const DEFAULT_HOST = "127.0.0.1";

/** Options of {@link startEmulator}. All optional. */
export interface EmulatorOptions {
  /** Listen address. @default "127.0.0.1" */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** Accepted credentials. @default [{ secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY }] */
  readonly credentials?: readonly Credential[];
  /** Seconds one batch takes (fractions allowed). @default 2 */
  readonly secondsPerBatch?: number;
  /** `"real"` or a clock instance such as `new ManualClock()`. @default "real" */
  readonly clock?: "real" | Clock;
  /** Persist state here (and reload it on start when it exists). */
  readonly stateFile?: string;
  /** Initial groups: an object, a JSON file path, or `false` for none. @default DEFAULT_FIXTURE */
  readonly fixture?: Fixture | string | false;
  /** Enforce 20 requests/second per action. @default true */
  readonly rateLimit?: boolean;
  /** Entries kept in the request log ring buffer. @default 10000 */
  readonly requestLogLimit?: number;
  /** Randomness for fault probabilities. @default Math.random */
  readonly random?: () => number;
}

/** A started emulator. */
export interface RunningEmulator {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** `HOST:PORT`, for the SDK's `profile.httpProfile.endpoint`. */
  readonly endpoint: string;
  /** The listen address, as given in {@link EmulatorOptions.host}. */
  readonly host: string;
  /** The port it listens on (the one picked when {@link EmulatorOptions.port} was 0). */
  readonly port: number;
  /** SecretId of the first accepted credential ({@link DEFAULT_SECRET_ID} by default). */
  readonly secretId: string;
  /** SecretKey of the first accepted credential ({@link DEFAULT_SECRET_KEY} by default). */
  readonly secretKey: string;
  /** Client of the admin API (`/_emulator/…`): seed groups, fail instances, read the request log. */
  readonly admin: EmulatorAdmin;
  /** The model's clock: advance a `ManualClock` to move refreshes on without waiting. */
  readonly clock: Clock;
  /** The in-process model, for assertions that the admin API does not cover. */
  readonly backend: Backend;
  /** Closes the server, flushes the state file. */
  stop(): Promise<void>;
}

/**
 * Starts an emulator.
 * @example
 * const emu = await startEmulator({ clock: new ManualClock(), fixture: false, rateLimit: false });
 * const client = new Client({ credential: { secretId: emu.secretId, secretKey: emu.secretKey }, region: "ap-guangzhou",
 *   profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", agent: new http.Agent() } } });
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const credentials = options.credentials ?? [{ secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY }];
  if (credentials.length === 0) throw new Error("credentials must not be empty");
  const clock = options.clock === undefined || options.clock === "real" ? new RealClock() : options.clock;
  const fixture = options.fixture === false ? undefined : loadFixture(options.fixture ?? DEFAULT_FIXTURE);
  const backend = new Backend({ clock, secondsPerBatch: options.secondsPerBatch ?? DEFAULT_SECONDS_PER_BATCH, fixture });
  const persister = options.stateFile ? new StatePersister(options.stateFile, backendStateFile(backend)) : null;
  try {
    persister?.load();
  } catch (e) {
    backend.close();
    throw e;
  }
  persister?.start();
  const verifier = new SignatureVerifier(credentials);
  const services: ApiServices = {
    rateLimiter: new RateLimiter(options.rateLimit ?? true),
    faults: new FaultInjector(options.random),
    log: new RequestLog(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT),
  };
  const ctx: EmulatorContext = {
    ...services,
    clock,
    resetModels: (empty) => backend.reset(empty),
    flushState: () => persister?.flush(true),
  };
  // The dispatch registration: each cloud's API, tried in this order. A request no cloud claims gets
  // Tencent Cloud's answer (e.g. MissingParameter without `X-TC-Action`), as before a second cloud.
  const tencent = tencentCloudApi({ ...services, backend, verifier });
  const clouds: CloudDispatch = { apis: [tencent], unmatched: tencent };
  const adminRoutes = [...serviceRoutes(ctx), ...tencentAdminRoutes(backend)];
  const server = createEmulatorServer((req, res) => handleAdminRequest(adminRoutes, req, res), clouds);
  await listen(server, options.port ?? 0, host).catch((e: unknown) => {
    backend.close();
    persister?.close();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const url = `http://${hostPart}:${port}`;
  let stopped: Promise<void> | null = null;
  return {
    url,
    endpoint: `${hostPart}:${port}`,
    host,
    port,
    secretId: credentials[0]!.secretId,
    secretKey: credentials[0]!.secretKey,
    admin: new EmulatorAdmin(url),
    clock,
    backend,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => {
        backend.close();
        persister?.close();
      })),
  };
}
