/**
 * Ingest worker: reads a dropped/picked file off the main thread, streaming progress (with a preview of
 * the first rows) and honouring cancel, and saves it as a new project itself: the table never crosses
 * to the page.
 */
import { expose } from 'comlink';
import { ingestBlob } from '../src/core/ingest/ingest';
import type { IngestOptions, IngestProgress, IngestWarning } from '../src/core/ingest/types';
import { projectNameForFile } from '../src/db';
import { RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

export interface HoldoutSettings {
  fraction: number;
  seed: number;
}

export interface SavedImport {
  projectId: string;
  nRows: number;
  nColumns: number;
  warnings: IngestWarning[];
}

const runs = new RunSlot();

const api = {
  ingestToProject(file: File, options: IngestOptions, holdout: HoldoutSettings, onProgress: (p: IngestProgress) => void): Promise<SavedImport> {
    return runs.run(async (signal) => {
      // Progress goes through a comlink proxy; it is not awaited (the page answers when it can).
      const result = await ingestBlob(file, options, { signal, onProgress: (p) => void onProgress(p) });
      void onProgress({ phase: 'profiling', fraction: 1, rowsSoFar: result.table.nRows, message: 'Saving project' });
      const project = await workerStore().createProject(projectNameForFile(file.name), {
        name: file.name,
        table: result.table,
        schema: result.schema,
        warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
        sourceFile: { name: file.name, size: file.size, encoding: result.encoding, delimiter: result.delimiter },
        holdoutFraction: holdout.fraction,
        holdoutSeed: holdout.seed,
      });
      return { projectId: project.id, nRows: result.table.nRows, nColumns: result.table.columns.length, warnings: result.warnings };
    });
  },
  cancel(): void {
    runs.cancel();
  },
};

export type IngestWorkerApi = typeof api;
expose(api);
