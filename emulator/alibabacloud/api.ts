/**
 * The Alibaba Cloud ESS side of the emulator as one pluggable API: whoever serves HTTP reads the
 * body, asks the API whether it `matches` the request, and hands it to `handle`. Registered with the
 * emulator's server through `cloudApi.ts` (which reads the body); a test may also serve it alone:
 *
 * ```ts
 * const ess = createAlibabaApi({ clock: new ManualClock() });
 * http.createServer(async (req, res) => {
 *   const body = await readBody(req);
 *   if (ess.matches(req)) await ess.handle(req, res, body);
 * });
 * ```
 *
 * Order of checks in `handle`: method, path, body size, signature (V3 or V1), version, action, then
 * the shared services (`../cloudServices.ts`: throttling, injected faults), parameters, the model.
 * `handle` never rejects; every failure is an error answer, and every request is logged.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock";
import { CloudServices, requestStarted, type SharedRefusals } from "../cloudServices";
import { FaultInjector } from "../faults";
import { MAX_API_BODY_BYTES } from "../http";
import { RateLimiter } from "../rateLimit";
import { DROPPED, OK, RequestLog, selectFlattenedParams } from "../requestLog";
import { ACTIONS } from "./actions";
import { EssBackend } from "./backend";
import { AcsError, EssErrorCodes, injectedError, missingParameter } from "./errors";
import { newRequestId } from "./ids";
import { ACCEPTED_METHODS, API_VERSIONS, BODY_TOO_LARGE_CODE, DEFAULT_REQUESTS_PER_SECOND, THROTTLING_CODE } from "./inferred";
import type { EssApiVersion } from "./model";
import { actionAndVersion, businessParams, headerValue, parseHttpRequest, writeError, writeSuccess } from "./protocol";
import type { SeedGroupSpec } from "./seeding";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, SignatureVerifier, type AcsCredential, type ParamPairs } from "./signature";
import type { Timing } from "./stateMachine";

/** The cloud's name (its folder), in request-log entries and qualified keys (`alibabacloud:StartInstanceRefresh`). */
export const ALIBABA_CLOUD = "alibabacloud";
/** The header naming the action; a request that carries it (non-empty) is for this API. */
export const ACTION_HEADER = "x-acs-action";
/**
 * Parameters copied into request-log entries, with everything nested below them, values as sent
 * (`"Checkpoints.1.Percentage": "50"`, `"InstanceRefreshTaskIds.1": "ir-…"`), so that tests can
 * assert the wire format.
 */
export const LOGGED_PARAMETERS = [
  "RegionId",
  "ScalingGroupId",
  "InstanceRefreshTaskId",
  "InstanceRefreshTaskIds",
  "ClientToken",
  "MinHealthyPercentage",
  "MaxHealthyPercentage",
  "SkipMatching",
  "Checkpoints",
  "CheckpointPauseTime",
  "DesiredConfiguration",
  "Strategy",
  "MaxResults",
  "NextToken",
  "ScalingGroupIds",
  "InstanceIds",
  "PageNumber",
  "PageSize",
] as const;

/** Options of {@link createAlibabaApi}. */
export interface AlibabaApiOptions {
  /** The model's clock (task progress). @default a RealClock */
  clock?: Clock;
  /** Accepted credentials. @default one pair: DEFAULT_ACCESS_KEY_ID / DEFAULT_ACCESS_KEY_SECRET */
  credentials?: readonly AcsCredential[];
  /** Durations of the timed steps (Pending, one wave, settling). @default DEFAULT_TIMING */
  timing?: Partial<Timing>;
  /** Groups to create at once (and again on `backend.reset()`). */
  groups?: SeedGroupSpec[];
  /**
   * The emulator's shared services (rate limit, faults, request log), as this cloud uses them.
   * @default its own: a rate limiter as `rateLimit` says on `wallClock`, a fault injector and a request log
   */
  services?: CloudServices;
  /** Throttling per action; `false` turns it off. Ignored with `services`. @default { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND } */
  rateLimit?: false | { requestsPerSecond?: number };
  /** Wall clock (epoch ms) of signatures (and of throttling without `services`), never the model's clock. @default Date.now */
  wallClock?: () => number;
  /** Largest accepted |wall clock − x-acs-date|. @default SIGNATURE_MAX_SKEW_MS (15 minutes) */
  maxSkewMs?: number;
}

/** How the body of a request was read. */
export interface BodyRead {
  /** The body went beyond the reader's limit (`body` holds only its start). @default false */
  tooLarge?: boolean;
}

