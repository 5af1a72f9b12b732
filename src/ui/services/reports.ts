/**
 * Report I/O: gather what an evaluation needs from storage (the source split and the synthetic
 * table), save reports, and download them as self-contained HTML or JSON.
 */
import type { Report } from '../../core/report/types';
import { renderReportHtml, reportToJson } from '../../core/report';
import type { Schema } from '../../core/schema/schema';
import type { Table } from '../../core/table/table';
import type { DatasetRecord, ModelRecord, ReportRecord } from '../../db';
import { store } from '../state/storage';
import type { EvaluateRequest, EvaluateRun } from '../state/evaluateRun.svelte';
import { trainHoldout } from './trainingData';

const SYNTHESIZER_NAMES: Record<string, string> = {
  copula: 'Gaussian copula',
  bayesnet: 'Bayesian network',
  cart: 'CART sequential',
};

export function synthesizerName(id: string): string {
  return SYNTHESIZER_NAMES[id] ?? id;
}

/**
 * The model a synthetic dataset was drawn from: a dataset record carries no model id, so take the
 * newest model fitted on the same source dataset before the synthetic table was saved.
 */
export function modelFor(models: ModelRecord[], synthetic: DatasetRecord): ModelRecord | undefined {
  let best: ModelRecord | undefined;
  for (const m of models) {
    if (m.datasetId !== synthetic.parentId || m.createdAt > synthetic.createdAt) continue;
    if (!best || m.createdAt > best.createdAt) best = m;
  }
  return best;
}

/** The differential-privacy budget a model was trained with, if any. */
export function epsilonOf(model: ModelRecord | undefined): number | undefined {
  if (!model) return undefined;
  const fromOptions = model.options?.epsilon;
  if (typeof fromOptions === 'number' && Number.isFinite(fromOptions) && fromOptions > 0) return fromOptions;
  // Some synthesizers also record it in their serialized header's stats.
  const meta = model.serialized?.meta as { stats?: { epsilon?: unknown } } | undefined;
  const fromStats = meta?.stats?.epsilon;
  return typeof fromStats === 'number' && Number.isFinite(fromStats) && fromStats > 0 ? fromStats : undefined;
}

/** A human label for what produced a synthetic table, e.g. "penguins synthetic · CART sequential, seed 7". */
export function syntheticLabel(synthetic: DatasetRecord, model: ModelRecord | undefined): string {
  if (!model) return synthetic.name;
  const eps = epsilonOf(model);
  return `${synthetic.name} · ${synthesizerName(model.synthesizer)}, seed ${model.seed}${eps === undefined ? '' : `, ε = ${eps}`}`;
}

/** Columns a user may pick as the utility target: modelled columns that are neither keys nor free text. */
export function targetCandidates(schema: Schema): string[] {
  return schema.columns.filter((c) => c.role === 'synthesize' && c.kind !== 'id' && c.kind !== 'text').map((c) => c.name);
}

/** Few enough levels to read as a class to predict. */
const MAX_TARGET_LEVELS = 10;

/**
 * Default utility target: the first categorical (or boolean) column with 2..10 levels, else the last
 * candidate column.
 */
export function defaultTarget(schema: Schema, table: Table | undefined): string | undefined {
  const candidates = targetCandidates(schema);
  for (const name of candidates) {
    const kind = schema.columns.find((c) => c.name === name)?.kind;
    if (kind !== 'categorical' && kind !== 'boolean') continue;
    const col = table?.columns.find((c) => c.name === name);
    const levels = col?.type === 'categorical' ? col.levels.length : undefined;
    if (levels === undefined || (levels >= 2 && levels <= MAX_TARGET_LEVELS)) return name;
  }
  return candidates.at(-1);
}

export interface EvaluationInputs {
  request: EvaluateRequest;
  source: DatasetRecord;
  synthetic: DatasetRecord;
  model: ModelRecord | undefined;
}

/** Load the source split (train and holdout) and the synthetic table of one synthetic dataset. */
export async function loadEvaluationInputs(syntheticId: string, options: { target?: string; sampleSize?: number; seed?: number }): Promise<EvaluationInputs> {
  const synthetic = await store.getDataset(syntheticId);
  if (!synthetic) throw new Error('This synthetic dataset no longer exists (it may have been deleted).');
  if (!synthetic.parentId) throw new Error(`"${synthetic.name}" does not say which dataset it was made from, so it cannot be compared with the real data.`);
  const source = await store.getDataset(synthetic.parentId);
  if (!source) throw new Error(`The real dataset behind "${synthetic.name}" no longer exists, so there is nothing to compare it with.`);
  const [sourceTable, syntheticTable, models] = await Promise.all([
    store.loadTable(source.id),
    store.loadTable(synthetic.id),
    store.listModels(synthetic.projectId),
  ]);
  const { train, holdout } = trainHoldout(source, sourceTable);
  const model = modelFor(models, synthetic);
  const target = options.target && source.schema.columns.some((c) => c.name === options.target) ? options.target : undefined;
  return {
    request: {
      train,
      holdout,
      synthetic: syntheticTable,
      schema: source.schema,
      target,
      sampleSize: options.sampleSize,
      label: syntheticLabel(synthetic, model),
      seed: options.seed ?? 1,
    },
    source,
    synthetic,
    model,
  };
}

/** Evaluate each synthetic dataset in turn in the worker and save each report; returns the saved records. */
export async function evaluateAndSave(
  run: EvaluateRun,
  projectId: string,
  syntheticIds: string[],
  options: { target?: string; sampleSize?: number; seed?: number },
): Promise<ReportRecord[]> {
  const saved: ReportRecord[] = [];
  for (let i = 0; i < syntheticIds.length; i++) {
    const inputs = await loadEvaluationInputs(syntheticIds[i], options);
    run.step = { index: i + 1, count: syntheticIds.length, name: inputs.synthetic.name };
    const report = await run.start(inputs.request);
    if (!report) break; // cancelled or failed: the run shows why
    const eps = epsilonOf(inputs.model);
    if (eps !== undefined) {
      report.notes.push(`The model was trained with differential privacy: ε = ${eps} (${synthesizerName(inputs.model!.synthesizer)}).`);
    }
    saved.push(
      await store.saveReport({ projectId, modelId: inputs.model?.id ?? '', syntheticDatasetId: inputs.synthetic.id, report }),
    );
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
