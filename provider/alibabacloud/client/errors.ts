/**
 * Typed errors of the ESS client and their classification, done once here so that the retry layer
 * and the provider agree on what is retryable. The SDK decides failure by HTTP status (4xx, 5xx),
 * so does this module.
 */

/** How an error is treated: retried with a throttling backoff, retried, or never retried. */
export type ErrorKind = "throttling" | "transient" | "client";

/** `code` of an error raised before any API response arrived (refused, reset, timed out). */
export const TRANSPORT_ERROR_CODE = "TransportError";
/** Codes of server-side faults worth another attempt (besides any HTTP 5xx). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(["InternalError", "ServiceUnavailable", "UnknownError"]);
/** Codes containing this mean "slow down" (`Throttling`, `Throttling.User`, `Rejected.Throttling`). */
export const THROTTLING_MARK = "Throttling";

/** Fields of an {@link AlibabaCloudApiError}. */
export interface AlibabaCloudApiErrorInit {
  /** The API's `Code`, or {@link TRANSPORT_ERROR_CODE}. */
  code: string;
  /** The action that failed, e.g. `StartInstanceRefresh`. */
  action: string;
  /** The API's `Message` (already stripped of credentials). */
  message: string;
  requestId?: string;
  /** HTTP status of the answer. */
  httpStatus?: number;
  /** True when the request hit the client-side timeout. */
  timedOut?: boolean;
  cause?: unknown;
}

/**
 * An ESS call that failed: an API error (`code` is the API's, `httpStatus` its HTTP status) or a
 * transport error. `kind` says whether retrying makes sense.
 * @example
 * catch (e) { if (e instanceof AlibabaCloudApiError && e.code === "IncorrectScalingGroupStatus") { … } }
 */
export class AlibabaCloudApiError extends Error {
  readonly code: string;
  readonly action: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly timedOut: boolean;
  readonly kind: ErrorKind;
  /** The server's message alone. */
  readonly apiMessage: string;

  constructor(init: AlibabaCloudApiErrorInit) {
    const request = init.requestId ? ` (RequestId ${init.requestId})` : "";
    super(`${init.action} failed: ${init.code}: ${init.message}${request}`, { cause: init.cause });
    this.name = "AlibabaCloudApiError";
    this.code = init.code;
    this.action = init.action;
    this.requestId = init.requestId || undefined;
    this.httpStatus = init.httpStatus;
    this.timedOut = init.timedOut ?? false;
    this.apiMessage = init.message;
    this.kind = classifyAcsCode(init.code, init.httpStatus);
  }
}

/** Classifies an API code and HTTP status once for the whole client. */
export function classifyAcsCode(code: string, httpStatus?: number): ErrorKind {
  if (code.includes(THROTTLING_MARK) || httpStatus === 429) return "throttling";
  if (code === TRANSPORT_ERROR_CODE || TRANSIENT_CODES.has(code) || (httpStatus !== undefined && httpStatus >= 500)) return "transient";
  return "client";
}

/** Classification of any thrown value: API errors by code, anything else (a bug) as a client error. */
export function classifyAcsError(error: unknown): ErrorKind {
  return error instanceof AlibabaCloudApiError ? error.kind : "client";
}

const TIMEOUT_PATTERN = /timed? ?out|ETIMEDOUT|ESOCKETTIMEDOUT|RequestTimeout/i;

/**
 * Converts what the SDK threw into an {@link AlibabaCloudApiError}. `@alicloud/openapi-core` throws
 * `ClientError` / `ServerError` / `ThrottlingError` with `code`, `statusCode`, `requestId` and the
 * answer in `data` for an HTTP error, and plain errors for transport failures.
 */
export function fromAcsError(action: string, error: unknown, redact: (text: string) => string = (t) => t): AlibabaCloudApiError {
  if (error instanceof AlibabaCloudApiError) return error;
  const e = (error ?? {}) as { message?: unknown; code?: unknown; statusCode?: unknown; requestId?: unknown; data?: unknown; name?: unknown };
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as { Message?: unknown; Code?: unknown; RequestId?: unknown };
  const httpStatus = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = typeof data.Code === "string" ? data.Code : typeof e.code === "string" ? e.code : undefined;
  const rawMessage = typeof data.Message === "string" ? data.Message : typeof e.message === "string" && e.message ? e.message : String(error);
  const requestId = typeof e.requestId === "string" ? e.requestId : typeof data.RequestId === "string" ? data.RequestId : undefined;
  if (httpStatus !== undefined && code) {
    return new AlibabaCloudApiError({ action, code, message: redact(rawMessage), httpStatus, requestId, cause: error });
  }
  return new AlibabaCloudApiError({
    action,
    code: TRANSPORT_ERROR_CODE,
    message: redact(rawMessage),
    timedOut: TIMEOUT_PATTERN.test(rawMessage) || TIMEOUT_PATTERN.test(String(e.name ?? "")),
    cause: error,
  });
}
