/**
 * The stack under test (docs/testing-offline.md): a two-batch rolling update of the group named in
 * stack config, restarted whenever `imageId` changes. Nothing here knows about the emulator: the
 * tests point the provider at it through the environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { InstanceRefresh } from "pulumi-instance-refresh";

const config = new pulumi.Config();

const rollout = new InstanceRefresh("web-rollout", {
  autoScalingGroupId: config.require("autoScalingGroupId"),
  refreshSettings: {
    rollingUpdateSettings: { batchNumber: 2, maxSurge: 1, failProcess: "AUTO_PAUSE" },
  },
  triggers: { imageId: config.require("imageId") },
});

export const status = rollout.status;
export const failedInstances = rollout.failedInstances;
