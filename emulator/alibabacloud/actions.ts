/**
 * The ESS actions the emulator serves: each decodes and validates its flattened parameters (with
 * the API's codes), calls the backend and shapes the answer for the request's version.
 */
import type { EssBackend, StartInput, TaskRef } from "./backend";
import { AcsError, EssErrorCodes, invalidParameter } from "./errors";
import {
  ESS_LEGACY_API_VERSION,
  PagingLimits,
  RefreshLimits,
  type ContainerSpec,
  type DesiredConfiguration,
  type EnvironmentVar,
  type EssApiVersion,
} from "./model";
import { cursorPage, decodeNextToken } from "./paging";
import type { Params } from "./params";
import { groupView, instanceView, list, taskView, type Json } from "./views";

/** What an action gets besides its parameters. */
export interface ActionContext {
  /** The service. */
  readonly backend: EssBackend;
  /** The API version of the request. */
  readonly version: EssApiVersion;
}

/** An action: parameters in, the answer's fields (without RequestId) out; refusals are thrown {@link AcsError}s. */
export type ActionHandler = (p: Params, ctx: ActionContext) => Json;

/** Printable ASCII (ClientToken). */
const ASCII_RE = /^[\x20-\x7e]+$/;
/** LaunchTemplateVersion: a number, `Default` or `Latest`. */
const LAUNCH_TEMPLATE_VERSION_RE = /^(\d+|Default|Latest)$/;
/** Largest PageNumber accepted. */
const MAX_PAGE_NUMBER = 1_000_000_000;
/** Longest free-text identifier accepted (ids, names, image ids, Strategy). */
const MAX_ID_LENGTH = 256;

const region = (p: Params) => p.string("RegionId", { required: true, maxLength: MAX_ID_LENGTH });
const groupId = (p: Params) => p.string("ScalingGroupId", { required: true, maxLength: MAX_ID_LENGTH });

function decodeContainers(p: Params): ContainerSpec[] | undefined {
  const n = p.listLength("DesiredConfiguration.Containers");
  if (n === 0) return undefined;
  const out: ContainerSpec[] = [];
  for (let i = 1; i <= n; i++) {
    const at = `DesiredConfiguration.Containers.${i}`;
    const c: ContainerSpec = { Name: p.string(`${at}.Name`, { required: true, maxLength: MAX_ID_LENGTH }) };
    const image = p.string(`${at}.Image`, { maxLength: MAX_ID_LENGTH });
    if (image !== undefined) c.Image = image;
    if (p.hasAny(`${at}.Commands`)) {
      c.Commands = p.stringList(`${at}.Commands`, { maxLength: RefreshLimits.containerCommandMaxLength }, RefreshLimits.containerCommandsMax);
    }
    if (p.hasAny(`${at}.Args`)) c.Args = p.stringList(`${at}.Args`, {}, RefreshLimits.containerArgsMax);
    const envs = p.listLength(`${at}.EnvironmentVars`);
    if (envs > 0) {
      const vars: EnvironmentVar[] = [];
      for (let j = 1; j <= envs; j++) {
        const e = `${at}.EnvironmentVars.${j}`;
        const v: EnvironmentVar = {
          Key: p.string(`${e}.Key`, { required: true, minLength: RefreshLimits.envKeyLength.min, maxLength: RefreshLimits.envKeyLength.max }),
          Value: p.string(`${e}.Value`, { maxLength: RefreshLimits.envValueMaxLength }) ?? "",
        };
        const ref = p.string(`${e}.FieldRefFieldPath`, { maxLength: MAX_ID_LENGTH });
        if (ref !== undefined) v.FieldRefFieldPath = ref;
        vars.push(v);
      }
      c.EnvironmentVars = vars;
    }
    out.push(c);
  }
  return out;
}

/** `DesiredConfiguration.*`: ScalingConfigurationId, ImageId, LaunchTemplateId and Containers exclude each other. */
export function decodeDesiredConfiguration(p: Params): DesiredConfiguration {
  const d: DesiredConfiguration = {};
  const imageId = p.string("DesiredConfiguration.ImageId", { maxLength: MAX_ID_LENGTH });
  const scId = p.string("DesiredConfiguration.ScalingConfigurationId", { maxLength: MAX_ID_LENGTH });
  const ltId = p.string("DesiredConfiguration.LaunchTemplateId", { maxLength: MAX_ID_LENGTH });
  const ltVersion = p.string("DesiredConfiguration.LaunchTemplateVersion", {
    pattern: LAUNCH_TEMPLATE_VERSION_RE,
    patternHint: "a version number, Default or Latest.",
  });
  const overrides = p.listLength("DesiredConfiguration.LaunchTemplateOverrides");
  const containers = decodeContainers(p);
  const exclusive = [
    ["ScalingConfigurationId", scId],
    ["ImageId", imageId],
    ["LaunchTemplateId", ltId],
    ["Containers", containers],
  ].filter(([, v]) => v !== undefined);
  if (exclusive.length > 1) {
    throw new AcsError(
      EssErrorCodes.InvalidParameterConflict,
      `DesiredConfiguration.${exclusive.map(([n]) => n).join(" and DesiredConfiguration.")} cannot be specified together.`,
    );
  }
  if (overrides > 0 && ltId === undefined) {
    throw invalidParameter("DesiredConfiguration.LaunchTemplateOverrides", "only with DesiredConfiguration.LaunchTemplateId.");
  }
  if (imageId !== undefined) d.ImageId = imageId;
  if (scId !== undefined) d.ScalingConfigurationId = scId;
  if (ltId !== undefined) d.LaunchTemplateId = ltId;
  if (ltVersion !== undefined) d.LaunchTemplateVersion = ltVersion;
  if (overrides > 0) {
    d.LaunchTemplateOverrides = Array.from({ length: overrides }, (_, i) => ({
      InstanceType: p.string(`DesiredConfiguration.LaunchTemplateOverrides.${i + 1}.InstanceType`, { required: true, maxLength: MAX_ID_LENGTH }),
    }));
  }
  if (containers !== undefined) d.Containers = containers;
  return d;
}

