/**
 * TC3-HMAC-SHA256 verification, mirroring `tencentcloud-sdk-nodejs/tencentcloud/common/sign.js`:
 * the canonical `host` is the Host header without its port (the SDK signs `URL.hostname`), the
 * service in the credential scope is whatever the client used (the SDK derives it from the endpoint,
 * `127` for `127.0.0.1:PORT`), and the payload hash covers the raw body bytes.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";

/** A SecretId/SecretKey pair the emulator accepts; `token` makes it a temporary credential. */
export interface Credential {
  /** The SecretId requests are signed with. */
  readonly secretId: string;
  /** Its SecretKey. */
  readonly secretKey: string;
  /** When set, requests must carry the same `X-TC-Token`. */
  readonly token?: string;
}

/** SecretId accepted by default (document it; it is not a secret). */
export const DEFAULT_SECRET_ID = "AKIDEMULATOR000000000000000000000000";
/** SecretKey of {@link DEFAULT_SECRET_ID}. */
export const DEFAULT_SECRET_KEY = "EMULATORSECRETKEY000000000000000";

/** Largest accepted |server time − X-TC-Timestamp|, in seconds. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;
/** The only algorithm accepted. */
export const SIGNATURE_ALGORITHM = "TC3-HMAC-SHA256";
/** Derived signing keys cached (secretKey × date × service); cleared when full. */
const SIGNING_KEY_CACHE_SIZE = 1024;

