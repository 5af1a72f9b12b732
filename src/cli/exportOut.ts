/**
 * The CLI's outputs with provenance: `--out` picks the format from its extension (.csv, .tsv, .json,
 * .parquet; anything else is CSV) and NAME.provenance.json is written beside it. Inputs that are
 * Facsimile exports (a provenance sidecar beside them, a Facsimile zip, Parquet metadata) are recognised.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Schema } from '../core/schema/schema';
import type { Table } from '../core/table/table';
import {
  formatOfFileName, generationMessage, makeProvenance, provenanceJson, resolveImport, sidecarName,
  type DetectedProvenance, type ExportFormat, type Provenance, type ProvenanceFields,
} from '../core/provenance';

export function outFormat(file: string): ExportFormat {
  return formatOfFileName(file) ?? 'csv';
}

/** NAME.provenance.json in the output's folder. */
export function sidecarPath(file: string): string {
  return path.join(path.dirname(file), sidecarName(file));
}

export interface InputFile {
  data: Blob;
  fileName: string;
  detected?: DetectedProvenance;
  /** The input's own sidecar, when it has one (it must not be overwritten). */
  sidecar?: string;
}

/** The input, taken out of a Facsimile zip if it is one, with its provenance when it is a Facsimile export. */
export async function readInput(file: string): Promise<InputFile> {
  const side = sidecarPath(file);
  const sidecarText = (await stat(side).catch(() => null))?.isFile() ? await readFile(side, 'utf8') : undefined;
  const r = await resolveImport(await openAsBlob(file), path.basename(file), sidecarText, { hash: false });
  return { data: r.data, fileName: r.fileName, ...(r.detected ? { detected: r.detected } : {}), ...(sidecarText !== undefined ? { sidecar: side } : {}) };
}

/** The warning printed on stderr for an input that is a Facsimile export. */
export function generationWarningLine(d: DetectedProvenance): string {
  const how = d.via === 'sidecar' ? 'its provenance file' : d.via === 'bundle' ? 'the provenance.json in the zip' : 'its Parquet metadata';
  return `warning: ${generationMessage(d.provenance.generation)}\n  (recognised by ${how})\n`;
}

export interface WriteOptions {
  format: ExportFormat;
  delimiter: string;
  formulaGuard: boolean;
}

/** Write the table in its format, then NAME.provenance.json beside it; returns the provenance written. */
export async function writeWithProvenance(file: string, table: Table, schema: Schema, o: WriteOptions, fields: ProvenanceFields): Promise<Provenance> {
  const base = makeProvenance(fields);
  const hash = createHash('sha256');
  if (o.format === 'parquet') {
    const { tableToParquet } = await import('../core/export/parquet');
    const bytes = tableToParquet(table, schema, { provenance: provenanceJson(base) });
    hash.update(bytes);
    await writeFile(file, bytes);
  } else {
    const { csvChunks, jsonChunks } = await import('../core/export');
    const chunks =
      o.format === 'json'
        ? jsonChunks(table, schema)
        : csvChunks(table, schema, { delimiter: o.format === 'tsv' ? '\t' : o.delimiter && o.delimiter !== '\t' ? o.delimiter : ',', formulaGuard: o.formulaGuard });
    const stream = createWriteStream(file);
    for (const chunk of chunks) {
      hash.update(chunk);
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
  }
  const provenance: Provenance = { ...base, dataFile: { name: path.basename(file), format: o.format, sha256: hash.digest('hex') } };
  await writeFile(sidecarPath(file), provenanceJson(provenance));
  return provenance;
}
