/** Synthesizers: the shared pipeline, the engines and the registry. */
export type * from './types';
export type { Engine, EngineModel, PreparedTable, PreparedColumn, PreparedCondition } from './engine';
export { createSynthesizer, DEFAULT_RARE_CATEGORY_THRESHOLD } from './pipeline';
export { synthesizers, SYNTHESIZER_IDS, isSynthesizerId, deserializeModel } from './registry';
export type { CopulaOptions } from './copula';
export type { BayesNetOptions } from './bayesnet';
export type { CartOptions } from './cart';
