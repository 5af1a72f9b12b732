import type { Schema } from '../../core/schema/schema';
import { store } from '../state/storage';

// Cleaned versions are saved by the profile worker itself (ProfileRun.fix), so big tables stay there.

/** Show another version (the original, or an earlier cleaned one) by default; nothing is deleted. */
export function switchVersion(projectId: string, datasetId: string): Promise<void> {
  return store.setCurrentDataset(projectId, datasetId);
}

/**
 * Save a schema edit (a kind relabel, a role, a PII mark) with the dataset version it describes. The
 * edit is applied to the schema as stored now, so an edit made in another tab is kept.
 */
export function saveSchemaEdit(datasetId: string, edit: (schema: Schema) => Schema): Promise<Schema> {
  return store.editSchema(datasetId, edit);
}
