/**
 * `instance-refresh-valid-settings`: the providers' own validation as a policy — `validateInputs`
 * (`provider/tencentcloud/settings.ts`) for InstanceRefresh and the bridged StartInstanceRefresh,
 * `validateAlicloudInputs` (`provider/alibabacloud/settings.ts`) for AlicloudInstanceRefresh and the
 * bridged ess.InstanceRefresh — so a policy and a provider never disagree on what is valid, and the
 * bridged resources get the same checks.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateAlicloudInputs } from "../provider/alibabacloud/settings";
import { validateInputs } from "../provider/tencentcloud/settings";
import { CONFIG_SCHEMAS } from "./config";
import { isUnknown } from "./resources";
import { validateEssRefresh, validateRefresh } from "./validate";

/** Reports every violation of the provider's validation; values unknown at preview are skipped. */
export const validSettings: ResourceValidationPolicy = {
  name: "instance-refresh-valid-settings",
  description: "Rejects instance refresh settings that the InstanceRefresh providers (and the APIs) would reject.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.validSettings,
  validateResource: [
    validateRefresh((refresh, _args, report) => {
      for (const violation of validateInputs(refresh.inputs, { isUnknown })) report(`${violation.property} ${violation.reason}`);
    }),
    validateEssRefresh((refresh, _args, report) => {
      for (const violation of validateAlicloudInputs(refresh.inputs, { isUnknown })) report(`${violation.property} ${violation.reason}`);
    }),
  ],
};
