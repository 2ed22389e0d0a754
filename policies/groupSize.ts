/**
 * Resolves the size of the group a refresh targets, from (in this order):
 *
 * 1. policy config `groupSizes[<group id>]` — the operator's explicit statement wins;
 * 2. a scaling group declared in the same stack (`desiredCapacity`, else `maxSize`) — the size the
 *    group will have once this deployment applies; matched by id, or while the id is unknown at
 *    preview, by the refresh's `autoScalingGroupId` depending on that group's output;
 * 3. the InstanceRefresh's outputs (`instanceCounts.total`) from its last refresh.
 *
 * Unknown values never yield a size: the checks that need one are then skipped.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { GroupSizes } from "./config";
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

/** What a stack policy needs to know about the stack. */
export interface StackContext {
  refreshes: StackRefresh[];
  groups: ScalingGroupView[];
}

/** Reads the refreshes and scaling groups of a stack (plain or proxied props). */
export function readStack(resources: readonly StackResource[]): StackContext {
  const refreshes: StackRefresh[] = [];
  const groups: ScalingGroupView[] = [];
  for (const resource of resources) {
    const view = readRefresh(resource.type, resource.props);
    if (view) refreshes.push({ resource, view });
    const group = readScalingGroup(resource);
    if (group) groups.push(group);
  }
  return { refreshes, groups };
}

/**
 * The stack's scaling group that a refresh targets: the one whose id equals the refresh's
 * `autoScalingGroupId`, else the single scaling group that `autoScalingGroupId` depends on.
 */
export function findScalingGroup(refresh: StackRefresh, groups: readonly ScalingGroupView[]): ScalingGroupView | undefined {
  const groupId = knownString(refresh.view.groupId);
  if (groupId !== undefined) {
    const byId = groups.find((group) => knownString(group.id) === groupId);
    if (byId) return byId;
  }
  const dependencies = (refresh.resource.propertyDependencies?.autoScalingGroupId ?? []).filter(
    (dependency) => dependency.type === SCALING_GROUP_TYPE,
  );
  if (dependencies.length !== 1) return undefined;
  return groups.find((group) => group.urn === dependencies[0].urn);
}

/** The size configured for a known group id in `groupSizes`. */
export function groupSizeFromConfig(groupId: unknown, groupSizes: GroupSizes): GroupSize | undefined {
  const id = knownString(groupId);
  if (id === undefined || !Object.prototype.hasOwnProperty.call(groupSizes, id)) return undefined;
  const count = knownInteger(groupSizes[id]);
  return count === undefined || count < 0 ? undefined : { count, source: `policy config groupSizes["${id}"]` };
}

/** The size of a scaling group in the stack: desired capacity when set, else max size. */
export function groupSizeFromScalingGroup(group: ScalingGroupView): GroupSize | undefined {
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
 * A key identifying the group a refresh targets: its id when known (directly or from the matched
 * scaling group), else the matched scaling group's URN; `undefined` when nothing is known.
 */
export function groupKey(refresh: StackRefresh, groups: readonly ScalingGroupView[]): string | undefined {
  const id = knownString(refresh.view.groupId);
  if (id !== undefined) return id;
  const group = findScalingGroup(refresh, groups);
  if (!group) return undefined;
  return knownString(group.id) ?? group.urn;
}
