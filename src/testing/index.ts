export { waitFor } from './wait-for.js';
export { corpusUrl } from './corpus.js';
