/**
 * Every choice of the ESS emulator that no source states (marked *(inferred)* in
 * `/work/shared/reference/alibabacloud-ess-instance-refresh.md` or not covered by it), in ONE
 * module so that each is easy to find and correct once the real behaviour is known. README.md lists
 * them in a table; a constant here that changes should change there too.
 *
 * Documented values (defaults and ranges of the parameters, the status names, the error codes the
 * reference names) live in `model.ts` and `errors.ts`, not here.
 */

// ------------------------------------------------------------------ ids

/** Lowercase alphanumerics used after an id's prefix. */
export const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Prefix and suffix length of each id the emulator issues. The lengths are read off the masked
 * examples of the API pages (`asg-bp18p2yfxow2dloq****` → 20, `i-bp109k5j3dum1ce6****` → 20,
 * `ir-aca123sf****` → 12); that the mask hides exactly four characters is inferred.
 */
export const ID_FORMATS = {
  scalingGroup: { prefix: "asg-", length: 20 },
  instance: { prefix: "i-", length: 20 },
  instanceRefreshTask: { prefix: "ir-", length: 12 },
  scalingConfiguration: { prefix: "asc-", length: 20 },
  launchTemplate: { prefix: "lt-", length: 20 },
  image: { prefix: "m-", length: 20 },
} as const;

// ------------------------------------------------------------------ signature

/**
 * Largest accepted |wall clock − `x-acs-date`| (and V1 `Timestamp`). Alibaba's V3 signature page
 * says the date must be within 15 minutes of the request; that a date as far in the future is also
 * accepted is inferred.
 */
export const SIGNATURE_MAX_SKEW_MS = 15 * 60 * 1000;

/** How long a `x-acs-signature-nonce` is remembered (a replay within it is refused): the skew window. */
export const NONCE_RETENTION_MS = SIGNATURE_MAX_SKEW_MS;

/**
 * Headers every V3 signature must cover (besides any `x-acs-*` header that is present, which the
 * V3 page requires to be signed too); a request that leaves one out is refused with
 * `IncompleteSignature`.
 */
export const REQUIRED_SIGNED_HEADERS = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"] as const;

// ------------------------------------------------------------------ error codes

/**
 * Codes for conditions the sources name no code for. ESS-style names (`Invalid<Param>.NotFound`,
 * `Incorrect…Status`) were chosen; `IncorrectScalingGroupStatus` (a real ESS code) doubles as the
 * "another task is active on the group" refusal, whose real code is unknown.
 */
export const INFERRED_ERROR_CODES = {
  /** `InstanceRefreshTaskId` names no task of the group (or region). */
  taskNotFound: "InvalidInstanceRefreshTaskId.NotFound",
  /** Suspend/Resume/Cancel/Rollback in a status that does not allow it. */
  taskStatus: "IncorrectInstanceRefreshTaskStatus",
  /** Start while the group has an active task, or on a group that is not Active. */
  groupStatus: "IncorrectScalingGroupStatus",
  /** Members of DesiredConfiguration that cannot be set together. */
  conflict: "InvalidParameter.Conflict",
  /** The same ClientToken with different parameters. */
  idempotentMismatch: "IdempotentParameterMismatch",
  /** A V3 Authorization header that cannot be parsed, or that leaves a required header unsigned. */
  incompleteSignature: "IncompleteSignature",
  /** `x-acs-date` / `Timestamp` missing or not `YYYY-MM-DDTHH:mm:ssZ`. */
  timestampFormat: "InvalidTimeStamp.Format",
  /** A credential with a security token, called without one. */
  missingSecurityToken: "MissingSecurityToken",
  /** A wrong security token, or `x-acs-accesskey-id` naming another key. */
  securityTokenMismatch: "InvalidSecurityToken.MismatchWithAccessKey",
  /** A signature algorithm other than ACS3-HMAC-SHA256 (V3) or HMAC-SHA1 (V1). */
  signatureMethod: "InvalidSignatureMethod",
} as const;

/**
 * HTTP status of each error code. The sources give only SignatureDoesNotMatch → 400 (as seen
 * by the SDK), InternalError → 500 and ServiceUnavailable → 503; `InvalidAccessKeyId.NotFound` →
 * 404 is Alibaba's common-error table; the rest follow Alibaba's usual pattern (`*.NotFound` → 404,
 * `Incorrect*Status` → 403, everything else the client can fix → 400) and are inferred.
 */
export const ERROR_HTTP_STATUS: Readonly<Record<string, number>> = {
  "InvalidAccessKeyId.NotFound": 404,
  SignatureDoesNotMatch: 400,
  "InvalidTimeStamp.Expired": 400,
  "InvalidTimeStamp.Format": 400,
  SignatureNonceUsed: 400,
  IncompleteSignature: 400,
  InvalidSignatureMethod: 400,
  MissingSecurityToken: 400,
  "InvalidSecurityToken.MismatchWithAccessKey": 400,
  InvalidVersion: 400,
  "InvalidAction.NotFound": 404,
  MissingParameter: 400,
  InvalidParameter: 400,
  "InvalidParameter.Conflict": 400,
  IdempotentParameterMismatch: 400,
  "InvalidScalingGroupId.NotFound": 404,
  "InvalidInstanceRefreshTaskId.NotFound": 404,
  IncorrectInstanceRefreshTaskStatus: 403,
  IncorrectScalingGroupStatus: 403,
  "InvalidInstance.NoInstanceNeedBeRefreshed": 400,
  UnsupportedOperation: 400,
  RequestEntityTooLarge: 413,
  Throttling: 400,
  InternalError: 500,
  ServiceUnavailable: 503,
};

