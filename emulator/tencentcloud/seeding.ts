/**
 * Seeding: the groups and instances a model starts with (a fixture) or that the admin API creates,
 * with the defaults a seed spec leaves out.
 */
import { readFileSync } from "node:fs";
import { AdminError } from "../errors";
import defaultFixtureJson from "../fixtures/default.json";
import { newId } from "../ids";
import { GROUP_ID_PATTERN, INSTANCE_ID_PATTERN, IdPrefix } from "./resourceIds";
import type { ModelState } from "./state";
import type { GroupRecord } from "./types";
import { DEFAULT_VERSION } from "./versions";

/** Instances created by `seedGroup` when neither `instances` nor `instanceCount` is given. */
export const DEFAULT_SEED_INSTANCE_COUNT = 3;
/** Zones of a seeded group that names none. */
const DEFAULT_SEED_ZONES: readonly string[] = ["ap-guangzhou-3", "ap-guangzhou-4"];
/** Instance type of a seeded instance that names none. */
const DEFAULT_SEED_INSTANCE_TYPE = "S5.MEDIUM4";
/** A seeded group's MaxSize is at least this (or twice its instances). */
const MIN_SEED_MAX_SIZE = 10;

/** An instance to seed (admin API / fixture). */
export interface SeedInstanceSpec {
  /** @default a fresh `ins-xxxxxxxx` */
  instanceId?: string;
  /** @default "IN_SERVICE" */
  lifeCycleState?: string;
  /** @default "HEALTHY" */
  healthStatus?: string;
  zone?: string;
  instanceType?: string;
  protectedFromScaleIn?: boolean;
}
/** A group to seed (admin API / fixture). */
export interface SeedGroupSpec {
  /** Must look like `asg-` + 8 lowercase alphanumerics. @default a fresh id */
  groupId?: string;
  /** @default the group id */
  name?: string;
  /** IN_SERVICE instances to create when `instances` is not given. @default 3 */
  instanceCount?: number;
  instances?: SeedInstanceSpec[];
  minSize?: number;
  maxSize?: number;
  launchConfigurationId?: string;
  zones?: string[];
  /** The version of its launch configuration, which its instances run (`versions.ts`). @default "v1" */
  version?: string;
}
/** Fixture file layout. */
export interface Fixture {
  groups: SeedGroupSpec[];
}

/** The built-in fixture (`emulator/fixtures/default.json`). */
export const DEFAULT_FIXTURE: Fixture = defaultFixtureJson as Fixture;

/** Reads and checks a fixture file or object. */
export function loadFixture(fixture: Fixture | string): Fixture {
  let data: unknown = fixture;
  if (typeof fixture === "string") {
    try {
      data = JSON.parse(readFileSync(fixture, "utf8"));
    } catch (e) {
      throw new Error(`Cannot read fixture ${fixture}: ${(e as Error).message}`);
    }
  }
  if (typeof data !== "object" || data === null || !Array.isArray((data as Fixture).groups)) {
    throw new Error(`Fixture ${typeof fixture === "string" ? fixture : "(object)"} must be an object with a "groups" array`);
  }
  return data as Fixture;
}

/** Adds a group and its instances to `st`; throws a 400 / 409 {@link AdminError} for a bad or taken id. */
export function addSeedGroup(st: ModelState, spec: SeedGroupSpec, now: number): GroupRecord {
  const id = spec.groupId ?? newId(IdPrefix.group, (x) => st.groups.has(x));
  if (!GROUP_ID_PATTERN.test(id)) throw new AdminError(400, "BadRequest", `groupId must look like asg-xxxxxxxx (8 lowercase alphanumerics), got "${id}"`);
  if (st.groups.has(id)) throw new AdminError(409, "Conflict", `scaling group ${id} already exists`);
  const instances: SeedInstanceSpec[] =
    spec.instances ?? Array.from({ length: spec.instanceCount ?? DEFAULT_SEED_INSTANCE_COUNT }, () => ({}));
  if (!Array.isArray(instances)) throw new AdminError(400, "BadRequest", `instances must be an array`);
  const seen = new Set<string>();
  for (const s of instances) {
    if (s.instanceId !== undefined) {
      if (!INSTANCE_ID_PATTERN.test(s.instanceId)) throw new AdminError(400, "BadRequest", `instanceId must look like ins-xxxxxxxx, got "${s.instanceId}"`);
      if (st.instances.has(s.instanceId) || seen.has(s.instanceId)) throw new AdminError(409, "Conflict", `instance ${s.instanceId} already exists`);
      seen.add(s.instanceId);
    }
  }
  const version = spec.version ?? DEFAULT_VERSION;
  if (typeof version !== "string" || version === "") throw new AdminError(400, "BadRequest", `version must be a non-empty string`);
  const zones = spec.zones && spec.zones.length > 0 ? spec.zones : [...DEFAULT_SEED_ZONES];
  const group: GroupRecord = {
    id,
    name: spec.name ?? id,
    createdAt: now,
    launchConfigurationId: spec.launchConfigurationId ?? `asc-${id.slice(4)}`,
    launchConfigurationName: `lc-${spec.name ?? id}`,
    minSize: spec.minSize ?? 0,
    maxSize: spec.maxSize ?? Math.max(instances.length * 2, MIN_SEED_MAX_SIZE),
    desiredCapacity: instances.length,
    vpcId: "vpc-emulator",
    subnetIds: ["subnet-emulator"],
    zones,
    instanceIds: [],
    activeActivityId: null,
    version,
    badVersions: [],
  };
  st.addGroup(group);
  instances.forEach((s, n) => {
    st.addInstance({
      id: s.instanceId ?? newId(IdPrefix.instance, (x) => st.instances.has(x) || seen.has(x)),
      groupId: id,
      lifeCycleState: s.lifeCycleState ?? "IN_SERVICE",
      healthStatus: s.healthStatus ?? "HEALTHY",
      protectedFromScaleIn: s.protectedFromScaleIn ?? false,
      zone: s.zone ?? zones[n % zones.length]!,
      creationType: "AUTO_CREATION",
      instanceType: s.instanceType ?? DEFAULT_SEED_INSTANCE_TYPE,
      addedAt: now,
      surge: false,
      version,
    });
  });
  return group;
}
