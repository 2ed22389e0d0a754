/**
 * Tencent Cloud's API over HTTP, as the server's {@link CloudApi}: a request carrying `X-TC-Action`
 * is `POST /` with `X-TC-*` headers and a JSON body, answered with HTTP 200 and the
 * `{"Response": ...}` envelope. Order of checks: method, Action header, signature, Version, action
 * name, region, rate limit, injected faults, body, parameters, backend.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CloudApi } from "../cloudApi";
import { requestStarted, type CloudServices, type SharedRefusals } from "../cloudServices";
import { ApiError } from "../errors";
import { headerValue, MAX_API_BODY_BYTES, readBody } from "../http";
import { DROPPED, OK, selectParams } from "../requestLog";
import type { Backend } from "./backend";
import { errorEnvelope, newRequestId, successEnvelope } from "./envelope";
import { ErrorCodes } from "./errorCodes";
import { ACTIONS } from "./handlers";
import { checkRegion, decodeObject, parseJsonBody } from "./params";
import type { SignatureVerifier } from "./signature";

/** The cloud's name (its folder). */
export const TENCENT_CLOUD = "tencentcloud";
/** API version of Auto Scaling emulated here. */
export const API_VERSION = "2018-04-19";
/** The header naming the action; a request that carries it is for this API. */
export const ACTION_HEADER = "x-tc-action";
/** Largest request body accepted (the emulator's limit for every cloud). */
export const MAX_BODY_BYTES = MAX_API_BODY_BYTES;
/** Parameters copied into request-log entries when present (scalars only). */
export const LOGGED_PARAMETERS = [
  "AutoScalingGroupId",
  "RefreshActivityId",
  "OriginRefreshActivityId",
  "ResumeMode",
  "RefreshMode",
  "Limit",
  "Offset",
] as const;
/** An echoed X-TC-TraceId must look like this (printable ASCII, bounded). */
const TRACE_ID_RE = /^[\x21-\x7e]{1,256}$/;

/** What Tencent Cloud API requests are served with: the shared services, the model and the accepted credentials. */
export interface TencentApiContext {
  /** The shared services (rate limit, faults, request log), as this cloud uses them. */
  readonly services: CloudServices;
  /** The Auto Scaling model the actions run against. */
  readonly backend: Backend;
  /** Checks each request's TC3 signature against the accepted credentials. */
  readonly verifier: SignatureVerifier;
}

/** Tencent Cloud's API as a {@link CloudApi}: it claims the requests that carry `X-TC-Action`. */
export function tencentCloudApi(ctx: TencentApiContext): CloudApi {
  return {
    name: TENCENT_CLOUD,
    matches: (req) => req.headers[ACTION_HEADER] !== undefined,
    handle: (req, res) => handleApiRequest(ctx, req, res),
  };
}

/** Serves one request. Never throws; every failure becomes an error envelope. */
async function handleApiRequest(ctx: TencentApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const start = requestStarted();
  const requestId = newRequestId();
  const action = headerValue(req, ACTION_HEADER) ?? "";
  const traceId = headerValue(req, "x-tc-traceid");
  let parsed: Record<string, unknown> | null = null;
  let code = OK;
  let payload: string | null = null;
  try {
    const { body, tooLarge } = await readBody(req, MAX_BODY_BYTES);
    let parseError: unknown = null;
    try {
      parsed = parseJsonBody(body);
    } catch (e) {
      parseError = e; // reported by dispatch() in its turn, after authentication
    }
    const fields = await dispatch(ctx, req, action, body, tooLarge, parsed, parseError);
    if (fields === DROP) code = DROPPED;
    else payload = successEnvelope(fields, requestId);
  } catch (e) {
    if (!(e instanceof ApiError)) logInternalError(e);
    const env = errorEnvelope(e, requestId);
    code = env.code;
    payload = env.body;
  }
  if (payload === null) {
    req.socket.destroy();
  } else {
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(payload),
    };
    if (traceId && TRACE_ID_RE.test(traceId)) headers["X-TC-TraceId"] = traceId;
    res.writeHead(200, headers);
    res.end(payload);
  }
  ctx.services.log(start, { action, params: selectParams(parsed, LOGGED_PARAMETERS), code, requestId });
}

/** Tencent Cloud's answers to the shared refusals. */
const REFUSALS: SharedRefusals = {
  throttled: (action, limit) => new ApiError(ErrorCodes.RequestLimitExceeded, `Request limit exceeded: at most ${limit} ${action} requests per second.`),
  injected: (code, message) => new ApiError(code, message),
};

const DROP = Symbol("drop");

async function dispatch(
  ctx: TencentApiContext,
  req: IncomingMessage,
  action: string,
  body: Buffer,
  tooLarge: boolean,
  parsed: Record<string, unknown> | null,
  parseError: unknown,
): Promise<Record<string, unknown> | typeof DROP> {
  if (req.method !== "POST") {
    // inferred: the GET form of the protocol is not emulated.
    throw new ApiError(ErrorCodes.UnsupportedProtocol, `HTTP method ${req.method} is not supported; use POST.`);
  }
  if (tooLarge) throw new ApiError(ErrorCodes.RequestSizeLimitExceeded, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  if (!action) throw new ApiError(ErrorCodes.MissingParameter, "The request is missing the required header `X-TC-Action`.");
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  ctx.verifier.verify({
    method: req.method,
    path: q >= 0 ? url.slice(0, q) : url,
    query: q >= 0 ? url.slice(q + 1) : "",
    headers: req.headers,
    body,
  });
  const version = headerValue(req, "x-tc-version");
  if (!version) throw new ApiError(ErrorCodes.MissingParameter, "The request is missing the required header `X-TC-Version`.");
  if (version !== API_VERSION) throw new ApiError(ErrorCodes.NoSuchVersion, `The API version ${version.slice(0, 32)} does not exist; use ${API_VERSION}.`);
  const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!handler) throw new ApiError(ErrorCodes.InvalidAction, `The action ${action.slice(0, 64)} does not exist in Auto Scaling ${API_VERSION}.`);
  checkRegion(headerValue(req, "x-tc-region"));
  if ((await ctx.services.admit(action, REFUSALS)) === "drop") return DROP;
  if (parseError !== null || parsed === null) throw parseError;
  const params = decodeObject(parsed, handler.fields);
  return handler.handle(params, ctx.backend);
}

function logInternalError(e: unknown): void {
  process.stderr.write(`[emulator] internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
}
