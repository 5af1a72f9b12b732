/**
 * Provenance of a Facsimile export: what made it (generator, app version, synthesizer, options, seeds),
 * how many rows, when, a fingerprint of the source (a SHA-256 hash, never values) and its generation:
 * 1 for data synthesized from real data, n + 1 for data synthesized from a generation-n export.
 * It travels as `NAME.provenance.json` beside the data, as `provenance.json` in a zip bundle, and in a
 * Parquet file's key-value metadata (`facsimile.provenance`).
 */
import { version } from '../../../package.json';
import { tableToCsv } from '../export/csv';
import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';

export const GENERATOR = 'Facsimile';
export const APP_VERSION: string = version;
/** Key of the provenance JSON in a Parquet file's key-value metadata. */
export const PARQUET_PROVENANCE_KEY = 'facsimile.provenance';
/** Name of the provenance inside a zip bundle. */
export const BUNDLE_PROVENANCE = 'provenance.json';

export type ExportFormat = 'csv' | 'tsv' | 'json' | 'parquet';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'tsv', 'json', 'parquet'];

export interface Provenance {
  generator: typeof GENERATOR;
  appVersion: string;
  /** Synthesizer id (copula, bayesnet, cart, …) and the options given to its fit. */
  synthesizer: string;
  options: Record<string, unknown>;
  fitSeed: number;
  sampleSeed: number;
  /** Conditions of a conditional sample, if any (column names and bounds or levels asked for). */
  conditions?: unknown;
  rows: number;
  /** ISO 8601 date and time of the export. */
  createdAt: string;
  /**
   * SHA-256 (hex) of the source table's canonical content (see tableFingerprint): a hash, never values;
   * null when the source data is no longer stored (its real data was deleted).
   */
  sourceFingerprint: string | null;
  /** 1 for data synthesized from real data; n + 1 for data synthesized from a generation-n export. */
  generation: number;
  /** The data file this provenance describes (sidecars and bundles; absent inside a Parquet file). */
  dataFile?: { name: string; format: ExportFormat; sha256: string };
}

export type ProvenanceFields = Omit<Provenance, 'generator' | 'appVersion' | 'createdAt'> & { createdAt?: Date | string };

export function makeProvenance(f: ProvenanceFields): Provenance {
  const createdAt = f.createdAt === undefined ? new Date().toISOString() : typeof f.createdAt === 'string' ? f.createdAt : f.createdAt.toISOString();
  const { createdAt: _c, ...rest } = f;
  return { generator: GENERATOR, appVersion: APP_VERSION, ...rest, createdAt };
}

export function provenanceJson(p: Provenance): string {
  return JSON.stringify(p, null, 2) + '\n';
}

/** A provenance read from text, or undefined when the text is not a Facsimile provenance. */
export function parseProvenance(text: string | undefined | null): Provenance | undefined {
  if (!text) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const p = v as Partial<Provenance>;
  if (p.generator !== GENERATOR) return undefined;
  if (typeof p.generation !== 'number' || !Number.isInteger(p.generation) || p.generation < 1) return undefined;
  return p as Provenance;
}

export { sidecarName } from './dropped';

/** The export format a file name's extension names, if any. */
export function formatOfFileName(name: string): ExportFormat | undefined {
  const m = /\.([a-z]+)$/i.exec(name);
  const ext = m?.[1].toLowerCase();
  return ext === 'csv' || ext === 'tsv' || ext === 'json' || ext === 'parquet' ? ext : undefined;
}

/** SHA-256 of bytes (or of the concatenation of chunks), as lowercase hex, through WebCrypto. */
export async function sha256Hex(data: Uint8Array | Uint8Array[]): Promise<string> {
  let bytes: Uint8Array;
  if (Array.isArray(data)) {
    bytes = new Uint8Array(data.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of data) {
      bytes.set(c, at);
      at += c.length;
    }
  } else bytes = data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The fingerprint of a table: SHA-256 of its canonical content, which is the table written as CSV with
 * a comma, LF line ends, the header names and each value as the input formats it, formula guard off.
 * The same data gives the same fingerprint whatever file it came from; the hash reveals no value.
 */
export async function tableFingerprint(table: Table, schema: Schema): Promise<string> {
  return sha256Hex(new TextEncoder().encode(tableToCsv(table, schema, { delimiter: ',', newline: '\n', formulaGuard: false })));
}

/**
 * The generation of a dataset from its lineage (the dataset first, then its parent, …, the import last):
 * the nearest stored generation, plus one for each synthesis after it; real data is 0.
 */
export function lineageGeneration(lineage: { origin: 'import' | 'cleaned' | 'synthetic'; generation?: number }[]): number {
  let g = 0;
  for (let i = lineage.length - 1; i >= 0; i--) {
    const d = lineage[i];
    g = d.generation ?? g + (d.origin === 'synthetic' ? 1 : 0);
  }
  return g;
}

export const GENERATION_WARNING_CODE = 'synthetic-generation';

/** The two-sentence explanation shown when an import (or a CLI input) is a Facsimile export. */
export function generationMessage(generation: number): string {
  return (
    `This file is a Facsimile synthetic export (generation ${generation}). ` +
    'Training on synthetic output compounds its errors with each generation — rare values and correlations fade — so synthesize from the real source where you can.'
  );
}

export function generationWarning(generation: number): { code: string; message: string } {
  return { code: GENERATION_WARNING_CODE, message: generationMessage(generation) };
}
