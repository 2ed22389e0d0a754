/**
 * Seeding: the ESS groups and instances a model starts with (the `ess` section of a fixture) or that
 * the admin API creates, with the defaults a seed spec leaves out and its checks (every refusal an
 * {@link EssAdminError} 400 or 409, before anything is created).
 */
import { EssAdminError } from "./errors";
import { isIdOf, newId } from "./ids";
import {
  GROUP_LIFECYCLE_STATES,
  GROUP_TYPES,
  INSTANCE_CREATION_TYPES,
  INSTANCE_HEALTH_STATUSES,
  INSTANCE_LIFECYCLE_STATES,
  MULTI_AZ_POLICIES,
  cloneConfig,
  emptyConfig,
  type GroupLifecycleState,
  type GroupRecord,
  type GroupType,
  type InstanceConfig,
  type InstanceCreationType,
  type InstanceHealthStatus,
  type InstanceLifecycleState,
  type InstanceRecord,
  type MultiAzPolicy,
} from "./model";

/** Region of groups seeded without one. */
export const DEFAULT_REGION_ID = "cn-hangzhou";
/** Zone of instances seeded without one. */
export const DEFAULT_ZONE_ID = "cn-hangzhou-h";
/** Instances `seedGroup` creates when given neither `instanceCount` nor `instances`. */
export const DEFAULT_SEED_INSTANCE_COUNT = 3;
/** Image of the active configuration of a seeded ECS group without a launch template. */
export const DEFAULT_SEED_IMAGE_ID = "m-emulatorbaseimage00000";
/** Container image of a seeded ECI group. */
export const DEFAULT_SEED_CONTAINER_IMAGE = "registry.example.com/app:1";
/** Container name of a seeded ECI group. */
export const DEFAULT_SEED_CONTAINER_NAME = "app";
/** Launch template version of a group seeded with `launchTemplateId` and no version. */
export const DEFAULT_SEED_LAUNCH_TEMPLATE_VERSION = "1";
/** The key of ESS's section in a fixture file: `{ "groups": [Tencent Cloud's], "ess": { "groups": [ESS's] } }`. */
export const ESS_FIXTURE_KEY = "ess";

/** An instance to seed. */
export interface SeedInstanceSpec {
  /** `i-` + 20 lowercase alphanumerics. @default a fresh id */
  instanceId?: string;
  /** @default "InService" */
  lifecycleState?: InstanceLifecycleState;
  /** @default "Healthy" */
  healthStatus?: InstanceHealthStatus;
  /** `Attached` instances are skipped by refreshes. @default "AutoCreated" */
  creationType?: InstanceCreationType;
  /** @default DEFAULT_ZONE_ID */
  zoneId?: string;
  /** The configuration it was created from. @default the group's active configuration */
  config?: Partial<InstanceConfig>;
}

/** A group to seed. */
export interface SeedGroupSpec {
  /** `asg-` + 20 lowercase alphanumerics. @default a fresh id */
  groupId?: string;
  /** @default the id */
  name?: string;
  /** @default DEFAULT_REGION_ID */
  regionId?: string;
  /** @default "ECS" */
  groupType?: GroupType;
  /** @default "Active" */
  lifecycleState?: GroupLifecycleState;
  /** ECS groups need PRIORITY to be refreshed. @default "PRIORITY" */
  multiAzPolicy?: MultiAzPolicy;
  /** InService AutoCreated instances to create when `instances` is not given. @default 3 */
  instanceCount?: number;
  /** Instances to create (instead of `instanceCount`). */
  instances?: SeedInstanceSpec[];
  /**
   * The active configuration. @default ECS: a fresh scaling configuration with
   * DEFAULT_SEED_IMAGE_ID (or, with `launchTemplateId`, that template at version "1"); ECI: one container.
   */
  config?: Partial<InstanceConfig>;
  /** Shorthand: the group's source is this launch template (version `config.launchTemplateVersion` or "1"). */
  launchTemplateId?: string;
  /** @default 0 */
  minSize?: number;
  /** @default max(instance count, 1) * 2 */
  maxSize?: number;
}

/** ESS's section of a fixture file (the rest of the file is Tencent Cloud's). */
export interface EssFixtureSection {
  /** The ESS groups to start with. */
  ess?: { groups: SeedGroupSpec[] };
}

/** The records one seed spec creates (nothing is added to the model yet). */
export interface SeededRecords {
  /** The group, its `instanceIds` filled in. */
  group: GroupRecord;
  /** Its instances, in order. */
  instances: InstanceRecord[];
}

/** What seeding needs to know of the model: which ids are taken, and the time. */
export interface SeedContext {
  /** The model's time (CreationTime of the records). */
  readonly now: number;
  /** Whether a group id is taken. */
  groupExists(id: string): boolean;
  /** Whether an instance id is taken. */
  instanceExists(id: string): boolean;
}

/** The ESS groups of a fixture (its `ess.groups`; none without that section); throws when the section is malformed. */
export function essFixtureGroups(fixture: unknown): SeedGroupSpec[] {
  const section = (fixture as Record<string, unknown> | null)?.[ESS_FIXTURE_KEY];
  if (section === undefined) return [];
  const groups = (section as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) throw new Error(`the fixture's "${ESS_FIXTURE_KEY}" section must be an object with a "groups" array`);
  return groups as SeedGroupSpec[];
}

