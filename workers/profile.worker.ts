/**
 * Profile worker: per-column statistics, data-quality findings and one-click fixes, off the main thread
 * (profiling a 1 M-row table takes seconds). The page names a stored dataset and the worker reads it from
 * IndexedDB itself, and saves a fixed version itself: a big table (an id column of a million strings
 * costs the page a second to copy) never crosses to the page for this.
 */
import { workerStore } from './workerStore';
import { expose, transfer } from 'comlink';
import { applyFix, profileTable, type Fix, type Profile } from '../src/core/profile';
import type { Schema } from '../src/core/schema/schema';
import type { Table } from '../src/core/table/table';
import type { DatasetRecord } from '../src/db';
import { tableBuffers } from './transferables';

export interface ProfileApi {
  profile(table: Table, schema: Schema): Profile;
  /** A NEW table + schema with the fix applied; the input is left alone. */
  applyFix(table: Table, schema: Schema, fix: Fix): { table: Table; schema: Schema };
  /** Profile a stored dataset under `schema` (the page's current edit of it). */
  profileDataset(datasetId: string, schema: Schema): Promise<Profile>;
  /**
   * Apply fixes in turn to a stored dataset and save the result as a new cleaned version (made current);
   * the parent stays as it was. Resolves to the new version's record.
   */
  fixDataset(parent: DatasetRecord, schema: Schema, fixes: Fix[], step: string): Promise<DatasetRecord>;
}


/** The last dataset read. Stored datasets never change (a fix makes a new one), so the id is the key. */
let cached: { id: string; table: Table } | undefined;
async function loadTable(datasetId: string): Promise<Table> {
  if (cached?.id !== datasetId) cached = { id: datasetId, table: await workerStore().loadTable(datasetId) };
  return cached.table;
}

const api: ProfileApi = {
  profile: (table, schema) => profileTable(table, schema),
  applyFix(table, schema, fix) {
    const result = applyFix(table, schema, fix);
    return transfer(result, tableBuffers(result.table));
  },
  async profileDataset(datasetId, schema) {
    return profileTable(await loadTable(datasetId), schema);
  },
  async fixDataset(parent, schema, fixes, step) {
    let data = { table: await loadTable(parent.id), schema };
    for (const fix of fixes) data = applyFix(data.table, data.schema, fix);
    const base = parent.sourceFile?.name ?? parent.name.split(' — ')[0];
    const rec = await workerStore().addDataset(
      parent.projectId,
      {
        name: `${base} — ${step}`,
        table: data.table,
        schema: data.schema,
        warnings: parent.warnings,
        sourceFile: parent.sourceFile,
        // The holdout settings carry over, so the train/holdout split stays seeded the same way.
        holdoutFraction: parent.holdoutFraction,
        holdoutSeed: parent.holdoutSeed,
      },
      'cleaned',
      parent.id,
    );
    cached = { id: rec.id, table: data.table };
    return rec;
  },
};

expose(api);
