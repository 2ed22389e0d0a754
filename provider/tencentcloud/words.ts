/**
 * Tencent's names in the core's messages: the unit of a step, the input paths, the API actions.
 */
import type { CloudWords } from "../core/port";
import { PROPERTY } from "./settings";

/** Tencent's names in the core's messages. */
export const TENCENT_WORDS: CloudWords = {
  step: "batch",
  steps: "batches",
  approvedSteps: PROPERTY.approvedBatches,
  groupIdProperty: PROPERTY.groupId,
  adoptProperty: PROPERTY.adoptActivityId,
  rollbackProperty: PROPERTY.rollback,
  actions: {
    start: "StartInstanceRefresh",
    pause: "StopInstanceRefresh",
    resume: "ResumeInstanceRefresh",
    cancel: "CancelInstanceRefresh",
    rollback: "RollbackInstanceRefresh",
    describe: "DescribeRefreshActivities",
  },
  groupBusyCode: "ResourceUnavailable.AutoScalingGroupInRefreshActivity",
};
