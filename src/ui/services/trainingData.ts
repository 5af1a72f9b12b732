import { splitHoldout, applySplit } from '../../core/table/split';
import type { Table } from '../../core/table/table';
import type { DatasetRecord } from '../../db';

/**
 * The train and holdout parts of a dataset, from the seeded split chosen at import. Synthesizers
 * only ever see `train`; reports compare against `holdout`.
 */
export function trainHoldout(dataset: DatasetRecord, table: Table): { train: Table; holdout: Table } {
  const fraction = dataset.holdoutFraction ?? 0.2;
  const seed = dataset.holdoutSeed ?? 1;
  return applySplit(table, splitHoldout(table.nRows, fraction, seed));
}
