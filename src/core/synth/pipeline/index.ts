export { createSynthesizer, PIPELINE_FORMAT_VERSION } from './synthesizer';
export { resolveCommonOptions, DEFAULT_RARE_CATEGORY_THRESHOLD, type ResolvedCommonOptions } from './options';
