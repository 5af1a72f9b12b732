import type { Schema } from '../../core/schema/schema';
import { store } from '../state/storage';

// Cleaned versions are saved by the profile worker itself (ProfileRun.fix), so big tables stay there.

/** Show another version (the original, or an earlier cleaned one) by default; nothing is deleted. */
export function switchVersion(projectId: string, datasetId: string): Promise<void> {
  return store.setCurrentDataset(projectId, datasetId);
}

/** Save an edited schema (kind relabels, roles, PII marks) with the dataset version it describes. */
export function saveSchema(datasetId: string, schema: Schema): Promise<void> {
  return store.updateSchema(datasetId, schema);
}
