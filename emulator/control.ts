/**
 * The admin API under `/_emulator/`: unsigned JSON over HTTP, accepted only from loopback
 * addresses. Used by tests and demos to seed state, inject faults, move the clock and read the
 * request log. Errors answer `{"error": {"code", "message"}}` with a 4xx status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parsePace } from "./pace";
import type { Fixture, SeedGroupSpec } from "./tencentcloud/seeding";
import type { EmulatorContext } from "./context";
import { AdminError, ApiError } from "./errors";
import type { FaultSpec } from "./faults";
import { ADMIN_PREFIX } from "./routes";
import { readBody } from "./tencentcloud/cloudApi";
import { toGroupView, toRefreshActivity } from "./tencentcloud/views";

/** Largest admin request body. */
const MAX_ADMIN_BODY_BYTES = 10 * 1024 * 1024;

/** True for 127.0.0.0/8 and ::1, including IPv4-mapped IPv6 forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

type Json = Record<string, unknown>;
type Route = {
  method: string;
  pattern: RegExp;
  run: (ctx: EmulatorContext, m: string[], body: Json, query: URLSearchParams) => unknown;
};

function str(body: Json, key: string, required = true): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string") throw new AdminError(400, "BadRequest", `${key} must be a string`);
  return v;
}

function num(body: Json, key: string): number {
  const v = body[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new AdminError(400, "BadRequest", `${key} must be a finite number`);
  return v;
}

function clockView(ctx: EmulatorContext): Json {
  const now = ctx.backend.clock.now();
  return { now, iso: new Date(now).toISOString(), kind: ctx.backend.clock.kind };
}

function resetAll(ctx: EmulatorContext, empty: boolean): void {
  ctx.backend.reset(empty);
  ctx.faults.clear();
  ctx.log.reset();
  ctx.rateLimiter.reset();
}

/** Every admin endpoint. */
export const ADMIN_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^health$/, run: (ctx) => ({ ok: true, ...clockView(ctx) }) },
  {
    method: "POST",
    pattern: /^reset$/,
    run: (ctx, _m, body) => {
      resetAll(ctx, body.empty === true);
      return { ok: true };
    },
  },
  {
    method: "POST",
    pattern: /^fixture$/,
    run: (ctx, _m, body) => {
      if (!Array.isArray((body as unknown as Fixture).groups)) throw new AdminError(400, "BadRequest", "groups must be an array");
      // One seedGroup per group (not loadFixture, the start-up path): each marks the state dirty, so
      // the state file records the loaded groups.
      for (const group of (body as unknown as Fixture).groups) ctx.backend.seedGroup(group);
      return { ok: true };
    },
  },
  {
    method: "GET",
    pattern: /^groups$/,
    run: (ctx) => ({ groups: [...ctx.backend.state.groups.values()].map((g) => toGroupView(g, ctx.backend.state)) }),
  },
  {
    method: "POST",
    pattern: /^groups$/,
    run: (ctx, _m, body) => toGroupView(ctx.backend.seedGroup(body as SeedGroupSpec), ctx.backend.state),
  },
  { method: "GET", pattern: /^groups\/([^/]+)$/, run: (ctx, m) => toGroupView(ctx.backend.getGroup(m[1]!), ctx.backend.state) },
  {
    method: "POST",
    pattern: /^instances\/([^/]+)\/fail$/,
    run: (ctx, m, body) => {
      const count = body.count === undefined ? 1 : num(body, "count");
      ctx.backend.failInstance(m[1]!, str(body, "message", false) ?? "", count);
      return { ok: true };
    },
  },
  {
    method: "POST",
    pattern: /^instances\/([^/]+)\/remove$/,
    run: (ctx, m) => {
      ctx.backend.removeInstance(m[1]!);
      return { ok: true };
    },
  },
  {
    method: "DELETE",
    pattern: /^instances\/([^/]+)$/,
    run: (ctx, m) => {
      ctx.backend.removeInstance(m[1]!);
      return { ok: true };
    },
  },
  { method: "GET", pattern: /^faults$/, run: (ctx) => ({ faults: ctx.faults.list() }) },
  { method: "POST", pattern: /^faults$/, run: (ctx, _m, body) => ctx.faults.add(body as FaultSpec) },
  {
    method: "DELETE",
    pattern: /^faults$/,
    run: (ctx) => {
      ctx.faults.clear();
      return { ok: true };
    },
  },
  { method: "GET", pattern: /^activities\/([^/]+)$/, run: (ctx, m) => toRefreshActivity(ctx.backend.getActivity(m[1]!)) },
  { method: "POST", pattern: /^activities\/([^/]+)\/pause$/, run: (ctx, m) => toRefreshActivity(ctx.backend.consolePause(m[1]!)) },
  { method: "POST", pattern: /^activities\/([^/]+)\/cancel$/, run: (ctx, m) => toRefreshActivity(ctx.backend.consoleCancel(m[1]!)) },
  // Pace control: how timed transitions happen, and transitions on demand (see Pace in backend.ts).
  { method: "GET", pattern: /^pace$/, run: (ctx) => ctx.backend.pace },
  {
    method: "POST",
    pattern: /^pace$/,
    run: (ctx, _m, body) => {
      ctx.backend.setPace(parsePace(body));
      return ctx.backend.pace;
    },
  },
  { method: "POST", pattern: /^activities\/([^/]+)\/step$/, run: (ctx, m) => toRefreshActivity(ctx.backend.stepActivity(m[1]!)) },
  { method: "POST", pattern: /^activities\/([^/]+)\/finish-batch$/, run: (ctx, m) => toRefreshActivity(ctx.backend.finishBatch(m[1]!)) },
  {
    method: "POST",
    pattern: /^groups\/([^/]+)\/step$/,
    run: (ctx, m) => toRefreshActivity(ctx.backend.stepActivity(ctx.backend.groupActivityId(m[1]!))),
  },
  {
    method: "POST",
    pattern: /^groups\/([^/]+)\/finish-batch$/,
    run: (ctx, m) => toRefreshActivity(ctx.backend.finishBatch(ctx.backend.groupActivityId(m[1]!))),
  },
  {
    method: "GET",
    pattern: /^requests$/,
    run: (ctx, _m, _b, q) => {
      const since = q.get("sinceSeq");
      const limit = q.get("limit");
      return {
        entries: ctx.log.entries({
          action: q.get("action") ?? undefined,
          sinceSeq: since !== null ? Number(since) : undefined,
          limit: limit !== null ? Number(limit) : undefined,
        }),
      };
    },
  },
  { method: "GET", pattern: /^counters$/, run: (ctx) => ctx.log.counts() },
  { method: "GET", pattern: /^clock$/, run: (ctx) => clockView(ctx) },
  {
    method: "POST",
    pattern: /^clock\/advance$/,
    run: (ctx, _m, body) => {
      ctx.backend.clock.advance(num(body, "ms"));
      return clockView(ctx);
    },
  },
  {
    method: "POST",
    pattern: /^clock\/set$/,
    run: (ctx, _m, body) => {
      const time = body.time;
      const ms = typeof time === "string" ? Date.parse(time) : typeof time === "number" ? time : NaN;
      if (!Number.isFinite(ms)) throw new AdminError(400, "BadRequest", "time must be epoch ms or an ISO date");
      ctx.backend.clock.set(ms);
      return clockView(ctx);
    },
  },
  {
    method: "POST",
    pattern: /^rate-limit$/,
    run: (ctx, _m, body) => {
      if (typeof body.enabled !== "boolean") throw new AdminError(400, "BadRequest", "enabled must be a boolean");
      ctx.rateLimiter.enabled = body.enabled;
      return { enabled: ctx.rateLimiter.enabled };
    },
  },
  { method: "GET", pattern: /^rate-limit$/, run: (ctx) => ({ enabled: ctx.rateLimiter.enabled }) },
  {
    method: "POST",
    pattern: /^persist$/,
    run: (ctx) => {
      ctx.flushState();
      return { ok: true };
    },
  },
];

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  // Connection: close — admin callers are often test processes that block their event loop between
  // calls (spawnSync), so a kept-alive socket would be closed by the server unseen and then reused.
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), Connection: "close" });
  res.end(text);
}

/** Serves one admin request. Never throws. */
export async function handleAdminRequest(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    let json: Json = {};
    if (body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(body.toString("utf8"));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        json = parsed as Json;
      } catch (e) {
        throw new AdminError(400, "BadRequest", `body must be a JSON object: ${(e as Error).message}`);
      }
    }
    let pathMatched = false;
    for (const r of ADMIN_ROUTES) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== req.method) continue;
      send(res, 200, r.run(ctx, m.map((x) => (x === undefined ? x : decodeURIComponent(x))), json, url.searchParams));
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
