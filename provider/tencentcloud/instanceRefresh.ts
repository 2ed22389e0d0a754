/**
 * The InstanceRefresh resource. Its dynamic provider is a tiny shim: every method loads the
 * implementation from the installed package (`PROVIDER_HOST_MODULE`) and delegates, so the state's
 * `__provider` holds about 1 KB of code, no credentials, and old state always runs the installed
 * version of the provider.
 */
import * as pulumi from "@pulumi/pulumi";
import type { NormalizedInputs, RefreshMode, ResumeMode, WaitUntil, BatchPause, FailProcess } from "./settings";
import type { BatchOutput, FailedInstance, InstanceCounts, ActivityStatus } from "./types";
import type { GateDecision } from "../core/gate";
import type { GateArgs } from "../core/gateArgs";

/** The resource's type token: `pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh` (defined in `tokens.ts`). */
export { INSTANCE_REFRESH_TYPE } from "./tokens";
/** Module and type passed to `pulumi.dynamic.Resource` to form {@link INSTANCE_REFRESH_TYPE}. */
export const INSTANCE_REFRESH_MODULE = "tencentcloud";
/** @see INSTANCE_REFRESH_MODULE */
export const INSTANCE_REFRESH_TYPE_NAME = "InstanceRefresh";
/** The module the shim requires at run time, resolved from the program's node_modules. */
export const PROVIDER_HOST_MODULE = "pulumi-instance-refresh/dist/provider/host";

/**
 * Loads the implementation. The module name is a literal here (not the constant above) so that
 * closure serialization captures nothing but this function.
 */
function load(): Required<pulumi.dynamic.ResourceProvider> {
  return require("pulumi-instance-refresh/dist/provider/host").provider;
}

/** The serialized provider: delegation only. */
export const shimProvider: Required<pulumi.dynamic.ResourceProvider> = {
  configure(req) {
    return load().configure(req);
  },
  check(olds, news) {
    return load().check(olds, news);
  },
  diff(id, olds, news) {
    return load().diff(id, olds, news);
  },
  create(inputs) {
    return load().create(inputs);
  },
  read(id, props) {
    return load().read(id, props);
  },
  update(id, olds, news) {
    return load().update(id, olds, news);
  },
  delete(id, props) {
    return load().delete(id, props);
  },
};

/** Rolling-update settings (camelCase mirror of the API's `RollingUpdateSettings`). */
export interface RollingUpdateSettingsArgs {
  /** Number of batches, 1 to the group's in-service instances. @example 3 */
  batchNumber: pulumi.Input<number>;
  /** Pause after the first batch or between batches (an approval gate, see `approvedBatches`). @default "AUTOMATIC" */
  batchPause?: pulumi.Input<BatchPause>;
  /** Extra instances created before the update, at most one batch's size. @default 0 */
  maxSurge?: pulumi.Input<number>;
  /** What the cloud does when an instance fails. @default "AUTO_PAUSE" */
  failProcess?: pulumi.Input<FailProcess>;
}

/** Refresh settings (camelCase mirror of the API's `RefreshSettings`). */
export interface RefreshSettingsArgs {
  rollingUpdateSettings: pulumi.Input<RollingUpdateSettingsArgs>;
  /** Wait for load-balancer health checks after each instance. @default false */
  checkInstanceTargetHealth?: pulumi.Input<boolean>;
  /** Seconds, 60 to 7200. @default 1800 */
  checkInstanceTargetHealthTimeout?: pulumi.Input<number>;
}

