/**
 * Tencent Cloud Auto Scaling behind the core's backend port (`core/port.ts`): its actions, reads,
 * error codes, words and outputs. The flows themselves are the core's (`core/lifecycle.ts`).
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import { InstanceRefreshRejected } from "../core/errors";
import { progressLine, type ActivityView } from "../core/model";
import { refusalOf } from "../core/rollback";
import type { ErrorInfo, Intent, RefreshBackend } from "../core/port";
import type { RateLimiter } from "../core/rateLimit";
import type { Sleep } from "../core/retry";
import { matchesInputs, settingsToApi, toOutputs, viewOf } from "./activity";
import type { AutoScalingClient } from "./client/client";
import { TencentCloudApiError } from "./client/errors";
import { MAX_PAGES, PAGE_SIZE, createLookups } from "./lookups";
import { RefreshPoller } from "./poller";
import { PROPERTY, validateAgainstGroup, type NormalizedInputs } from "./settings";
import type { InstanceRefreshOutputs } from "./types";
import { TENCENT_WORDS } from "./words";

/** The API code of an operation its activity's status forbids. */
const STATUS_CONFLICT_CODE = "ResourceUnavailable.RefreshActivityStatusConflictWithOperation";

/** Start errors explained with the input they are about: [property, what to say]. */
const START_ERRORS = (groupId: string): Record<string, [string | undefined, string]> => ({
  "InvalidParameterValue.BatchNumberTooLarge": [PROPERTY.batchNumber, "must be at most the group's in-service instances"],
  "InvalidParameterValue.MaxSurgeTooLarge": [PROPERTY.maxSurge, "must be at most the instances of one batch"],
  "ResourceNotFound.AutoScalingGroupIdNotFound": [PROPERTY.groupId, `group ${groupId} does not exist in this region`],
  "ResourceUnavailable.NoInstanceCanRefresh": [undefined, `group ${groupId} has no running (IN_SERVICE) instance to refresh`],
  "ResourceUnavailable.AutoScalingGroupInActivity": [undefined, `group ${groupId} is running a scaling activity; retry when it ends`],
  "ResourceUnavailable.AutoScalingGroupAbnormalStatus": [undefined, `group ${groupId} is not in a normal status`],
});

