/**
 * Assembles an emulator — the composition of the cloud-neutral services (clock, rate limiter,
 * faults, request log, state file, admin API, per-group health endpoints, HTTP server) with each
 * cloud's parts (Tencent Cloud: backend, signature verifier, API, admin endpoints; Alibaba Cloud
 * ESS: its API with its backend, admin endpoints under `/_emulator/ess/`) — and registers the clouds'
 * APIs with the server: one port serves both, dispatched by header (`X-TC-Action` → Tencent Cloud,
 * `x-acs-action` → ESS); a health probe goes to the model that knows its group.
 * {@link startEmulator} is the programmatic entry point; `cli.ts` wraps it.
 */
import type { AddressInfo } from "node:net";
import { EmulatorAdmin } from "./adminClient";
import { essAdminRoutes } from "./alibabacloud/adminRoutes";
import { ALIBABA_CLOUD, createAlibabaApi } from "./alibabacloud/api";
import type { EssBackend } from "./alibabacloud/backend";
import { alibabaCloudApi } from "./alibabacloud/cloudApi";
import { essFixtureGroups, type EssFixtureSection } from "./alibabacloud/seeding";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type AcsCredential } from "./alibabacloud/signature";
import { ESS_STATE_KEY, essStateFile } from "./alibabacloud/stateFile";
import { timingForWaveSeconds } from "./alibabacloud/stateMachine";
import { RealClock, type Clock } from "./clock";
import type { CloudDispatch } from "./cloudApi";
import { CloudServices } from "./cloudServices";
import type { ApiServices, EmulatorContext } from "./context";
import { handleAdminRequest, serviceRoutes } from "./control";
import { FaultInjector } from "./faults";
import { HealthEndpoint } from "./health";
import { DEFAULT_SECONDS_PER_BATCH } from "./pace";
import { persistedTogether, StatePersister } from "./persistence";
import { RateLimiter } from "./rateLimit";
import { DEFAULT_REQUEST_LOG_LIMIT, RequestLog } from "./requestLog";
import { createEmulatorServer, listen } from "./server";
import { tencentAdminRoutes } from "./tencentcloud/adminRoutes";
import { Backend } from "./tencentcloud/backend";
import { TENCENT_CLOUD, tencentCloudApi } from "./tencentcloud/cloudApi";
import { DEFAULT_FIXTURE, loadFixture, type Fixture } from "./tencentcloud/seeding";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, SignatureVerifier, type Credential } from "./tencentcloud/signature";
import { backendStateFile } from "./tencentcloud/stateFile";

/** Default listen host. */
export const DEFAULT_HOST = "127.0.0.1";

/**
 * A fixture of both clouds: Tencent Cloud's groups under `groups`, Alibaba Cloud ESS's under
 * `ess.groups` (each optional in a file: a missing section starts that cloud with no groups).
 */
export type EmulatorFixture = Fixture & EssFixtureSection;

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
  /** Initial groups of both clouds: an object, a JSON file path, or `false` for none. @default DEFAULT_FIXTURE */
  readonly fixture?: EmulatorFixture | string | false;
  /** Enforce 20 requests/second per action. @default true */
  readonly rateLimit?: boolean;
  /** Entries kept in the request log ring buffer. @default 10000 */
  readonly requestLogLimit?: number;
  /** Randomness for fault probabilities. @default Math.random */
  readonly random?: () => number;
  /**
   * Credentials the ESS API accepts (AccessKey pairs, optionally STS).
   * @default [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }]
   */
  readonly essCredentials?: readonly AcsCredential[];
  /** Seconds one ESS wave takes (fractions allowed); Pending and settling take half of it. @default 2 (as `secondsPerBatch`) */
  readonly essWaveSeconds?: number;
}

