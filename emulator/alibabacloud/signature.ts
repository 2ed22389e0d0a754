/**
 * Request signatures of Alibaba Cloud's RPC APIs, verified as the reference (§2) describes:
 *
 * - **V3, ACS3-HMAC-SHA256** (the default of `@alicloud/openapi-core`): `Authorization:
 *   ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;…>,Signature=<hex>` over the
 *   canonical request `METHOD \n path \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n
 *   x-acs-content-sha256`, exactly the headers `SignedHeaders` lists, the received `Host` with its port.
 * - **V1, HMAC-SHA1** (`SignatureVersion=1.0`, pop-core): every parameter of the query and form body
 *   but `Signature`, signed as `METHOD&%2F&pct(CanonicalQuery)` with the key `secret + "&"`.
 *
 * Times are the wall clock (never the model's clock), so tests can move the model freely.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AcsError, EssErrorCodes, invalidParameter, missingParameter } from "./errors";
import { NONCE_RETENTION_MS, REQUIRED_SIGNED_HEADERS, SIGNATURE_MAX_SKEW_MS } from "./inferred";

/** An AccessKey pair the emulator accepts; `securityToken` makes it an STS (temporary) credential. */
export interface AcsCredential {
  /** The AccessKey id requests name in `Credential=` (V3) or `AccessKeyId` (V1). */
  readonly accessKeyId: string;
  /** Its secret. */
  readonly accessKeySecret: string;
  /** When set, requests must carry the same `x-acs-security-token` (V3) or `SecurityToken` (V1). */
  readonly securityToken?: string;
}

/** AccessKey id the emulator accepts by default (not a secret; 24 characters like a real `LTAI…` id). */
export const DEFAULT_ACCESS_KEY_ID = "LTAI5tEMULATOR0000000000";
/** Its secret (not a secret; 30 characters like a real one). */
export const DEFAULT_ACCESS_KEY_SECRET = "EMULATORSECRET0000000000000000";

/** The V3 algorithm; other `ACS3-*` algorithms (SM3, RSA) are refused. */
export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";
/** `SignatureMethod` of V1. */
export const RPC_V1_SIGNATURE_METHOD = "HMAC-SHA1";
/** `SignatureVersion` of V1. */
export const RPC_V1_SIGNATURE_VERSION = "1.0";
/** hex(sha256("")): `x-acs-content-sha256` of an empty body. */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Nonces remembered at most (oldest forgotten first); bounds memory under load. */
export const MAX_REMEMBERED_NONCES = 100_000;
/** Bytes of randomness of a nonce made by {@link signAcs3}. */
const NONCE_BYTES = 16;

/** The V1 parameters that belong to the protocol, not to the action. */
export const RPC_V1_PROTOCOL_PARAMETERS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "Signature",
  "SecurityToken",
]);

/**
 * Percent-encoding of the signatures: `encodeURIComponent`, then `! ' ( ) *` as `%21 %27 %28 %29 %2A`.
 * @example pct("a b*") // "a%20b%2A"
 */