/** What the backend of one region is built from. */
export interface TencentBackendOptions {
  readonly client: AutoScalingClient;
  /** Lets coalesced reads wait for their action's free slot. */
  readonly limiter?: Pick<RateLimiter, "idle">;
  readonly pollIntervalMs?: number;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/** Tencent's backend as the core drives it. */
export type TencentBackend = RefreshBackend<RefreshActivity, NormalizedInputs, InstanceRefreshOutputs>;

/**
 * The backend of one region.
 * @example const backend = createTencentBackend({ client, pollIntervalMs: 1000 }); await createFlow({ backend, … }, inputs);
 */
export function createTencentBackend(options: TencentBackendOptions): TencentBackend {
  const { client } = options;
  const lookups = createLookups(client, options.limiter);
  const poller = new RefreshPoller(client, { intervalMs: options.pollIntervalMs, sleep: options.sleep, now: options.now });
  const req = (view: ActivityView) => ({ AutoScalingGroupId: view.groupId, RefreshActivityId: view.id });

  /** Activities of a group of one type, newest first as the API returns them. */
  const groupActivities = async (groupId: string, type: "NORMAL" | "ROLLBACK"): Promise<RefreshActivity[]> => {
    const Filters = [
      { Name: "auto-scaling-group-id", Values: [groupId] },
      { Name: "refresh-activity-type", Values: [type] },
    ];
    const all: RefreshActivity[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await client.describeRefreshActivities({ Filters, Limit: PAGE_SIZE, Offset: page * PAGE_SIZE });
      const set = response.RefreshActivitySet ?? [];
      all.push(...set);
      if (set.length < PAGE_SIZE || all.length >= (response.TotalCount ?? 0)) break;
    }
    return all;
  };

  return {
    words: TENCENT_WORDS,
    poller,
    // StartInstanceRefresh has no client token: a refresh in flight is never provably this resource's.
    idempotentStart: false,
    // AUTO_PAUSE waits for a resume: a failed health gate leaves it there.
    gateEndsByItself: false,
    view: viewOf,
    // Cancel is refused while a batch runs: pause, let the batch end, then cancel.
    cancelPlan: () => "pauseFirst",
    progressLine: (record) => progressLine(viewOf(record), TENCENT_WORDS.step),
    rollbackRefusal(record) {
      const view = viewOf(record);
      return refusalOf({ ...view, done: view.progress.done, failed: view.progress.failed });
    },

    intent(inputs): Intent {
      return {
        groupId: inputs.autoScalingGroupId,
        paused: inputs.paused,
        approvedSteps: inputs.approvedBatches,
        resumeMode: inputs.resumeMode,
        wait: inputs.wait,
        adoptActivityId: inputs.adoptActivityId,
        rollback: inputs.rollback === true,
        gate: inputs.gate,
        gated: inputs.gate !== undefined,
      };
    },

    describe: (id) => lookups.activity.load(id),

    inFlight: async (groupId) => (await lookups.inFlight.load(groupId)) ?? [],

    /** The group's InServiceInstanceCount, or a count of its IN_SERVICE instances when the API leaves that out. */
    async capacity(groupId) {
      const group = await lookups.group.load(groupId);
      if (typeof group?.InServiceInstanceCount === "number") return group.InServiceInstanceCount;
      if (!group) {
        throw new InstanceRefreshRejected(
          `${PROPERTY.groupId}: auto scaling group ${groupId} does not exist in this region (DescribeAutoScalingGroups found nothing); nothing was started.`,
          PROPERTY.groupId,
        );
      }
      let count = 0;
      let seen = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await client.describeAutoScalingInstances({
          Filters: [{ Name: "auto-scaling-group-id", Values: [groupId] }],
          Limit: PAGE_SIZE,
          Offset: page * PAGE_SIZE,
        });
        const set = response.AutoScalingInstanceSet ?? [];
        seen += set.length;
        count += set.filter((i) => i.LifeCycleState === "IN_SERVICE").length;
        if (set.length < PAGE_SIZE || seen >= (response.TotalCount ?? 0)) break;
      }
      return count;
    },

    validateAgainstGroup: (inputs, capacity) =>
      validateAgainstGroup(inputs.refreshSettings.rollingUpdateSettings as unknown as Record<string, unknown>, { instanceCount: capacity }),

    matches: matchesInputs,

    async start(inputs) {
      const response = await client.startInstanceRefresh({
        AutoScalingGroupId: inputs.autoScalingGroupId,
        RefreshSettings: settingsToApi(inputs.refreshSettings),
        RefreshMode: inputs.refreshMode,
      });
      if (!response.RefreshActivityId) throw new Error("StartInstanceRefresh returned no RefreshActivityId");
      return response.RefreshActivityId;
    },

    pause: async (view) => void (await client.stopInstanceRefresh(req(view))),
    resume: async (view, inputs) => void (await client.resumeInstanceRefresh({ ...req(view), ResumeMode: inputs.resumeMode })),
    cancel: async (view) => void (await client.cancelInstanceRefresh(req(view))),

    /**
     * RollbackInstanceRefresh with the origin's settings, as a rollback takes them: no surge (not
     * supported), no gates (`paused` pauses it), AUTO_PAUSE on failure (a rollback is not rolled
     * back), and `rollbackSettings.batchNumber` or the origin's, at most the instances to roll back.
     */
    async rollback(origin, inputs) {
      const view = viewOf(origin);
      const touched = (origin.RefreshBatchSet ?? [])
        .flatMap((b) => b.RefreshBatchRelatedInstanceSet ?? [])
        .filter((i) => i.InstanceStatus === "SUCCESSFUL" || i.InstanceStatus === "FAILED" || i.InstanceStatus === "RUNNING").length;
      const settings = settingsToApi(inputs.refreshSettings);
      const batchNumber = inputs.rollbackSettings?.batchNumber ?? Math.max(1, Math.min(inputs.refreshSettings.rollingUpdateSettings.batchNumber, touched));
      const response = await client.rollbackInstanceRefresh({
        AutoScalingGroupId: view.groupId,
        OriginRefreshActivityId: view.id,
        RefreshMode: "ROLLING_UPDATE_RESET",
        RefreshSettings: {
          ...settings,
          RollingUpdateSettings: { BatchNumber: batchNumber, BatchPause: "AUTOMATIC", MaxSurge: 0, FailProcess: "AUTO_PAUSE" },
        },
      });
      if (!response.RefreshActivityId) throw new Error("RollbackInstanceRefresh returned no RefreshActivityId");
      return response.RefreshActivityId;
    },

    async rollbackOf(origin) {
      if (!origin.groupId || !origin.id) return undefined;
      const rollbacks = await groupActivities(origin.groupId, "ROLLBACK");
      return rollbacks.find((r) => r.OriginRefreshActivityId === origin.id)?.RefreshActivityId;
    },

    rollsBackOnFailure: (inputs) => inputs.refreshSettings.rollingUpdateSettings.failProcess === "AUTO_ROLLBACK",

    classify(error): ErrorInfo {
      if (!(error instanceof TencentCloudApiError)) return { class: "client" };
      const named = { action: error.action, code: error.code };
      if (error.code.startsWith("AuthFailure")) return { class: "auth", ...named };
      const is = (code: string) => error.code === code || error.code.startsWith(`${code}.`);
      if (is("ResourceNotFound")) return { class: "notFound", ...named };
      if (is(STATUS_CONFLICT_CODE)) return { class: "conflict", ...named };
      if (is(TENCENT_WORDS.groupBusyCode)) return { class: "groupBusy", ...named };
      if (error.kind === "throttling") return { class: "throttled", ...named };
      if (error.kind === "transient") return { class: "transient", ...named };
      return { class: "client", ...named };
    },

    explainStartError(groupId, error) {
      if (!(error instanceof TencentCloudApiError)) return error;
      const known = START_ERRORS(groupId)[error.code];
      if (!known) return error;
      const [property, text] = known;
      return new InstanceRefreshRejected(`${property ? `${property} ` : ""}${text} (${error.code}: ${error.apiMessage}); nothing was started.`, property, {
        cause: error,
      });
    },

    failureHint(view, _inputs, rollbackActivityId) {
      if (view.phase === "failedPause") {
        return (
          'Paused on failed instances. Run `pulumi up` again to retry them (resumeMode "RETRY"), set resumeMode: "CONTINUE" to skip them, ' +
          "or destroy/replace the resource to cancel the refresh."
        );
      }
      if (rollbackActivityId) return `FailProcess AUTO_ROLLBACK started rollback activity ${rollbackActivityId} (see output rollbackActivityId).`;
      if (view.phase === "cancelled") return "The refresh was cancelled; change an entry of `triggers` to start a new one.";
      return "Change an entry of `triggers` to start a new refresh.";
    },

    outputs: toOutputs,

    placeholder: (inputs, id) => ({
      RefreshActivityId: id,
      AutoScalingGroupId: inputs.autoScalingGroupId,
      Status: "INIT",
      RefreshSettings: settingsToApi(inputs.refreshSettings),
    }),
  };
}