/** `Checkpoints.N.Percentage`: 1–100, strictly ascending, the last one 100. */
export function decodeCheckpoints(p: Params): number[] {
  const n = p.listLength("Checkpoints");
  const out: number[] = [];
  const { min, max, last } = RefreshLimits.checkpointPercentage;
  for (let i = 1; i <= n; i++) {
    const name = `Checkpoints.${i}.Percentage`;
    const pct = p.integer(name, { min, max, required: true })!;
    if (out.length > 0 && pct <= out[out.length - 1]!) throw invalidParameter(name, "checkpoints must be in ascending order.");
    out.push(pct);
  }
  if (n > 0 && out[n - 1] !== last) throw invalidParameter(`Checkpoints.${n}.Percentage`, `the last checkpoint must be ${last}.`);
  return out;
}

function decodeStart(p: Params): StartInput {
  const input: StartInput = {
    regionId: region(p),
    scalingGroupId: groupId(p),
    desiredConfiguration: decodeDesiredConfiguration(p),
    checkpoints: decodeCheckpoints(p),
  };
  const token = p.string("ClientToken", { maxLength: RefreshLimits.clientTokenMaxLength, pattern: ASCII_RE, patternHint: "ASCII characters only." });
  if (token !== undefined) input.clientToken = token;
  const min = p.integer("MinHealthyPercentage", RefreshLimits.minHealthyPercentage);
  if (min !== undefined) input.minHealthyPercentage = min;
  const max = p.integer("MaxHealthyPercentage", RefreshLimits.maxHealthyPercentage);
  if (max !== undefined) input.maxHealthyPercentage = max;
  const skip = p.boolean("SkipMatching");
  if (skip !== undefined) input.skipMatching = skip;
  const pause = p.integer("CheckpointPauseTime", RefreshLimits.checkpointPauseTimeMinutes);
  if (pause !== undefined) input.checkpointPauseTime = pause;
  const strategy = p.string("Strategy", { maxLength: MAX_ID_LENGTH });
  if (strategy !== undefined) input.strategy = strategy;
  return input;
}

/**
 * The task a Suspend/Resume/Cancel/Rollback names. 2014-08-28's Cancel documents
 * InstanceRefreshTaskId as optional [D14]: without it, the group's active task is meant.
 */
function decodeTaskRef(p: Params, ctx: ActionContext, optionalTask = false): TaskRef {
  const regionId = region(p);
  const scalingGroupId = groupId(p);
  const explicit = p.string("InstanceRefreshTaskId", { required: !optionalTask, maxLength: MAX_ID_LENGTH });
  if (explicit !== undefined) return { regionId, scalingGroupId, instanceRefreshTaskId: explicit };
  ctx.backend.advance();
  const group = ctx.backend.groups.get(scalingGroupId);
  if (!group || group.regionId !== regionId) throw new AcsError(EssErrorCodes.InvalidScalingGroupIdNotFound, `The specified scaling group ${scalingGroupId} does not exist in ${regionId}.`);
  if (group.activeTaskId === null) throw new AcsError(EssErrorCodes.InstanceRefreshTaskNotFound, `The scaling group ${scalingGroupId} has no instance refresh task in progress.`);
  return { regionId, scalingGroupId, instanceRefreshTaskId: group.activeTaskId };
}

