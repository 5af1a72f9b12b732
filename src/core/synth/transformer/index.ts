import type { Engine } from '../engine';
import { fitTransformer, type TransformerOptions } from './fit';
import { deserializeTransformer, TransformerModel } from './model';

export type { TransformerOptions } from './fit';
export { TransformerModel, type TransformerState, type TrainingSummary } from './model';
export { selectBackend, configureWasmPaths, currentBackend, type BackendPreference, type BackendName } from './backend';

/**
 * The on-device tabular transformer: each row a sequence of column tokens (categories; numerics as
 * quantile bins plus a value inside the bin; a missing token per column), a small causal transformer
 * trained with a random column order per batch (from 5,000 rows: the table's, fit.ts usesTableOrder), so
 * fixed columns go first and the rest are drawn conditioned on them.
 */
export const transformerEngine: Engine<TransformerOptions> = {
  id: 'transformer',
  fit: fitTransformer,
  deserialize: (meta, arrays) => new TransformerModel(deserializeTransformer(meta, arrays)),
};
