/**
 * Resolves the size of the group a refresh targets, from (in this order):
 *
 * 1. policy config `groupSizes[<group id>]` — the operator's explicit statement wins;
 * 2. a scaling group declared in the same stack (`desiredCapacity`, else `maxSize`) — the size the
 *    group will have once this deployment applies; matched by id, or while the id is unknown at
 *    preview, by the refresh's group id input (`autoScalingGroupId`, ESS `scalingGroupId`)
 *    depending on that group's output; a Tencent refresh is matched with a Tencent scaling group,
 *    an ESS refresh with an ESS one;
 * 3. for a Tencent InstanceRefresh, its outputs (`instanceCounts.total`) from its last refresh.
 *
 * Unknown values never yield a size: the checks that need one are then skipped.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { GroupSizes } from "./config";
import {
  BRIDGED_ESS_SCALING_GROUP_TYPE,
  ESS_GROUP_ID_PROPERTY,
  readEssRefresh,
  readEssScalingGroup,
  type EssRefreshView,
  type EssScalingGroupView,
} from "./essResources";
import {
  SCALING_GROUP_TYPE,
  isUnknown,
  knownInteger,
  knownString,
  readRefresh,
  readScalingGroup,
  type RefreshView,
  type ScalingGroupView,
} from "./resources";

/** A known group size and where it came from, for messages. */
export interface GroupSize {
  /** Instances a refresh of the group touches. */
  count: number;
  /** Where the count came from, e.g. `policy config groupSizes["asg-9dn1a5y6"]`. */
  source: string;
}

/** The parts of a stack resource the pack reads. */
export type StackResource = Pick<PolicyResource, "urn" | "name" | "type" | "props"> &
  Partial<Pick<PolicyResource, "propertyDependencies">>;

/** One refresh in a stack, with the resource it was read from. */
export interface StackRefresh {
  resource: StackResource;
  view: RefreshView;
}

/** One ESS refresh (either kind) in a stack, with the resource it was read from. */
export interface EssStackRefresh {
  resource: StackResource;
  view: EssRefreshView;
}

/** What a stack policy needs to know about the stack. */
export interface StackContext {
  /** Tencent refreshes (InstanceRefresh, StartInstanceRefresh). */
  refreshes: StackRefresh[];
  /** Tencent scaling groups. */
  groups: ScalingGroupView[];
  /** ESS refreshes (AlicloudInstanceRefresh, ess.InstanceRefresh). */
  essRefreshes: EssStackRefresh[];
  /** ESS scaling groups. */
  essGroups: EssScalingGroupView[];
}

/** Reads the refreshes and scaling groups of a stack (plain or proxied props), of both clouds. */
export function readStack(resources: readonly StackResource[]): StackContext {
  const context: StackContext = { refreshes: [], groups: [], essRefreshes: [], essGroups: [] };
  for (const resource of resources) {
    const view = readRefresh(resource.type, resource.props);
    if (view) context.refreshes.push({ resource, view });
    const group = readScalingGroup(resource);
    if (group) context.groups.push(group);
    const essView = readEssRefresh(resource.type, resource.props);
    if (essView) context.essRefreshes.push({ resource, view: essView });
    const essGroup = readEssScalingGroup(resource);
    if (essGroup) context.essGroups.push(essGroup);
  }
  return context;
}

/** How a refresh names its group: the id input's value and name, and the type of the scaling groups it may depend on. */
interface GroupReference {
  readonly resource: StackResource;
  readonly groupId: unknown;
  readonly property: string;
  readonly groupType: string;
}

/** The group's id when known, else the single scaling group of `groupType` that the id input depends on. */
function findGroup<G extends { urn: string; id: unknown }>(ref: GroupReference, groups: readonly G[]): G | undefined {
  const groupId = knownString(ref.groupId);
  if (groupId !== undefined) {
    const byId = groups.find((group) => knownString(group.id) === groupId);
    if (byId) return byId;
  }
  const dependencies = (ref.resource.propertyDependencies?.[ref.property] ?? []).filter((dependency) => dependency.type === ref.groupType);
  if (dependencies.length !== 1) return undefined;
  return groups.find((group) => group.urn === dependencies[0].urn);
}

/**
 * The stack's scaling group that a refresh targets: the one whose id equals the refresh's
 * `autoScalingGroupId`, else the single scaling group that `autoScalingGroupId` depends on.
 */
export function findScalingGroup(refresh: StackRefresh, groups: readonly ScalingGroupView[]): ScalingGroupView | undefined {
  return findGroup({ resource: refresh.resource, groupId: refresh.view.groupId, property: "autoScalingGroupId", groupType: SCALING_GROUP_TYPE }, groups);
}

/**
 * The stack's ESS scaling group that an ESS refresh targets: the one whose id equals its
 * `scalingGroupId`, else the single ESS scaling group that `scalingGroupId` depends on.
 */
