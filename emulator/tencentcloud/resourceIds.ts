/** The ids of Auto Scaling resources: their prefixes and patterns (`asg-` + 8 lowercase alphanumerics). */
import { idPattern } from "../ids";

/** Prefixes of the ids the emulator creates. */
export const IdPrefix = {
  refreshActivity: "asr-",
  instanceActivity: "asa-",
  instance: "ins-",
  group: "asg-",
  launchConfiguration: "asc-",
} as const;

/** A well-formed scaling group id. */
export const GROUP_ID_PATTERN = idPattern(IdPrefix.group);
/** A well-formed instance id. */
export const INSTANCE_ID_PATTERN = idPattern(IdPrefix.instance);
