/**
 * `instance-refresh-valid-settings`: the provider's own validation (`validateInputs` in
 * `provider/tencentcloud/settings.ts`) as a policy, so a policy and the provider never disagree on what is
 * valid, and the bridged StartInstanceRefresh gets the same checks.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateInputs } from "../provider/tencentcloud/settings";
import { CONFIG_SCHEMAS } from "./config";
import { isUnknown } from "./resources";
import { validateRefresh } from "./validate";

/** Reports every `validateInputs` violation; values unknown at preview are skipped. */
export const validSettings: ResourceValidationPolicy = {
  name: "instance-refresh-valid-settings",
  description: "Rejects instance refresh settings that the InstanceRefresh provider (and the API) would reject.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.validSettings,
  validateResource: validateRefresh((refresh, _args, report) => {
    for (const violation of validateInputs(refresh.inputs, { isUnknown })) {
      report(`${violation.property} ${violation.reason}`);
    }
  }),
};
