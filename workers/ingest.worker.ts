/**
 * Ingest worker: reads a dropped/picked file off the main thread, streaming progress (with a preview of
 * the first rows) and honouring cancel, and saves it as a new project itself: the table never crosses
 * to the page. A Facsimile export (recognised by its provenance sidecar, the provenance.json of a
 * dropped zip, its Parquet metadata, or the fingerprint stored when this app exported it) is saved with
 * its generation and a warning that says so.
 */
import { expose } from 'comlink';
import { ingestBlob } from '../src/core/ingest/ingest';
import type { IngestOptions, IngestProgress, IngestWarning } from '../src/core/ingest/types';
import { generationWarning, pickSidecar, resolveImport, type DetectedProvenance } from '../src/core/provenance';
import { findExportFingerprint, projectNameForFile } from '../src/db';
import { keyringApi } from './keyring';
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
  /** The generation of a Facsimile export (absent for real data) and how it was recognised. */
  generation?: number;
  recognisedBy?: DetectedProvenance['via'];
}

const runs = new RunSlot();

/** A Facsimile export's provenance, from the file itself or from the fingerprints of this app's exports. */
async function recognise(file: File, companions: File[]) {
  const sidecar = pickSidecar(file.name, companions);
  const resolved = await resolveImport(file, file.name, sidecar ? await sidecar.text() : undefined);
  if (resolved.detected) return { ...resolved, generation: resolved.detected.provenance.generation, via: resolved.detected.via };
  for (const hash of resolved.hashes) {
    const known = await findExportFingerprint(workerStore().db, hash);
    if (known) return { ...resolved, generation: known.generation, via: 'fingerprint' as const };
  }
  return { ...resolved, generation: undefined, via: undefined };
}

const api = {
  ...keyringApi,
  /** `companions`: files dropped together with `file` (its provenance sidecar). */
  ingestToProject(file: File, options: IngestOptions, holdout: HoldoutSettings, onProgress: (p: IngestProgress) => void, companions: File[] = []): Promise<SavedImport> {
    return runs.run(async (signal) => {
      void onProgress({ phase: 'reading', fraction: 0, rowsSoFar: 0, message: `Reading ${file.name}` });
      const found = await recognise(file, companions);
      // Progress goes through a comlink proxy; it is not awaited (the page answers when it can).
      const result = await ingestBlob(found.data, { ...options, fileName: found.fileName }, { signal, onProgress: (p) => void onProgress(p) });
      const warnings = result.warnings.map((w) => ({ code: w.code, message: w.message }));
      if (found.generation) warnings.unshift(generationWarning(found.generation));
      void onProgress({ phase: 'profiling', fraction: 1, rowsSoFar: result.table.nRows, message: 'Saving project' });
      const project = await workerStore().createProject(projectNameForFile(found.fileName), {
        name: found.fileName,
        table: result.table,
        schema: result.schema,
        warnings,
        sourceFile: { name: found.fileName, size: found.data.size, encoding: result.encoding, delimiter: result.delimiter },
        holdoutFraction: holdout.fraction,
        holdoutSeed: holdout.seed,
        ...(found.generation ? { generation: found.generation } : {}),
      });
      return {
        projectId: project.id,
        nRows: result.table.nRows,
        nColumns: result.table.columns.length,
        warnings,
        ...(found.generation ? { generation: found.generation, recognisedBy: found.via } : {}),
      };
    });
  },
  cancel(): void {
    runs.cancel();
  },
};

export type IngestWorkerApi = typeof api;
expose(api);
