/**
 * Typed errors of the Auto Scaling client and their classification, done once here so that the
 * retry layer and the provider agree on what is retryable.
 */

/** How an error is treated: retried with a throttling backoff, retried, or never retried. */
export type ErrorKind = "throttling" | "transient" | "client";

/** `code` of an error raised before any API response arrived (refused, reset, timed out, aborted). */
export const TRANSPORT_ERROR_CODE = "TransportError";
/** `code` of a non-200 HTTP response without an API error body. */
export const HTTP_ERROR_CODE = "HttpError";

/** API code prefixes that mean "slow down". */
export const THROTTLING_CODE_PREFIXES = ["RequestLimitExceeded"] as const;
/** API code prefixes of server-side faults that are worth another attempt. */
export const TRANSIENT_CODE_PREFIXES = ["InternalError"] as const;

/** Fields of a {@link TencentCloudApiError}. */
export interface TencentCloudApiErrorInit {
  /** API error code such as `ResourceNotFound.RefreshActivityNotFound`, or {@link TRANSPORT_ERROR_CODE} / {@link HTTP_ERROR_CODE}. */
  code: string;
  /** The action that failed, e.g. `StartInstanceRefresh`. */
  action: string;
  /** Server message (already stripped of credentials). */
  message: string;
  /** `RequestId` of the API response, when there was one. */
  requestId?: string;
  /** HTTP status of a non-200 response. */
  httpStatus?: number;
  /** True when the request hit the client-side timeout. */
  timedOut?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An Auto Scaling API call that failed: an API error (`code` is the API's), an HTTP error or a
 * transport error. `kind` says whether retrying makes sense.
 * @example
 * try { await client.call("StopInstanceRefresh", req) } catch (e) {
 *   if (e instanceof TencentCloudApiError && e.code === "ResourceNotFound.RefreshActivityNotFound") { ... }
 * }
 */
export class TencentCloudApiError extends Error {
  /** API error code, or {@link TRANSPORT_ERROR_CODE} / {@link HTTP_ERROR_CODE}. */
  readonly code: string;
  /** The action that failed. */
  readonly action: string;
  /** `RequestId` of the API response, when there was one. */
  readonly requestId?: string;
  /** HTTP status of a non-200 response. */
  readonly httpStatus?: number;
  /** True when the client gave up waiting for the response. */
  readonly timedOut: boolean;
  /** Classification, see {@link classifyError}. */
  readonly kind: ErrorKind;
  /** The server's message alone, without the action/code prefix. */
  readonly apiMessage: string;

  constructor(init: TencentCloudApiErrorInit) {
    const request = init.requestId ? ` (RequestId ${init.requestId})` : "";
    super(`${init.action} failed: ${init.code}: ${init.message}${request}`, { cause: init.cause });
    this.name = "TencentCloudApiError";
    this.code = init.code;
    this.action = init.action;
    this.requestId = init.requestId || undefined;
    this.httpStatus = init.httpStatus;
    this.timedOut = init.timedOut ?? false;
    this.apiMessage = init.message;
    this.kind = classifyCode(init.code, init.httpStatus);
  }
}

/** Classifies an API code (and HTTP status) once for the whole client. */
export function classifyCode(code: string, httpStatus?: number): ErrorKind {
  if (THROTTLING_CODE_PREFIXES.some((p) => code.startsWith(p))) return "throttling";
  if (TRANSIENT_CODE_PREFIXES.some((p) => code.startsWith(p))) return "transient";
  if (code === TRANSPORT_ERROR_CODE) return "transient";
  if (code === HTTP_ERROR_CODE) return httpStatus !== undefined && httpStatus >= 500 ? "transient" : httpStatus === 429 ? "throttling" : "client";
  return "client";
}

/** Classification of any thrown value: API errors by code, anything else (a bug) as a client error. */
export function classifyError(error: unknown): ErrorKind {
  return error instanceof TencentCloudApiError ? error.kind : "client";
}

/** True for the `AuthFailure.*` codes: wrong or expired credentials, never retried. */
export function isAuthFailure(error: unknown): error is TencentCloudApiError {
  return error instanceof TencentCloudApiError && error.code.startsWith("AuthFailure");
}

/** True when `error` carries `code` or a code under it (`ResourceNotFound` matches `ResourceNotFound.X`). */
export function hasCode(error: unknown, code: string): error is TencentCloudApiError {
  return error instanceof TencentCloudApiError && (error.code === code || error.code.startsWith(`${code}.`));
}

const TIMEOUT_PATTERN = /network timeout|timed? ?out|ETIMEDOUT|ESOCKETTIMEDOUT/i;

/**
 * Converts whatever the SDK threw into a {@link TencentCloudApiError}. The SDK's exception carries
 * `code` for API errors, `httpCode` for HTTP errors and neither for transport errors.
 * `redact` removes credentials from messages.
 */
export function fromSdkError(action: string, error: unknown, redact: (text: string) => string = (t) => t): TencentCloudApiError {
  if (error instanceof TencentCloudApiError) return error;
  const e = (error ?? {}) as { message?: unknown; code?: unknown; httpCode?: unknown; requestId?: unknown; name?: unknown };
  const message = redact(typeof e.message === "string" && e.message ? e.message : String(error));
  const requestId = typeof e.requestId === "string" ? e.requestId : undefined;
  if (typeof e.code === "string" && e.code && !/^E[A-Z]+$/.test(e.code)) {
    return new TencentCloudApiError({ action, code: e.code, message, requestId, cause: error });
  }
  if (typeof e.httpCode === "number") {
    return new TencentCloudApiError({ action, code: HTTP_ERROR_CODE, message: `HTTP ${e.httpCode} ${message}`, httpStatus: e.httpCode, requestId, cause: error });
  }
  return new TencentCloudApiError({
    action,
    code: TRANSPORT_ERROR_CODE,
    message,
    timedOut: TIMEOUT_PATTERN.test(message) || e.name === "AbortError",
    cause: error,
  });
}
