import type { Table } from '../table/table';
import type { IngestWarning } from '../schema/parsed';
import type { Schema } from '../schema/schema';

export type { IngestWarning } from '../schema/parsed';

/** What the caller knows about the file; everything else is detected. */
export interface IngestOptions {
  fileName: string;
  /** Extra tokens that mean "missing" besides the defaults (empty, NA, N/A, null, NaN, ?). */
  missingTokens?: string[];
  /** Force a delimiter instead of detecting one. */
  delimiter?: string;
  /** Force header / no header instead of detecting it. */
  hasHeader?: boolean;
  /** Stop after this many data rows (with a warning). */
  maxRows?: number;
}

export interface IngestPreview {
  header: string[];
  rows: (string | null)[][];
}

export interface IngestProgress {
  phase: 'reading' | 'parsing' | 'profiling';
  /** 0..1 over the whole ingest. */
  fraction: number;
  rowsSoFar: number;
  message?: string;
  /** Sent once, with the first rows, as soon as they are parsed. */
  preview?: IngestPreview;
}

export interface IngestResult {
  table: Table;
  schema: Schema;
  warnings: IngestWarning[];
  /** 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', or 'parquet' / 'json' containers. */
  encoding: string;
  /** The CSV delimiter used ('' for Parquet and JSON). */
  delimiter: string;
  fileName: string;
}

/** What workers/ingest.worker.ts exposes through comlink. */
export interface IngestApi {
  ingest(file: Blob, options: IngestOptions, onProgress: (p: IngestProgress) => void): Promise<IngestResult>;
  /** Aborts the running ingest; ingest() then rejects with CancelledError (name 'CancelledError'). */
  cancel(): void;
}
