/**
 * Ingest worker: reads a dropped/picked file into a Table + Schema off the main thread, streaming progress
 * (with a preview of the first rows) and honouring cancel. The table's buffers are transferred back.
 */
import { workerStore } from './workerStore';
import { expose, transfer } from 'comlink';
import { UserError } from '../src/core/context';
import { ingestBlob } from '../src/core/ingest/ingest';
import type { IngestApi, IngestOptions, IngestProgress, IngestWarning } from '../src/core/ingest/types';
import { projectNameForFile } from '../src/db';
import { tableBuffers } from './transferables';

export type { IngestApi };

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

/** The ingest API plus a path that also saves the project here, so a big table never crosses to the page. */
export interface IngestWorkerApi extends IngestApi {
  ingestToProject(file: File, options: IngestOptions, holdout: HoldoutSettings, onProgress: (p: IngestProgress) => void): Promise<SavedImport>;
}


let current: AbortController | null = null;

const api: IngestWorkerApi = {
  async ingest(file, options, onProgress) {
    // Progress goes through a comlink proxy; it is not awaited (the page answers when it can).
    const result = await ingestWithErrors(file, options, onProgress);
    return transfer(result, tableBuffers(result.table));
  },
  async ingestToProject(file, options, holdout, onProgress) {
    const result = await ingestWithErrors(file, options, onProgress);
    onProgress({ phase: 'profiling', fraction: 1, rowsSoFar: result.table.nRows, message: 'Saving project' });
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
  },
  cancel() {
    current?.abort();
  },
};

async function ingestWithErrors(file: Blob, options: IngestOptions, onProgress: (p: IngestProgress) => void) {
  current?.abort(); // newest run wins
  const controller = new AbortController();
  current = controller;
  try {
    return await ingestBlob(file, options, { signal: controller.signal, onProgress: (p) => void onProgress(p) });
  } catch (e) {
    throw foldHint(e);
  } finally {
    if (current === controller) current = null;
  }
}

/** comlink keeps an Error's name and message only: fold the hint into the message. */
function foldHint(e: unknown): unknown {
  if (e instanceof UserError && e.hint) return new UserError(`${e.message} ${e.hint}`);
  return e;
}

expose(api);
