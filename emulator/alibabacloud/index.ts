/** The Alibaba Cloud ESS instance-refresh emulator: its entry point, helpers for tests and types. */
export { createAlibabaApi, ALIBABA_CLOUD, LOGGED_PARAMETERS, type AlibabaApi, type AlibabaApiOptions, type BodyRead } from "./api";
export { alibabaCloudApi } from "./cloudApi";
export { EssBackend, type EssBackendOptions, type StartInput, type TaskRef } from "./backend";
export {
  DEFAULT_REGION_ID,
  DEFAULT_ZONE_ID,
  ESS_FIXTURE_KEY,
  essFixtureGroups,
  type EssFixtureSection,
  type SeedGroupSpec,
  type SeedInstanceSpec,
} from "./seeding";
export { essAdminRoutes, ESS_ADMIN_PREFIX } from "./adminRoutes";
export {
  BAD_CONFIGURATION_FIELDS,
  BadConfigurations,
  badConfigurationProblem,
  configurationLabel,
  matchesBad,
  type BadConfiguration,
  type BadConfigurationField,
} from "./badConfigurations";
export { essGroupView, essTaskView, type EssGroupView, type EssSeededGroup, type EssTaskView } from "./adminViews";
export { essStateFile, essSnapshotProblem, ESS_STATE_KEY } from "./stateFile";
export { AcsError, EssAdminError, EssErrorCodes, FAULT_CODE_EQUIVALENTS, httpStatusOf, injectedError } from "./errors";
export * as inferred from "./inferred";
export {
  ESS_API_VERSION,
  ESS_LEGACY_API_VERSION,
  ESS_SNAPSHOT_VERSION,
  RefreshLimits,
  TASK_STATUSES,
  type EssSnapshot,
  type GroupRecord,
  type InstanceConfig,
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
export { DEFAULT_TIMING, timingForWaveSeconds, type Timing } from "./stateMachine";
export { TaskPacer } from "./pacing";
