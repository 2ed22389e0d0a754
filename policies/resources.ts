/**
 * Recognizes the resources the pack cares about and reads them into plain, normalized views that
 * tolerate values unknown at preview:
 *
 * - the InstanceRefresh dynamic resource of this repository ({@link INSTANCE_REFRESH_TYPE}),
 * - the Terraform-bridged `StartInstanceRefresh` of `@tencentcloud_iac/pulumi` ({@link BRIDGED_REFRESH_TYPE}),
 *   whose MaxItems-1 blocks may arrive as objects or as one-element arrays,
 * - the bridged scaling group ({@link SCALING_GROUP_TYPE}), for the group's size and load balancers.
 *
 * How unknowns reach a policy: `@pulumi/policy` hands policies `props` wrapped in
 * `unknownCheckingProxy`, which throws `UnknownValueError` when a property whose value is one of the
 * engine's unknown sentinels is read. {@link toPlain} copies props into plain data, turning each such
 * property (and any raw sentinel string) into the {@link UNKNOWN} symbol, so policies can test for it
 * instead of crashing or being skipped with a "can't run policy during preview" note.
 */
import { UnknownValueError } from "@pulumi/policy";
import {
  BRIDGED_SCALING_GROUP_TYPE as SCALING_GROUP_TYPE,
  BRIDGED_START_INSTANCE_REFRESH_TYPE as BRIDGED_REFRESH_TYPE,
  INSTANCE_REFRESH_TYPE,
} from "../provider/tencentcloud/tokens";

// The type tokens, defined once in provider/tencentcloud/tokens.ts, under the names the pack's modules use.
export { BRIDGED_REFRESH_TYPE, INSTANCE_REFRESH_TYPE, SCALING_GROUP_TYPE };

/** Short names of the two refresh types, used in messages. */
export type RefreshKind = "InstanceRefresh" | "StartInstanceRefresh";

/** A value that is not known yet (computed at preview). */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");
/** @see UNKNOWN */
export type Unknown = typeof UNKNOWN;

/**
 * The engine's unknown sentinels as `@pulumi/policy` 1.21 deserializes them (`proxy.js`, internal
 * exports `unknown{Boolean,Number,String,Array,Asset,Archive,Object}Value`).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Is `value` unknown at preview (the {@link UNKNOWN} symbol or a raw engine sentinel)? */
export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

function isUnknownValueError(error: unknown): boolean {
  return (
    error instanceof UnknownValueError ||
    (typeof error === "object" && error !== null && "unknownTypeSentinel" in error && "props" in error)
  );
}

function readProperty(container: object, key: string | number): unknown {
  try {
    return (container as Record<string | number, unknown>)[key];
  } catch (error) {
    if (isUnknownValueError(error)) return UNKNOWN;
    throw error;
  }
}

/**
 * Deep copy of resource props into plain objects and arrays, with every unknown value replaced by
 * {@link UNKNOWN}. Accepts the proxies `@pulumi/policy` passes to policies as well as plain data.
 * @example toPlain(args.props).refreshSettings // an object, UNKNOWN, or undefined
 */
export function toPlain(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) {
    const length = value.length;
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) out.push(toPlain(readProperty(value, i)));
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = toPlain(readProperty(value, key));
    return out;
  }
  return value;
}

/** A plain object (not an array, not null, not unknown)? */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is an integer, otherwise `undefined` (unknown, missing or invalid). */
export function knownInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/** The value when it is a non-empty known string, otherwise `undefined`. */
export function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
}

/**
 * One InstanceRefresh or StartInstanceRefresh, read into the InstanceRefresh's camelCase shape.
 * Each setting is the raw value: `undefined` when not set, {@link UNKNOWN} when not known yet, and
 * possibly of the wrong type (`instance-refresh-valid-settings` reports those; other policies skip them).
 */
export interface RefreshView {
  kind: RefreshKind;
  groupId: unknown;
  refreshMode: unknown;
  batchNumber: unknown;
  batchPause: unknown;
  maxSurge: unknown;
  failProcess: unknown;
  checkInstanceTargetHealth: unknown;
  /** `instanceCounts.total` from the outputs of a finished refresh (InstanceRefresh only). */
  instanceTotal: unknown;
  /**
   * The settings as InstanceRefresh inputs, for `validateInputs`: the props themselves for an
   * InstanceRefresh, the recognized arguments of a StartInstanceRefresh.
   */
  inputs: Record<string, unknown>;
}

/** Is this a type the pack checks? */
export function isRefreshType(type: string): boolean {
  return type === INSTANCE_REFRESH_TYPE || type === BRIDGED_REFRESH_TYPE;
}

