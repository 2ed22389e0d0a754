/**
 * The action table of the Auto Scaling API: for each action, the parameter schema, then one backend
 * call and serialization.
 */
import type { Backend } from "./backend";
import type { Filter, ListInput } from "./listQuery";
import type { RollbackInput, StartInput } from "./refreshActions";
import { t, type Fields } from "./params";
import type { ResumeMode } from "./types";
import { toAutoScalingGroup, toInstance, toRefreshActivity } from "./views";

/** One API action. */
export interface ActionHandler {
  /** Request parameters (beyond the common ones in headers). */
  readonly fields: Fields;
  /** Runs the action with decoded parameters; returns the response fields (without RequestId). */
  handle(params: Record<string, unknown>, backend: Backend): Record<string, unknown>;
}

const ROLLING_UPDATE_SETTINGS = t.object({
  BatchNumber: t.req(t.integer({ min: 1 })),
  BatchPause: t.opt(t.string({ enum: ["FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE", "AUTOMATIC"] })),
  MaxSurge: t.opt(t.integer({ min: 0 })),
  FailProcess: t.opt(t.string({ enum: ["AUTO_PAUSE", "AUTO_ROLLBACK", "AUTO_CANCEL"] })),
});
const REFRESH_SETTINGS = t.object({
  RollingUpdateSettings: t.req(ROLLING_UPDATE_SETTINGS),
  CheckInstanceTargetHealth: t.opt(t.boolean()),
  CheckInstanceTargetHealthTimeout: t.opt(t.integer({ min: 60, max: 7200 })),
});
const REFRESH_MODE = t.string({ enum: ["ROLLING_UPDATE_RESET", "ROLLING_UPDATE_REPLACE"] });
/**
 * RollbackInstanceRefresh's RefreshMode: "currently only rolling update, default ROLLING_UPDATE_RESET"
 * (the SDK's model docs; ROLLING_UPDATE_REPLACE "does not support the rollback API"). The rollback
 * runs in that mode, the only one a rollback can have (the backend refuses REPLACE origins).
 */
const ROLLBACK_REFRESH_MODE = t.string({ enum: ["ROLLING_UPDATE_RESET"] });
const FILTERS = t.array(t.object({ Name: t.req(t.string()), Values: t.req(t.array(t.string())) }));
const ACTIVITY_REF: Fields = {
  AutoScalingGroupId: t.req(t.string()),
  RefreshActivityId: t.req(t.string()),
};

function list(params: Record<string, unknown>, idsField: string): ListInput {
  return {
    ids: params[idsField] as string[] | undefined,
    filters: params.Filters as Filter[] | undefined,
    limit: params.Limit as number | undefined,
    offset: params.Offset as number | undefined,
  };
}

/** Every emulated action by name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  StartInstanceRefresh: {
    fields: { AutoScalingGroupId: t.req(t.string()), RefreshSettings: t.req(REFRESH_SETTINGS), RefreshMode: t.opt(REFRESH_MODE) },
    handle: (p, b) => ({ RefreshActivityId: b.startInstanceRefresh(p as unknown as StartInput).id }),
  },
  StopInstanceRefresh: {
    fields: ACTIVITY_REF,
    handle: (p, b) => {
      b.stopInstanceRefresh(p.AutoScalingGroupId as string, p.RefreshActivityId as string);
      return {};
    },
  },
  ResumeInstanceRefresh: {
    fields: { ...ACTIVITY_REF, ResumeMode: t.opt(t.string({ enum: ["RETRY", "CONTINUE"] })) },
    handle: (p, b) => {
      b.resumeInstanceRefresh(p.AutoScalingGroupId as string, p.RefreshActivityId as string, p.ResumeMode as ResumeMode | undefined);
      return {};
    },
  },
  CancelInstanceRefresh: {
    fields: ACTIVITY_REF,
    handle: (p, b) => {
      b.cancelInstanceRefresh(p.AutoScalingGroupId as string, p.RefreshActivityId as string);
      return {};
    },
  },
  RollbackInstanceRefresh: {
    fields: {
      AutoScalingGroupId: t.req(t.string()),
      RefreshSettings: t.req(REFRESH_SETTINGS),
      OriginRefreshActivityId: t.req(t.string()),
      RefreshMode: t.opt(ROLLBACK_REFRESH_MODE),
    },
    handle: (p, b) => ({ RefreshActivityId: b.rollbackInstanceRefresh(p as unknown as RollbackInput).id }),
  },
  DescribeRefreshActivities: {
    fields: { RefreshActivityIds: t.opt(t.array(t.string())), Filters: t.opt(FILTERS), Limit: t.opt(t.integer()), Offset: t.opt(t.integer()) },
    handle: (p, b) => {
      const page = b.describeRefreshActivities(list(p, "RefreshActivityIds"));
      return { TotalCount: page.total, RefreshActivitySet: page.items.map(toRefreshActivity) };
    },
  },
  DescribeAutoScalingGroups: {
    fields: { AutoScalingGroupIds: t.opt(t.array(t.string())), Filters: t.opt(FILTERS), Limit: t.opt(t.integer()), Offset: t.opt(t.integer()) },
    handle: (p, b) => {
      const page = b.describeAutoScalingGroups(list(p, "AutoScalingGroupIds"));
      return { TotalCount: page.total, AutoScalingGroupSet: page.items.map((g) => toAutoScalingGroup(g, b.state)) };
    },
  },
  DescribeAutoScalingInstances: {
    fields: { InstanceIds: t.opt(t.array(t.string())), Filters: t.opt(FILTERS), Limit: t.opt(t.integer()), Offset: t.opt(t.integer()) },
    handle: (p, b) => {
      const page = b.describeAutoScalingInstances(list(p, "InstanceIds"));
      return { TotalCount: page.total, AutoScalingInstanceSet: page.items.map((i) => toInstance(i, b.state)) };
    },
  },
};

/** Names of the emulated actions. */
export const ACTION_NAMES: readonly string[] = Object.keys(ACTIONS);
