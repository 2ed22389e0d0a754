/**
 * Pulumi programs for real-CLI tests and benchmarks. JavaScript on purpose: no TypeScript compile on
 * every run. They `require("pulumi-instance-refresh")`, which resolves to the package
 * scripts/build.sh installs into the repository's node_modules, as a user's program resolves it.
 */

/** `count` valid, distinct group ids: `asg-<prefix><zero-padded index>` (8 characters after `asg-`). */
export function groupIds(count: number, prefix = "b"): string[] {
  if (prefix.length > 7 || !/^[a-z0-9]*$/.test(prefix)) throw new RangeError(`prefix must be at most 7 lowercase alphanumerics; got "${prefix}"`);
  return Array.from({ length: count }, (_, i) => `asg-${prefix}${String(i).padStart(8 - prefix.length, "0")}`);
}

/** `count` valid, distinct ESS scaling group ids: `asg-<prefix><zero-padded index>` (20 characters after `asg-`). */
export function essGroupIds(count: number, prefix = "b"): string[] {
  if (prefix.length > 19 || !/^[a-z0-9]*$/.test(prefix)) throw new RangeError(`prefix must be at most 19 lowercase alphanumerics; got "${prefix}"`);
  return Array.from({ length: count }, (_, i) => `asg-${prefix}${String(i).padStart(20 - prefix.length, "0")}`);
}

/** Settings of the InstanceRefresh resources of {@link refreshProgram}. */
export interface RefreshProgramOptions {
  readonly groupIds: readonly string[];
  readonly batchNumber: number;
  readonly batchPause?: string;
  readonly maxSurge?: number;
  readonly waitUntil?: "started" | "settled";
  /** Resource `r<i>` takes `adoptActivityId` from stack config key `adopt<i>` when set (a recovery after a killed `up`). */
  readonly adoptFromConfig?: boolean;
  /** Extra JavaScript statements appended to the program. */
  readonly extra?: string;
}

/**
 * A program with one InstanceRefresh per group, resources `r0`, `r1`, …; exports `ids` (activity
 * ids) and `statuses`, in group order.
 */
export function refreshProgram(o: RefreshProgramOptions): string {
  const rolling: Record<string, unknown> = { batchNumber: o.batchNumber };
  if (o.batchPause) rolling.batchPause = o.batchPause;
  if (o.maxSurge !== undefined) rolling.maxSurge = o.maxSurge;
  const adopt = o.adoptFromConfig ? `\n  adoptActivityId: new (require("@pulumi/pulumi").Config)().get("adopt" + i),` : "";
  return `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
const groups = ${JSON.stringify(o.groupIds)};
const refreshes = groups.map((autoScalingGroupId, i) => new InstanceRefresh("r" + i, {
  autoScalingGroupId,
  refreshSettings: { rollingUpdateSettings: ${JSON.stringify(rolling)} },
  wait: { until: ${JSON.stringify(o.waitUntil ?? "settled")} },${adopt}
}));
exports.ids = refreshes.map((r) => r.refreshActivityId);
exports.statuses = refreshes.map((r) => r.status);
${o.extra ?? ""}
`;
}

/**
 * A program with one InstanceRefresh `rollout` whose every input comes from stack config, so a test
 * walks one stack through a scenario by changing its config and running `pulumi up`, as a user would.
 * Config keys (project namespace): `groupId` (required), `refreshMode`, `batchNumber` (default 2),
 * `maxSurge` (default 1), `batchPause`, `failProcess`, `paused`, `resumeMode`, `approvedBatches`,
 * `imageId` (the trigger), `waitUntil` (default settled), `rollback`, `adoptActivityId`, `gate`
 * (JSON); numbers and booleans as JSON. Exports `id`, `status`, `rollbackActivityId`,
 * `rollbackStatus`, `gateDecisions`, `batchCount`, `currentBatch`, `instanceCounts`, `failedInstances`.
 */
