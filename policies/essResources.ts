/**
 * Reads Alibaba Cloud ESS instance refreshes — this package's `AlicloudInstanceRefresh` and the
 * bridged `alicloud.ess.InstanceRefresh` — and ESS scaling groups into plain views, tolerant of
 * unknowns like `resources.ts` (which reads the Tencent ones). Both refresh kinds are read into
 * `AlicloudInstanceRefresh` inputs (`provider/alibabacloud/bridged.ts`), so one rule checks both.
 */
import { BRIDGED_UNSET_SKIP_MATCHING, bridgedEssInputs } from "../provider/alibabacloud/bridged";
import { MAX_HEALTHY_PERCENTAGE, MIN_HEALTHY_PERCENTAGE } from "../provider/alibabacloud/settings";
import {
  ALICLOUD_INSTANCE_REFRESH_TYPE,
  BRIDGED_ESS_INSTANCE_REFRESH_TYPE,
  BRIDGED_ESS_SCALING_GROUP_TYPE,
} from "../provider/alibabacloud/tokens";
import { UNKNOWN, isRecord, isUnknown, knownInteger, toPlain, type Unknown } from "./resources";

// The type tokens, defined once in provider/alibabacloud/tokens.ts.
export { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_SCALING_GROUP_TYPE };

/** Short names of the two ESS refresh types, used in messages: the class of this package, and `alicloud.ess.InstanceRefresh`. */
export type EssRefreshKind = "AlicloudInstanceRefresh" | "ess.InstanceRefresh";

/**
 * The input that names the scaling group, in both kinds.
 * @example refresh.resource.propertyDependencies[ESS_GROUP_ID_PROPERTY] // the resources the group id comes from
 */
export const ESS_GROUP_ID_PROPERTY = "scalingGroupId";

/**
 * The API's defaults of the settings the policies read, as an unset value counts: Min 80, Max 120,
 * SkipMatching true — except that the bridged provider sends SkipMatching false when unset
 * ({@link BRIDGED_UNSET_SKIP_MATCHING}).
 * @example ESS_DEFAULTS.minHealthyPercentage // 80
 */
export const ESS_DEFAULTS = {
  minHealthyPercentage: MIN_HEALTHY_PERCENTAGE.default,
  maxHealthyPercentage: MAX_HEALTHY_PERCENTAGE.default,
  skipMatching: true,
} as const;

/**
 * One ESS refresh, read into `AlicloudInstanceRefresh` inputs. Each setting is the raw value:
 * `undefined` when not set, {@link UNKNOWN} when not known yet, possibly of the wrong type
 * (`instance-refresh-valid-settings` reports those; the other policies skip them).
 */
export interface EssRefreshView {
  kind: EssRefreshKind;
  /** True for the bridged `alicloud.ess.InstanceRefresh`. */
  bridged: boolean;
  groupId: unknown;
  minHealthyPercentage: unknown;
  maxHealthyPercentage: unknown;
  skipMatching: unknown;
  /** The list of `{ percentage }`, UNKNOWN, or undefined. */
  checkpoints: unknown;
  /** The settings as `AlicloudInstanceRefresh` inputs, for `validateAlicloudInputs`. */
  inputs: Record<string, unknown>;
}

/**
 * Is this one of the two ESS refresh types?
 * @example isEssRefreshType("alicloud:ess/instanceRefresh:InstanceRefresh") // true
 */
export function isEssRefreshType(type: string): boolean {
  return type === ALICLOUD_INSTANCE_REFRESH_TYPE || type === BRIDGED_ESS_INSTANCE_REFRESH_TYPE;
}

/**
 * Reads an AlicloudInstanceRefresh or a bridged ess.InstanceRefresh from its type and props (plain
 * or proxied); `undefined` for any other type.
 * @example readEssRefresh(args.type, args.props)?.minHealthyPercentage
 */
export function readEssRefresh(type: string, props: unknown): EssRefreshView | undefined {
  if (!isEssRefreshType(type)) return undefined;
  const plain = toPlain(props);
  const root = isRecord(plain) ? plain : {};
  const bridged = type === BRIDGED_ESS_INSTANCE_REFRESH_TYPE;
  const inputs = bridged ? bridgedEssInputs(root) : root;
  return {
    kind: bridged ? "ess.InstanceRefresh" : "AlicloudInstanceRefresh",
    bridged,
    groupId: inputs.scalingGroupId,
    minHealthyPercentage: inputs.minHealthyPercentage,
    maxHealthyPercentage: inputs.maxHealthyPercentage,
    skipMatching: inputs.skipMatching,
    checkpoints: inputs.checkpoints,
    inputs,
  };
}

