/**
 * Typed errors of the ESS emulator. Every refusal of the cloud API is an {@link AcsError} (the
 * emulator's neutral `ApiError`) carrying the Alibaba Cloud error code and its HTTP status;
 * `protocol.ts` alone turns it into the `{RequestId, HostId, Code, Message, Recommend}` body. A
 * misuse of the admin operations is an {@link EssAdminError} (the neutral `AdminError`, with its
 * HTTP status for the admin API).
 */
import { AdminError, ApiError } from "../errors";
import { BODY_TOO_LARGE_CODE, DEFAULT_ERROR_HTTP_STATUS, ERROR_HTTP_STATUS, INFERRED_ERROR_CODES, THROTTLING_CODE } from "./inferred";

/** Every error code the emulator answers with. Those without a source are in `inferred.ts`. */
export const EssErrorCodes = {
  // signature and protocol (Alibaba Cloud common codes)
  InvalidAccessKeyIdNotFound: "InvalidAccessKeyId.NotFound",
  SignatureDoesNotMatch: "SignatureDoesNotMatch",
  InvalidTimeStampExpired: "InvalidTimeStamp.Expired",
  InvalidTimeStampFormat: INFERRED_ERROR_CODES.timestampFormat,
  SignatureNonceUsed: "SignatureNonceUsed",
  IncompleteSignature: INFERRED_ERROR_CODES.incompleteSignature,
  InvalidSignatureMethod: INFERRED_ERROR_CODES.signatureMethod,
  MissingSecurityToken: INFERRED_ERROR_CODES.missingSecurityToken,
  InvalidSecurityTokenMismatch: INFERRED_ERROR_CODES.securityTokenMismatch,
  InvalidVersion: "InvalidVersion",
  InvalidActionNotFound: "InvalidAction.NotFound",
  MissingParameter: "MissingParameter",
  InvalidParameter: "InvalidParameter",
  Throttling: THROTTLING_CODE,
  RequestEntityTooLarge: BODY_TOO_LARGE_CODE,
  InternalError: "InternalError",
  ServiceUnavailable: "ServiceUnavailable",
  UnsupportedOperation: "UnsupportedOperation",
  // ESS
  InvalidScalingGroupIdNotFound: "InvalidScalingGroupId.NotFound",
  IncorrectScalingGroupStatus: INFERRED_ERROR_CODES.groupStatus,
  NoInstanceNeedBeRefreshed: "InvalidInstance.NoInstanceNeedBeRefreshed",
  InstanceRefreshTaskNotFound: INFERRED_ERROR_CODES.taskNotFound,
  IncorrectInstanceRefreshTaskStatus: INFERRED_ERROR_CODES.taskStatus,
  InvalidParameterConflict: INFERRED_ERROR_CODES.conflict,
  IdempotentParameterMismatch: INFERRED_ERROR_CODES.idempotentMismatch,
} as const;

/** One of {@link EssErrorCodes}' values. */
export type EssErrorCode = (typeof EssErrorCodes)[keyof typeof EssErrorCodes];

/** The HTTP status the emulator answers `code` with. */
export function httpStatusOf(code: string): number {
  return ERROR_HTTP_STATUS[code] ?? DEFAULT_ERROR_HTTP_STATUS;
}

/**
 * An error the API returns: HTTP {@link AcsError.httpStatus} with `{Code, Message, …}`.
 * @example throw new AcsError(EssErrorCodes.InvalidScalingGroupIdNotFound, "The specified scaling group does not exist.");
 */
export class AcsError extends ApiError {
  /** HTTP status of the answer (4xx/5xx). */
  readonly httpStatus: number;

  /**
   * @param code the API error code, e.g. `InvalidScalingGroupId.NotFound`
   * @param message the `Message` of the answer
   * @param httpStatus @default the code's status in `inferred.ts`
   */
  constructor(code: string, message: string, httpStatus: number = httpStatusOf(code)) {
    super(code, message);
    this.name = "AcsError";
    this.httpStatus = httpStatus;
  }
}

/**
 * Codes other clouds use for a condition ESS names differently: an injected fault with one of them
 * (a rule for every cloud, written with Tencent Cloud's codes) is answered with ESS's code.
 */
export const FAULT_CODE_EQUIVALENTS: Readonly<Record<string, string>> = {
  RequestLimitExceeded: THROTTLING_CODE,
};

/**
 * The answer to an injected fault: its code (or ESS's equivalent, {@link FAULT_CODE_EQUIVALENTS}) with
 * that code's HTTP status (`InternalError` 500, `ServiceUnavailable` 503, `Throttling` 400, others 400).
 * @example injectedError("RequestLimitExceeded", "Injected fault.") // AcsError Throttling, HTTP 400
 */
export function injectedError(code: string, message: string): AcsError {
  return new AcsError(FAULT_CODE_EQUIVALENTS[code] ?? code, message);
}

/** `MissingParameter` in Alibaba's wording, naming the parameter. */
export function missingParameter(name: string): AcsError {
  return new AcsError(EssErrorCodes.MissingParameter, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
}

/** `InvalidParameter` in Alibaba's wording, naming the parameter and why. */
export function invalidParameter(name: string, why: string): AcsError {
  return new AcsError(EssErrorCodes.InvalidParameter, `The specified parameter "${name}" is not valid: ${why}`);
}

/** HTTP statuses of the admin errors and their codes (the admin API's `{"error": {"code"}}`). */
export const ADMIN_ERROR_CODES = { 400: "BadRequest", 404: "NotFound", 409: "Conflict" } as const;

/**
 * An error of the emulator's admin operations (seedGroup, failInstance, stepTask, …): a misuse by
 * the test, never an answer of the cloud API. The admin API answers it with {@link AdminError.status}:
 * 400 for a bad spec, 404 for an unknown record, 409 for a conflict (a taken id, a task that waits for a call).
 * @example throw new EssAdminError(404, `task ${taskId} does not exist`);
 */
export class EssAdminError extends AdminError {
  constructor(status: keyof typeof ADMIN_ERROR_CODES, message: string) {
    super(status, ADMIN_ERROR_CODES[status], message);
    this.name = "EssAdminError";
  }
}