/** The ESS API as an HTTP server sees it. */
export interface AlibabaApi {
  /** Which cloud this API emulates. */
  readonly name: typeof ALIBABA_CLOUD;
  /** Whether `req` is for this API: it carries an `x-acs-action` header (the SDKs always send one). */
  matches(req: IncomingMessage): boolean;
  /** Answers `req` (whose whole body is `body`) on `res` and logs it; never rejects. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer, read?: BodyRead): Promise<void>;
  /** The model, with the admin operations for tests (seedGroup, failInstance, stepTask, finishWave, setPace). */
  readonly backend: EssBackend;
  /** The shared services it uses (its own when none were given): the request log, faults and rate limit. */
  readonly services: CloudServices;
}

const SUPPORTED_VERSIONS: readonly string[] = API_VERSIONS;
const METHODS: readonly string[] = ACCEPTED_METHODS;

/** ESS's answers to the shared refusals. */
const REFUSALS: SharedRefusals = {
  throttled: (action, limit) => new AcsError(THROTTLING_CODE, `Request was denied due to request throttling: at most ${limit} ${action} requests per second.`),
  injected: injectedError,
};

/** What the log keeps of a request while it is served. */
interface Served {
  action: string;
  pairs: ParamPairs;
}

const DROP = Symbol("drop");

/** The services of an ESS API served alone (no emulator around it). */
function ownServices(options: AlibabaApiOptions, wallClock: () => number): CloudServices {
  const rateLimit = options.rateLimit;
  const rateLimiter = new RateLimiter(rateLimit !== false, (rateLimit !== false ? rateLimit?.requestsPerSecond : undefined) ?? DEFAULT_REQUESTS_PER_SECOND, wallClock);
  return new CloudServices({ rateLimiter, faults: new FaultInjector(), log: new RequestLog() }, ALIBABA_CLOUD, "qualified");
}

/**
 * Creates the ESS API.
 * @example const ess = createAlibabaApi({ clock: new ManualClock(), rateLimit: false });
 */
export function createAlibabaApi(options: AlibabaApiOptions = {}): AlibabaApi {
  const wallClock = options.wallClock ?? Date.now;
  const backend = new EssBackend({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.groups ? { groups: options.groups } : {}),
  });
  const verifier = new SignatureVerifier(options.credentials ?? [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }], {
    now: wallClock,
    ...(options.maxSkewMs !== undefined ? { maxSkewMs: options.maxSkewMs } : {}),
  });
  const services = options.services ?? ownServices(options, wallClock);

  const serve = async (req: IncomingMessage, body: Buffer, tooLarge: boolean, served: Served): Promise<Record<string, unknown> | typeof DROP> => {
    const parsed = parseHttpRequest(req, body);
    served.pairs = [...parsed.query, ...parsed.form];
    if (!METHODS.includes(parsed.method)) throw new AcsError(EssErrorCodes.UnsupportedOperation, `The HTTP method ${parsed.method} is not supported; use POST or GET.`);
    if (parsed.path !== "/") throw new AcsError(EssErrorCodes.InvalidActionNotFound, "Specified api is not found, please check your url and method.");
    if (tooLarge) throw new AcsError(BODY_TOO_LARGE_CODE, `The request body exceeds ${MAX_API_BODY_BYTES} bytes.`);
    const { signatureVersion } = verifier.verify(parsed);
    const { action, version } = actionAndVersion(parsed, signatureVersion);
    if (action) served.action = action;
    if (!version) throw missingParameter(signatureVersion === "v3" ? "x-acs-version" : "Version");
    if (!SUPPORTED_VERSIONS.includes(version)) throw new AcsError(EssErrorCodes.InvalidVersion, "Specified parameter Version is not valid.");
    if (!action) throw missingParameter(signatureVersion === "v3" ? "x-acs-action" : "Action");
    const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new AcsError(EssErrorCodes.InvalidActionNotFound, "Specified api is not found, please check your url and method.");
    if ((await services.admit(action, REFUSALS)) === "drop") return DROP;
    return handler(businessParams(parsed, signatureVersion), { backend, version: version as EssApiVersion });
  };

  return {
    name: ALIBABA_CLOUD,
    matches: (req) => typeof req.headers[ACTION_HEADER] === "string" && req.headers[ACTION_HEADER] !== "",
    handle: async (req, res, body, read = {}) => {
      const start = requestStarted();
      const requestId = newRequestId();
      const served: Served = { action: headerValue(req.headers, ACTION_HEADER) ?? "", pairs: [] };
      let code = OK;
      try {
        const fields = await serve(req, body, read.tooLarge === true, served);
        if (fields === DROP) {
          code = DROPPED;
          req.socket.destroy();
        } else {
          writeSuccess(res, requestId, fields);
        }
      } catch (e) {
        code = writeError(res, e, requestId);
      }
      services.log(start, { action: served.action, params: selectFlattenedParams(served.pairs, LOGGED_PARAMETERS), code, requestId });
    },
    backend,
    services,
  };
}
