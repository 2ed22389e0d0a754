/**
 * The Auto Scaling instance-refresh emulator: public exports only. In the installed package this is
 * `pulumi-instance-refresh/emulator`, for testing your own stacks offline (docs/testing-offline.md);
 * the `instance-refresh-emulator` bin runs the same server as a process.
 * @example
 * import { startEmulator } from "pulumi-instance-refresh/emulator";
 * const emulator = await startEmulator({ fixture: false, secondsPerBatch: 0.2 });
 * const group = await emulator.admin.seedGroup({ groupId: "asg-web00001", instanceCount: 4 });
 * // INSTANCE_REFRESH_ENDPOINT=emulator.url, TENCENTCLOUD_SECRET_ID=emulator.secretId, … then `pulumi up`
 * await emulator.admin.failInstance(group.instanceIds[0], "image not found");
 * const starts = await emulator.admin.requests({ action: "StartInstanceRefresh" });
 * await emulator.stop();
 * @packageDocumentation
 */
// Cloud-neutral: the emulator, its clients and shared services.
export { startEmulator, DEFAULT_HOST } from "./emulator";
export type { EmulatorOptions, RunningEmulator } from "./emulator";
export { EmulatorAdmin, EmulatorAdminError } from "./adminClient";
export type { ClockView } from "./adminClient";
export { spawnEmulator, SPAWN_START_TIMEOUT_MS, SPAWN_STOP_TIMEOUT_MS } from "./spawn";
export type { SpawnedEmulator, SpawnOptions } from "./spawn";
export { ManualClock, RealClock, formatTime, DEFAULT_MANUAL_CLOCK_START_MS } from "./clock";
export type { Clock, ClockListener } from "./clock";
export { DEFAULT_SECONDS_PER_BATCH } from "./pace";
export type { Pace } from "./pace";
export { ApiError, AdminError } from "./errors";
export { StateFileError } from "./persistence";
export { ADMIN_PREFIX } from "./routes";
export { DEFAULT_REQUESTS_PER_SECOND } from "./rateLimit";
export { DEFAULT_REQUEST_LOG_LIMIT } from "./requestLog";
export type { RequestLogEntry, ActionCounter } from "./requestLog";
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
export type * from "./tencentcloud/types";
