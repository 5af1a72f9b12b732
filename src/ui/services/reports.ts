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

/** What produced a synthetic dataset. */
export interface SyntheticOrigin {
  modelId?: string;
  synthesizer?: string;
  fitSeed?: number;
  sampleSeed?: number;
  /** Differential-privacy budget of the model, when it used one. */
  epsilon?: number;
  /** Drawn under conditions: its distributions are meant to differ from the real data's. */
  conditional: boolean;
}

const positive = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined);

/**
 * The provenance saved with a synthetic dataset; for one saved without it, the newest model fitted
 * on the same source dataset before the synthetic table was saved.
 */
export function originOf(synthetic: DatasetRecord, models: ModelRecord[]): SyntheticOrigin {
  const p = synthetic.synthesis;
  if (p) {
    const model = models.find((m) => m.id === p.modelId);
    return {
      modelId: p.modelId,
      synthesizer: p.synthesizer,
      fitSeed: p.fitSeed,
      sampleSeed: p.sampleSeed,
      epsilon: positive(p.stats?.epsilon) ?? positive(p.options?.epsilon) ?? positive(model?.options?.epsilon),
      conditional: p.conditions !== undefined && Object.keys(p.conditions).length > 0,
    };
  }
  let model: ModelRecord | undefined;
  for (const m of models) {
    if (m.datasetId !== synthetic.parentId || m.createdAt > synthetic.createdAt) continue;
    if (!model || m.createdAt > model.createdAt) model = m;
  }
  if (!model) return { conditional: false };
  return { modelId: model.id, synthesizer: model.synthesizer, fitSeed: model.seed, epsilon: positive(model.options?.epsilon), conditional: false };
}

/**
 * A short label for what produced a synthetic table, e.g. "Bayesian network (seed 42, ε = 1) · 275 rows";
 * the dataset's own name when its origin is unknown.
 */
export function syntheticLabel(synthetic: DatasetRecord, origin: SyntheticOrigin): string {
  if (!origin.synthesizer) return synthetic.name;
  const details: string[] = [];
  if (origin.fitSeed !== undefined) details.push(`seed ${origin.fitSeed}`);
  if (origin.epsilon !== undefined) details.push(`ε = ${origin.epsilon}`);
  if (origin.conditional) details.push('conditional');
  const what = `${synthesizerName(origin.synthesizer)}${details.length ? ` (${details.join(', ')})` : ''}`;
  return `${what} · ${synthetic.nRows.toLocaleString('en')} rows`;
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
  origin: SyntheticOrigin;
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
  const origin = originOf(synthetic, models);
  const target = options.target && source.schema.columns.some((c) => c.name === options.target) ? options.target : undefined;
  return {
    request: {
      train,
      holdout,
      synthetic: syntheticTable,
      schema: source.schema,
      target,
      sampleSize: options.sampleSize,
      label: syntheticLabel(synthetic, origin),
      seed: options.seed ?? 1,
    },
    source,
    synthetic,
    origin,
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
    report.notes.push(...originNotes(inputs.origin));
    saved.push(await store.saveReport({ projectId, modelId: inputs.origin.modelId ?? '', syntheticDatasetId: inputs.synthetic.id, report }));
  }
  return saved;
}

/** Sentences about the synthetic table's origin that the figures depend on (kept in the exports too). */
function originNotes(o: SyntheticOrigin): string[] {
  const out: string[] = [];
  if (o.epsilon !== undefined) {
    out.push(`The model was trained with differential privacy: ε = ${o.epsilon}${o.synthesizer ? ` (${synthesizerName(o.synthesizer)})` : ''}; smaller ε is more private.`);
  }
  if (o.conditional) out.push('The synthetic table was drawn under conditions, so its distributions are meant to differ from the real data: read fidelity with that in mind.');
  return out;
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
