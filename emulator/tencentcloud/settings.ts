/** `RefreshSettings` of Start- and RollbackInstanceRefresh: the request's form and its documented defaults. */
import type { BatchPause, FailProcess, RefreshSettings } from "./types";

/** Default `CheckInstanceTargetHealthTimeout` (seconds). */
export const DEFAULT_CHECK_TARGET_HEALTH_TIMEOUT = 1800;

/** `RollingUpdateSettings` as decoded from a request (optional fields may be absent). */
export interface RollingUpdateSettingsInput {
  BatchNumber: number;
  BatchPause?: BatchPause;
  MaxSurge?: number;
  FailProcess?: FailProcess;
}
/** `RefreshSettings` as decoded from a request. */
export interface RefreshSettingsInput {
  RollingUpdateSettings: RollingUpdateSettingsInput;
  CheckInstanceTargetHealth?: boolean;
  CheckInstanceTargetHealthTimeout?: number;
}

/** Fills in the documented defaults of RefreshSettings. */
export function normalizeSettings(input: RefreshSettingsInput): RefreshSettings {
  const r = input.RollingUpdateSettings;
  return {
    RollingUpdateSettings: {
      BatchNumber: r.BatchNumber,
      BatchPause: r.BatchPause ?? "AUTOMATIC",
      MaxSurge: r.MaxSurge ?? 0,
      FailProcess: r.FailProcess ?? "AUTO_PAUSE",
    },
    CheckInstanceTargetHealth: input.CheckInstanceTargetHealth ?? false,
    CheckInstanceTargetHealthTimeout: input.CheckInstanceTargetHealthTimeout ?? DEFAULT_CHECK_TARGET_HEALTH_TIMEOUT,
  };
}
