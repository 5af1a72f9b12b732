import type { IngestResult } from '../../core/ingest/types';
import type { ProjectRecord } from '../../db';
import { store, requestPersistence } from '../state/storage';

export interface HoldoutSettings {
  fraction: number;
  seed: number;
}

/** Save an ingested table as a new project (one transaction: all or nothing). */
export async function saveImport(result: IngestResult, file: { name: string; size: number }, holdout: HoldoutSettings): Promise<ProjectRecord> {
  const project = await store.createProject(projectNameFor(file.name), {
    name: file.name,
    table: result.table,
    schema: result.schema,
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
    sourceFile: { name: file.name, size: file.size, encoding: result.encoding, delimiter: result.delimiter },
    holdoutFraction: holdout.fraction,
    holdoutSeed: holdout.seed,
  });
  void requestPersistence();
  return project;
}

function projectNameFor(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  return base ? base[0].toUpperCase() + base.slice(1) : 'Untitled';
}

/** Fetch a bundled sample from the app's own origin (precached by the service worker). */
export async function loadSample(file: string): Promise<File> {
  const res = await fetch(`${import.meta.env.BASE_URL}samples/${file}`);
  if (!res.ok) throw new Error(`The sample "${file}" could not be loaded (HTTP ${res.status}).`);
  return new File([await res.blob()], file, { type: 'text/csv' });
}
