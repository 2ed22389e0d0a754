/**
 * Fake `@pulumi/policy` validation args built from plain props and config, as the policy server
 * builds them: props wrapped in `unknownCheckingProxy` (which throws `UnknownValueError` when a
 * policy reads an unknown value), config from `getConfig()`, stack tags as a read-only map.
 */
import {
  unknownCheckingProxy,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_SCALING_GROUP_TYPE } from "../../policies/essResources";
import { BRIDGED_REFRESH_TYPE, INSTANCE_REFRESH_TYPE, SCALING_GROUP_TYPE } from "../../policies/resources";

// The engine's unknown sentinels, exactly as @pulumi/policy deserializes them (internal exports).
const proxyInternals = require("@pulumi/policy/proxy") as Record<string, string>;

/** Unknown values as policies receive them at preview, by type. */
export const UNKNOWN_VALUE = {
  string: proxyInternals.unknownStringValue,
  number: proxyInternals.unknownNumberValue,
  boolean: proxyInternals.unknownBooleanValue,
  array: proxyInternals.unknownArrayValue,
  object: proxyInternals.unknownObjectValue,
} as const;

/** Every sentinel `@pulumi/policy` recognizes. */
export const ALL_UNKNOWN_SENTINELS = Object.entries(proxyInternals)
  .filter(([key, value]) => /^unknown[A-Z]\w*Value$/.test(key) && typeof value === "string")
  .map(([, value]) => value);

export const STACK = "dev";
export const PROJECT = "shop";
export const GROUP_ID = "asg-9dn1a5y6";
/** Six instances: the happy path's three batches of two are 33% each. */
export const GROUP_SIZE = 6;

/** The happy-path InstanceRefresh: every policy passes with default config for a group of {@link GROUP_SIZE} instances. */
export function happyProps(): Record<string, unknown> {
  return {
    autoScalingGroupId: GROUP_ID,
    refreshMode: "ROLLING_UPDATE_RESET",
    refreshSettings: {
      rollingUpdateSettings: { batchNumber: 3, batchPause: "FIRST_BATCH_PAUSE", maxSurge: 1, failProcess: "AUTO_PAUSE" },
      checkInstanceTargetHealth: true,
    },
  };
}

/** The same settings as a bridged StartInstanceRefresh, blocks as objects (`"object"`) or one-element lists (`"array"`). */
export function bridgedProps(form: "object" | "array" = "object"): Record<string, unknown> {
  const rolling = { batchNumber: 3, batchPause: "FIRST_BATCH_PAUSE", maxSurge: 1, failProcess: "AUTO_PAUSE" };
  const settings = { rollingUpdateSettings: form === "array" ? [rolling] : rolling, checkInstanceTargetHealth: true };
  return {
    autoScalingGroupId: GROUP_ID,
    refreshMode: "ROLLING_UPDATE_RESET",
    refreshSettings: form === "array" ? [settings] : settings,
  };
}

/** A scaling group as the bridged provider reports it. */
export function scalingGroupProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: GROUP_ID,
    scalingGroupName: "web",
    configurationId: "asc-12345678",
    desiredCapacity: GROUP_SIZE,
    minSize: 1,
    maxSize: 10,
    vpcId: "vpc-12345678",
    forwardBalancerIds: [],
    loadBalancerIds: [],
    ...overrides,
  };
}

export const ESS_GROUP_ID = "asg-bp1a2b3c4d5e6f7g8h9i";
/** Ten instances of capacity: the ESS happy path's 20 % unavailable and 20 % surge are 2 instances each. */
export const ESS_GROUP_SIZE = 10;

/** The happy-path AlicloudInstanceRefresh: every policy passes with default config, even in production. */
export function essProps(): Record<string, unknown> {
  return {
    scalingGroupId: ESS_GROUP_ID,
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    desiredConfiguration: { imageId: "m-bp1abcdefgh" },
    skipMatching: true,
    checkpoints: [{ percentage: 20 }, { percentage: 100 }],
    checkpointPauseTime: 60,
  };
}

/** The same settings as a bridged alicloud.ess.InstanceRefresh. */
export function bridgedEssProps(): Record<string, unknown> {
  return {
    scalingGroupId: ESS_GROUP_ID,
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    desiredConfigurationImageId: "m-bp1abcdefgh",
    skipMatching: true,
    checkpoints: [{ percentage: 20 }, { percentage: 100 }],
    checkpointPauseTime: 60,
  };
}

/** An alicloud.ess.ScalingGroup as the bridged provider reports it. */
export function essScalingGroupProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: ESS_GROUP_ID, scalingGroupName: "web", minSize: 1, maxSize: 20, desiredCapacity: ESS_GROUP_SIZE, ...overrides };
}

/**
 * A copy of `props` with the value at a dotted path replaced (`undefined` deletes it). Numeric
 * segments index arrays.
 * @example change(happyProps(), "refreshSettings.rollingUpdateSettings.batchNumber", 1)
 */
