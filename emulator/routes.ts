/** Request routing: the admin API lives under {@link ADMIN_PREFIX}; everything else is the cloud API. */

/** API version of Auto Scaling emulated here. */
export const API_VERSION = "2018-04-19";
/** Path prefix of the (unsigned, loopback-only) admin API. */
export const ADMIN_PREFIX = "/_emulator/";

/** Which handler serves a request path. */
export function routeOf(url: string | undefined): "admin" | "api" {
  return (url ?? "/").startsWith(ADMIN_PREFIX) ? "admin" : "api";
}
