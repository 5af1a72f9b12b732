import Dexie, { type EntityTable } from 'dexie';
import type { ColumnDataRecord, DatasetRecord, ModelRecord, ProjectRecord, ReportRecord } from './types';

export type FacsimileDb = Dexie & {
  projects: EntityTable<ProjectRecord, 'id'>;
  datasets: EntityTable<DatasetRecord, 'id'>;
  columnData: Dexie.Table<ColumnDataRecord, [string, number]>;
  models: EntityTable<ModelRecord, 'id'>;
  reports: EntityTable<ReportRecord, 'id'>;
};

/**
 * The one place that declares the IndexedDB schema. Versions are appended, never edited in place:
 * users keep the old ones on disk.
 */
export function openDb(name = 'facsimile'): FacsimileDb {
  const db = new Dexie(name) as FacsimileDb;
  db.version(1).stores({
    projects: 'id, updatedAt',
    datasets: 'id, projectId, createdAt',
    // Column data apart from metadata, so that listing projects or datasets never loads it.
    columnData: '[datasetId+index], datasetId',
    models: 'id, projectId, datasetId, createdAt',
    reports: 'id, projectId, modelId, createdAt',
  });
  return db;
}
