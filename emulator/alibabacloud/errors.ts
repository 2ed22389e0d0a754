/**
 * Typed errors of the ESS emulator. Every refusal of the cloud API is an {@link AcsError} carrying
 * the Alibaba Cloud error code and its HTTP status; `protocol.ts` alone turns it into the
 * `{RequestId, HostId, Code, Message, Recommend}` body.
 */
import { DEFAULT_ERROR_HTTP_STATUS, ERROR_HTTP_STATUS, INFERRED_ERROR_CODES, THROTTLING_CODE } from "./inferred";

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
export class AcsError extends Error {
  /** The Alibaba Cloud error code, e.g. `InvalidScalingGroupId.NotFound`. */
  readonly code: string;
  /** HTTP status of the answer (4xx/5xx). */
  readonly httpStatus: number;

  /**
   * @param code the API error code
   * @param message the `Message` of the answer
   * @param httpStatus @default the code's status in `inferred.ts`
   */
  constructor(code: string, message: string, httpStatus: number = httpStatusOf(code)) {
    super(message);
    this.name = "AcsError";
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** `MissingParameter` in Alibaba's wording, naming the parameter. */
export function missingParameter(name: string): AcsError {
  return new AcsError(EssErrorCodes.MissingParameter, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
}

/** `InvalidParameter` in Alibaba's wording, naming the parameter and why. */
export function invalidParameter(name: string, why: string): AcsError {
  return new AcsError(EssErrorCodes.InvalidParameter, `The specified parameter "${name}" is not valid: ${why}`);
}

/**
 * An error of the emulator's admin operations (seedGroup, failInstance, stepTask, …): a misuse by
 * the test, never an answer of the cloud API.
 */
export class EssAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EssAdminError";
  }
}
