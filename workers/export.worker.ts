/**
 * Export worker: writes a stored dataset as CSV, TSV, JSON or Parquet, optionally bundled in a zip with
 * its provenance.json and HTML report, and remembers the SHA-256 of what it handed out so that the
 * file, dropped back in, is recognised as a Facsimile export. Only the finished file crosses to the page.
 */
import { expose } from 'comlink';
import { UserError } from '../src/core/context';
import { exportWithProvenance, safeBaseName } from '../src/core/export/exportFile';
import { lineageGeneration, tableFingerprint, type ExportFormat } from '../src/core/provenance';
import { renderReportHtml } from '../src/core/report';
import type { Report } from '../src/core/report/types';
import { saveExportFingerprints, type DatasetRecord } from '../src/db';
import { loadDataset } from './datasets';
import { keyringApi } from './keyring';
import { RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

export interface ExportOptions {
  format: ExportFormat;
  /** A zip with provenance.json and, when the dataset has one, its HTML report. */
  bundle?: boolean;
  /** CSV and TSV: text a spreadsheet would run as a formula gets a leading ' (default true). */
  formulaGuard?: boolean;
}

export interface ExportedFile {
  blob: Blob;
  fileName: string;
  /** SHA-256 hex of the file's bytes, stored so that a re-import is recognised. */
  fingerprint: string;
  generation: number;
}

const runs = new RunSlot();
/** Source fingerprints already computed, by dataset id (stored datasets never change). */
const sourceFingerprints = new Map<string, string | null>();

/** The dataset's chain of parents, nearest first. */
async function ancestors(d: DatasetRecord): Promise<DatasetRecord[]> {
  const out: DatasetRecord[] = [];
  let id = d.parentId;
  while (id && out.length < 1000) {
    const p = await workerStore().getDataset(id);
    if (!p) break;
    out.push(p);
    id = p.parentId;
  }
  return out;
}

/** SHA-256 of the source's canonical content; null when its data is no longer stored (deleted real data). */
async function sourceFingerprint(source: DatasetRecord | undefined): Promise<string | null> {
  if (!source) return null;
  if (!sourceFingerprints.has(source.id)) {
    let fp: string | null = null;
    try {
      fp = await tableFingerprint(await workerStore().loadTable(source.id), source.schema);
    } catch {
      fp = null;
    }
    sourceFingerprints.set(source.id, fp);
  }
  return sourceFingerprints.get(source.id)!;
}

/** The HTML of the newest report on this synthetic dataset, if there is one. */
async function reportHtml(d: DatasetRecord): Promise<string | undefined> {
  const reports = (await workerStore().listReports(d.projectId)).filter((r) => r.syntheticDatasetId === d.id);
  const r = reports.at(-1)?.report as Partial<Report> | undefined;
  return r && r.version === 1 && r.scorecard && r.fidelity ? renderReportHtml(r as Report) : undefined;
}

const api = {
  ...keyringApi,
  exportDataset(datasetId: string, options: ExportOptions): Promise<ExportedFile> {
    return runs.run(async () => {
      const { dataset, table } = await loadDataset(datasetId);
      const s = dataset.synthesis;
      if (dataset.origin !== 'synthetic' || !s) throw new UserError('Only synthetic datasets are exported with provenance.');
      const parents = await ancestors(dataset);
      // Stored with the dataset; derived from its parents for datasets saved before generations were.
      const generation = lineageGeneration([dataset, ...parents]);
      // CSV keeps the delimiter of the file the project was imported from (a comma for TSV, JSON, Parquet).
      const root = parents.at(-1);
      const result = await exportWithProvenance({
        table,
        schema: dataset.schema,
        format: options.format,
        formulaGuard: options.formulaGuard !== false,
        delimiter: root?.sourceFile?.delimiter,
        baseName: safeBaseName(dataset.name),
        bundle: options.bundle,
        reportHtml: options.bundle ? await reportHtml(dataset) : undefined,
        provenance: {
          synthesizer: s.synthesizer,
          options: s.options,
          fitSeed: s.fitSeed,
          sampleSeed: s.sampleSeed,
          ...(s.conditions ? { conditions: s.conditions } : {}),
          rows: dataset.nRows,
          sourceFingerprint: await sourceFingerprint(parents[0]),
          generation,
        },
      });
      const now = Date.now();
      const hashes = [...new Set([result.sha256, result.dataSha256])];
      await saveExportFingerprints(
        workerStore().db,
        hashes.map((hash) => ({ hash, projectId: dataset.projectId, datasetId: dataset.id, generation, fileName: hash === result.sha256 ? result.fileName : result.dataFileName, createdAt: now })),
      );
      return { blob: new Blob([result.bytes as Uint8Array<ArrayBuffer>], { type: result.mime }), fileName: result.fileName, fingerprint: result.sha256, generation };
    });
  },

  cancel(): void {
    runs.cancel();
  },
};

export type ExportApi = typeof api;
expose(api);