/** How long `pulumi up` waits. */
export interface WaitArgs {
  /** "started": return once the refresh is past INIT (running, paused or ended); "settled": until it pauses or ends. @default "settled" */
  until?: pulumi.Input<WaitUntil>;
  /** Seconds before giving up; the resource stays in state. @default 3600 */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * Arguments of {@link InstanceRefresh}.
 * @example
 * { autoScalingGroupId: group.id, refreshSettings: { rollingUpdateSettings: { batchNumber: 3, batchPause: "FIRST_BATCH_PAUSE" } },
 *   triggers: { launchConfiguration: config.id } }
 */
export interface InstanceRefreshArgs {
  /** The scaling group, e.g. `asg-9dn1a5y6`. Changing it starts a new refresh. */
  autoScalingGroupId: pulumi.Input<string>;
  /** @default "ROLLING_UPDATE_RESET" */
  refreshMode?: pulumi.Input<RefreshMode>;
  /** Changing any setting starts a new refresh. */
  refreshSettings: pulumi.Input<RefreshSettingsArgs>;
  /** Desired state: true pauses a running refresh (Stop), false resumes a paused one. @default false */
  paused?: pulumi.Input<boolean>;
  /** How a resume treats failed instances: RETRY them or CONTINUE without them. @default "RETRY" */
  resumeMode?: pulumi.Input<ResumeMode>;
  /** Canary gate: an AUTO_PAUSE after batch k resumes only when approvedBatches >= k. @default 0 */
  approvedBatches?: pulumi.Input<number>;
  /** Any change of any entry starts a new refresh (e.g. the launch configuration's id or a version). @default {} */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @default { until: "settled", timeoutSeconds: 3600 } */
  wait?: pulumi.Input<WaitArgs>;
  /** Overrides the provider's region (tencentcloud:region / TENCENTCLOUD_REGION). */
  region?: pulumi.Input<string>;
  /**
   * Roll the refresh back: the next `pulumi up` sends one RollbackInstanceRefresh for it and waits for
   * the rollback (never a second, across ups and interruptions). See provider/README.md#rollback.
   * @default false
   * @example rollback: true
   */
  rollback?: pulumi.Input<boolean>;
  /** Settings of the rollback; the rest is the refresh's own. @default { batchNumber: the refresh's, at most the instances to roll back } */
  rollbackSettings?: pulumi.Input<{ batchNumber?: pulumi.Input<number> }>;
  /**
   * A health gate at every batch pause (`batchPause` FIRST_BATCH_PAUSE or BATCH_INTERVAL_PAUSE):
   * `pulumi up` probes `gate.http.url` for `soakSeconds`; healthy → it resumes by itself, unhealthy →
   * `onFailure` (pause, rollback, cancel) and `up` fails with the evidence. Pass probe headers as secrets.
   * @example gate: { http: { url: "https://web.example.com/healthz" }, soakSeconds: 120, onFailure: "rollback" }
   */
  gate?: pulumi.Input<GateArgs>;
  /**
   * Manage an existing activity of the group instead of starting one (dynamic resources cannot be
   * imported). A refresh already running on the group is never taken over without it, not even one
   * with this resource's exact settings: the error names it, and this input takes it over on purpose
   * (also the recovery after a killed `pulumi up`, docs/recovery.md). Removing it after the adoption
   * is no change.
   * @example adoptActivityId: "asr-y67t5r4e"
   */
  adoptActivityId?: pulumi.Input<string>;
}

/**
 * A rolling instance refresh of a Tencent Cloud Auto Scaling group: create starts it and waits,
 * update pauses / resumes / approves, delete cancels, refresh reads it back.
 * @example
 * const refresh = new InstanceRefresh("web", {
 *   autoScalingGroupId: "asg-9dn1a5y6",
 *   refreshSettings: { rollingUpdateSettings: { batchNumber: 3, batchPause: "FIRST_BATCH_PAUSE" } },
 *   approvedBatches: 0,
 * });
 * export const status = refresh.status;
 */
export class InstanceRefresh extends pulumi.dynamic.Resource {
  declare readonly autoScalingGroupId: pulumi.Output<string>;
  declare readonly refreshMode: pulumi.Output<RefreshMode>;
  declare readonly refreshSettings: pulumi.Output<NormalizedInputs["refreshSettings"]>;
  declare readonly paused: pulumi.Output<boolean>;
  declare readonly resumeMode: pulumi.Output<ResumeMode>;
  declare readonly approvedBatches: pulumi.Output<number>;
  declare readonly triggers: pulumi.Output<Record<string, string>>;
  declare readonly wait: pulumi.Output<NormalizedInputs["wait"]>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly adoptActivityId: pulumi.Output<string | undefined>;
  declare readonly rollback: pulumi.Output<boolean | undefined>;
  declare readonly rollbackSettings: pulumi.Output<{ batchNumber?: number } | undefined>;
  /** The activity id (also the resource id), e.g. `asr-y67t5r4e`. */
  declare readonly refreshActivityId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<ActivityStatus>;
  declare readonly activityType: pulumi.Output<string>;
  declare readonly currentBatch: pulumi.Output<number>;
  declare readonly batchCount: pulumi.Output<number>;
  declare readonly batches: pulumi.Output<BatchOutput[]>;
  declare readonly instanceCounts: pulumi.Output<InstanceCounts>;
  declare readonly failedInstances: pulumi.Output<FailedInstance[]>;
  declare readonly startTime: pulumi.Output<string | undefined>;
  declare readonly endTime: pulumi.Output<string | undefined>;
  /** The ROLLBACK activity of this refresh: the one `rollback: true` started, or the one FailProcess AUTO_ROLLBACK created. */
  declare readonly rollbackActivityId: pulumi.Output<string | undefined>;
  /** The health gate's decisions of the last operation that soaked a gate (per batch: from/to, samples, verdict, evidence). */
  declare readonly gateDecisions: pulumi.Output<GateDecision[] | undefined>;
  /** The status of the rollback `rollback: true` started. */
  declare readonly rollbackStatus: pulumi.Output<ActivityStatus | undefined>;

  constructor(name: string, args: InstanceRefreshArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimProvider,
      name,
      {
        ...args,
        refreshActivityId: undefined,
        status: undefined,
        activityType: undefined,
        currentBatch: undefined,
        batchCount: undefined,
        batches: undefined,
        instanceCounts: undefined,
        failedInstances: undefined,
        startTime: undefined,
        endTime: undefined,
        rollbackActivityId: undefined,
        rollbackStatus: undefined,
        gateDecisions: undefined,
      },
      opts,
      INSTANCE_REFRESH_MODULE,
      INSTANCE_REFRESH_TYPE_NAME,
    );
  }
}
