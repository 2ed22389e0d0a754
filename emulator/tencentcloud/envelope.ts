/** Tencent Cloud's response envelope, `{"Response": …}`: the one place that serializes results and {@link ApiError}s. */
import { randomUUID } from "node:crypto";
import { ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";

/** A fresh RequestId (UUID v4, as Tencent Cloud returns). */
export function newRequestId(): string {
  return randomUUID();
}

/** `{"Response": {...fields, "RequestId"}}`. */
export function successEnvelope(fields: Record<string, unknown>, requestId: string): string {
  return JSON.stringify({ Response: { ...fields, RequestId: requestId } });
}

/** `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`; non-API errors become InternalError. */
export function errorEnvelope(error: unknown, requestId: string): { code: string; body: string } {
  const e = error instanceof ApiError ? error : new ApiError(ErrorCodes.InternalError, "An internal error occurred.");
  return { code: e.code, body: JSON.stringify({ Response: { Error: { Code: e.code, Message: e.message }, RequestId: requestId } }) };
}