/** The Alibaba Cloud ESS side of a running emulator. */
export interface RunningEss {
  /** The in-process ESS model: seed groups, step tasks, read records. */
  readonly backend: EssBackend;
  /** AccessKey id of the first accepted ESS credential ({@link DEFAULT_ACCESS_KEY_ID} by default). */
  readonly accessKeyId: string;
  /** Its AccessKey secret ({@link DEFAULT_ACCESS_KEY_SECRET} by default). */
  readonly accessKeySecret: string;
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
  /** The in-process Tencent Cloud model, for assertions that the admin API does not cover. */
  readonly backend: Backend;
  /** The Alibaba Cloud ESS side: its model and default credentials (same URL: point the ESS client's endpoint at {@link endpoint}). */
  readonly ess: RunningEss;
  /** Closes the server — every connection at once, a hung health probe's included — and flushes the state file. */
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
  const essCredentials = options.essCredentials ?? [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }];
  if (essCredentials.length === 0) throw new Error("essCredentials must not be empty");
  const essTiming = timingForWaveSeconds(options.essWaveSeconds ?? DEFAULT_SECONDS_PER_BATCH);
  const clock = options.clock === undefined || options.clock === "real" ? new RealClock() : options.clock;
  const fixture: EmulatorFixture | undefined = options.fixture === false ? undefined : loadFixture(options.fixture ?? DEFAULT_FIXTURE);
  const essGroups = fixture ? essFixtureGroups(fixture) : [];
  const services: ApiServices = {
    rateLimiter: new RateLimiter(options.rateLimit ?? true),
    faults: new FaultInjector(options.random),
    log: new RequestLog(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT),
  };
  const backend = new Backend({ clock, secondsPerBatch: options.secondsPerBatch ?? DEFAULT_SECONDS_PER_BATCH, fixture });
  // Alibaba Cloud ESS keys its actions `alibabacloud:Action` in the shared rate-limit windows and
  // counters; Tencent Cloud keeps the bare action names it always had.
  const ess = createAlibabaApi({
    clock,
    credentials: essCredentials,
    timing: essTiming,
    groups: essGroups,
    services: new CloudServices(services, ALIBABA_CLOUD, "qualified"),
  });
  const closeModels = (): void => {
    backend.close();
    ess.backend.close();
  };
  // One state file: Tencent Cloud's model at the top level (files written before ESS load unchanged), ESS's under "ess".
  const persister = options.stateFile
    ? new StatePersister(options.stateFile, persistedTogether(backendStateFile(backend), { [ESS_STATE_KEY]: essStateFile(ess.backend) }))
    : null;
  try {
    persister?.load();
  } catch (e) {
    closeModels();
    throw e;
  }
  persister?.start();
  const verifier = new SignatureVerifier(credentials);
  // The health endpoint asks each cloud's model in turn; group ids of the two clouds never collide
  // (Tencent Cloud: asg- + 8, ESS: asg- + 20).
  const health = new HealthEndpoint([
    { cloud: TENCENT_CLOUD, groupHealth: (groupId) => backend.groupHealth(groupId) },
    { cloud: ALIBABA_CLOUD, groupHealth: (groupId) => ess.backend.groupHealth(groupId) },
  ]);
  const ctx: EmulatorContext = {
    ...services,
    clock,
    health,
    resetModels: (empty) => {
      backend.reset(empty);
      ess.backend.reset(empty);
    },
    flushState: () => persister?.flush(true),
  };
  // The dispatch registration: each cloud's API, tried in this order (X-TC-Action → Tencent Cloud,
  // x-acs-action → Alibaba Cloud ESS). A request no cloud claims gets Tencent Cloud's answer
  // (e.g. MissingParameter without `X-TC-Action`), as before a second cloud.
  const tencent = tencentCloudApi({ services: new CloudServices(services, TENCENT_CLOUD, "plain"), backend, verifier });
  const clouds: CloudDispatch = { apis: [tencent, alibabaCloudApi(ess)], unmatched: tencent };
  const adminRoutes = [...serviceRoutes(ctx), ...tencentAdminRoutes(backend), ...essAdminRoutes(ess.backend)];
  const server = createEmulatorServer(
    { admin: (req, res) => handleAdminRequest(adminRoutes, req, res), health: (req, res) => health.handle(req, res) },
    clouds,
  );
  await listen(server, options.port ?? 0, host).catch((e: unknown) => {
    closeModels();
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
    ess: { backend: ess.backend, accessKeyId: essCredentials[0]!.accessKeyId, accessKeySecret: essCredentials[0]!.accessKeySecret },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => {
        closeModels();
        persister?.close();
      })),
  };
}
