/**
 * The error codes of Tencent Cloud Auto Scaling that the emulator returns. They travel in an
 * `ApiError` (`../errors.ts`); exactly one place (`envelope.ts`) turns it into the
 * `{"Response": {"Error": {...}}}` envelope.
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
