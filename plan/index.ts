export { parsePreview, type PlannedStep, type PlannedViolation, type PreviewRecord } from "./preview";
export { renderPlan, rolloutChanges, type RolloutAction, type RolloutChange } from "./render";
