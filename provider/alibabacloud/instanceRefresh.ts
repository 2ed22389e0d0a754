/**
 * The Alibaba Cloud ESS InstanceRefresh resource. Its dynamic provider is a tiny shim, like the
 * Tencent one's: every method loads the implementation from the installed package and delegates,
 * so state holds no credentials and always runs the installed version of the provider.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DesiredConfiguration, NormalizedAlicloudInputs, WaitUntil } from "./settings";
import type { TaskStatus } from "./types";
import type { GateDecision } from "../core/gate";
import type { GateArgs } from "../core/gateArgs";

/** The resource's type token: `pulumi-nodejs:dynamic/alicloud:InstanceRefresh` (defined in `tokens.ts`). */
export { ALICLOUD_INSTANCE_REFRESH_TYPE } from "./tokens";
/** Module and type passed to `pulumi.dynamic.Resource` to form the type token. */
export const ALICLOUD_INSTANCE_REFRESH_MODULE = "alicloud";

/**
 * Loads the implementation. The module name is a literal (not a constant) so that closure
 * serialization captures nothing but this function.
 */
function load(): Required<pulumi.dynamic.ResourceProvider> {
  return require("pulumi-instance-refresh/dist/provider/host").alicloudProvider;
}

/** The serialized provider: delegation only. */
export const alicloudShimProvider: Required<pulumi.dynamic.ResourceProvider> = {
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

/** Arguments of the desired configuration (its members exclude each other). */
export type DesiredConfigurationArgs = pulumi.Input<{ [K in keyof DesiredConfiguration]?: pulumi.Input<DesiredConfiguration[K]> }>;

/**
 * Arguments of {@link AlicloudInstanceRefresh}.
 * @example
 * { scalingGroupId: group.id, desiredConfiguration: { imageId: image.id }, checkpoints: [{ percentage: 20 }, { percentage: 100 }] }
 */
export interface AlicloudInstanceRefreshArgs {
  /** The ESS scaling group, e.g. `asg-bp1a2b3c4d5e6f7g8h9i`. Changing it starts a new refresh. */
  scalingGroupId: pulumi.Input<string>;
  /** Share of the group's capacity kept In Service, 0–100. @default 80 */
  minHealthyPercentage?: pulumi.Input<number>;
  /** Most capacity, in percent of the group's, during the refresh (surge), 100–200. @default 120 */
  maxHealthyPercentage?: pulumi.Input<number>;
  /** What to refresh onto: one of imageId, scalingConfigurationId, launchTemplateId (+ version, overrides), containers. @default the group's active configuration */
  desiredConfiguration?: DesiredConfigurationArgs;
  /** Skip instances that already match the desired configuration. @default true */
  skipMatching?: pulumi.Input<boolean>;
  /** Canary checkpoints: ascending percentages, the last one 100; the refresh pauses at each one below 100. @default [] */
  checkpoints?: pulumi.Input<pulumi.Input<{ percentage: pulumi.Input<number> }>[]>;
  /** Minutes a checkpoint pause lasts before the refresh goes on by itself, 1–2880. @default 60 */
  checkpointPauseTime?: pulumi.Input<number>;
  /** Desired state: true suspends a running refresh, false resumes a suspended one. @default false */
  paused?: pulumi.Input<boolean>;
  /** A checkpoint pause at checkpoint k is resumed at once when approvedCheckpoints >= k (otherwise it lasts checkpointPauseTime). @default 0 */
  approvedCheckpoints?: pulumi.Input<number>;
  /** Any change of any entry starts a new refresh. @default {} */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @default { until: "settled", timeoutSeconds: 3600 } */
  wait?: pulumi.Input<{ until?: pulumi.Input<WaitUntil>; timeoutSeconds?: pulumi.Input<number> }>;
  /** Overrides the provider's region (alicloud:region / ALIBABA_CLOUD_REGION). */
  region?: pulumi.Input<string>;
  /**
   * Manage an existing task of the group instead of starting one. A task in flight on the group is
   * taken over only when this resource started it (the same ClientToken); any other needs this input.
   * @example adoptTaskId: "ir-bp1a2b3c4d5e"
   */
  adoptTaskId?: pulumi.Input<string>;
  /** Roll the refresh back (RollbackInstanceRefresh, once). @default false */
  rollback?: pulumi.Input<boolean>;
  /**
   * A health gate at every checkpoint pause: `pulumi up` probes `gate.http.url` for `soakSeconds`
   * (keep it shorter than `checkpointPauseTime`); healthy → it resumes at once, unhealthy → `onFailure`
   * and `up` fails with the evidence. Pass probe headers as secrets.
   * @example gate: { http: { url: "https://web.example.com/healthz" }, soakSeconds: 120, onFailure: "rollback" }
   */
  gate?: pulumi.Input<GateArgs>;
}

/**
 * A rolling instance refresh of an Alibaba Cloud ESS scaling group: create starts it (with a
 * ClientToken) and waits, update suspends / resumes / approves checkpoints / rolls back, delete
 * cancels, refresh reads it back.
 * @example
 * const refresh = new AlicloudInstanceRefresh("web", {
 *   scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i",
 *   desiredConfiguration: { imageId: "m-bp1newimage0000000001" },
 *   checkpoints: [{ percentage: 20 }, { percentage: 100 }],
 * });
 * export const status = refresh.status;
 */
export class AlicloudInstanceRefresh extends pulumi.dynamic.Resource {
  declare readonly scalingGroupId: pulumi.Output<string>;
  declare readonly minHealthyPercentage: pulumi.Output<number>;
  declare readonly maxHealthyPercentage: pulumi.Output<number>;
  declare readonly desiredConfiguration: pulumi.Output<NormalizedAlicloudInputs["desiredConfiguration"]>;
  declare readonly skipMatching: pulumi.Output<boolean>;
  declare readonly checkpoints: pulumi.Output<Array<{ percentage: number }>>;
  declare readonly checkpointPauseTime: pulumi.Output<number>;
  declare readonly paused: pulumi.Output<boolean>;
  declare readonly approvedCheckpoints: pulumi.Output<number>;
  declare readonly triggers: pulumi.Output<Record<string, string>>;
  declare readonly wait: pulumi.Output<NormalizedAlicloudInputs["wait"]>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly adoptTaskId: pulumi.Output<string | undefined>;
  declare readonly rollback: pulumi.Output<boolean | undefined>;
  /** The task id (also the resource id), e.g. `ir-bp1a2b3c4d5e`. */
  declare readonly instanceRefreshTaskId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<TaskStatus>;
  /** The API's failure reason, when it gives one. */
  declare readonly detail: pulumi.Output<string | undefined>;
  declare readonly totalNeedUpdateCapacity: pulumi.Output<number>;
  declare readonly finishedUpdateCapacity: pulumi.Output<number>;
  declare readonly percentRefreshed: pulumi.Output<number>;
  declare readonly currentCheckpoint: pulumi.Output<number>;
  declare readonly checkpointCount: pulumi.Output<number>;
  declare readonly startTime: pulumi.Output<string | undefined>;
  declare readonly endTime: pulumi.Output<string | undefined>;
  /** The health gate's decisions of the last operation that soaked a gate. */
  declare readonly gateDecisions: pulumi.Output<GateDecision[] | undefined>;

  constructor(name: string, args: AlicloudInstanceRefreshArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      alicloudShimProvider,
      name,
      {
        ...args,
        instanceRefreshTaskId: undefined,
        status: undefined,
        detail: undefined,
        totalNeedUpdateCapacity: undefined,
        finishedUpdateCapacity: undefined,
        percentRefreshed: undefined,
        currentCheckpoint: undefined,
        checkpointCount: undefined,
        startTime: undefined,
        endTime: undefined,
        gateDecisions: undefined,
      },
      opts,
      ALICLOUD_INSTANCE_REFRESH_MODULE,
      "InstanceRefresh",
    );
  }
}