function describeInstanceRefreshes(p: Params, ctx: ActionContext): Json {
  const regionId = region(p);
  const scalingGroupId = p.string("ScalingGroupId", { maxLength: MAX_ID_LENGTH });
  const idsName = ctx.version === ESS_LEGACY_API_VERSION ? "InstanceRefreshTaskId" : "InstanceRefreshTaskIds";
  const ids = p.hasAny(idsName) ? p.stringList(idsName, { maxLength: MAX_ID_LENGTH }) : undefined;
  if (scalingGroupId === undefined && ids === undefined) {
    throw new AcsError(EssErrorCodes.MissingParameter, `The input parameter "ScalingGroupId" or "${idsName}" that is mandatory for processing this request is not supplied.`);
  }
  const { min, max, default: byDefault } = RefreshLimits.describeMaxResults;
  const maxResults = p.integer("MaxResults", { min, max }) ?? byDefault;
  const queryKey = JSON.stringify([regionId, scalingGroupId ?? null, ids ?? null]);
  const token = p.string("NextToken");
  const after = token === undefined ? null : decodeNextToken(token, queryKey);
  const all = ctx.backend.describeInstanceRefreshes({ regionId, ...(scalingGroupId !== undefined ? { scalingGroupId } : {}), ...(ids ? { taskIds: ids } : {}) });
  const page = cursorPage(all, maxResults, queryKey, after);
  ctx.backend.described(page.items);
  return {
    TotalCount: all.length,
    MaxResults: maxResults,
    NextToken: page.nextToken,
    InstanceRefreshTasks: list(
      ctx.version,
      "InstanceRefreshTask",
      page.items.map((t) => taskView(ctx.version, t)),
    ),
  };
}

function paging(p: Params, limits: { pageSizeMax: number; pageSizeDefault: number }): { pageNumber: number; pageSize: number } {
  return {
    pageNumber: p.integer("PageNumber", { min: PagingLimits.pageNumberMin, max: MAX_PAGE_NUMBER }) ?? PagingLimits.pageNumberMin,
    pageSize: p.integer("PageSize", { min: 1, max: limits.pageSizeMax }) ?? limits.pageSizeDefault,
  };
}

function describeScalingGroups(p: Params, ctx: ActionContext): Json {
  const regionId = region(p);
  const ids = p.hasAny("ScalingGroupIds") ? p.stringList("ScalingGroupIds", { maxLength: MAX_ID_LENGTH }) : undefined;
  let names = p.hasAny("ScalingGroupNames") ? p.stringList("ScalingGroupNames", { maxLength: MAX_ID_LENGTH }) : undefined;
  const name = p.string("ScalingGroupName", { maxLength: MAX_ID_LENGTH });
  if (name !== undefined) names = [...(names ?? []), name];
  const { pageNumber, pageSize } = paging(p, PagingLimits.scalingGroups);
  const all = ctx.backend.describeScalingGroups(regionId, ids, names);
  const items = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    TotalCount: all.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    ScalingGroups: list(
      ctx.version,
      "ScalingGroup",
      items.map((g) => groupView(g, ctx.backend.groupInstances(g.id))),
    ),
  };
}

function describeScalingInstances(p: Params, ctx: ActionContext): Json {
  const regionId = region(p);
  const filter: Parameters<EssBackend["describeScalingInstances"]>[1] = {};
  const scalingGroupId = p.string("ScalingGroupId", { maxLength: MAX_ID_LENGTH });
  if (scalingGroupId !== undefined) filter.scalingGroupId = scalingGroupId;
  if (p.hasAny("InstanceIds")) filter.instanceIds = p.stringList("InstanceIds", { maxLength: MAX_ID_LENGTH });
  const lifecycleState = p.string("LifecycleState", { maxLength: MAX_ID_LENGTH });
  if (lifecycleState !== undefined) filter.lifecycleState = lifecycleState;
  const healthStatus = p.string("HealthStatus", { maxLength: MAX_ID_LENGTH });
  if (healthStatus !== undefined) filter.healthStatus = healthStatus;
  const creationType = p.string("CreationType", { maxLength: MAX_ID_LENGTH });
  if (creationType !== undefined) filter.creationType = creationType;
  const { pageNumber, pageSize } = paging(p, PagingLimits.scalingInstances);
  const all = ctx.backend.describeScalingInstances(regionId, filter);
  const items = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    TotalCount: all.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    ScalingInstances: list(ctx.version, "ScalingInstance", items.map(instanceView)),
  };
}

/** Every action served, by name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  StartInstanceRefresh: (p, ctx) => ({ InstanceRefreshTaskId: ctx.backend.startInstanceRefresh(decodeStart(p)).id }),
  SuspendInstanceRefresh: (p, ctx) => {
    ctx.backend.suspendInstanceRefresh(decodeTaskRef(p, ctx));
    return {};
  },
  ResumeInstanceRefresh: (p, ctx) => {
    ctx.backend.resumeInstanceRefresh(decodeTaskRef(p, ctx));
    return {};
  },
  CancelInstanceRefresh: (p, ctx) => {
    ctx.backend.cancelInstanceRefresh(decodeTaskRef(p, ctx, ctx.version === ESS_LEGACY_API_VERSION));
    return {};
  },
  RollbackInstanceRefresh: (p, ctx) => {
    ctx.backend.rollbackInstanceRefresh(decodeTaskRef(p, ctx));
    return {};
  },
  DescribeInstanceRefreshes: describeInstanceRefreshes,
  DescribeScalingGroups: describeScalingGroups,
  DescribeScalingInstances: describeScalingInstances,
};
