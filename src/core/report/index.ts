/** Report model and its exports: self-contained HTML (inline SVG) and JSON. */
export type * from './types';
export { renderReportHtml } from './html';
export { reportToJson } from './json';
export { suggestBest, type Suggestion } from './compare';
