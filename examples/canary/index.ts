/**
 * Canary rollout. With `batchPause: "FIRST_BATCH_PAUSE"` the cloud refreshes the first batch and
 * stops in AUTO_PAUSE; `pulumi up` returns there, successfully, with `status: AUTO_PAUSE` and
 * `currentBatch: 1` in the outputs. Check the canary instances, then approve:
 *
 *     pulumi config set approvedBatches 1
 *     pulumi preview --diff   # shows: ~ approvedBatches: 0 => 1   (an in-place update)
 *     pulumi up               # resumes the refresh and waits for the remaining batches
 *
 * A failed instance stops the rollout in FAILED_PAUSE and fails `pulumi up` with the instance's
 * message; `pulumi config set resumeMode CONTINUE && pulumi up` skips it, `pulumi destroy` cancels.
 */
import * as pulumi from "@pulumi/pulumi";
import { InstanceRefresh } from "pulumi-instance-refresh";

const config = new pulumi.Config();

const canary = new InstanceRefresh("canary-rollout", {
  autoScalingGroupId: config.require("autoScalingGroupId"),
  refreshSettings: {
    rollingUpdateSettings: {
      batchNumber: 3,
      maxSurge: 1,
      batchPause: "FIRST_BATCH_PAUSE",
      failProcess: "AUTO_PAUSE",
    },
  },
  approvedBatches: config.getNumber("approvedBatches") ?? 0,
  resumeMode: config.get("resumeMode") === "CONTINUE" ? "CONTINUE" : "RETRY",
  triggers: { imageId: config.require("imageId") },
});

export const refreshActivityId = canary.refreshActivityId;
export const status = canary.status;
export const currentBatch = canary.currentBatch;
export const batchCount = canary.batchCount;
