/**
 * Bayesian network engine (PrivBayes, Zhang et al. SIGMOD 2014 / TODS 2017) with optional
 * differential privacy. See fit.ts, structure.ts (greedy structure by mutual information),
 * privacy.ts (budget, exponential mechanism, Laplace noise), conditionalTables.ts and sampler.ts.
 */
import type { Engine } from '../engine';
import { fitBayesNet } from './fit';
import { BayesNetModel } from './model';
import { deserializeBayesNet } from './serialize';
import type { BayesNetOptions } from './settings';

export type { BayesNetOptions } from './settings';
export { BayesNetModel, type BayesNetSettings } from './model';
export type { BayesNetMeta } from './serialize';

export const bayesNetEngine: Engine<BayesNetOptions> = {
  id: 'bayesnet',
  fit: fitBayesNet,
  deserialize: (meta, arrays) => deserializeBayesNet(meta, arrays),
};
