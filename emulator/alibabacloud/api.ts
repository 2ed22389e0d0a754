/**
 * The Alibaba Cloud ESS side of the emulator as one pluggable API: a neutral HTTP server reads the
 * body, asks each API whether it `matches` the request, and hands it to that API's `handle`.
 *
 * ```ts
 * const ess = createAlibabaApi({ clock: new ManualClock() });
 * http.createServer(async (req, res) => {
 *   const body = await readBody(req);
 *   if (ess.matches(req)) await ess.handle(req, res, body);
 * });
 * ```
 *
 * Order of checks in `handle`: method, path, signature (V3 or V1), version, action, throttling,
 * parameters, then the model. `handle` never rejects; every failure is an error answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock";
import { ACTIONS } from "./actions";
import { EssBackend, type SeedGroupSpec } from "./backend";
import { AcsError, EssErrorCodes, missingParameter } from "./errors";
import { newRequestId } from "./ids";
import { ACCEPTED_METHODS, API_VERSIONS, DEFAULT_REQUESTS_PER_SECOND, THROTTLING_CODE } from "./inferred";
import type { EssApiVersion } from "./model";
import { actionAndVersion, businessParams, parseHttpRequest, writeError, writeSuccess } from "./protocol";
import { SlidingWindowLimiter } from "./rateLimit";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, SignatureVerifier, type AcsCredential } from "./signature";
import type { Timing } from "./stateMachine";

/** Options of {@link createAlibabaApi}. */
export interface AlibabaApiOptions {
  /** The model's clock (task progress). @default a RealClock */
  clock?: Clock;
  /** Accepted credentials. @default one pair: DEFAULT_ACCESS_KEY_ID / DEFAULT_ACCESS_KEY_SECRET */
  credentials?: readonly AcsCredential[];
  /** Durations of the timed steps (Pending, one wave, settling). @default DEFAULT_TIMING */
  timing?: Partial<Timing>;
  /** Groups to create at once. */
  groups?: SeedGroupSpec[];
  /** Throttling per action; `false` turns it off. @default { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND } */
  rateLimit?: false | { requestsPerSecond?: number };
  /** Wall clock (epoch ms) of signatures and throttling, never the model's clock. @default Date.now */
  wallClock?: () => number;
  /** Largest accepted |wall clock − x-acs-date|. @default SIGNATURE_MAX_SKEW_MS (15 minutes) */
  maxSkewMs?: number;
}

/** The ESS API as the neutral HTTP server sees it. */
export interface AlibabaApi {
  /** Which cloud this API emulates. */
  readonly name: "alibabacloud";
  /** Whether `req` is for this API: it carries an `x-acs-action` header (the SDKs always send one). */
  matches(req: IncomingMessage): boolean;
  /** Answers `req` (whose whole body is `body`) on `res`; never rejects. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
  /** The model, with the admin operations for tests (seedGroup, failInstance, stepTask, finishWave). */
  readonly backend: EssBackend;
}

const SUPPORTED_VERSIONS: readonly string[] = API_VERSIONS;
const METHODS: readonly string[] = ACCEPTED_METHODS;

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
  const limiter = options.rateLimit === false ? null : new SlidingWindowLimiter(options.rateLimit?.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND, wallClock);

  const serve = (req: IncomingMessage, body: Buffer): Record<string, unknown> => {
    const parsed = parseHttpRequest(req, body);
    if (!METHODS.includes(parsed.method)) throw new AcsError(EssErrorCodes.UnsupportedOperation, `The HTTP method ${parsed.method} is not supported; use POST or GET.`);
    if (parsed.path !== "/") throw new AcsError(EssErrorCodes.InvalidActionNotFound, "Specified api is not found, please check your url and method.");
    const { signatureVersion } = verifier.verify(parsed);
    const { action, version } = actionAndVersion(parsed, signatureVersion);
    if (!version) throw missingParameter(signatureVersion === "v3" ? "x-acs-version" : "Version");
    if (!SUPPORTED_VERSIONS.includes(version)) throw new AcsError(EssErrorCodes.InvalidVersion, "Specified parameter Version is not valid.");
    if (!action) throw missingParameter(signatureVersion === "v3" ? "x-acs-action" : "Action");
    const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new AcsError(EssErrorCodes.InvalidActionNotFound, "Specified api is not found, please check your url and method.");
    if (limiter && !limiter.tryAcquire(action)) {
      throw new AcsError(THROTTLING_CODE, `Request was denied due to request throttling: at most ${limiter.limit} ${action} requests per second.`);
    }
    return handler(businessParams(parsed, signatureVersion), { backend, version: version as EssApiVersion });
  };

  return {
    name: "alibabacloud",
    matches: (req) => typeof req.headers["x-acs-action"] === "string" && req.headers["x-acs-action"] !== "",
    handle: async (req, res, body) => {
      const requestId = newRequestId();
      try {
        writeSuccess(res, requestId, serve(req, body));
      } catch (e) {
        writeError(res, e, requestId);
      }
    },
    backend,
  };
}
