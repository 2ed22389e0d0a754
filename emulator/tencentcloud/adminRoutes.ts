/**
 * The admin endpoints of the Auto Scaling model (under `/_emulator/`): seed groups and fixtures, fail
 * or remove instances, set a group's version and mark versions bad, read activities as the API
 * returns them, pause or cancel them as the console would, and pace control (how timed transitions
 * happen, and transitions on demand).
 */
import { numberField, stringField, type AdminRoute } from "../control";
import { AdminError } from "../errors";
import { parsePace } from "../pace";
import type { Backend } from "./backend";
import type { Fixture, SeedGroupSpec } from "./seeding";
import { groupVersionView } from "./versions";
import { toGroupView, toRefreshActivity } from "./views";

/** The admin endpoints that reach `backend`. */
export function tencentAdminRoutes(backend: Backend): AdminRoute[] {
  return [
    {
      method: "POST",
      pattern: /^fixture$/,
      run: (_m, body) => {
        if (!Array.isArray((body as unknown as Fixture).groups)) throw new AdminError(400, "BadRequest", "groups must be an array");
        // One seedGroup per group (not loadFixture, the start-up path): each marks the state dirty, so
        // the state file records the loaded groups.
        for (const group of (body as unknown as Fixture).groups) backend.seedGroup(group);
        return { ok: true };
      },
    },
    {
      method: "GET",
      pattern: /^groups$/,
      run: () => ({ groups: [...backend.state.groups.values()].map((g) => toGroupView(g, backend.state)) }),
    },
    {
      method: "POST",
      pattern: /^groups$/,
      run: (_m, body) => toGroupView(backend.seedGroup(body as SeedGroupSpec), backend.state),
    },
    { method: "GET", pattern: /^groups\/([^/]+)$/, run: (m) => toGroupView(backend.getGroup(m[1]!), backend.state) },
    {
      method: "POST",
      pattern: /^groups\/([^/]+)\/version$/,
      run: (m, body) => {
        const bad = body.bad;
        if (bad !== undefined && typeof bad !== "boolean") throw new AdminError(400, "BadRequest", "bad must be a boolean");
        return groupVersionView(backend.setVersion(m[1]!, stringField(body, "version")!, bad));
      },
    },
    {
      method: "POST",
      pattern: /^instances\/([^/]+)\/fail$/,
      run: (m, body) => {
        const count = body.count === undefined ? 1 : numberField(body, "count");
        backend.failInstance(m[1]!, stringField(body, "message", false) ?? "", count);
        return { ok: true };
      },
    },
    {
      method: "POST",
      pattern: /^instances\/([^/]+)\/remove$/,
      run: (m) => {
        backend.removeInstance(m[1]!);
        return { ok: true };
      },
    },
    {
      method: "DELETE",
      pattern: /^instances\/([^/]+)$/,
      run: (m) => {
        backend.removeInstance(m[1]!);
        return { ok: true };
      },
    },
    { method: "GET", pattern: /^activities\/([^/]+)$/, run: (m) => toRefreshActivity(backend.getActivity(m[1]!)) },
    { method: "POST", pattern: /^activities\/([^/]+)\/pause$/, run: (m) => toRefreshActivity(backend.consolePause(m[1]!)) },
    { method: "POST", pattern: /^activities\/([^/]+)\/cancel$/, run: (m) => toRefreshActivity(backend.consoleCancel(m[1]!)) },
    // Pace control: how timed transitions happen, and transitions on demand (see Pace in ../pace.ts).
    { method: "GET", pattern: /^pace$/, run: () => backend.pace },
    {
      method: "POST",
      pattern: /^pace$/,
      run: (_m, body) => {
        backend.setPace(parsePace(body));
        return backend.pace;
      },
    },
    { method: "POST", pattern: /^activities\/([^/]+)\/step$/, run: (m) => toRefreshActivity(backend.stepActivity(m[1]!)) },
    { method: "POST", pattern: /^activities\/([^/]+)\/finish-batch$/, run: (m) => toRefreshActivity(backend.finishBatch(m[1]!)) },
    {
      method: "POST",
      pattern: /^groups\/([^/]+)\/step$/,
      run: (m) => toRefreshActivity(backend.stepActivity(backend.groupActivityId(m[1]!))),
    },
    {
      method: "POST",
      pattern: /^groups\/([^/]+)\/finish-batch$/,
      run: (m) => toRefreshActivity(backend.finishBatch(backend.groupActivityId(m[1]!))),
    },
  ];
}
