/**
 * Profile worker: per-column statistics, data-quality findings and one-click fixes, off the main thread
 * (profiling a 1 M-row table takes seconds). The page names a stored dataset and the worker reads it from
 * IndexedDB itself, and saves a fixed version itself: a big table never crosses to the page.
 */
import { expose } from 'comlink';
import { applyFix, previewFix, profileTable, type Fix, type FixPreview, type Profile } from '../src/core/profile';
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import { previewRows, type PreviewCell } from '../src/core/table/preview';
import type { DatasetRecord } from '../src/db';
import { loadDataset, rememberTable, withPreview } from './datasets';
import { keyringApi } from './keyring';
import { portable, RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

const runs = new RunSlot();

const api = {
  ...keyringApi,
  /** Profile a stored dataset under `schema` (the page's current edit of it), streaming progress. */
  profileDataset(datasetId: string, schema: Schema, onProgress?: (p: Progress) => void): Promise<Profile> {
    return runs.run(async () => {
      onProgress?.({ phase: 'reading', fraction: 0, message: 'Reading the data' });
      const { table } = await loadDataset(datasetId);
      // A comlink proxy call: not awaited; posted at once even while the profile runs on.
      return profileTable(table, schema, { onProgress: (p) => void onProgress?.({ phase: 'profiling', fraction: p.fraction, message: p.message }) });
    });
  },

  /**
   * Some rows of a stored dataset as the export writes them, `firstColumn` first: the rows a finding
   * points at. At most 50 rows.
   */
  rows(datasetId: string, rows: number[], firstColumn?: string): Promise<{ header: string[]; rowNumbers: number[]; rows: PreviewCell[][] }> {
    return portable(async () => {
      const { dataset, table } = await loadDataset(datasetId);
      const kept = rows.filter((r) => r >= 0 && r < table.nRows).slice(0, 50);
      const columns = [...table.columns];
      const first = firstColumn ? columns.findIndex((c) => c.name === firstColumn) : -1;
      if (first > 0) columns.unshift(...columns.splice(first, 1));
      const p = previewRows({ nRows: table.nRows, columns }, dataset.schema, kept.length, kept);
      return { ...p, rowNumbers: kept.map((r) => r + 1) };
    });
  },

  /** The dataset's record with its stored preview (made now for datasets saved without one). */
  withPreview(datasetId: string): Promise<DatasetRecord> {
    return portable(() => withPreview(datasetId));
  },

  /**
   * What a fix would change in a stored dataset, before it is applied: the fix is applied in memory with
   * applyFix and only a small summary (counts, a few values before → after) goes back. Nothing is saved.
   */
  previewFix(datasetId: string, schema: Schema, fix: Fix): Promise<FixPreview> {
    return portable(async () => {
      const { table } = await loadDataset(datasetId);
      return previewFix(table, schema, fix);
    });
  },

  /**
   * Apply fixes in turn to a stored dataset and save the result as a new cleaned version (made current);
   * the parent stays as it was. Resolves to the new version's record.
   */
  fixDataset(parentId: string, schema: Schema, fixes: Fix[], step: string): Promise<DatasetRecord> {
    return portable(async () => {
      const { dataset: parent, table } = await loadDataset(parentId);
      let data = { table, schema };
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
      rememberTable(rec.id, data.table);
      return rec;
    });
  },

  cancel(): void {
    runs.cancel();
  },
};

export type ProfileApi = typeof api;
expose(api);
