/** Type tokens that identify Alibaba Cloud instance-refresh resources in state, previews and policies. */

/** Type token of this package's `AlicloudInstanceRefresh` resource. */
export const ALICLOUD_INSTANCE_REFRESH_TYPE = "pulumi-nodejs:dynamic/alicloud:InstanceRefresh";

/** Type token of the Terraform-bridged instance refresh of `@pulumi/alicloud`. */
export const BRIDGED_ESS_INSTANCE_REFRESH_TYPE = "alicloud:ess/instanceRefresh:InstanceRefresh";

/** Type token of the bridged ESS scaling group of `@pulumi/alicloud` (`alicloud.ess.ScalingGroup`). */
export const BRIDGED_ESS_SCALING_GROUP_TYPE = "alicloud:ess/scalingGroup:ScalingGroup";
