/**
 * Modules of the Pulumi SDK that runs the dynamic-provider host, loaded as the host loads them: from
 * the installed `@pulumi/pulumi` (a peer dependency, so the program's own copy), so that a hook sees
 * the very grpc-js and generated protobuf modules the host uses.
 */
import { createRequire } from "node:module";

/**
 * `require` relative to the installed `@pulumi/pulumi`; throws when it is not installed.
 * @example const grpc = requireFromHostSdk("@grpc/grpc-js");
 * @example const { LogRequest } = requireFromHostSdk("@pulumi/pulumi/proto/engine_pb");
 */
export function requireFromHostSdk<T = unknown>(id: string): T {
  return createRequire(require.resolve("@pulumi/pulumi/package.json"))(id) as T;
}
