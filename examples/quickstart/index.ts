/**
 * Quickstart: refresh every instance of an Auto Scaling group with a safe rolling update — three
 * batches, one surge instance so capacity never drops, no pause between batches, and a pause (not a
 * rollback) if an instance fails. The same program runs against the local emulator (`npm run demo`)
 * or the real cloud: the endpoint and credentials come from stack config, read by the provider.
 *
 * Stack config (project namespace `instance-refresh-quickstart:`):
 * - `autoScalingGroupId` — the group to refresh.
 * - `imageId` — the image the launch configuration now uses; changing it starts a new refresh.
 * - `batchNumber` (3), `maxSurge` (1) — rollout shape.
 * - `paused` (false) — set true to pause a running refresh, false to resume it.
 * - `batchPause` ("AUTOMATIC") — "BATCH_INTERVAL_PAUSE" pauses after every batch (a gate).
 * - `healthUrl` (unset) — a health endpoint: every batch pause becomes a measured gate that resumes
 *   the rollout when the endpoint stays healthy for 3 s, and rolls it back when it does not.
 * - `waitUntil` ("settled") — "started" returns as soon as the refresh is running.
 * - `scalingGroupId` (unset) — an Alibaba Cloud ESS group to refresh too, with a canary: the refresh
 *   pauses at 50 % (CheckpointPause) until `approvedCheckpoints` is 1. `essImageId` is its image.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlicloudInstanceRefresh, InstanceRefresh } from "pulumi-instance-refresh";

const config = new pulumi.Config();
const healthUrl = config.get("healthUrl");

const refresh = new InstanceRefresh("web-rollout", {
  autoScalingGroupId: config.require("autoScalingGroupId"),
  refreshMode: "ROLLING_UPDATE_RESET",
  refreshSettings: {
    rollingUpdateSettings: {
      batchNumber: config.getNumber("batchNumber") ?? 3,
      maxSurge: config.getNumber("maxSurge") ?? 1,
      batchPause: config.get("batchPause") === "BATCH_INTERVAL_PAUSE" ? "BATCH_INTERVAL_PAUSE" : "AUTOMATIC",
      failProcess: "AUTO_PAUSE",
    },
  },
  paused: config.getBoolean("paused") ?? false,
  triggers: { imageId: config.require("imageId") },
  wait: { until: config.get("waitUntil") === "started" ? "started" : "settled" },
  gate: healthUrl ? { http: { url: healthUrl }, soakSeconds: 3, intervalSeconds: 1, onFailure: "rollback" } : undefined,
});

export const refreshActivityId = refresh.refreshActivityId;
export const status = refresh.status;
export const batches = refresh.batchCount;
export const instanceCounts = refresh.instanceCounts;

// Alibaba Cloud ESS, when a group is configured: half the group at a time (50 % stays in service, no
// surge), a canary checkpoint at 50 % that waits for approval.
const scalingGroupId = config.get("scalingGroupId");
const essImageId = config.get("essImageId") ?? "m-bp1newimage0000000001";
const essRollout = scalingGroupId
  ? new AlicloudInstanceRefresh("ess-rollout", {
      scalingGroupId,
      desiredConfiguration: { imageId: essImageId },
      minHealthyPercentage: 50,
      maxHealthyPercentage: 100,
      checkpoints: [{ percentage: 50 }, { percentage: 100 }],
      approvedCheckpoints: config.getNumber("approvedCheckpoints") ?? 0,
      triggers: { imageId: essImageId },
      wait: { until: config.get("waitUntil") === "started" ? "started" : "settled" },
    })
  : undefined;

export const essTaskId = essRollout?.instanceRefreshTaskId;
export const essStatus = essRollout?.status;
export const essPercentRefreshed = essRollout?.percentRefreshed;
