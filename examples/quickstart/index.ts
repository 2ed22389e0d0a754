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
 * - `waitUntil` ("settled") — "started" returns as soon as the refresh is running.
 */
import * as pulumi from "@pulumi/pulumi";
import { InstanceRefresh } from "pulumi-instance-refresh";

const config = new pulumi.Config();

const refresh = new InstanceRefresh("web-rollout", {
  autoScalingGroupId: config.require("autoScalingGroupId"),
  refreshMode: "ROLLING_UPDATE_RESET",
  refreshSettings: {
    rollingUpdateSettings: {
      batchNumber: config.getNumber("batchNumber") ?? 3,
      maxSurge: config.getNumber("maxSurge") ?? 1,
      batchPause: "AUTOMATIC",
      failProcess: "AUTO_PAUSE",
    },
  },
  paused: config.getBoolean("paused") ?? false,
  triggers: { imageId: config.require("imageId") },
  wait: { until: config.get("waitUntil") === "started" ? "started" : "settled" },
});

export const refreshActivityId = refresh.refreshActivityId;
export const status = refresh.status;
export const batches = refresh.batchCount;
export const instanceCounts = refresh.instanceCounts;