export const CONFIG_DRIVEN_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { InstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const json = (key, fallback) => { const v = config.get(key); return v === undefined ? fallback : JSON.parse(v); };
const refresh = new InstanceRefresh("rollout", {
  autoScalingGroupId: config.require("groupId"),
  refreshMode: config.get("refreshMode"),
  refreshSettings: {
    rollingUpdateSettings: {
      batchNumber: json("batchNumber", 2),
      maxSurge: json("maxSurge", 1),
      batchPause: config.get("batchPause"),
      failProcess: config.get("failProcess"),
    },
  },
  paused: json("paused", undefined),
  resumeMode: config.get("resumeMode"),
  approvedBatches: json("approvedBatches", undefined),
  triggers: { imageId: config.get("imageId") || "img-00000001" },
  wait: { until: config.get("waitUntil") || "settled", timeoutSeconds: 120 },
  rollback: json("rollback", undefined),
  adoptActivityId: config.get("adoptActivityId"),
  gate: json("gate", undefined),
});
module.exports = {
  id: refresh.id,
  status: refresh.status,
  rollbackActivityId: refresh.rollbackActivityId,
  rollbackStatus: refresh.rollbackStatus,
  gateDecisions: refresh.gateDecisions,
  batchCount: refresh.batchCount,
  currentBatch: refresh.currentBatch,
  instanceCounts: refresh.instanceCounts,
  failedInstances: refresh.failedInstances,
};
`;

/**
 * A program with `count` no-op dynamic resources `n0`, `n1`, … whose provider is declared inline.
 * `create` sleeps `sleepMs` and, when `stampFile` is set, appends `Date.now()` to it just before
 * returning (to time what the engine does after a create returns).
 */
export function noopProgram(o: { count: number; sleepMs?: number; stampFile?: string }): string {
  return `"use strict";
const pulumi = require("@pulumi/pulumi");
const noopProvider = {
  async create(inputs) {
    if (inputs.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, inputs.sleepMs));
    if (inputs.stampFile) require("fs").appendFileSync(inputs.stampFile, Date.now() + "\\n");
    return { id: "noop-" + inputs.index, outs: { ...inputs, status: "SUCCESSFUL" } };
  },
};
class Noop extends pulumi.dynamic.Resource {
  constructor(name, args) { super(noopProvider, name, { status: undefined, ...args }); }
}
const items = [];
for (let i = 0; i < ${o.count}; i++) {
  items.push(new Noop("n" + i, { index: i, sleepMs: ${o.sleepMs ?? 0}, stampFile: ${JSON.stringify(o.stampFile ?? "")} }));
}
exports.statuses = items.map((r) => r.status);
`;
}

/** Settings of the AlicloudInstanceRefresh resources of {@link alicloudRefreshProgram}. */
export interface AlicloudRefreshProgramOptions {
  readonly groupIds: readonly string[];
  /** The desired image (`desiredConfiguration.imageId`). */
  readonly imageId: string;
  /** @default the API's (80) */
  readonly minHealthyPercentage?: number;
  /** @default the API's (120) */
  readonly maxHealthyPercentage?: number;
  readonly waitUntil?: "started" | "settled";
}

/**
 * A program with one AlicloudInstanceRefresh per ESS group, resources `r0`, `r1`, …; exports `ids`
 * (task ids) and `statuses`, in group order.
 */
export function alicloudRefreshProgram(o: AlicloudRefreshProgramOptions): string {
  const settings: Record<string, unknown> = { desiredConfiguration: { imageId: o.imageId } };
  if (o.minHealthyPercentage !== undefined) settings.minHealthyPercentage = o.minHealthyPercentage;
  if (o.maxHealthyPercentage !== undefined) settings.maxHealthyPercentage = o.maxHealthyPercentage;
  return `"use strict";
const { AlicloudInstanceRefresh } = require("pulumi-instance-refresh");
const groups = ${JSON.stringify(o.groupIds)};
const settings = ${JSON.stringify(settings)};
const refreshes = groups.map((scalingGroupId, i) => new AlicloudInstanceRefresh("r" + i, {
  scalingGroupId,
  ...settings,
  wait: { until: ${JSON.stringify(o.waitUntil ?? "settled")} },
}));
exports.ids = refreshes.map((r) => r.instanceRefreshTaskId);
exports.statuses = refreshes.map((r) => r.status);
`;
}

/**
 * A program with one AlicloudInstanceRefresh `rollout` whose every input comes from stack config.
 * Config keys (project namespace): `scalingGroupId` (required), `imageId` (the desired image and the
 * trigger, default m-image0000000000000002), `minHealthyPercentage` (default 50),
 * `maxHealthyPercentage` (default 100), `checkpoints` (JSON list of percentages, default none),
 * `paused`, `approvedCheckpoints`, `rollback`, `adoptTaskId`, `gate` (JSON), `waitUntil` (default
 * settled), `timeoutSeconds` (default 120); numbers and booleans as JSON. With `replacedScalingGroupId`,
 * a second refresh `replaced` on that group, of image `replacedImageId` (the same default), with the
 * same healthy percentages and wait. Exports `rollout`'s `id`, `status`, `percentRefreshed`,
 * `finishedUpdateCapacity`, `currentCheckpoint`, `detail`, `gateDecisions`.
 */
export const ALICLOUD_CONFIG_DRIVEN_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { AlicloudInstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const json = (key, fallback) => { const v = config.get(key); return v === undefined ? fallback : JSON.parse(v); };
const DEFAULT_IMAGE = "m-image0000000000000002";
/** The inputs both refreshes take from config. */
const common = (scalingGroupId, imageId) => ({
  scalingGroupId,
  desiredConfiguration: { imageId },
  minHealthyPercentage: json("minHealthyPercentage", 50),
  maxHealthyPercentage: json("maxHealthyPercentage", 100),
  triggers: { imageId },
  wait: { until: config.get("waitUntil") || "settled", timeoutSeconds: json("timeoutSeconds", 120) },
});
const refresh = new AlicloudInstanceRefresh("rollout", {
  ...common(config.require("scalingGroupId"), config.get("imageId") || DEFAULT_IMAGE),
  checkpoints: json("checkpoints", []).map((percentage) => ({ percentage })),
  paused: json("paused", undefined),
  approvedCheckpoints: json("approvedCheckpoints", undefined),
  rollback: json("rollback", undefined),
  adoptTaskId: config.get("adoptTaskId"),
  gate: json("gate", undefined),
});
if (config.get("replacedScalingGroupId")) {
  new AlicloudInstanceRefresh("replaced", common(config.get("replacedScalingGroupId"), config.get("replacedImageId") || DEFAULT_IMAGE));
}
module.exports = {
  id: refresh.id,
  status: refresh.status,
  percentRefreshed: refresh.percentRefreshed,
  finishedUpdateCapacity: refresh.finishedUpdateCapacity,
  currentCheckpoint: refresh.currentCheckpoint,
  detail: refresh.detail,
  gateDecisions: refresh.gateDecisions,
};
`;