export function pct(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** hex(sha256(data)). */
export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Decoded query (or form) parameters in arrival order; a key may repeat. */
export type ParamPairs = ReadonlyArray<readonly [string, string]>;

/**
 * V3 CanonicalQuery: pairs sorted by key, `key=pct(value)` joined by `&`. Keys stay raw, as the SDK
 * leaves them (the same for every key the API uses).
 * @example canonicalQueryV3([["b", "1 2"], ["a", "x"]]) // "a=x&b=1%202"
 */
export function canonicalQueryV3(pairs: ParamPairs): string {
  return [...pairs]
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${pct(v)}`)
    .join("&");
}

/** What verification needs from an HTTP request; header names are lower-case. */
export interface SignedRequest {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** Path without the query, e.g. `/`. */
  path: string;
  /** Decoded query parameters. */
  query: ParamPairs;
  /** Decoded form-body parameters (V1 signs them; V3 covers them through the payload hash). */
  form: ParamPairs;
  /** Request headers as Node gives them (lower-case names). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body. */
  body: Buffer;
}

/** The result of a successful verification. */
export interface VerifiedCaller {
  /** The credential that signed the request. */
  credential: AcsCredential;
  /** Which signature scheme it used. */
  signatureVersion: "v3" | "v1";
}

/** Inputs of {@link acs3Signature}. */
export interface Acs3SignatureInput {
  /** HTTP method. */
  method: string;
  /** Canonical URI, `/` for RPC. */
  path: string;
  /** Decoded query parameters. */
  query: ParamPairs;
  /** Signed header names, lower-case, in the order of `SignedHeaders`. */
  signedHeaders: readonly string[];
  /** The value of each signed header (untrimmed is fine). */
  headerValue: (name: string) => string;
  /** hex(sha256(body)) as sent in `x-acs-content-sha256`. */
  hashedPayload: string;
}

/** The hex ACS3-HMAC-SHA256 signature of a request. */
export function acs3Signature(accessKeySecret: string, input: Acs3SignatureInput): string {
  const canonicalHeaders = input.signedHeaders.map((h) => `${h}:${input.headerValue(h).trim()}\n`).join("");
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path,
    canonicalQueryV3(input.query),
    canonicalHeaders,
    input.signedHeaders.join(";"),
    input.hashedPayload,
  ].join("\n");
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  return createHmac("sha256", accessKeySecret).update(stringToSign).digest("hex");
}

/** The base64 V1 (HMAC-SHA1) signature of `params` (which must not contain `Signature`). */
export function rpcV1Signature(accessKeySecret: string, method: string, params: ParamPairs): string {
  const canonical = [...params]
    .sort(([ka], [kb]) => (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([k, v]) => `${pct(k)}=${pct(v)}`)
    .join("&");
  const stringToSign = `${method.toUpperCase()}&${pct("/")}&${pct(canonical)}`;
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign).digest("base64");
}

/**
 * The API's time format, `YYYY-MM-DDTHH:mm:ssZ` (UTC, whole seconds).
 * @example acsDate(new Date(0)) // "1970-01-01T00:00:00Z"
 */
export function acsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Options of {@link signAcs3}. */
export interface SignAcs3Options {
  /** AccessKey id. */
  accessKeyId: string;
  /** AccessKey secret. */
  accessKeySecret: string;
  /** Sends `x-acs-security-token` and `x-acs-accesskey-id`, as the SDK does for STS credentials. */
  securityToken?: string;
  /** The `Host` header, with the port (`127.0.0.1:PORT`). */
  host: string;
  /** `x-acs-action`. */
  action: string;
  /** `x-acs-version`. @default "2022-02-22" */
  version?: string;
  /** Query parameters (already flattened: `Checkpoints.1.Percentage`). */
  query?: Readonly<Record<string, string>>;
  /** A form body; sets `content-type: application/x-www-form-urlencoded`. */
  form?: Readonly<Record<string, string>>;
  /** @default "POST" */
  method?: string;
  /** `x-acs-date`. @default now */
  date?: Date | string;
  /** `x-acs-signature-nonce`. @default random hex */
  nonce?: string;
}

/** A request signed by {@link signAcs3}, ready to send (or to alter, in tests). */
export interface SignedAcs3Request {
  /** HTTP method. */
  method: string;
  /** Path with the query string, e.g. `/?RegionId=cn-hangzhou`. */
  path: string;
  /** Headers to send, `authorization` included. */
  headers: Record<string, string>;
  /** The body (empty without `form`). */
  body: Buffer;
}

/** `key=value` pairs joined by `&`, both percent-encoded with {@link pct}. */
export function encodeParams(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${pct(k)}=${pct(v)}`)
    .join("&");
}

/**
 * Signs a request the way `@alicloud/openapi-core` does (V3), for hand-made requests in tests.
 * @example
 * const r = signAcs3({ accessKeyId, accessKeySecret, host: "127.0.0.1:8080", action: "DescribeInstanceRefreshes",
 *   query: { RegionId: "cn-hangzhou", ScalingGroupId: "asg-…" } });
 * await fetch(`http://127.0.0.1:8080${r.path}`, { method: r.method, headers: r.headers, body: r.body });
 */
