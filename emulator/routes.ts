/**
 * Request routing: the admin API lives under {@link ADMIN_PREFIX}, except the per-group health
 * endpoints (`/_emulator/health/<groupId>`, `health.ts`); everything else is a cloud API (`cloudApi.ts`).
 */

/** Path prefix of the (unsigned, loopback-only) admin API. */
export const ADMIN_PREFIX = "/_emulator/";
/** The path of a group's health endpoint below {@link ADMIN_PREFIX}: `health/<groupId>`. */
export const HEALTH_PATH = "health";

/** The group a probe's URL names (`/_emulator/health/<groupId>`, query ignored), or `undefined` for any other path. */
export function probedGroup(url: string | undefined): string | undefined {
  const path = (url ?? "/").split("?")[0]!.replace(/\/+$/, "");
  const prefix = `${ADMIN_PREFIX}${HEALTH_PATH}/`;
  if (!path.startsWith(prefix)) return undefined;
  const id = path.slice(prefix.length);
  if (id === "" || id.includes("/")) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

/** Which handler serves a request path: a group's health endpoint, the admin API, or a cloud API. */
export function routeOf(url: string | undefined): "admin" | "health" | "api" {
  if (probedGroup(url) !== undefined) return "health";
  return (url ?? "/").startsWith(ADMIN_PREFIX) ? "admin" : "api";
}
