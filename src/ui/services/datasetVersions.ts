import type { DatasetRecord } from '../../db';
import type { Schema } from '../../core/schema/schema';
import type { FixedData } from '../state/profileRun.svelte';
import { store } from '../state/storage';

/**
 * Save fixed data as a new cleaned version of `parent` (which stays as it was) and make it the project's
 * current dataset. The holdout settings carry over, so the train/holdout split stays seeded the same way.
 */
export async function saveCleanedVersion(parent: DatasetRecord, data: FixedData, step: string): Promise<DatasetRecord> {
  const base = parent.sourceFile?.name ?? parent.name.split(' — ')[0];
  return store.addDataset(
    parent.projectId,
    {
      name: `${base} — ${step}`,
      table: data.table,
      schema: data.schema,
      warnings: parent.warnings,
      sourceFile: parent.sourceFile,
      holdoutFraction: parent.holdoutFraction,
      holdoutSeed: parent.holdoutSeed,
    },
    'cleaned',
    parent.id,
  );
}

/** Show another version (the original, or an earlier cleaned one) by default; nothing is deleted. */
export function switchVersion(projectId: string, datasetId: string): Promise<void> {
  return store.setCurrentDataset(projectId, datasetId);
}

/** Save an edited schema (kind relabels, roles, PII marks) with the dataset version it describes. */
export function saveSchema(datasetId: string, schema: Schema): Promise<void> {
  return store.updateSchema(datasetId, schema);
}
