/**
 * The admin API under `/_emulator/`: unsigned JSON over HTTP, accepted only from loopback
 * addresses. Used by tests and demos to seed state, inject faults, move the clock and read the
 * request log. Errors answer `{"error": {"code", "message"}}` with a 4xx status. This module routes
 * admin requests and serves the endpoints of the shared services ({@link serviceRoutes}); each
 * cloud adds the endpoints of its model (Tencent Cloud: `tencentcloud/adminRoutes.ts` at the top of
 * `/_emulator/`; Alibaba Cloud ESS: `alibabacloud/adminRoutes.ts` under `/_emulator/ess/`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context";
import { AdminError, ApiError } from "./errors";
import type { FaultSpec } from "./faults";
import { healthAdminRoutes } from "./health";
import { readBody } from "./http";
import { ADMIN_PREFIX } from "./routes";

/** Largest admin request body. */
const MAX_ADMIN_BODY_BYTES = 10 * 1024 * 1024;

/** True for 127.0.0.0/8 and ::1, including IPv4-mapped IPv6 forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** The JSON object body of an admin request (`{}` when empty). */
export type AdminBody = Record<string, unknown>;

/** One admin endpoint: method and path (below {@link ADMIN_PREFIX}, no trailing slash), and what it answers. */
export interface AdminRoute {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The path below {@link ADMIN_PREFIX}, anchored, e.g. `/^groups\/([^/]+)$/`. */
  readonly pattern: RegExp;
  /** Serves the request: `m` is the path's match (groups URI-decoded); the result is sent as JSON with 200. */
  run(m: string[], body: AdminBody, query: URLSearchParams): unknown;
}

/** The string field `key` of a body (`undefined` when absent and not `required`); 400 otherwise. */
export function stringField(body: AdminBody, key: string, required = true): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string") throw new AdminError(400, "BadRequest", `${key} must be a string`);
  return v;
}

/** The finite number field `key` of a body; 400 otherwise. */
export function numberField(body: AdminBody, key: string): number {
  const v = body[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new AdminError(400, "BadRequest", `${key} must be a finite number`);
  return v;
}

function clockView(ctx: EmulatorContext): AdminBody {
  const now = ctx.clock.now();
  return { now, iso: new Date(now).toISOString(), kind: ctx.clock.kind };
}

function resetAll(ctx: EmulatorContext, empty: boolean): void {
  ctx.resetModels(empty);
  ctx.faults.clear();
  ctx.log.reset();
  ctx.rateLimiter.reset();
  ctx.health.reset();
}

/**
 * The endpoints of the shared services: health (the emulator's own), reset (every cloud's model),
 * faults, request log (`?cloud=` keeps one cloud's entries), counters, clock, rate limit,
 * persistence, and the controls of the per-group health endpoints (`health/<groupId>/mode`, `…/stats`).
 */
export function serviceRoutes(ctx: EmulatorContext): AdminRoute[] {
  return [
    { method: "GET", pattern: /^health$/, run: () => ({ ok: true, ...clockView(ctx) }) },
    {
      method: "POST",
      pattern: /^reset$/,
      run: (_m, body) => {
        resetAll(ctx, body.empty === true);
        return { ok: true };
      },
    },
    { method: "GET", pattern: /^faults$/, run: () => ({ faults: ctx.faults.list() }) },
    { method: "POST", pattern: /^faults$/, run: (_m, body) => ctx.faults.add(body as FaultSpec) },
    {
      method: "DELETE",
      pattern: /^faults$/,
      run: () => {
        ctx.faults.clear();
        return { ok: true };
      },
    },
    {
      method: "GET",
      pattern: /^requests$/,
      run: (_m, _b, q) => {
        const since = q.get("sinceSeq");
        const limit = q.get("limit");
        return {
          entries: ctx.log.entries({
            action: q.get("action") ?? undefined,
            cloud: q.get("cloud") ?? undefined,
            sinceSeq: since !== null ? Number(since) : undefined,
            limit: limit !== null ? Number(limit) : undefined,
          }),
        };
      },
    },
    { method: "GET", pattern: /^counters$/, run: () => ctx.log.counts() },
    { method: "GET", pattern: /^clock$/, run: () => clockView(ctx) },
    {
      method: "POST",
      pattern: /^clock\/advance$/,
      run: (_m, body) => {
        ctx.clock.advance(numberField(body, "ms"));
        return clockView(ctx);
      },
    },
    {
      method: "POST",
      pattern: /^clock\/set$/,
      run: (_m, body) => {
        const time = body.time;
        const ms = typeof time === "string" ? Date.parse(time) : typeof time === "number" ? time : NaN;
        if (!Number.isFinite(ms)) throw new AdminError(400, "BadRequest", "time must be epoch ms or an ISO date");
        ctx.clock.set(ms);
        return clockView(ctx);
      },
    },
    {
      method: "POST",
      pattern: /^rate-limit$/,
      run: (_m, body) => {
        if (typeof body.enabled !== "boolean") throw new AdminError(400, "BadRequest", "enabled must be a boolean");
        ctx.rateLimiter.enabled = body.enabled;
        return { enabled: ctx.rateLimiter.enabled };
      },
    },
    { method: "GET", pattern: /^rate-limit$/, run: () => ({ enabled: ctx.rateLimiter.enabled }) },
    {
      method: "POST",
      pattern: /^persist$/,
      run: () => {
        ctx.flushState();
        return { ok: true };
      },
    },
    ...healthAdminRoutes(ctx.health),
  ];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  // Connection: close — admin callers are often test processes that block their event loop between
  // calls (spawnSync), so a kept-alive socket would be closed by the server unseen and then reused.
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), Connection: "close" });
  res.end(text);
}

/** Serves one admin request with `routes`. Never throws. */
export async function handleAdminRequest(routes: readonly AdminRoute[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (!isLoopback(req.socket.remoteAddress)) {
      await readBody(req, 0);
      send(res, 403, { error: { code: "Forbidden", message: "the admin API only accepts loopback clients" } });
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, "");
    const { body, tooLarge } = await readBody(req, MAX_ADMIN_BODY_BYTES);
    if (tooLarge) throw new AdminError(413, "TooLarge", `admin body exceeds ${MAX_ADMIN_BODY_BYTES} bytes`);
    let json: AdminBody = {};
    if (body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(body.toString("utf8"));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        json = parsed as AdminBody;
      } catch (e) {
        throw new AdminError(400, "BadRequest", `body must be a JSON object: ${(e as Error).message}`);
      }
    }
    let pathMatched = false;
    for (const r of routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== req.method) continue;
      send(res, 200, r.run(m.map((x) => (x === undefined ? x : decodeURIComponent(x))), json, url.searchParams));
      return;
    }
    throw pathMatched
      ? new AdminError(405, "MethodNotAllowed", `${req.method} is not allowed on ${url.pathname}`)
      : new AdminError(404, "NotFound", `no admin endpoint ${url.pathname}`);
  } catch (e) {
    if (e instanceof AdminError) send(res, e.status, { error: { code: e.code, message: e.message } });
    else if (e instanceof ApiError) send(res, 400, { error: { code: e.code, message: e.message } });
    else if (e instanceof RangeError) send(res, 400, { error: { code: "BadRequest", message: e.message } });
    else {
      process.stderr.write(`[emulator] admin error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      send(res, 500, { error: { code: "InternalError", message: e instanceof Error ? e.message : String(e) } });
    }
  }
}
