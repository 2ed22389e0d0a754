export { parsePreview, type PlannedStep, type PlannedViolation, type PreviewRecord } from "./preview";
export {
  ACTION_TEXT,
  renderPlan,
  rolloutChanges,
  type RenderOptions,
  type AlicloudRolloutChange,
  type RolloutAction,
  type RolloutChange,
  type TencentRolloutChange,
} from "./render";
export { gateWords, mermaidText, rolloutDiagram, type GateWords } from "./diagram";