/** A MaxItems-1 block of a bridged resource: an object, a one-element array, or unknown. */
function block(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value[0];
  return value;
}

/** Terraform reports unset optional strings as "": treat them as unset. */
function optionalString(value: unknown): unknown {
  return value === "" ? undefined : value;
}

function field(container: unknown, key: string): unknown {
  if (isUnknown(container)) return UNKNOWN;
  return isRecord(container) ? container[key] : undefined;
}

function withoutUndefined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/**
 * Reads an InstanceRefresh or StartInstanceRefresh from its type and props (plain or proxied).
 * Returns `undefined` for any other type.
 * @example readRefresh(args.type, args.props)?.batchNumber
 */
export function readRefresh(type: string, props: unknown): RefreshView | undefined {
  if (!isRefreshType(type)) return undefined;
  const plain = toPlain(props);
  const root = isRecord(plain) ? plain : {};
  const bridged = type === BRIDGED_REFRESH_TYPE;
  const settings = bridged ? block(root.refreshSettings) : root.refreshSettings;
  const rolling = bridged ? block(field(settings, "rollingUpdateSettings")) : field(settings, "rollingUpdateSettings");
  const text = bridged ? optionalString : (value: unknown) => value;

  let inputs: Record<string, unknown> = root;
  if (bridged) {
    const rollingInputs = isRecord(rolling)
      ? withoutUndefined({
          batchNumber: rolling.batchNumber,
          batchPause: text(rolling.batchPause),
          maxSurge: rolling.maxSurge,
          failProcess: text(rolling.failProcess),
        })
      : rolling;
    const settingsInputs = isRecord(settings)
      ? withoutUndefined({
          rollingUpdateSettings: rollingInputs,
          checkInstanceTargetHealth: settings.checkInstanceTargetHealth,
          checkInstanceTargetHealthTimeout: settings.checkInstanceTargetHealthTimeout,
        })
      : settings;
    inputs = withoutUndefined({
      autoScalingGroupId: root.autoScalingGroupId,
      refreshMode: text(root.refreshMode),
      refreshSettings: settingsInputs,
    });
  }

  return {
    kind: bridged ? "StartInstanceRefresh" : "InstanceRefresh",
    groupId: root.autoScalingGroupId,
    refreshMode: text(root.refreshMode),
    batchNumber: field(rolling, "batchNumber"),
    batchPause: text(field(rolling, "batchPause")),
    maxSurge: field(rolling, "maxSurge"),
    failProcess: text(field(rolling, "failProcess")),
    checkInstanceTargetHealth: field(settings, "checkInstanceTargetHealth"),
    instanceTotal: bridged ? undefined : field(root.instanceCounts, "total"),
    inputs,
  };
}

/** A bridged scaling group declared in the stack. */
export interface ScalingGroupView {
  urn: string;
  name: string;
  /** The group id (`asg-…`) once created; {@link UNKNOWN} at preview of a new group. */
  id: unknown;
  desiredCapacity: unknown;
  maxSize: unknown;
  /** `true` when `forwardBalancerIds` or `loadBalancerIds` is non-empty, UNKNOWN when either is unknown. */
  behindLoadBalancer: boolean | Unknown;
}

function nonEmptyList(value: unknown): boolean | Unknown {
  if (isUnknown(value)) return UNKNOWN;
  return Array.isArray(value) && value.length > 0;
}

/** Reads a scaling group from its props; `undefined` for any other type. */
export function readScalingGroup(resource: { type: string; urn: string; name: string; props: unknown }): ScalingGroupView | undefined {
  if (resource.type !== SCALING_GROUP_TYPE) return undefined;
  const plain = toPlain(resource.props);
  const root = isRecord(plain) ? plain : {};
  const forward = nonEmptyList(root.forwardBalancerIds);
  const classic = nonEmptyList(root.loadBalancerIds);
  const behindLoadBalancer = forward === true || classic === true ? true : forward === UNKNOWN || classic === UNKNOWN ? UNKNOWN : false;
  return {
    urn: resource.urn,
    name: resource.name,
    id: root.id,
    desiredCapacity: root.desiredCapacity,
    maxSize: root.maxSize,
    behindLoadBalancer,
  };
}

/**
 * The stack name in a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), or `undefined`.
 * @example stackFromUrn("urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod") // "prod"
 */
export function stackFromUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match ? match[1] : undefined;
}

/**
 * How a resource is named in messages: its kind (a {@link RefreshKind}, or an ESS kind of
 * `essResources.ts`) and its name.
 * @example label("InstanceRefresh", "web-refresh") // 'InstanceRefresh "web-refresh"'
 */
export function label(kind: string, name: string): string {
  return `${kind} "${name}"`;
}
