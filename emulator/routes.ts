/** Request routing: the admin API lives under {@link ADMIN_PREFIX}; everything else is a cloud API (`cloudApi.ts`). */

/** Path prefix of the (unsigned, loopback-only) admin API. */
export const ADMIN_PREFIX = "/_emulator/";

/** Which handler serves a request path. */
export function routeOf(url: string | undefined): "admin" | "api" {
  return (url ?? "/").startsWith(ADMIN_PREFIX) ? "admin" : "api";
}
