/**
 * The admin endpoints of the ESS model, under `/_emulator/ess/`: seed and read groups, fail an
 * instance, mark configurations bad (the health endpoint), read a task as DescribeInstanceRefreshes
 * writes it, and pace control (how timed transitions happen, and transitions on demand). Refusals
 * are {@link EssAdminError}s (400, 404, 409).
 */
import { stringField, type AdminRoute } from "../control";
import { parsePace } from "../pace";
import type { EssBackend } from "./backend";
import { essGroupView, essSeededGroup, essTaskView } from "./adminViews";
import type { SeedGroupSpec } from "./seeding";

/** The path segment of ESS's admin endpoints: `/_emulator/ess/…`. */
export const ESS_ADMIN_PREFIX = "ess";

/** An anchored pattern of a path below `/_emulator/ess/` (`:id` segments captured). */
function essPath(path: string): RegExp {
  return new RegExp(`^${ESS_ADMIN_PREFIX}/${path.replace(/:id/g, "([^/]+)")}$`);
}

/** The admin endpoints that reach `backend`. */
export function essAdminRoutes(backend: EssBackend): AdminRoute[] {
  return [
    { method: "GET", pattern: essPath("groups"), run: () => ({ groups: backend.allGroups().map((g) => essGroupView(backend, g)) }) },
    { method: "POST", pattern: essPath("groups"), run: (_m, body) => essSeededGroup(backend.seedGroup(body as SeedGroupSpec)) },
    { method: "GET", pattern: essPath("groups/:id"), run: (m) => essGroupView(backend, backend.getGroup(m[1]!)) },
    {
      method: "POST",
      pattern: essPath("instances/:id/fail"),
      run: (m, body) => {
        backend.failInstance(m[1]!, stringField(body, "message", false) ?? "");
        return { ok: true };
      },
    },
    { method: "GET", pattern: essPath("bad-configurations"), run: () => ({ badConfigurations: backend.listBadConfigurations() }) },
    { method: "POST", pattern: essPath("bad-configurations"), run: (_m, body) => ({ badConfigurations: backend.markBadConfiguration(body) }) },
    {
      method: "DELETE",
      pattern: essPath("bad-configurations"),
      run: () => {
        backend.clearBadConfigurations();
        return { badConfigurations: [] };
      },
    },
    { method: "GET", pattern: essPath("tasks/:id"), run: (m) => essTaskView(backend.getTask(m[1]!)) },
    { method: "POST", pattern: essPath("tasks/:id/step"), run: (m) => essTaskView(backend.stepTask(m[1]!)) },
    { method: "POST", pattern: essPath("tasks/:id/finish-wave"), run: (m) => essTaskView(backend.finishWave(m[1]!)) },
    // Pace control: how timed transitions happen (see ../pace.ts and pacing.ts).
    { method: "GET", pattern: essPath("pace"), run: () => backend.pace },
    {
      method: "POST",
      pattern: essPath("pace"),
      run: (_m, body) => {
        backend.setPace(parsePace(body));
        return backend.pace;
      },
    },
  ];
}