/**
 * Code of a request whose body exceeds the emulator's limit (1 MiB, `../http.ts`); the sources name
 * no code or limit, so the code borrows HTTP's name for the condition, with HTTP 413.
 */
export const BODY_TOO_LARGE_CODE = "RequestEntityTooLarge";

/** Status of a code missing from {@link ERROR_HTTP_STATUS} (e.g. an injected one). */
export const DEFAULT_ERROR_HTTP_STATUS = 400;

/** `HostId` of error bodies: the [RESP] example's value, whatever endpoint was called. */
export const ERROR_HOST_ID = "ess.aliyuncs.com";

/** `Recommend` of error bodies: the troubleshooting URL, built like the console's. */
export function recommendUrl(code: string, requestId: string): string {
  return `https://api.alibabacloud.com/troubleshoot?q=${encodeURIComponent(code)}&product=Ess&requestId=${encodeURIComponent(requestId)}`;
}

// ------------------------------------------------------------------ throttling

/** Requests per second accepted for each action (wall clock, sliding window); ESS publishes none. */
export const DEFAULT_REQUESTS_PER_SECOND = 20;
/** Code of the throttling answer (the SDK turns any code containing `Throttling` into ThrottlingError). */
export const THROTTLING_CODE = "Throttling";

// ------------------------------------------------------------------ protocol

/** HTTP methods accepted (RPC style allows both); others get `UnsupportedOperation`. */
export const ACCEPTED_METHODS = ["GET", "POST"] as const;

/**
 * API versions served. 2022-02-22 is the reference's; 2014-08-28 has Start/Describe/Cancel/Rollback
 * per [TF] and [D14]; that it has Suspend and Resume too is inferred.
 */
export const API_VERSIONS = ["2022-02-22", "2014-08-28"] as const;

/**
 * Largest number of items of a flattened list parameter (`InstanceRefreshTaskIds.N`,
 * `LaunchTemplateOverrides.N`, `Containers.N`, `ScalingGroupIds.N`, `InstanceIds.N`); the API pages
 * give limits only for Commands (20) and Args (10).
 */
export const MAX_LIST_ITEMS = 100;

// ------------------------------------------------------------------ model

/** Statuses that end a task (never left, except by a Rollback of Successful/Failed/Cancelled). */
export const TERMINAL_STATUSES = ["Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"] as const;

/** Statuses Suspend accepts (the API page names InProgress; CheckpointPause is inferred). */
export const SUSPENDABLE_STATUSES = ["InProgress", "CheckpointPause"] as const;
/** Statuses Resume accepts (Paused; CheckpointPause, ending the pause early, is inferred). */
export const RESUMABLE_STATUSES = ["Paused", "CheckpointPause"] as const;
/** Statuses Cancel accepts (every running one except the rollback, which the API page refuses). */
export const CANCELLABLE_STATUSES = ["Pending", "InProgress", "Paused", "CheckpointPause"] as const;
/** Statuses Rollback accepts: a task that has started, running or ended, but not a rollback. */
export const ROLLBACKABLE_STATUSES = ["InProgress", "Paused", "CheckpointPause", "Successful", "Failed", "Cancelled"] as const;
/** Statuses the one-week limit applies to (a task in them for a week becomes Failed). */
export const TIME_LIMITED_STATUSES = ["Pending", "InProgress", "Paused", "CheckpointPause"] as const;

/** Maximum run time of a task: "one week" ([M]'s example Detail). */
export const MAX_TASK_RUN_MS = 7 * 24 * 60 * 60 * 1000;
/** Detail of a task that ran too long ([M]'s example value). */
export const MAX_RUN_TIME_DETAIL = "The task exceeded its maximum run time of one week. So the task failed.";
/** Detail of a task failed by an instance without a message of its own. */
export const DEFAULT_INSTANCE_FAILURE_DETAIL = "Failed to refresh instance.";

/**
 * LaunchTemplateVersion values that rule out a rollback ([M]); a Rollback of such a task gets
 * `UnsupportedOperation` (the code is inferred).
 */
export const NO_ROLLBACK_LAUNCH_TEMPLATE_VERSIONS = ["Default", "Latest"] as const;
/** LaunchTemplateVersion assumed when LaunchTemplateId is given without one. */
export const DEFAULT_LAUNCH_TEMPLATE_VERSION = "Default";

/**
 * Size of one wave (instances replaced at a time) for a group of `capacity` In Service instances:
 * surge = ⌊C·(Max−100)/100⌋, unavailable = ⌊C·(100−Min)/100⌋, wave = max(1, surge + unavailable).
 * The documented anchor (Min = Max = 100 → one at a time) holds; the floor rounding is inferred.
 * @example waveSize(10, 80, 120) // 4
 */
export function waveSize(capacity: number, minHealthyPercentage: number, maxHealthyPercentage: number): number {
  const surge = Math.floor((capacity * (maxHealthyPercentage - 100)) / 100);
  const unavailable = Math.floor((capacity * (100 - minHealthyPercentage)) / 100);
  return Math.max(1, surge + unavailable);
}

/**
 * Refreshed instances needed to reach a checkpoint: ⌈total·percentage/100⌉. A wave is cut short so
 * that it stops exactly there; checkpoints that need no more than what is already done are passed
 * together with a single pause.
 * @example checkpointTarget(10, 25) // 3
 */
export function checkpointTarget(total: number, percentage: number): number {
  return Math.ceil((total * percentage) / 100);
}