export function findEssScalingGroup(refresh: EssStackRefresh, groups: readonly EssScalingGroupView[]): EssScalingGroupView | undefined {
  return findGroup(
    { resource: refresh.resource, groupId: refresh.view.groupId, property: ESS_GROUP_ID_PROPERTY, groupType: BRIDGED_ESS_SCALING_GROUP_TYPE },
    groups,
  );
}

/** The size configured for a known group id in `groupSizes`. */
export function groupSizeFromConfig(groupId: unknown, groupSizes: GroupSizes): GroupSize | undefined {
  const id = knownString(groupId);
  if (id === undefined || !Object.prototype.hasOwnProperty.call(groupSizes, id)) return undefined;
  const count = knownInteger(groupSizes[id]);
  return count === undefined || count < 0 ? undefined : { count, source: `policy config groupSizes["${id}"]` };
}

/** The size of a scaling group in the stack (either cloud): desired capacity when set, else max size. */
export function groupSizeFromScalingGroup(group: Pick<ScalingGroupView, "name" | "desiredCapacity" | "maxSize">): GroupSize | undefined {
  if (isUnknown(group.desiredCapacity)) return undefined;
  const desired = knownInteger(group.desiredCapacity);
  if (desired !== undefined) return { count: desired, source: `scaling group "${group.name}" in this stack (desiredCapacity)` };
  if (group.desiredCapacity !== undefined && group.desiredCapacity !== null) return undefined;
  const max = knownInteger(group.maxSize);
  return max === undefined ? undefined : { count: max, source: `scaling group "${group.name}" in this stack (maxSize)` };
}

/** The instance count an InstanceRefresh reported after its last refresh. */
export function groupSizeFromOutputs(view: RefreshView): GroupSize | undefined {
  const total = knownInteger(view.instanceTotal);
  return total === undefined ? undefined : { count: total, source: "the resource's outputs (instanceCounts.total)" };
}

/**
 * The size of the group a refresh targets, or `undefined` when nothing known tells it.
 * @example resolveGroupSize(refresh, context, { "asg-9dn1a5y6": 5 }) // { count: 5, source: 'policy config groupSizes["asg-9dn1a5y6"]' }
 */
export function resolveGroupSize(refresh: StackRefresh, context: StackContext, groupSizes: GroupSizes): GroupSize | undefined {
  const fromConfig = groupSizeFromConfig(refresh.view.groupId, groupSizes);
  if (fromConfig) return fromConfig;
  const group = findScalingGroup(refresh, context.groups);
  const fromGroup = group ? groupSizeFromScalingGroup(group) : undefined;
  if (fromGroup) return fromGroup;
  return groupSizeFromOutputs(refresh.view);
}

/**
 * The size of the ESS group an ESS refresh targets (its capacity), or `undefined` when nothing
 * known tells it: config `groupSizes`, else an ESS scaling group in the stack.
 * @example resolveEssGroupSize(refresh, context, { "asg-bp1a2b3c4d5e6f7g8h9i": 10 }) // { count: 10, source: 'policy config groupSizes["asg-bp1a2b3c4d5e6f7g8h9i"]' }
 */
export function resolveEssGroupSize(refresh: EssStackRefresh, context: StackContext, groupSizes: GroupSizes): GroupSize | undefined {
  const fromConfig = groupSizeFromConfig(refresh.view.groupId, groupSizes);
  if (fromConfig) return fromConfig;
  const group = findEssScalingGroup(refresh, context.essGroups);
  return group ? groupSizeFromScalingGroup(group) : undefined;
}

/** The group's id when known, else the matched group's id or URN. */
function keyOf(groupId: unknown, group: { urn: string; id: unknown } | undefined): string | undefined {
  const id = knownString(groupId);
  if (id !== undefined) return id;
  if (!group) return undefined;
  return knownString(group.id) ?? group.urn;
}

/**
 * A key identifying the group a refresh targets: its id when known (directly or from the matched
 * scaling group), else the matched scaling group's URN; `undefined` when nothing is known.
 */
export function groupKey(refresh: StackRefresh, groups: readonly ScalingGroupView[]): string | undefined {
  return keyOf(refresh.view.groupId, knownString(refresh.view.groupId) === undefined ? findScalingGroup(refresh, groups) : undefined);
}

/**
 * The same key for an ESS refresh, among the stack's ESS scaling groups.
 * @example essGroupKey(refresh, context.essGroups) // "asg-bp1a2b3c4d5e6f7g8h9i"
 */
export function essGroupKey(refresh: EssStackRefresh, groups: readonly EssScalingGroupView[]): string | undefined {
  return keyOf(refresh.view.groupId, knownString(refresh.view.groupId) === undefined ? findEssScalingGroup(refresh, groups) : undefined);
}
