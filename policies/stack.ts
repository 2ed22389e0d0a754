/**
 * Policies over the whole stack: `instance-refresh-one-per-group`.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { CONFIG_SCHEMAS } from "./config";
import { essGroupKey, groupKey, readStack, type StackResource } from "./groupSize";
import { label } from "./resources";

/** Why a second refresh of a group fails, per cloud. */
const ONE_AT_A_TIME = {
  tencentcloud: "a group runs one refresh activity at a time (AutoScalingGroupInRefreshActivity)",
  alicloud: "a group runs one instance refresh task at a time (StartInstanceRefresh refuses a second while one runs)",
} as const;

/** One refresh of a group: how messages name it, and where it is reported. */
interface Member {
  readonly name: string;
  readonly resource: StackResource;
}

/**
 * At most one refresh per scaling group: Tencent's InstanceRefresh and StartInstanceRefresh together,
 * and ESS's AlicloudInstanceRefresh and ess.InstanceRefresh together (the clouds' groups are never
 * mixed). A second one fails at `up` or races the first. Groups are matched by known id, or at
 * preview by the scaling group the id comes from.
 */
export const onePerGroup: StackValidationPolicy = {
  name: "instance-refresh-one-per-group",
  description: "Allows at most one instance refresh per scaling group in a stack, since a group runs one refresh activity at a time.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.onePerGroup,
  validateStack: (args, reportViolation) => {
    const context = readStack(args.resources);
    const byGroup = new Map<string, { cloud: keyof typeof ONE_AT_A_TIME; key: string; members: Member[] }>();
    const add = (cloud: keyof typeof ONE_AT_A_TIME, key: string | undefined, member: Member) => {
      if (key === undefined) return;
      const entry = byGroup.get(`${cloud} ${key}`) ?? { cloud, key, members: [] };
      entry.members.push(member);
      byGroup.set(`${cloud} ${key}`, entry);
    };
    for (const refresh of context.refreshes) {
      add("tencentcloud", groupKey(refresh, context.groups), { name: label(refresh.view.kind, refresh.resource.name), resource: refresh.resource });
    }
    for (const refresh of context.essRefreshes) {
      add("alicloud", essGroupKey(refresh, context.essGroups), { name: label(refresh.view.kind, refresh.resource.name), resource: refresh.resource });
    }
    for (const { cloud, key, members } of byGroup.values()) {
      if (members.length < 2) continue;
      const names = members.map((m) => m.name).join(", ");
      const group = key.startsWith("urn:") ? `the scaling group ${key}` : `scaling group ${key}`;
      for (const member of members.slice(1)) {
        reportViolation(
          `${member.name}: ${members.length} refreshes target ${group} (${names}), but ${ONE_AT_A_TIME[cloud]}; keep one`,
          member.resource.urn,
        );
      }
    }
  },
};
