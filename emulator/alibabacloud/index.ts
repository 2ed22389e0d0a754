/** The Alibaba Cloud ESS instance-refresh emulator: its entry point, helpers for tests and types. */
export { createAlibabaApi, type AlibabaApi, type AlibabaApiOptions } from "./api";
export {
  EssBackend,
  DEFAULT_REGION_ID,
  DEFAULT_ZONE_ID,
  type EssBackendOptions,
  type SeedGroupSpec,
  type SeedInstanceSpec,
  type StartInput,
  type TaskRef,
} from "./backend";
export { AcsError, EssAdminError, EssErrorCodes, httpStatusOf } from "./errors";
export * as inferred from "./inferred";
export {
  ESS_API_VERSION,
  ESS_LEGACY_API_VERSION,
  RefreshLimits,
  TASK_STATUSES,
  type GroupRecord,
  type InstanceRecord,
  type TaskRecord,
  type TaskStatus,
} from "./model";
export {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  SignatureVerifier,
  signAcs3,
  signRpcV1,
  type AcsCredential,
  type SignedAcs3Request,
} from "./signature";
export { DEFAULT_TIMING, type Timing } from "./stateMachine";
