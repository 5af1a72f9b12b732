import type { Engine } from '../engine';
import { fitCopula, type CopulaOptions } from './fit';
import { CopulaModel } from './model';
import { deserializeCopula } from './serialize';

export type { CopulaOptions } from './fit';
export { CopulaModel, type CopulaState } from './model';
export { normalCdf, normalInv } from './normal';

/** Gaussian copula: each column's marginal, joined by the correlation of their normal scores. */
export const copulaEngine: Engine<CopulaOptions> = {
  id: 'copula',
  fit: fitCopula,
  deserialize: (meta, arrays) => new CopulaModel(deserializeCopula(meta, arrays)),
};
