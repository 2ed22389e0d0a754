/**
 * The policy pack: assembles the policies and starts serving them to the Pulumi engine. Importing
 * this module starts a gRPC server, so only the CLI loads it (through `package.json` `main`, after
 * `tsc -p tsconfig.build.json` compiled it to `dist/policies/pack.js`); tests import `./policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  policies,
  description: "Safe rolling updates for Tencent Cloud Auto Scaling instance refreshes (InstanceRefresh and StartInstanceRefresh).",
  displayName: "Instance refresh safety",
  provider: "tencentcloud",
  tags: ["tencentcloud", "auto-scaling", "instance-refresh", "rolling-update"],
});
