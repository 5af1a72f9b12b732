import Dexie, { type EntityTable } from 'dexie';
import type { ColumnDataRecord, DatasetRecord, ExportFingerprintRecord, ModelDataRecord, ModelRecord, ProjectRecord, ReportRecord, SplitRecord } from './types';

export type FacsimileDb = Dexie & {
  projects: EntityTable<ProjectRecord, 'id'>;
  datasets: EntityTable<DatasetRecord, 'id'>;
  columnData: Dexie.Table<ColumnDataRecord, [string, number]>;
  models: EntityTable<ModelRecord, 'id'>;
  modelData: EntityTable<ModelDataRecord, 'modelId'>;
  splits: EntityTable<SplitRecord, 'datasetId'>;
  reports: EntityTable<ReportRecord, 'id'>;
  exportFingerprints: EntityTable<ExportFingerprintRecord, 'hash'>;
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
  // Version 2: workers own the data. A model's arrays move out of its record (listing models on the
  // page no longer loads CART's donors), and each dataset's train/holdout split is stored once.
  db.version(2)
    .stores({
      modelData: 'modelId',
      splits: 'datasetId',
      reports: 'id, projectId, modelId, syntheticDatasetId, createdAt',
    })
    .upgrade(async (tx) => {
      const models = tx.table('models');
      const modelData = tx.table('modelData');
      for (const m of (await models.toArray()) as (ModelRecord & { serialized?: ModelDataRecord['serialized'] })[]) {
        if (!m.serialized) continue;
        await modelData.put({ modelId: m.id, serialized: m.serialized });
        delete m.serialized;
        await models.put(m);
      }
    });
  // Version 3: the SHA-256 of every exported file, so that an export dropped back in is recognised as
  // synthetic (and its generation known) even without its provenance.
  db.version(3).stores({
    exportFingerprints: 'hash, projectId, datasetId',
  });
  return db;
}
