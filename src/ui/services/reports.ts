/**
 * Reports on the page: which synthetic datasets to evaluate (the evaluate worker reads them and saves
 * the report), and downloads of saved reports as self-contained HTML or JSON.
 */
import type { Report } from '../../core/report/types';
import { renderReportHtml, reportToJson } from '../../core/report';
import type { Schema } from '../../core/schema/schema';
import type { DatasetRecord, ReportRecord } from '../../db';
import type { EvaluateRequest, EvaluateRun } from '../state/evaluateRun.svelte';
export { originOf, synthesizerName, syntheticLabel, type SyntheticOrigin } from '../../core/report/origin';

/** Columns a user may pick as the utility target: modelled columns that are neither keys nor free text. */
export function targetCandidates(schema: Schema): string[] {
  return schema.columns.filter((c) => c.role === 'synthesize' && c.kind !== 'id' && c.kind !== 'text').map((c) => c.name);
}

/**
 * Evaluate each synthetic dataset in turn in the worker, which reads the data and saves each report;
 * returns the saved records.
 */
export async function evaluateAndSave(
  run: EvaluateRun,
  datasets: DatasetRecord[],
  options: Pick<EvaluateRequest, 'target' | 'sampleSize' | 'seed' | 'embedModelId'>,
): Promise<ReportRecord[]> {
  const saved: ReportRecord[] = [];
  for (let i = 0; i < datasets.length; i++) {
    run.step = { index: i + 1, count: datasets.length, name: datasets[i].name };
    const rec = await run.start({ syntheticId: datasets[i].id, ...options });
    if (!rec) break; // cancelled or failed: the run shows why
    saved.push(rec);
  }
  return saved;
}

/** The Report of a saved record, or undefined when the record holds something else (an older format). */
export function reportOf(rec: ReportRecord): Report | undefined {
  const r = rec.report as Partial<Report> | null | undefined;
  return r && r.version === 1 && r.scorecard && r.fidelity ? (r as Report) : undefined;
}

/**
 * The rule of suggestBest (src/core/report/compare.ts), in words shown beside the suggestion; keep
 * the two in step.
 */
export const BEST_RULE =
  'among the reports without a poor privacy verdict, the one whose 2-way accuracy comes closest to the holdout ceiling; within 0.005 of each other, the better TSTR/TRTR ratio, then the DCR share nearer 50%.';

export { suggestBest } from '../../core/report';

function safeFileName(s: string): string {
  return s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'report';
}

function download(content: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the blob; give the browser a moment before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One self-contained HTML file (inline SVG and CSS, no external asset): one report or a comparison. */
export function downloadReportHtml(reports: Report | Report[], name: string) {
  download(renderReportHtml(reports), `${safeFileName(name)}.html`, 'text/html;charset=utf-8');
}

export function downloadReportJson(report: Report, name: string) {
  download(reportToJson(report), `${safeFileName(name)}.json`, 'application/json');
}
