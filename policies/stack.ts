/**
 * Policies over the whole stack: `instance-refresh-one-per-group`.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { CONFIG_SCHEMAS } from "./config";
import { groupKey, readStack, type StackRefresh } from "./groupSize";
import { label } from "./resources";

/**
 * At most one InstanceRefresh or StartInstanceRefresh per scaling group: the API runs one refresh
 * activity per group, so a second one fails (AutoScalingGroupInRefreshActivity) or races the first.
 * Groups are matched by known id, or at preview by the scaling group the id comes from.
 */
export const onePerGroup: StackValidationPolicy = {
  name: "instance-refresh-one-per-group",
  description: "Allows at most one instance refresh per scaling group in a stack, since a group runs one refresh activity at a time.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.onePerGroup,
  validateStack: (args, reportViolation) => {
    const context = readStack(args.resources);
    const byGroup = new Map<string, StackRefresh[]>();
    for (const refresh of context.refreshes) {
      const key = groupKey(refresh, context.groups);
      if (key === undefined) continue;
      byGroup.set(key, [...(byGroup.get(key) ?? []), refresh]);
    }
    for (const [key, refreshes] of byGroup) {
      if (refreshes.length < 2) continue;
      const names = refreshes.map((r) => label(r.view.kind, r.resource.name)).join(", ");
      const group = key.startsWith("urn:") ? `the scaling group ${key}` : `scaling group ${key}`;
      for (const refresh of refreshes.slice(1)) {
        reportViolation(
          `${label(refresh.view.kind, refresh.resource.name)}: ${refreshes.length} refreshes target ${group} (${names}), ` +
            "but a group runs one refresh activity at a time (AutoScalingGroupInRefreshActivity); keep one",
          refresh.resource.urn,
        );
      }
    }
  },
};
