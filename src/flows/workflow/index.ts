export {
  defineWorkflow,
  StepMessage,
  type Documents,
  type RunView,
  type StepContext,
  type StepRecord,
  type StepResult,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowStep,
} from './define.js';
export { compensateRun, resumeRun, runStatus, startRun, orderingKeyOf } from './control.js';
export { workflowHandlers, type EngineDeps } from './engine.js';
export { runView } from './run-view.js';
export { withTimeout } from './timeout.js';
