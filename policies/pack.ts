/**
 * The policy pack: assembles the policies and starts serving them to the Pulumi engine. Importing
 * this module starts a gRPC server, so only the CLI loads it (through `package.json` `main`, after
 * `tsc -p tsconfig.build.json` compiled it to `dist/policies/pack.js`); tests import `./policies`.
 *
 * The server's `configure` handler is wrapped (`packConfig.ts`) so that a bad config stops the run
 * before any resource is checked and the shared settings reach every policy. The wrapper patches the
 * grpc-js and protobuf copies that `@pulumi/policy` itself loads, found from its own location.
 */
import { createRequire } from "node:module";
import { PolicyPack } from "@pulumi/policy";
import { withConfigGuard, type GrpcServerPrototype, type StructClass } from "./packConfig";
import { PACK_NAME, policies } from "./policies";

const policyRequire = createRequire(require.resolve("@pulumi/policy/server"));
const grpc = policyRequire("@grpc/grpc-js") as { Server: { prototype: GrpcServerPrototype } };
const protoRequire = createRequire(policyRequire.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const { Struct } = protoRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: StructClass };

withConfigGuard(
  grpc.Server.prototype,
  Struct,
  () =>
    new PolicyPack(PACK_NAME, {
      policies,
      description:
        "Safe rolling updates for Tencent Cloud Auto Scaling (InstanceRefresh, StartInstanceRefresh) and Alibaba Cloud ESS (AlicloudInstanceRefresh, ess.InstanceRefresh) instance refreshes.",
      displayName: "Instance refresh safety",
      provider: "tencentcloud",
      tags: ["tencentcloud", "alicloud", "auto-scaling", "ess", "instance-refresh", "rolling-update"],
    }),
);
