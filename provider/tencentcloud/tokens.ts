/** Type tokens that identify instance-refresh resources in state, previews and policies. */

/**
 * Type token of this package's `InstanceRefresh` resource: a dynamic resource with its own module and
 * type, so policies and `pulumi stack` output can tell it apart from other dynamic resources.
 */
export const INSTANCE_REFRESH_TYPE = "pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh";

/** Type token of the Terraform-bridged `StartInstanceRefresh` resource of `@tencentcloud_iac/pulumi`. */
export const BRIDGED_START_INSTANCE_REFRESH_TYPE = "tencentcloud:As/startInstanceRefresh:StartInstanceRefresh";

/** Type token of the bridged scaling group of `@tencentcloud_iac/pulumi`. */
export const BRIDGED_SCALING_GROUP_TYPE = "tencentcloud:As/scalingGroup:ScalingGroup";
