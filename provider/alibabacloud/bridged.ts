/**
 * The Terraform-bridged `alicloud:ess/instanceRefresh:InstanceRefresh` of `@pulumi/alicloud` in
 * this package's terms: its arguments as `AlicloudInstanceRefresh` inputs, and what its provider does
 * differently (it sends SkipMatching false when unset; only `status` updates in place; delete only
 * forgets the task). For the policy pack and the rollout plan, which check and describe both kinds
 * with one set of rules. Pure functions, no I/O.
 */

/**
 * What the bridged provider sends as SkipMatching when `skipMatching` is unset: `false` (its create
 * always sends the field), while the API's own default is `true`.
 * @default false
 */
export const BRIDGED_UNSET_SKIP_MATCHING = false;

/**
 * `status` values the bridged provider acts on in an update: CancelInstanceRefresh, RollbackInstanceRefresh; any other value is ignored.
 * @example BRIDGED_STATUS_ACTIONS.Cancelled // "CancelInstanceRefresh"
 */
export const BRIDGED_STATUS_ACTIONS = {
  Cancelled: "CancelInstanceRefresh",
  RollbackSuccessful: "RollbackInstanceRefresh",
} as const;

/** The bridged arguments holding the members of `desiredConfiguration`, by member. */
const DESIRED_ARGUMENTS = {
  imageId: "desiredConfigurationImageId",
  launchTemplateId: "desiredConfigurationLaunchTemplateId",
  launchTemplateVersion: "desiredConfigurationLaunchTemplateVersion",
  launchTemplateOverrides: "desiredConfigurationLaunchTemplateOverrides",
  containers: "desiredConfigurationContainers",
} as const;

/** The bridged arguments with the same name and meaning as this package's inputs. */
const SAME_ARGUMENTS = ["scalingGroupId", "minHealthyPercentage", "maxHealthyPercentage", "skipMatching", "checkpoints", "checkpointPauseTime"] as const;

/** Terraform reports an unset string as "" and an unset list as []: both count as unset. */
function unlessEmpty(value: unknown): unknown {
  return value === "" || (Array.isArray(value) && value.length === 0) ? undefined : value;
}

function withoutUndefined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/**
 * The bridged resource's arguments as `AlicloudInstanceRefresh` inputs (the `desiredConfiguration*`
 * arguments nested into `desiredConfiguration`); other values pass through unchanged, unknown ones
 * included, so that `validateAlicloudInputs` and the policies read both kinds the same way.
 * @example
 * bridgedEssInputs({ scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i", desiredConfigurationImageId: "m-bp1abc", skipMatching: true })
 * // { scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i", skipMatching: true, desiredConfiguration: { imageId: "m-bp1abc" } }
 */
export function bridgedEssInputs(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const same = Object.fromEntries(SAME_ARGUMENTS.map((key) => [key, unlessEmpty(props[key])]));
  const desired = withoutUndefined(Object.fromEntries(Object.entries(DESIRED_ARGUMENTS).map(([member, argument]) => [member, unlessEmpty(props[argument])])));
  return withoutUndefined({ ...same, desiredConfiguration: Object.keys(desired).length > 0 ? desired : undefined });
}
