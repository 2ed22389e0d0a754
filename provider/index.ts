/** pulumi-instance-refresh: public exports only. */
export { InstanceRefresh, INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_MODULE, INSTANCE_REFRESH_TYPE_NAME, PROVIDER_HOST_MODULE } from "./tencentcloud/instanceRefresh";
export type { InstanceRefreshArgs, RefreshSettingsArgs, RollingUpdateSettingsArgs, WaitArgs } from "./tencentcloud/instanceRefresh";
export { BRIDGED_START_INSTANCE_REFRESH_TYPE, BRIDGED_SCALING_GROUP_TYPE } from "./tencentcloud/tokens";
export { provider, createProvider } from "./host";
export type { ProviderOptions, InstanceRefreshProvider } from "./host";
export type { InstanceRefreshOutputs, BatchOutput, BatchInstanceOutput, InstanceCounts, FailedInstance, ActivityStatus } from "./tencentcloud/types";
export { ACTIVITY_STATUSES } from "./tencentcloud/types";
export { CONFIG_KEYS, ENV_VARS, DEFAULT_OUTAGE_TOLERANCE_SECONDS } from "./tencentcloud/config";
export { CancelSignal } from "./core/cancellation";
export type { ProviderConfig } from "./tencentcloud/config";
export { InstanceRefreshFailure, InstanceRefreshRejected } from "./core/errors";
export { TencentCloudApiError, TRANSPORT_ERROR_CODE, HTTP_ERROR_CODE } from "./tencentcloud/client/errors";
export type { ErrorKind } from "./tencentcloud/client/errors";
export * from "./tencentcloud/settings";
