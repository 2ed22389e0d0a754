/**
 * The RPC wire protocol of ESS: requests are `POST /` (or GET) with the action's parameters in the
 * query string and/or an `application/x-www-form-urlencoded` body, the action and version in
 * `x-acs-action`/`x-acs-version` (V3) or the `Action`/`Version` parameters (V1). Answers are JSON:
 * HTTP 200 `{RequestId, …}`, or HTTP 4xx/5xx `{RequestId, HostId, Code, Message, Recommend}`.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { unescape as qsUnescape } from "node:querystring";
import { AcsError, EssErrorCodes, invalidParameter } from "./errors";
import { ERROR_HOST_ID, recommendUrl } from "./inferred";
import { Params } from "./params";
import { RPC_V1_PROTOCOL_PARAMETERS, type ParamPairs } from "./signature";

/** An HTTP request taken apart (nothing checked yet). */
export interface ParsedHttpRequest {
  /** Upper-case method. */
  method: string;
  /** Path without the query. */
  path: string;
  /** Decoded query parameters, in order. */
  query: ParamPairs;
  /** Decoded form-body parameters (empty unless the body is form-encoded). */
  form: ParamPairs;
  /** Headers, lower-case names. */
  headers: IncomingHttpHeaders;
  /** The raw body. */
  body: Buffer;
}

/** Content type of a form body. */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
/** Content type of every answer. */
export const JSON_CONTENT_TYPE = "application/json;charset=utf-8";

/** Decodes `a=1&b=x%20y` (`+` is a space, as in forms) into pairs. */
export function decodePairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const raw = eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, ""];
    const [k, v] = raw.map((s) => qsUnescape(s!.replace(/\+/g, "%20"))) as [string, string];
    out.push([k, v]);
  }
  return out;
}

/** One header's value (the first, when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Takes an HTTP request apart. */
export function parseHttpRequest(req: IncomingMessage, body: Buffer): ParsedHttpRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const contentType = (headerValue(req.headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: q >= 0 ? url.slice(0, q) : url,
    query: decodePairs(q >= 0 ? url.slice(q + 1) : ""),
    form: contentType === FORM_CONTENT_TYPE ? decodePairs(body.toString("utf8")) : [],
    headers: req.headers,
    body,
  };
}

/** The action and version a request names: headers for V3; parameters, else headers, for V1. */
export function actionAndVersion(req: ParsedHttpRequest, signatureVersion: "v3" | "v1"): { action?: string; version?: string } {
  const fromHeaders = { action: headerValue(req.headers, "x-acs-action"), version: headerValue(req.headers, "x-acs-version") };
  if (signatureVersion === "v3") return fromHeaders;
  const param = (name: string) => [...req.query, ...req.form].find(([k]) => k === name)?.[1];
  return { action: param("Action") ?? fromHeaders.action, version: param("Version") ?? fromHeaders.version };
}

/**
 * The action's parameters: query and form together (a name given twice is refused), without the
 * V1 protocol parameters.
 */
export function businessParams(req: ParsedHttpRequest, signatureVersion: "v3" | "v1"): Params {
  const map = new Map<string, string>();
  for (const [k, v] of [...req.query, ...req.form]) {
    if (signatureVersion === "v1" && RPC_V1_PROTOCOL_PARAMETERS.has(k)) continue;
    if (map.has(k)) throw invalidParameter(k, "the parameter is given more than once.");
    map.set(k, v);
  }
  return new Params(map);
}

/** Writes a JSON answer. */
export function writeJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(payload) });
  res.end(payload);
}

/** Writes HTTP 200 `{RequestId, …fields}`. */
export function writeSuccess(res: ServerResponse, requestId: string, fields: Record<string, unknown>): void {
  writeJson(res, 200, { RequestId: requestId, ...fields });
}

/** The error body of `code`: `{RequestId, HostId, Code, Message, Recommend}`. */
export function errorBody(code: string, message: string, requestId: string): Record<string, string> {
  return { RequestId: requestId, HostId: ERROR_HOST_ID, Code: code, Message: message, Recommend: recommendUrl(code, requestId) };
}

/** Writes an error answer and returns its code; anything but an {@link AcsError} is an InternalError (500), logged to stderr. */
export function writeError(res: ServerResponse, error: unknown, requestId: string): string {
  let e: AcsError;
  if (error instanceof AcsError) e = error;
  else {
    process.stderr.write(`[ess-emulator] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    e = new AcsError(EssErrorCodes.InternalError, "The request processing has failed due to some unknown error.");
  }
  writeJson(res, e.httpStatus, errorBody(e.code, e.message, requestId));
  return e.code;
}
