export { SlasConfig, type SlasConfigInput } from './config.js';
export { evaluateSla, percentile, slaNames, slaTitles, type SlaName, type SlaReport, type SlaBreach } from './evaluate.js';
export { createBusinessSlas, type BusinessSlas } from './slas.js';
