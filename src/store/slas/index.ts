export { workflowStepFacts, productPublicationFacts, settlementPostingFacts, type SlaFact, type SlaWindow } from './facts.js';
