/**
 * One export, in any format, with its provenance: the data file's bytes, the provenance (also inside a
 * Parquet file's metadata), and optionally a zip bundle of data + provenance.json + report.html.
 * Shared by the export worker and the CLI.
 */
import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { makeProvenance, provenanceJson, sha256Hex, type ExportFormat, type Provenance, type ProvenanceFields } from '../provenance/provenance';
import { csvChunks } from './csv';
import { jsonChunks } from './json';
import { makeBundle } from './bundle';

export const MIME: Record<ExportFormat | 'zip', string> = {
  csv: 'text/csv;charset=utf-8',
  tsv: 'text/tab-separated-values;charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
  zip: 'application/zip',
};

export interface DataOptions {
  format: ExportFormat;
  /** Text cells a spreadsheet would run get a leading ' (CSV and TSV; default true). */
  formulaGuard?: boolean;
  /** CSV delimiter (the input's; default ','). */
  delimiter?: string;
  /** Provenance JSON for a Parquet file's key-value metadata. */
  provenanceJson?: string;
}

function encodeChunks(chunks: Iterable<string>): Uint8Array {
  const enc = new TextEncoder();
  const parts = [...chunks].map((c) => enc.encode(c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The data file's bytes in a format. */
export async function exportData(table: Table, schema: Schema, o: DataOptions): Promise<Uint8Array> {
  const formulaGuard = o.formulaGuard !== false;
  switch (o.format) {
    case 'csv': {
      const delimiter = o.delimiter && o.delimiter !== '\t' ? o.delimiter : ',';
      return encodeChunks(csvChunks(table, schema, { delimiter, formulaGuard }));
    }
    case 'tsv':
      return encodeChunks(csvChunks(table, schema, { delimiter: '\t', formulaGuard }));
    case 'json':
      return encodeChunks(jsonChunks(table, schema));
    case 'parquet': {
      const { tableToParquet } = await import('./parquet');
      return tableToParquet(table, schema, { provenance: o.provenanceJson });
    }
  }
}

/** "Copula · seed 1" → "Copula seed 1": a name safe on every file system. */
export function safeBaseName(name: string): string {
  const base = name.replace(/[\\/:*?"<>|·]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return base || 'synthetic';
}

export interface ExportRequest extends DataOptions {
  table: Table;
  schema: Schema;
  /** File name without extension. */
  baseName: string;
  provenance: ProvenanceFields;
  /** A zip of the data, provenance.json and (when given) report.html. */
  bundle?: boolean;
  reportHtml?: string;
}

export interface ExportResult {
  bytes: Uint8Array;
  fileName: string;
  mime: string;
  /** The provenance, with the data file's name and SHA-256. */
  provenance: Provenance;
  provenanceJson: string;
  /** The data file's name and bytes' SHA-256 (inside the zip when bundled). */
  dataFileName: string;
  dataSha256: string;
  /** SHA-256 of the bytes handed out (the zip when bundled, else the data file). */
  sha256: string;
}

export async function exportWithProvenance(r: ExportRequest): Promise<ExportResult> {
  const base = makeProvenance(r.provenance);
  const data = await exportData(r.table, r.schema, { ...r, provenanceJson: r.format === 'parquet' ? provenanceJson(base) : undefined });
  const dataFileName = `${r.baseName}.${r.format}`;
  const dataSha256 = await sha256Hex(data);
  const provenance: Provenance = { ...base, dataFile: { name: dataFileName, format: r.format, sha256: dataSha256 } };
  const json = provenanceJson(provenance);
  if (!r.bundle) return { bytes: data, fileName: dataFileName, mime: MIME[r.format], provenance, provenanceJson: json, dataFileName, dataSha256, sha256: dataSha256 };
  const zip = makeBundle({ dataFileName, data, provenanceJson: json, ...(r.reportHtml !== undefined ? { reportHtml: r.reportHtml } : {}) });
  return { bytes: zip, fileName: `${r.baseName}.zip`, mime: MIME.zip, provenance, provenanceJson: json, dataFileName, dataSha256, sha256: await sha256Hex(zip) };
}
