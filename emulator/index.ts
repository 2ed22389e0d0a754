/**
 * The Auto Scaling instance-refresh emulator: public exports only. In the installed package this is
 * `pulumi-instance-refresh/emulator`, for testing your own stacks offline (docs/testing-offline.md);
 * the `instance-refresh-emulator` bin runs the same server as a process. One port serves Tencent
 * Cloud Auto Scaling (`X-TC-Action`) and Alibaba Cloud ESS (`x-acs-action`).
 * @example
 * import { startEmulator } from "pulumi-instance-refresh/emulator";
 * const emulator = await startEmulator({ fixture: false, secondsPerBatch: 0.2 });
 * const group = await emulator.admin.seedGroup({ groupId: "asg-web00001", instanceCount: 4 });
 * // INSTANCE_REFRESH_ENDPOINT=emulator.url, TENCENTCLOUD_SECRET_ID=emulator.secretId, … then `pulumi up`
 * await emulator.admin.failInstance(group.instanceIds[0], "image not found");
 * await emulator.admin.setVersion(group.groupId, { version: "v2", bad: true }); // the next refresh rolls out a bad version
 * const probe = healthUrl(emulator.url, group.groupId); // 200 healthy, 500 once an instance runs v2
 * const starts = await emulator.admin.requests({ action: "StartInstanceRefresh", cloud: "tencentcloud" });
 * const essGroup = await emulator.admin.ess.seedGroup({ instanceCount: 4 }); // ESS: emulator.ess.accessKeyId, same URL
 * await emulator.stop();
 * @packageDocumentation
 */
// Cloud-neutral: the emulator, its clients and shared services.
export { startEmulator, DEFAULT_HOST } from "./emulator";
export type { EmulatorOptions, RunningEmulator, RunningEss, EmulatorFixture } from "./emulator";
export { EmulatorAdmin, EmulatorAdminError, EssAdmin } from "./adminClient";
export type { ClockView } from "./adminClient";
export { spawnEmulator, SPAWN_START_TIMEOUT_MS, SPAWN_STOP_TIMEOUT_MS } from "./spawn";
export type { SpawnedEmulator, SpawnOptions } from "./spawn";
export { ManualClock, RealClock, formatTime, DEFAULT_MANUAL_CLOCK_START_MS } from "./clock";
export type { Clock, ClockListener } from "./clock";
export { DEFAULT_SECONDS_PER_BATCH } from "./pace";
export type { Pace } from "./pace";
export { ApiError, AdminError } from "./errors";
export { StateFileError } from "./persistence";
export { ADMIN_PREFIX, HEALTH_PATH } from "./routes";
export { healthUrl, HEALTH_MODES, DEFAULT_HEALTH_MODE, HEALTHY_STATUS, UNHEALTHY_STATUS } from "./health";
export type { HealthMode, HealthAnswer, HealthStats, GroupHealthReport } from "./health";
export { DEFAULT_REQUESTS_PER_SECOND } from "./rateLimit";
export { DEFAULT_REQUEST_LOG_LIMIT } from "./requestLog";
export type { RequestLogEntry, RequestLogFilter, ActionCounter } from "./requestLog";
export type { FaultSpec, FaultRule } from "./faults";
// Tencent Cloud Auto Scaling: its API, model and fixtures.
export { API_VERSION } from "./tencentcloud/cloudApi";
export { Backend } from "./tencentcloud/backend";
export { loadFixture, DEFAULT_FIXTURE } from "./tencentcloud/seeding";
export type { Fixture, SeedGroupSpec, SeedInstanceSpec } from "./tencentcloud/seeding";
export { ErrorCodes } from "./tencentcloud/errorCodes";
export { batchSizes, splitIntoBatches } from "./tencentcloud/batches";
export { signAuthorization, SignatureVerifier, SIGNATURE_MAX_SKEW_SECONDS, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "./tencentcloud/signature";
export type { Credential } from "./tencentcloud/signature";
export type { EmulatorGroupView } from "./tencentcloud/views";
export { DEFAULT_VERSION } from "./tencentcloud/versions";
export type { GroupVersionView } from "./tencentcloud/versions";
export type * from "./tencentcloud/types";
export { TENCENT_CLOUD } from "./tencentcloud/cloudApi";
// Alibaba Cloud ESS: its API's name, model, credentials, errors and the admin views (Ess-prefixed where Tencent Cloud has the same name).
export { ALIBABA_CLOUD } from "./alibabacloud/api";
export { EssBackend } from "./alibabacloud/backend";
export type { SeedGroupSpec as EssSeedGroupSpec, SeedInstanceSpec as EssSeedInstanceSpec, EssFixtureSection } from "./alibabacloud/seeding";
export type { EssGroupView, EssSeededGroup, EssTaskView } from "./alibabacloud/adminViews";
export type { BadConfiguration as EssBadConfiguration } from "./alibabacloud/badConfigurations";
export { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, signAcs3 } from "./alibabacloud/signature";
export type { AcsCredential, SignedAcs3Request } from "./alibabacloud/signature";
export { AcsError, EssErrorCodes } from "./alibabacloud/errors";
export { ESS_API_VERSION } from "./alibabacloud/model";
export type { TaskStatus as EssTaskStatus, InstanceConfig as EssInstanceConfig } from "./alibabacloud/model";
