import { isNumericKind, type Schema } from '../../core/schema/schema';
import type { Table } from '../../core/table/table';
import type { Condition, Conditions, SynthesizerId } from '../../core/synth/types';
import { UserError } from '../../core/context';
import type { DatasetRecord, ModelRecord, ProjectStore } from '../../db';
import type { FitRequest } from '../../../workers/train.worker';
import type { DrawnSample, FittedModel } from '../state/trainRun.svelte';
import { trainHoldout } from './trainingData';
export { previewRows } from './previewRows';

/** What the user chose on the Synthesize tab, as plain values. */
export interface SynthChoice {
  synthesizer: SynthesizerId;
  seed: number;
  rareCategoryThreshold: number;
  redrawLeakedRows: boolean;
  /** Bayesian network only; undefined = no differential privacy. */
  epsilon?: number;
  /** CART only: visit order by column name. */
  cartOrder: string[];
  minLeafSize: number;
  smoothing: boolean;
}

/** One condition as typed in the form (strings from inputs); empty fields mean "no bound". */
export interface ConditionDraft {
  column: string;
  equals: string;
  min: string;
  max: string;
}

/** Biggest sample the page will hold (a tab's memory, not the engine, is the limit). */
export const MAX_ROWS = 2_000_000;

/** Rows in the train part, without building it (mirrors splitHoldout's rounding). */
export function trainRowCount(dataset: DatasetRecord): number {
  return dataset.nRows - Math.round(dataset.nRows * (dataset.holdoutFraction ?? 0.2));
}

/** Columns a model learns (those to synthesize), in schema order. */
export function modelColumns(schema: Schema): string[] {
  return schema.columns.filter((c) => c.role === 'synthesize').map((c) => c.name);
}

/** Options for fit: the pipeline's common options plus the chosen engine's. Plain JSON, storable. */
export function fitOptions(c: SynthChoice): Record<string, unknown> {
  const common = { rareCategoryThreshold: c.rareCategoryThreshold, redrawLeakedRows: c.redrawLeakedRows };
  switch (c.synthesizer) {
    case 'copula':
      return common;
    case 'bayesnet':
      return c.epsilon === undefined ? common : { ...common, epsilon: c.epsilon };
    case 'cart':
      return { ...common, order: [...c.cartOrder], minLeafSize: c.minLeafSize, smoothing: c.smoothing };
  }
}

/** The fit request: ONLY the train part of the dataset (the holdout is never shown to a model). */
export function buildFitRequest(dataset: DatasetRecord, table: Table, c: SynthChoice): FitRequest {
  if (!Number.isInteger(c.seed)) throw new UserError(`The seed must be a whole number (got ${c.seed}).`, 'Any whole number works; the same seed gives the same rows.');
  const { train } = trainHoldout(dataset, table);
  // A plain copy: a Svelte state proxy cannot be cloned to a worker (the schema is JSON by design).
  const schema = JSON.parse(JSON.stringify(dataset.schema)) as Schema;
  return { train, schema, synthesizer: c.synthesizer, options: fitOptions(c), seed: c.seed };
}

/** Conditions for sampling from the form; throws a UserError on a value that is not a number. */
export function toConditions(drafts: ConditionDraft[], schema: Schema): Conditions | undefined {
  const out: Conditions = {};
  for (const d of drafts) {
    const col = schema.columns.find((c) => c.name === d.column);
    if (!col) continue;
    let cond: Condition;
    if (isNumericKind(col.kind)) {
      const min = parseBound(d.min, col.kind === 'datetime', col.name);
      let max = parseBound(d.max, col.kind === 'datetime', col.name);
      // A date picked as the upper bound means "up to the end of that day".
      if (max !== undefined && col.kind === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(d.max.trim())) max += DAY_MS - 1;
      if (min === undefined && max === undefined) continue;
      cond = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    } else {
      if (d.equals === '') continue;
      cond = { equals: d.equals };
    }
    out[col.name] = cond;
  }
  return Object.keys(out).length ? out : undefined;
}

const DAY_MS = 86_400_000;

function parseBound(s: string, datetime: boolean, name: string): number | undefined {
  if (s.trim() === '') return undefined;
  const v = datetime ? Date.parse(s) : Number(s);
  if (!Number.isFinite(v)) {
    throw new UserError(`"${s}" is not a ${datetime ? 'date' : 'number'} (condition on "${name}").`, datetime ? 'Pick a date, or leave the field empty.' : 'Type a number, or leave the field empty.');
  }
  return v;
}

export const SYNTHESIZER_LABELS: Record<SynthesizerId, string> = {
  copula: 'Gaussian copula',
  bayesnet: 'Bayesian network',
  cart: 'CART',
};

/** A file- and list-friendly name for a synthetic dataset. */
export function syntheticName(source: DatasetRecord, fitted: FittedModel, sample: DrawnSample): string {
  return `${source.name} · synthetic ${SYNTHESIZER_LABELS[fitted.synthesizer]} (seed ${sample.seed}, ${sample.n.toLocaleString('en')} rows)`;
}

/**
 * Store the sample as a synthetic dataset of the project (origin 'synthetic', parent = the source
 * dataset), together with its model (once per fit). Returns the stored ids.
 */
export async function saveSynthetic(
  store: ProjectStore,
  source: DatasetRecord,
  fitted: FittedModel,
  sample: DrawnSample,
): Promise<{ modelId: string; datasetId: string }> {
  let modelId = fitted.savedModelId;
  if (!modelId) {
    const model: Omit<ModelRecord, 'id' | 'createdAt'> = {
      projectId: fitted.projectId,
      datasetId: fitted.datasetId,
      synthesizer: fitted.synthesizer,
      options: fitted.options,
      seed: fitted.seed,
      fitSeconds: fitted.seconds,
      serialized: fitted.serialized,
    };
    modelId = (await store.saveModel(model)).id;
  }
  const ds = await store.addDataset(
    fitted.projectId,
    {
      name: syntheticName(source, fitted, sample),
      table: sample.table,
      schema: sample.schema,
      warnings: [],
      synthesis: {
        modelId,
        synthesizer: fitted.synthesizer,
        options: fitted.options,
        fitSeed: fitted.seed,
        sampleSeed: sample.seed,
        ...(sample.conditions ? { conditions: sample.conditions } : {}),
        stats: sample.stats,
        fitSeconds: fitted.seconds,
        sampleSeconds: sample.seconds,
      },
    },
    'synthetic',
    source.id,
  );
  return { modelId, datasetId: ds.id };
}

/** A file name for a download: the dataset name, safe on every file system. */
export function csvFileName(name: string): string {
  const base = name.replace(/[\\/:*?"<>|·]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${base || 'synthetic'}.csv`;
}

/** Hand a Blob to the browser as a download (an object URL: nothing leaves the machine). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has the URL once the click is handled; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
