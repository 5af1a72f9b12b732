/** Synthesizers: the shared pipeline, the engines' descriptors and the registry. */
export type * from './types';
export type { Engine, EngineModel, ModelArray, ModelArrays, PreparedTable, PreparedColumn, PreparedCondition } from './engine';
export type { EngineDescriptor, OptionField, TableShape } from './descriptor';
export { COMMON_OPTIONS, flagOf } from './descriptor';
export { createSynthesizer, DEFAULT_RARE_CATEGORY_THRESHOLD } from './pipeline';
export {
  ENGINE_DESCRIPTORS,
  SYNTHESIZER_IDS,
  createRegistry,
  defaultOptions,
  descriptorOf,
  deserializeModel,
  fitCostWarning,
  isSynthesizerId,
  loadSynthesizer,
  registry,
  synthesizers,
  validateOptions,
  type EngineRegistry,
  type PickerEntry,
} from './registry';
export { tableShape } from './shape';
export type { CopulaOptions } from './copula';
export type { BayesNetOptions } from './bayesnet';
export type { CartOptions } from './cart';
