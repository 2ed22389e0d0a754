/** pulumi-instance-refresh: public exports only. */
export { InstanceRefresh, INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_MODULE, INSTANCE_REFRESH_TYPE_NAME, PROVIDER_HOST_MODULE } from "./instanceRefresh";
export type { InstanceRefreshArgs, RefreshSettingsArgs, RollingUpdateSettingsArgs, WaitArgs } from "./instanceRefresh";
export { BRIDGED_START_INSTANCE_REFRESH_TYPE, BRIDGED_SCALING_GROUP_TYPE } from "./tokens";
export { provider, createProvider } from "./host";
export type { ProviderOptions, InstanceRefreshProvider } from "./host";
export type { InstanceRefreshOutputs, BatchOutput, BatchInstanceOutput, InstanceCounts, FailedInstance, ActivityStatus } from "./types";
export { ACTIVITY_STATUSES } from "./types";
export { CONFIG_KEYS, ENV_VARS, DEFAULT_OUTAGE_TOLERANCE_SECONDS } from "./config";
export { CancelSignal } from "./cancellation";
export type { ProviderConfig } from "./config";
export { InstanceRefreshFailure, InstanceRefreshRejected } from "./errors";
export { TencentCloudApiError, TRANSPORT_ERROR_CODE, HTTP_ERROR_CODE } from "./client/errors";
export type { ErrorKind } from "./client/errors";
export * from "./settings";