/**
 * The value a setting has once unset counts as its default: the raw value when set (UNKNOWN
 * included), else `fallback`.
 * @example withDefault(undefined, 80) // 80
 */
export function withDefault(value: unknown, fallback: number | boolean): unknown {
  return value === undefined || value === null ? fallback : value;
}

/**
 * What SkipMatching the refresh runs with: the value when set; unset, the API's `true` for an
 * AlicloudInstanceRefresh and `false` for the bridged resource (its provider sends false).
 * @example effectiveSkipMatching({ bridged: true, skipMatching: undefined }) // false
 */
export function effectiveSkipMatching(view: Pick<EssRefreshView, "bridged" | "skipMatching">): unknown {
  return withDefault(view.skipMatching, view.bridged ? BRIDGED_UNSET_SKIP_MATCHING : ESS_DEFAULTS.skipMatching);
}

/** The value when it is an integer within `bounds`, unset counting as `fallback`; undefined when unknown or invalid. */
function knownPercentage(given: unknown, fallback: number, bounds: { readonly min: number; readonly max: number }): number | undefined {
  const value = knownInteger(withDefault(given, fallback));
  return value !== undefined && value >= bounds.min && value <= bounds.max ? value : undefined;
}

/**
 * The MinHealthyPercentage the refresh runs with (unset: the API's 80); undefined when unknown or invalid.
 * @example effectiveMinHealthy({ minHealthyPercentage: undefined }) // 80
 */
export function effectiveMinHealthy(view: Pick<EssRefreshView, "minHealthyPercentage">): number | undefined {
  return knownPercentage(view.minHealthyPercentage, ESS_DEFAULTS.minHealthyPercentage, MIN_HEALTHY_PERCENTAGE);
}

/**
 * The MaxHealthyPercentage the refresh runs with (unset: the API's 120); undefined when unknown or invalid.
 * @example effectiveMaxHealthy({ maxHealthyPercentage: 150 }) // 150
 */
export function effectiveMaxHealthy(view: Pick<EssRefreshView, "maxHealthyPercentage">): number | undefined {
  return knownPercentage(view.maxHealthyPercentage, ESS_DEFAULTS.maxHealthyPercentage, MAX_HEALTHY_PERCENTAGE);
}

/**
 * A setting's value in messages: `minHealthyPercentage 30`, or, unset, `minHealthyPercentage unset
 * (the API's default 80)`.
 * @example settingText("maxHealthyPercentage", undefined, 120) // "maxHealthyPercentage unset (the API's default 120)"
 */
export function settingText(property: string, given: unknown, value: number | boolean): string {
  return given === undefined || given === null ? `${property} unset (the API's default ${String(value)})` : `${property} ${String(value)}`;
}

/**
 * The checkpoint percentages when every one is known, UNKNOWN when any is not, `[]` when unset.
 * Entries that are not numbers are left out (`instance-refresh-valid-settings` reports them).
 * @example checkpointPercentages([{ percentage: 20 }, { percentage: 100 }]) // [20, 100]
 */
export function checkpointPercentages(checkpoints: unknown): number[] | Unknown {
  if (isUnknown(checkpoints)) return UNKNOWN;
  if (!Array.isArray(checkpoints)) return [];
  const percentages: number[] = [];
  for (const checkpoint of checkpoints) {
    const percentage = isRecord(checkpoint) ? checkpoint.percentage : checkpoint;
    if (isUnknown(percentage) || isUnknown(checkpoint)) return UNKNOWN;
    if (typeof percentage === "number") percentages.push(percentage);
  }
  return percentages;
}

/** A bridged ESS scaling group declared in the stack. */
export interface EssScalingGroupView {
  urn: string;
  name: string;
  /** The group id (`asg-…`) once created; {@link UNKNOWN} at preview of a new group. */
  id: unknown;
  desiredCapacity: unknown;
  maxSize: unknown;
}

/**
 * Reads an `alicloud.ess.ScalingGroup` from its props; `undefined` for any other type.
 * @example readEssScalingGroup({ type: "alicloud:ess/scalingGroup:ScalingGroup", urn, name: "web", props })?.desiredCapacity
 */
export function readEssScalingGroup(resource: { type: string; urn: string; name: string; props: unknown }): EssScalingGroupView | undefined {
  if (resource.type !== BRIDGED_ESS_SCALING_GROUP_TYPE) return undefined;
  const plain = toPlain(resource.props);
  const root = isRecord(plain) ? plain : {};
  return { urn: resource.urn, name: resource.name, id: root.id, desiredCapacity: root.desiredCapacity, maxSize: root.maxSize };
}