function checkOneOf(value: unknown, allowed: readonly string[], field: string): void {
  if (value !== undefined && !allowed.includes(value as string)) throw new EssAdminError(400, `${field} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

function checkSizes(spec: SeedGroupSpec): void {
  for (const field of ["instanceCount", "minSize", "maxSize"] as const) {
    const v = spec[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new EssAdminError(400, `${field} must be an integer >= 0, got ${JSON.stringify(v)}`);
  }
}

/** The instance specs of a group spec, checked: ids well formed and free, enums known. */
function instanceSpecs(spec: SeedGroupSpec, ctx: SeedContext): SeedInstanceSpec[] {
  if (spec.instances !== undefined && !Array.isArray(spec.instances)) throw new EssAdminError(400, "instances must be an array");
  const specs = spec.instances ?? Array.from({ length: spec.instanceCount ?? DEFAULT_SEED_INSTANCE_COUNT }, (): SeedInstanceSpec => ({}));
  const seen = new Set<string>();
  for (const [n, s] of specs.entries()) {
    checkOneOf(s.lifecycleState, INSTANCE_LIFECYCLE_STATES, `instances[${n}].lifecycleState`);
    checkOneOf(s.healthStatus, INSTANCE_HEALTH_STATUSES, `instances[${n}].healthStatus`);
    checkOneOf(s.creationType, INSTANCE_CREATION_TYPES, `instances[${n}].creationType`);
    if (s.instanceId === undefined) continue;
    if (!isIdOf("instance", s.instanceId)) throw new EssAdminError(400, `instanceId must look like i- + 20 lowercase alphanumerics, got ${JSON.stringify(s.instanceId)}`);
    if (ctx.instanceExists(s.instanceId) || seen.has(s.instanceId)) throw new EssAdminError(409, `instance ${s.instanceId} already exists`);
    seen.add(s.instanceId);
  }
  return specs;
}

function defaultConfig(groupType: GroupType, spec: SeedGroupSpec): InstanceConfig {
  const config = emptyConfig();
  if (groupType === "ECI") {
    config.scalingConfigurationId = newId("scalingConfiguration");
    config.containers = [{ Name: DEFAULT_SEED_CONTAINER_NAME, Image: DEFAULT_SEED_CONTAINER_IMAGE }];
  } else if (spec.launchTemplateId !== undefined) {
    config.launchTemplateId = spec.launchTemplateId;
    config.launchTemplateVersion = DEFAULT_SEED_LAUNCH_TEMPLATE_VERSION;
  } else {
    config.scalingConfigurationId = newId("scalingConfiguration");
    config.imageId = DEFAULT_SEED_IMAGE_ID;
  }
  return config;
}

/**
 * The group and instances `spec` describes, with the defaults filled in; throws {@link EssAdminError}
 * (400 for a malformed spec or id, 409 for a taken id) before creating anything.
 */
export function seedRecords(spec: SeedGroupSpec, ctx: SeedContext): SeededRecords {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new EssAdminError(400, "a seed spec must be an object");
  const id = spec.groupId ?? newId("scalingGroup", (x) => ctx.groupExists(x));
  if (!isIdOf("scalingGroup", id)) throw new EssAdminError(400, `groupId must look like asg- + 20 lowercase alphanumerics, got ${JSON.stringify(id)}`);
  if (ctx.groupExists(id)) throw new EssAdminError(409, `scaling group ${id} already exists`);
  checkOneOf(spec.groupType, GROUP_TYPES, "groupType");
  checkOneOf(spec.lifecycleState, GROUP_LIFECYCLE_STATES, "lifecycleState");
  checkOneOf(spec.multiAzPolicy, MULTI_AZ_POLICIES, "multiAzPolicy");
  checkSizes(spec);
  const specs = instanceSpecs(spec, ctx);
  const groupType = spec.groupType ?? "ECS";
  const config: InstanceConfig = { ...defaultConfig(groupType, spec), ...spec.config };
  const taken = new Set<string>(specs.flatMap((s) => (s.instanceId !== undefined ? [s.instanceId] : [])));
  const instances = specs.map((s): InstanceRecord => {
    const instanceId = s.instanceId ?? newId("instance", (x) => ctx.instanceExists(x) || taken.has(x));
    taken.add(instanceId);
    return {
      id: instanceId,
      groupId: id,
      lifecycleState: s.lifecycleState ?? "InService",
      healthStatus: s.healthStatus ?? "Healthy",
      creationType: s.creationType ?? "AutoCreated",
      config: cloneConfig({ ...config, ...s.config }),
      zoneId: s.zoneId ?? DEFAULT_ZONE_ID,
      createdAt: ctx.now,
      failNext: null,
    };
  });
  const group: GroupRecord = {
    id,
    name: spec.name ?? id,
    regionId: spec.regionId ?? DEFAULT_REGION_ID,
    groupType,
    lifecycleState: spec.lifecycleState ?? "Active",
    multiAzPolicy: spec.multiAzPolicy ?? "PRIORITY",
    minSize: spec.minSize ?? 0,
    maxSize: spec.maxSize ?? Math.max(specs.length, 1) * 2,
    desiredCapacity: specs.length,
    activeConfig: cloneConfig(config),
    instanceIds: instances.map((i) => i.id),
    activeTaskId: null,
    latestTaskId: null,
    createdAt: ctx.now,
  };
  return { group, instances };
}
