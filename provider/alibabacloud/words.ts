/**
 * Alibaba Cloud ESS's names in the core's messages: the unit of a step, the input paths, the API actions.
 */
import type { CloudWords } from "../core/port";
import { PROPERTY } from "./settings";

/** ESS's names in the core's messages. */
export const ALICLOUD_WORDS: CloudWords = {
  step: "checkpoint",
  steps: "checkpoints",
  approvedSteps: PROPERTY.approvedCheckpoints,
  groupIdProperty: PROPERTY.groupId,
  adoptProperty: PROPERTY.adoptTaskId,
  rollbackProperty: PROPERTY.rollback,
  actions: {
    start: "StartInstanceRefresh",
    pause: "SuspendInstanceRefresh",
    resume: "ResumeInstanceRefresh",
    cancel: "CancelInstanceRefresh",
    rollback: "RollbackInstanceRefresh",
    describe: "DescribeInstanceRefreshes",
  },
  groupBusyCode: "IncorrectScalingGroupStatus",
};