export function change(props: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(props);
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The URN the engine gives a resource. */
export function urnOf(type: string, name: string, stack = STACK): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

function readOnlyMap(tags: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(tags));
}

class NotApplicable extends Error {}

/** Options shared by both kinds of fake args. */
export interface FakeArgsOptions {
  /** The policy's config, as `--policy-pack-config` would give it (without enforcementLevel). */
  config?: Record<string, unknown>;
  stack?: string;
  stackTags?: Record<string, string>;
}

/** Fake args for a resource policy. */
export function resourceArgs(
  props: Record<string, unknown>,
  options: FakeArgsOptions & { type?: string; name?: string } = {},
): ResourceValidationArgs {
  const type = options.type ?? INSTANCE_REFRESH_TYPE;
  const name = options.name ?? "web-refresh";
  return {
    type,
    name,
    urn: urnOf(type, name, options.stack),
    props: unknownCheckingProxy(props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: readOnlyMap(options.stackTags ?? {}),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => structuredClone(options.config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** A resource in a fake stack. `dependsOn` maps a property to the names of the resources it depends on. */
export interface FakeResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  dependsOn?: Record<string, string[]>;
}

/** An InstanceRefresh for a fake stack. */
export function refresh(name: string, props: Record<string, unknown> = happyProps(), dependsOn?: Record<string, string[]>): FakeResource {
  return { type: INSTANCE_REFRESH_TYPE, name, props, dependsOn };
}

/** A bridged StartInstanceRefresh for a fake stack. */
export function bridged(name: string, props: Record<string, unknown> = bridgedProps(), dependsOn?: Record<string, string[]>): FakeResource {
  return { type: BRIDGED_REFRESH_TYPE, name, props, dependsOn };
}

/** An AlicloudInstanceRefresh for a fake stack. */
export function essRefresh(name: string, props: Record<string, unknown> = essProps(), dependsOn?: Record<string, string[]>): FakeResource {
  return { type: ALICLOUD_INSTANCE_REFRESH_TYPE, name, props, dependsOn };
}

/** A bridged alicloud.ess.InstanceRefresh for a fake stack. */
export function bridgedEss(name: string, props: Record<string, unknown> = bridgedEssProps(), dependsOn?: Record<string, string[]>): FakeResource {
  return { type: BRIDGED_ESS_INSTANCE_REFRESH_TYPE, name, props, dependsOn };
}

/** An alicloud.ess.ScalingGroup for a fake stack. */
export function essScalingGroup(name: string, overrides: Record<string, unknown> = {}): FakeResource {
  return { type: BRIDGED_ESS_SCALING_GROUP_TYPE, name, props: essScalingGroupProps(overrides) };
}

/** A bridged scaling group for a fake stack. */
export function scalingGroup(name: string, overrides: Record<string, unknown> = {}): FakeResource {
  return { type: SCALING_GROUP_TYPE, name, props: scalingGroupProps(overrides) };
}

/** Fake args for a stack policy. */
export function stackArgs(resources: FakeResource[], options: FakeArgsOptions = {}): StackValidationArgs {
  const policyResources: PolicyResource[] = resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: urnOf(r.type, r.name, options.stack),
    props: unknownCheckingProxy(r.props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  const byName = new Map(policyResources.map((r) => [r.name, r]));
  resources.forEach((r, i) => {
    for (const [property, names] of Object.entries(r.dependsOn ?? {})) {
      const deps = names.map((n) => {
        const dep = byName.get(n);
        if (!dep) throw new Error(`unknown dependency ${n}`);
        return dep;
      });
      policyResources[i].propertyDependencies[property] = deps;
      policyResources[i].dependencies.push(...deps);
    }
  });
  return {
    resources: policyResources,
    stackTags: readOnlyMap(options.stackTags ?? {}),
    getConfig: <T extends object>() => structuredClone(options.config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** One reported violation. */
export interface Reported {
  message: string;
  urn?: string;
}

function collector(): { report: ReportViolation; reported: Reported[] } {
  const reported: Reported[] = [];
  const report: ReportViolation = (message, urn) => {
    reported.push(urn === undefined ? { message } : { message, urn });
  };
  return { report, reported };
}

/** Runs a resource policy on fake args; returns the messages it reported. */
export async function runResource(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const { report, reported } = collector();
  const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
  for (const validate of validations) await validate(args, report);
  return reported.map((r) => r.message);
}

/** Runs a stack policy on fake args; returns what it reported. */
export async function runStack(policy: StackValidationPolicy, args: StackValidationArgs): Promise<Reported[]> {
  const { report, reported } = collector();
  await policy.validateStack(args, report);
  return reported;
}

/** Runs a stack policy and returns only the messages. */
export async function stackMessages(policy: StackValidationPolicy, resources: FakeResource[], options: FakeArgsOptions = {}): Promise<string[]> {
  return (await runStack(policy, stackArgs(resources, options))).map((r) => r.message);
}
