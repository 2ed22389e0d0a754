/**
 * Alibaba Cloud ESS behind the core's backend port (`core/port.ts`). What differs from Tencent:
 * StartInstanceRefresh takes a ClientToken, so a start is idempotent and proves ownership; a rollback
 * is a status of the task itself (same id); a task is cancelled at once (no pause first), and a
 * rollback in progress can be neither suspended nor cancelled.
 */
import { createHash } from "node:crypto";
import { Batcher } from "../core/batcher";
import { stableJson } from "../core/check";
import { InstanceRefreshRejected } from "../core/errors";
import { currentUrn } from "../core/hostHooks";
import type { ErrorInfo, Intent, RefreshBackend } from "../core/port";
import { SharedPoller } from "../core/poller";
import type { RateLimiter } from "../core/rateLimit";
import type { Sleep } from "../core/retry";
import { IN_FLIGHT_STATUSES, cancelPlanOf, isRollbackPhase, matchesInputs, progressLine, rollbackRefusalOf, startParameters, toOutputs, viewOf } from "./activity";
import { MAX_GROUPS_PER_DESCRIBE, MAX_PAGES, MAX_TASKS_PER_DESCRIBE, type EssClient } from "./client/client";
import { AlibabaCloudApiError } from "./client/errors";
import { PROPERTY, type NormalizedAlicloudInputs } from "./settings";
import type { AlicloudInstanceRefreshOutputs, EssTask } from "./types";
import { ALICLOUD_WORDS } from "./words";

/** Prefix of the ClientTokens this provider sends (≤ 64 ASCII characters in all). */
export const CLIENT_TOKEN_PREFIX = "pir-";
/** Hex digits of the token's hash. */
export const CLIENT_TOKEN_HASH_LENGTH = 40;
/**
 * How long a group's task listing is reused, ms: the start that follows a create's in-flight check
 * takes its ClientToken's "newest ended task" from that check's listing instead of listing again.
 */
export const LISTING_REUSE_MS = 5_000;

/** Codes that mean the credentials were refused. */
const AUTH_CODES = /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|MissingSecurityToken|IncompleteSignature|InvalidTimeStamp|Forbidden)/;

/** Start errors explained with the input they are about: [property, what to say]. */
const START_ERRORS = (groupId: string): Record<string, [string | undefined, string]> => ({
  "InvalidScalingGroupId.NotFound": [PROPERTY.groupId, `scaling group ${groupId} does not exist in this region`],
  "InvalidInstance.NoInstanceNeedBeRefreshed": [
    undefined,
    `group ${groupId} has no instance to refresh: every one already matches the desired configuration (set skipMatching: false to refresh them anyway)`,
  ],
  "InvalidParameter.Conflict": [PROPERTY.desired, "sets members that exclude each other"],
  UnsupportedOperation: [undefined, `group ${groupId} does not support instance refresh (ECS groups with the priority scale-out policy only)`],
});

/**
 * The ClientToken of a start: a hash of the resource (its URN), its replace inputs and the newest
 * task of the group that had ended before it. The same resource with the same inputs gets the same
 * token in the `up` that was interrupted and in the next one, so the API returns the task it
 * started; once that task has ended, the token changes, so a later refresh of the same inputs
 * starts a new task.
 * @example clientToken("urn:pulumi:dev::app::…::web", inputs, "ir-bp1a2b3c4d5e") // "pir-3f1c…" (44 characters)
 */
export function clientToken(urn: string, inputs: NormalizedAlicloudInputs, lastEndedTaskId: string | undefined): string {
  const { paused: _p, approvedCheckpoints: _a, wait: _w, rollback: _r, ...replaceInputs } = inputs;
  const hash = createHash("sha256").update(stableJson({ urn, inputs: replaceInputs, after: lastEndedTaskId ?? null })).digest("hex");
  return `${CLIENT_TOKEN_PREFIX}${hash.slice(0, CLIENT_TOKEN_HASH_LENGTH)}`;
}

