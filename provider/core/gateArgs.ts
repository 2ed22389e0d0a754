/** The health gate's resource arguments (Pulumi inputs), shared by both clouds' resources. */
import type * as pulumi from "@pulumi/pulumi";
import type { GateOnFailure } from "./gateSettings";

/** Arguments of a health gate; see `GateSettings` in `gateSettings.ts` for each field's meaning and default. */
export interface GateArgs {
  http: pulumi.Input<{
    /** GET this URL. */
    url: pulumi.Input<string>;
    /** @default 200 */
    expectStatus?: pulumi.Input<number>;
    bodyContains?: pulumi.Input<string>;
    /** @default 5 */
    timeoutSeconds?: pulumi.Input<number>;
    /** Request headers; pass tokens as Pulumi secrets. */
    headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  }>;
  /** @default 60 */
  soakSeconds?: pulumi.Input<number>;
  /** @default 10 */
  intervalSeconds?: pulumi.Input<number>;
  /** @default 2 */
  unhealthyThreshold?: pulumi.Input<number>;
  /** @default "pause" */
  onFailure?: pulumi.Input<GateOnFailure>;
  /** @default false */
  requireApproval?: pulumi.Input<boolean>;
}
