/**
 * How workers read stored datasets: the table (the last one read is kept, since stored datasets never
 * change: a fix makes a new one), its train/holdout split, stored once per dataset, and previews for
 * datasets saved before previews were written with the data.
 */
import { splitFromHoldout, splitTable, applySplit, type HoldoutSplit } from '../src/core/table/split';
import { tablePreview } from '../src/core/table/preview';
import type { Table } from '../src/core/table/table';
import type { DatasetRecord } from '../src/db';
import { workerStore } from './workerStore';
import { onForget } from './keys';

let cached: { id: string; table: Table } | undefined;
// Locked, or real data deleted: the table kept in memory goes too.
onForget(() => (cached = undefined));

export async function loadDataset(datasetId: string): Promise<{ dataset: DatasetRecord; table: Table }> {
  const dataset = await workerStore().getDataset(datasetId);
  if (!dataset) throw new Error('This dataset no longer exists (it may have been deleted in another tab).');
  if (cached?.id !== datasetId) cached = { id: datasetId, table: await workerStore().loadTable(datasetId) };
  return { dataset, table: cached.table };
}

/** Remember a table this worker has just written, so the next read of it costs nothing. */
export function rememberTable(datasetId: string, table: Table): void {
  cached = { id: datasetId, table };
}

/**
 * The dataset's split: read from storage, or made from the seed chosen at import (by whole subjects when
 * the table has a subject key) and stored, so that every later fit and evaluation uses the same rows.
 */
export async function splitOf(dataset: DatasetRecord, table: Table): Promise<HoldoutSplit> {
  const store = workerStore();
  const stored = await store.getSplit(dataset.id);
  if (stored) return { ...splitFromHoldout(dataset.nRows, stored.holdout), ...(stored.groupedBy ? { groupedBy: stored.groupedBy } : {}) };
  const fraction = dataset.holdoutFraction ?? 0.2;
  const seed = dataset.holdoutSeed ?? 1;
  const split = splitTable(table, dataset.schema, fraction, seed);
  await store.saveSplit({ datasetId: dataset.id, seed, fraction, holdout: split.holdout, ...(split.groupedBy ? { groupedBy: split.groupedBy } : {}) });
  return split;
}

/** The train and holdout parts of a stored dataset. Synthesizers only ever see `train`. */
export async function trainHoldout(datasetId: string): Promise<{ dataset: DatasetRecord; train: Table; holdout: Table; groupedBy?: string }> {
  const { dataset, table } = await loadDataset(datasetId);
  const split = await splitOf(dataset, table);
  const { train, holdout } = applySplit(table, split);
  return { dataset, train, holdout, ...(split.groupedBy ? { groupedBy: split.groupedBy } : {}) };
}

/** The dataset's record with a preview, computing and storing one if it was saved without. */
export async function withPreview(datasetId: string): Promise<DatasetRecord> {
  const { dataset, table } = await loadDataset(datasetId);
  if (dataset.preview) return dataset;
  const preview = tablePreview(table, dataset.schema);
  await workerStore().setPreview(dataset.id, preview);
  return { ...dataset, preview };
}
