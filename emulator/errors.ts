/**
 * Typed errors of the emulator's two faces. A cloud API answers an {@link ApiError} (a code and a
 * message), which that cloud's envelope serializes (Tencent Cloud: `tencentcloud/envelope.ts`); the
 * admin API answers an {@link AdminError} with an HTTP status.
 */

/**
 * An error a cloud API returns to the caller: a code and a message, serialized by that cloud's envelope.
 * @example throw new ApiError(ErrorCodes.RefreshActivityNotFound, `activity ${id} does not exist`);
 */
export class ApiError extends Error {
  /** The cloud's error code, e.g. `ResourceNotFound.RefreshActivityNotFound` (Tencent Cloud's `ErrorCodes`). */
  readonly code: string;

  constructor(code: string, message: string) {
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