/** What the backend of one region is built from. */
export interface AlicloudBackendOptions {
  readonly client: EssClient;
  readonly limiter?: Pick<RateLimiter, "idle">;
  readonly pollIntervalMs?: number;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/** ESS's backend as the core drives it. */
export type AlicloudBackend = RefreshBackend<EssTask, NormalizedAlicloudInputs, AlicloudInstanceRefreshOutputs>;

/**
 * The backend of one region.
 * @example const backend = createAlicloudBackend({ client: createEssClient({ … }) });
 */
export function createAlicloudBackend(options: AlicloudBackendOptions): AlicloudBackend {
  const { client } = options;
  const describeMany = async (ids: string[]) => new Map((await client.describeTasks(ids)).map((t) => [t.InstanceRefreshTaskId ?? "", t]));
  const tasks = new Batcher(describeMany, { maxBatch: MAX_TASKS_PER_DESCRIBE, whenReady: options.limiter ? () => options.limiter!.idle("ess:DescribeInstanceRefreshes") : undefined });
  const poller = new SharedPoller<EssTask>(describeMany, MAX_TASKS_PER_DESCRIBE, { intervalMs: options.pollIntervalMs, sleep: options.sleep, now: options.now });
  const capacities = new Batcher((ids: string[]) => client.activeCapacities(ids), {
    maxBatch: MAX_GROUPS_PER_DESCRIBE,
    whenReady: options.limiter ? () => options.limiter!.idle("ess:DescribeScalingGroups") : undefined,
  });
  const now = options.now ?? Date.now;
  const listings = new Map<string, { at: number; tasks: EssTask[] }>();

  /** Every task of a group, newest first. */
  const groupTasks = async (groupId: string): Promise<EssTask[]> => {
    const all: EssTask[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { tasks: found, nextToken } = await client.describeGroupTasks(groupId, token);
      all.push(...found);
      if (!nextToken) break;
      token = nextToken;
    }
    listings.set(groupId, { at: now(), tasks: all });
    return all;
  };
  /** The group's tasks as listed in the last {@link LISTING_REUSE_MS}, or listed now. */
  const recentGroupTasks = async (groupId: string): Promise<EssTask[]> => {
    const recent = listings.get(groupId);
    return recent && now() - recent.at < LISTING_REUSE_MS ? recent.tasks : groupTasks(groupId);
  };

  return {
    words: ALICLOUD_WORDS,
    poller,
    idempotentStart: true,
    // A CheckpointPause ends by itself after CheckpointPauseTime.
    gateEndsByItself: true,
    view: viewOf,
    progressLine,

    intent(inputs): Intent {
      return {
        groupId: inputs.scalingGroupId,
        paused: inputs.paused,
        approvedSteps: inputs.approvedCheckpoints,
        wait: inputs.wait,
        adoptActivityId: inputs.adoptTaskId,
        rollback: inputs.rollback === true,
        gate: inputs.gate,
        gated: inputs.gate !== undefined,
      };
    },

    describe: (id) => tasks.load(id),
    inFlight: async (groupId) => (await groupTasks(groupId)).filter((t) => IN_FLIGHT_STATUSES.has(t.Status ?? "")),

    async capacity(groupId) {
      const capacity = await capacities.load(groupId);
      if (capacity === undefined) {
        throw new InstanceRefreshRejected(
          `${PROPERTY.groupId}: scaling group ${groupId} does not exist in this region (DescribeScalingGroups found nothing); nothing was started.`,
          PROPERTY.groupId,
        );
      }
      return capacity;
    },
    // Percentages do not depend on the group's size.
    validateAgainstGroup: () => [],
    matches: matchesInputs,

    async start(inputs) {
      const lastEnded = (await recentGroupTasks(inputs.scalingGroupId)).find((t) => !IN_FLIGHT_STATUSES.has(t.Status ?? ""));
      const token = clientToken(currentUrn() ?? inputs.scalingGroupId, inputs, lastEnded?.InstanceRefreshTaskId);
      return client.startInstanceRefresh({ ...startParameters(inputs), ClientToken: token });
    },
    // A Pending task cannot be suspended: the wait pauses it once it is InProgress.
    pause: async (view) => (view.phase === "starting" ? undefined : client.suspendInstanceRefresh(view.groupId, view.id)),
    resume: (view) => client.resumeInstanceRefresh(view.groupId, view.id),
    cancel: (view) => client.cancelInstanceRefresh(view.groupId, view.id),

    /** RollbackInstanceRefresh: the task itself rolls back (RollbackInProgress), so its id is the one to watch. */
    async rollback(origin) {
      const view = viewOf(origin);
      await client.rollbackInstanceRefresh(view.groupId, view.id);
      return view.id;
    },
    rollbackOf: async (origin) => (isRollbackPhase(origin.phase) ? origin.id : undefined),
    rollsBackOnFailure: () => false,

    rollbackRefusal: rollbackRefusalOf,

    // A rollback in progress can be neither suspended nor cancelled; anything else is cancelled at once.
    cancelPlan: cancelPlanOf,

    classify(error): ErrorInfo {
      if (!(error instanceof AlibabaCloudApiError)) return { class: "client" };
      const named = { action: error.action, code: error.code };
      if (AUTH_CODES.test(error.code)) return { class: "auth", ...named };
      if (error.code.endsWith(".NotFound")) return { class: "notFound", ...named };
      if (error.code === "IncorrectInstanceRefreshTaskStatus") return { class: "conflict", ...named };
      if (error.code === ALICLOUD_WORDS.groupBusyCode) return { class: "groupBusy", ...named };
      if (error.kind === "throttling") return { class: "throttled", ...named };
      if (error.kind === "transient") return { class: "transient", ...named };
      return { class: "client", ...named };
    },

    explainStartError(groupId, error) {
      if (!(error instanceof AlibabaCloudApiError)) return error;
      const known = START_ERRORS(groupId)[error.code];
      if (!known) return error;
      const [property, text] = known;
      return new InstanceRefreshRejected(`${property ? `${property} ` : ""}${text} (${error.code}: ${error.apiMessage}); nothing was started.`, property, { cause: error });
    },

    failureHint(view) {
      if (view.phase === "cancelled") return "The refresh was cancelled; change an entry of `triggers` to start a new one.";
      return "Change an entry of `triggers` to start a new refresh, or set `rollback: true` to roll the refreshed instances back.";
    },

    outputs: toOutputs,
    placeholder: (inputs, id) => ({
      InstanceRefreshTaskId: id,
      ScalingGroupId: inputs.scalingGroupId,
      Status: "Pending",
      Checkpoints: inputs.checkpoints.map((c) => ({ Percentage: c.percentage })),
    }),
  };
}