/** What verification needs from an HTTP request (header names lower-case). */
export interface SignedRequestParts {
  method: string;
  path: string;
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

const AUTH_RE =
  /^TC3-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request\s*,\s*SignedHeaders=([a-z0-9;._-]+)\s*,\s*Signature=([0-9a-f]{64})$/;

/** UTC `YYYY-MM-DD` of a Unix timestamp in seconds. */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/** Host header without the port (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
export function hostWithoutPort(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end >= 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.indexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function header(headers: SignedRequestParts["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** Inputs of {@link computeSignature}. */
export interface SignatureInput {
  secretKey: string;
  service: string;
  timestamp: number;
  method: string;
  path: string;
  query: string;
  /** Signed header names, lower-case, in order (e.g. `["content-type", "host"]`). */
  signedHeaders: readonly string[];
  /** Value of each signed header as it will be canonicalized (host without port). */
  headerValue: (name: string) => string;
  body: Buffer | string;
}

const signingKeys = new Map<string, Buffer>();

function signingKey(secretKey: string, date: string, service: string): Buffer {
  const k = `${secretKey}\n${date}\n${service}`;
  let key = signingKeys.get(k);
  if (!key) {
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.clear();
    key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
    signingKeys.set(k, key);
  }
  return key;
}

/** The hex TC3 signature of a request. */
export function computeSignature(input: SignatureInput): string {
  const date = utcDate(input.timestamp);
  const canonicalHeaders = input.signedHeaders.map((h) => `${h}:${input.headerValue(h).trim().toLowerCase()}\n`).join("");
  const canonical = [
    input.method.toUpperCase(),
    input.path,
    input.query,
    canonicalHeaders,
    input.signedHeaders.join(";"),
    sha256Hex(input.body),
  ].join("\n");
  const toSign = `${SIGNATURE_ALGORITHM}\n${input.timestamp}\n${date}/${input.service}/tc3_request\n${sha256Hex(canonical)}`;
  return createHmac("sha256", signingKey(input.secretKey, date, input.service)).update(toSign).digest("hex");
}

/**
 * Builds the `Authorization` header a client would send (tests use it for hand-made requests).
 * @example signAuthorization({ secretId, secretKey, host: "127.0.0.1", body, timestamp: now })
 */
export function signAuthorization(opts: {
  secretId: string;
  secretKey: string;
  host: string;
  body: Buffer | string;
  timestamp: number;
  service?: string;
  contentType?: string;
}): string {
  const service = opts.service ?? "as";
  const contentType = opts.contentType ?? "application/json";
  const signature = computeSignature({
    secretKey: opts.secretKey,
    service,
    timestamp: opts.timestamp,
    method: "POST",
    path: "/",
    query: "",
    signedHeaders: ["content-type", "host"],
    headerValue: (h) => (h === "host" ? hostWithoutPort(opts.host) : contentType),
    body: opts.body,
  });
  return `${SIGNATURE_ALGORITHM} Credential=${opts.secretId}/${utcDate(opts.timestamp)}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
}

/** Verifies TC3 signatures against a set of credentials. */
export class SignatureVerifier {
  private readonly byId: Map<string, Credential>;

  /**
   * @param credentials accepted credentials
   * @param nowSeconds wall clock in Unix seconds (never the model's clock)
   */
  constructor(credentials: readonly Credential[], private readonly nowSeconds: () => number = () => Date.now() / 1000) {
    this.byId = new Map(credentials.map((c) => [c.secretId, c]));
  }

  /** Returns the matching credential or throws the documented `AuthFailure.*` error. */
  verify(req: SignedRequestParts): Credential {
    const auth = header(req.headers, "authorization");
    if (!auth) throw new ApiError(ErrorCodes.AuthFailureInvalidAuthorization, "The Authorization header is missing.");
    const m = AUTH_RE.exec(auth.trim());
    if (!m) throw new ApiError(ErrorCodes.AuthFailureInvalidAuthorization, "The Authorization header is not a valid TC3-HMAC-SHA256 authorization.");
    const [, secretId, scopeDate, service, signedHeaderList, signature] = m as unknown as [string, string, string, string, string, string];
    const signedHeaders = signedHeaderList.split(";");
    if (!signedHeaders.includes("host") || !signedHeaders.includes("content-type")) {
      throw new ApiError(ErrorCodes.AuthFailureInvalidAuthorization, "SignedHeaders must include content-type and host.");
    }
    const cred = this.byId.get(secretId);
    if (!cred) throw new ApiError(ErrorCodes.AuthFailureSecretIdNotFound, `The SecretId ${secretId} is not found.`);
    const tsText = header(req.headers, "x-tc-timestamp");
    if (tsText === undefined || tsText === "") throw new ApiError(ErrorCodes.MissingParameter, "The request is missing the required header `X-TC-Timestamp`.");
    if (!/^\d{1,12}$/.test(tsText.trim())) throw new ApiError(ErrorCodes.InvalidParameter, "The header `X-TC-Timestamp` must be Unix seconds.");
    const timestamp = Number(tsText.trim());
    const skew = Math.abs(this.nowSeconds() - timestamp);
    if (skew > SIGNATURE_MAX_SKEW_SECONDS) {
      throw new ApiError(
        ErrorCodes.AuthFailureSignatureExpire,
        `Signature expired: X-TC-Timestamp ${timestamp} is ${Math.round(skew)} s away from server time (max ${SIGNATURE_MAX_SKEW_SECONDS} s).`,
      );
    }
    // inferred: the scope date must be the UTC date of X-TC-Timestamp.
    if (scopeDate !== utcDate(timestamp)) {
      throw new ApiError(ErrorCodes.AuthFailureSignatureFailure, "The credential scope date does not match X-TC-Timestamp.");
    }
    const expected = computeSignature({
      secretKey: cred.secretKey,
      service,
      timestamp,
      method: req.method,
      path: req.path,
      query: req.query,
      signedHeaders,
      headerValue: (h) => (h === "host" ? hostWithoutPort(header(req.headers, "host") ?? "") : (header(req.headers, h) ?? "")),
      body: req.body,
    });
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      throw new ApiError(ErrorCodes.AuthFailureSignatureFailure, "The provided credentials could not be validated: the signature does not match.");
    }
    if (cred.token !== undefined && header(req.headers, "x-tc-token") !== cred.token) {
      throw new ApiError(ErrorCodes.AuthFailureTokenFailure, "The X-TC-Token is missing or does not match the temporary credential.");
    }
    return cred;
  }
}