export function signAcs3(opts: SignAcs3Options): SignedAcs3Request {
  const method = (opts.method ?? "POST").toUpperCase();
  const query = opts.query ?? {};
  const body = Buffer.from(opts.form ? encodeParams(opts.form) : "", "utf8");
  const date = opts.date === undefined ? acsDate(new Date()) : typeof opts.date === "string" ? opts.date : acsDate(opts.date);
  const headers: Record<string, string> = {
    host: opts.host,
    "x-acs-action": opts.action,
    "x-acs-version": opts.version ?? "2022-02-22",
    "x-acs-date": date,
    "x-acs-signature-nonce": opts.nonce ?? randomBytes(NONCE_BYTES).toString("hex"),
    "x-acs-content-sha256": sha256Hex(body),
    accept: "application/json",
  };
  if (opts.form) headers["content-type"] = "application/x-www-form-urlencoded";
  if (opts.securityToken !== undefined) {
    headers["x-acs-accesskey-id"] = opts.accessKeyId;
    headers["x-acs-security-token"] = opts.securityToken;
  }
  const signedHeaders = Object.keys(headers)
    .filter((h) => h === "host" || h === "content-type" || h.startsWith("x-acs-"))
    .sort();
  const signature = acs3Signature(opts.accessKeySecret, {
    method,
    path: "/",
    query: Object.entries(query),
    signedHeaders,
    headerValue: (h) => headers[h] ?? "",
    hashedPayload: headers["x-acs-content-sha256"]!,
  });
  headers.authorization = `${ACS3_ALGORITHM} Credential=${opts.accessKeyId},SignedHeaders=${signedHeaders.join(";")},Signature=${signature}`;
  const qs = encodeParams(query);
  return { method, path: qs ? `/?${qs}` : "/", headers, body };
}

/** Options of {@link signRpcV1}. */
export interface SignRpcV1Options {
  /** AccessKey id. */
  accessKeyId: string;
  /** AccessKey secret. */
  accessKeySecret: string;
  /** Sent as `SecurityToken`. */
  securityToken?: string;
  /** `Action`. */
  action: string;
  /** `Version`. @default "2022-02-22" */
  version?: string;
  /** The action's parameters (flattened). */
  params?: Readonly<Record<string, string>>;
  /** @default "GET" */
  method?: string;
  /** `Timestamp`. @default now */
  date?: Date | string;
  /** `SignatureNonce`. @default random hex */
  nonce?: string;
}

/** Every parameter of a V1 request, `Signature` included (send them as the query or a form body). */
export function signRpcV1(opts: SignRpcV1Options): Record<string, string> {
  const date = opts.date === undefined ? acsDate(new Date()) : typeof opts.date === "string" ? opts.date : acsDate(opts.date);
  const params: Record<string, string> = {
    ...(opts.params ?? {}),
    Action: opts.action,
    Version: opts.version ?? "2022-02-22",
    Format: "JSON",
    AccessKeyId: opts.accessKeyId,
    SignatureMethod: RPC_V1_SIGNATURE_METHOD,
    SignatureVersion: RPC_V1_SIGNATURE_VERSION,
    SignatureNonce: opts.nonce ?? randomBytes(NONCE_BYTES).toString("hex"),
    Timestamp: date,
  };
  if (opts.securityToken !== undefined) params.SecurityToken = opts.securityToken;
  params.Signature = rpcV1Signature(opts.accessKeySecret, opts.method ?? "GET", Object.entries(params));
  return params;
}

/** Remembers nonces for {@link NONCE_RETENTION_MS} so that a replayed request is refused. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  /** @param retentionMs how long a nonce is remembered */
  constructor(private readonly retentionMs: number = NONCE_RETENTION_MS) {}

  /** Records `nonce` of `accessKeyId` at `nowMs`; false when it was already used within the retention. */
  use(accessKeyId: string, nonce: string, nowMs: number): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > nowMs && this.seen.size < MAX_REMEMBERED_NONCES) break;
      this.seen.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > nowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, nowMs + this.retentionMs);
    return true;
  }
}

