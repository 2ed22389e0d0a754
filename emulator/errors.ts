/**
 * Typed API errors. The backend and the wire layer throw {@link ApiError}; exactly one place
 * (`envelope.ts`) turns it into the `{"Response": {"Error": {...}}}` envelope.
 */

/** Every error code the emulator can return, grouped as in the Tencent Cloud documentation. */
export const ErrorCodes = {
  // common codes
  AuthFailureInvalidAuthorization: "AuthFailure.InvalidAuthorization",
  AuthFailureSecretIdNotFound: "AuthFailure.SecretIdNotFound",
  AuthFailureSignatureExpire: "AuthFailure.SignatureExpire",
  AuthFailureSignatureFailure: "AuthFailure.SignatureFailure",
  AuthFailureTokenFailure: "AuthFailure.TokenFailure",
  InvalidAction: "InvalidAction",
  NoSuchVersion: "NoSuchVersion",
  UnsupportedProtocol: "UnsupportedProtocol",
  RequestSizeLimitExceeded: "RequestSizeLimitExceeded",
  InvalidParameter: "InvalidParameter",
  InvalidParameterValue: "InvalidParameterValue",
  MissingParameter: "MissingParameter",
  UnknownParameter: "UnknownParameter",
  UnsupportedRegion: "UnsupportedRegion",
  RequestLimitExceeded: "RequestLimitExceeded",
  InternalError: "InternalError",
  // action specific codes
  InvalidParameterConflict: "InvalidParameter.Conflict",
  BatchNumberTooLarge: "InvalidParameterValue.BatchNumberTooLarge",
  MaxSurgeTooLarge: "InvalidParameterValue.MaxSurgeTooLarge",
  InvalidFilterName: "InvalidParameterValue.Filter",
  InvalidFilter: "InvalidParameterValue.InvalidFilter",
  InvalidAutoScalingGroupId: "InvalidParameterValue.InvalidAutoScalingGroupId",
  ValueLimitExceeded: "InvalidParameterValue.LimitExceeded",
  FilterValuesTooLong: "LimitExceeded.FilterValuesTooLong",
  AutoScalingGroupIdNotFound: "ResourceNotFound.AutoScalingGroupIdNotFound",
  RefreshActivityNotFound: "ResourceNotFound.RefreshActivityNotFound",
  AutoScalingGroupInRefreshActivity: "ResourceUnavailable.AutoScalingGroupInRefreshActivity",
  NoInstanceCanRefresh: "ResourceUnavailable.NoInstanceCanRefresh",
  NoInstanceCanRollback: "ResourceUnavailable.NoInstanceCanRollback",
  RefreshActivityStatusConflictWithOperation: "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
  RefreshActivityCanNotRollback: "ResourceUnavailable.RefreshActivityCanNotRollback",
  RollbackTypeActivityCanNotRollbackAgain: "ResourceUnavailable.RollbackTypeActivityCanNotRollbackAgain",
} as const;

/** One of {@link ErrorCodes}' values, or any other code (injected faults may use arbitrary codes). */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

/**
 * An error the API returns to the caller: serialized as `{"Error": {"Code", "Message"}}`.
 * @example throw new ApiError(ErrorCodes.RefreshActivityNotFound, `activity ${id} does not exist`);
 */
export class ApiError extends Error {
  /** The Tencent Cloud error code, e.g. `ResourceNotFound.RefreshActivityNotFound`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/** True when `e` is an {@link ApiError}. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/**
 * An error of the admin API (`/_emulator/...`), answered with an HTTP status and
 * `{"error": {"code", "message"}}`; never used for the cloud API.
 */
export class AdminError extends Error {
  /** HTTP status, e.g. 400, 404, 409. */
  readonly status: number;
  /** Short machine-readable reason, e.g. `NotFound`. */
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "AdminError";
    this.status = status;
    this.code = code;
  }
}