const ACS3_AUTH_RE = /^(ACS3-[A-Z0-9-]+)\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([a-z0-9;._-]+)\s*,\s*Signature=([0-9a-fA-F]+)$/;
const ACS_DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function headerOf(headers: SignedRequest["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Options of {@link SignatureVerifier}. */
export interface SignatureVerifierOptions {
  /** Wall clock in epoch ms (never the model's clock). @default Date.now */
  now?: () => number;
  /** Largest accepted clock skew. @default SIGNATURE_MAX_SKEW_MS (15 minutes) */
  maxSkewMs?: number;
}

/** Verifies V3 and V1 signatures against a set of credentials. */
export class SignatureVerifier {
  private readonly byId: Map<string, AcsCredential>;
  private readonly nonces: NonceCache;
  private readonly now: () => number;
  private readonly maxSkewMs: number;

  /** @param credentials the accepted credentials */
  constructor(credentials: readonly AcsCredential[], options: SignatureVerifierOptions = {}) {
    this.byId = new Map(credentials.map((c) => [c.accessKeyId, c]));
    this.now = options.now ?? Date.now;
    this.maxSkewMs = options.maxSkewMs ?? SIGNATURE_MAX_SKEW_MS;
    this.nonces = new NonceCache(Math.max(NONCE_RETENTION_MS, this.maxSkewMs));
  }

  /**
   * Returns the caller, or throws the {@link AcsError} Alibaba Cloud answers with. V3 when the
   * `Authorization` header starts with `ACS3-`, V1 otherwise (reference §2, emulator rule 1).
   */
  verify(req: SignedRequest): VerifiedCaller {
    const auth = headerOf(req.headers, "authorization")?.trim();
    if (auth?.startsWith("ACS3-")) return { credential: this.verifyV3(req, auth), signatureVersion: "v3" };
    return { credential: this.verifyV1(req), signatureVersion: "v1" };
  }

  private verifyV3(req: SignedRequest, auth: string): AcsCredential {
    const m = ACS3_AUTH_RE.exec(auth);
    if (!m) throw new AcsError(EssErrorCodes.IncompleteSignature, "The request signature does not conform to Aliyun standards: malformed Authorization header.");
    const [, algorithm, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string, string];
    if (algorithm !== ACS3_ALGORITHM) throw new AcsError(EssErrorCodes.InvalidSignatureMethod, `The signature algorithm ${algorithm} is not supported; use ${ACS3_ALGORITHM}.`);
    const signed = signedList.split(";");
    const mustSign = new Set<string>(REQUIRED_SIGNED_HEADERS);
    for (const name of Object.keys(req.headers)) if (name.startsWith("x-acs-")) mustSign.add(name);
    for (const name of mustSign) {
      if (!signed.includes(name)) {
        throw new AcsError(EssErrorCodes.IncompleteSignature, `The request signature does not conform to Aliyun standards: header ${name} is not signed.`);
      }
    }
    const credential = this.credentialOf(accessKeyId);
    this.checkTime(headerOf(req.headers, "x-acs-date"), "x-acs-date");
    const hashedPayload = headerOf(req.headers, "x-acs-content-sha256") ?? "";
    if (!sameText(hashedPayload.toLowerCase(), sha256Hex(req.body))) {
      throw new AcsError(EssErrorCodes.SignatureDoesNotMatch, "Specified signature is not matched with our calculation: x-acs-content-sha256 is not the SHA-256 of the body.");
    }
    const expected = acs3Signature(credential.accessKeySecret, {
      method: req.method,
      path: req.path,
      query: req.query,
      signedHeaders: signed,
      headerValue: (h) => headerOf(req.headers, h) ?? "",
      hashedPayload,
    });
    if (!sameText(expected, signature.toLowerCase())) {
      throw new AcsError(EssErrorCodes.SignatureDoesNotMatch, "Specified signature is not matched with our calculation.");
    }
    const tokenKeyId = headerOf(req.headers, "x-acs-accesskey-id");
    if (tokenKeyId !== undefined && tokenKeyId !== accessKeyId) {
      throw new AcsError(EssErrorCodes.InvalidSecurityTokenMismatch, "The x-acs-accesskey-id header does not match the AccessKey id of the signature.");
    }
    this.checkToken(credential, headerOf(req.headers, "x-acs-security-token"));
    this.checkNonce(credential, headerOf(req.headers, "x-acs-signature-nonce"), "x-acs-signature-nonce");
    return credential;
  }

  private verifyV1(req: SignedRequest): AcsCredential {
    const all = [...req.query, ...req.form];
    const param = (name: string): string | undefined => all.find(([k]) => k === name)?.[1];
    const signature = param("Signature");
    if (signature === undefined) throw missingParameter("Signature");
    const accessKeyId = param("AccessKeyId");
    if (accessKeyId === undefined) throw missingParameter("AccessKeyId");
    const method = param("SignatureMethod");
    if (method !== RPC_V1_SIGNATURE_METHOD) throw new AcsError(EssErrorCodes.InvalidSignatureMethod, `SignatureMethod must be ${RPC_V1_SIGNATURE_METHOD}.`);
    if (param("SignatureVersion") !== RPC_V1_SIGNATURE_VERSION) throw invalidParameter("SignatureVersion", `must be ${RPC_V1_SIGNATURE_VERSION}.`);
    const credential = this.credentialOf(accessKeyId);
    this.checkTime(param("Timestamp"), "Timestamp");
    const expected = rpcV1Signature(
      credential.accessKeySecret,
      req.method,
      all.filter(([k]) => k !== "Signature"),
    );
    if (!sameText(expected, signature)) throw new AcsError(EssErrorCodes.SignatureDoesNotMatch, "Specified signature is not matched with our calculation.");
    this.checkToken(credential, param("SecurityToken"));
    this.checkNonce(credential, param("SignatureNonce"), "SignatureNonce");
    return credential;
  }

  private credentialOf(accessKeyId: string): AcsCredential {
    const credential = this.byId.get(accessKeyId);
    if (!credential) throw new AcsError(EssErrorCodes.InvalidAccessKeyIdNotFound, "Specified access key is not found.");
    return credential;
  }

  private checkTime(value: string | undefined, name: string): void {
    if (value === undefined || !ACS_DATE_RE.test(value.trim()) || Number.isNaN(Date.parse(value.trim()))) {
      throw new AcsError(EssErrorCodes.InvalidTimeStampFormat, `Specified time stamp or date value is not well formatted: ${name} must be YYYY-MM-DDTHH:mm:ssZ.`);
    }
    if (Math.abs(this.now() - Date.parse(value.trim())) > this.maxSkewMs) {
      throw new AcsError(EssErrorCodes.InvalidTimeStampExpired, "Specified time stamp or date value is expired.");
    }
  }

  private checkToken(credential: AcsCredential, token: string | undefined): void {
    if (credential.securityToken === undefined) {
      if (token !== undefined) throw new AcsError(EssErrorCodes.InvalidSecurityTokenMismatch, "A security token was sent for a permanent AccessKey.");
      return;
    }
    if (token === undefined || token === "") throw new AcsError(EssErrorCodes.MissingSecurityToken, "SecurityToken is mandatory for this AccessKey.");
    if (!sameText(token, credential.securityToken)) throw new AcsError(EssErrorCodes.InvalidSecurityTokenMismatch, "The security token does not match the AccessKey.");
  }

  private checkNonce(credential: AcsCredential, nonce: string | undefined, name: string): void {
    if (nonce === undefined || nonce === "") throw missingParameter(name);
    if (!this.nonces.use(credential.accessKeyId, nonce, this.now())) {
      throw new AcsError(EssErrorCodes.SignatureNonceUsed, "Specified signature nonce was used already.");
    }
  }
}
