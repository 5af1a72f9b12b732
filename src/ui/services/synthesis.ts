import { isNumericKind, type Schema } from '../../core/schema/schema';
import type { Condition, Conditions, SynthesizerId } from '../../core/synth/types';
import { UserError } from '../../core/context';
import { fitCostWarning, validateOptions } from '../../core/synth/registry';
import type { DatasetRecord } from '../../db';
import type { FitRequest } from '../../../workers/train.worker';

/** What the user chose on the Synthesize tab, as plain values. */
export interface SynthChoice {
  synthesizer: SynthesizerId;
  seed: number;
  /** Option values by descriptor field key (only the chosen engine's and the common ones). */
  options: Record<string, unknown>;
}

/** One condition as typed in the form; number inputs may hand over numbers, text inputs strings. */
export interface ConditionDraft {
  column: string;
  equals: string;
  min: string | number | null;
  max: string | number | null;
}

/** Biggest sample one Generate makes (the worker writes it; the tab's memory is not the limit). */
export const MAX_ROWS = 2_000_000;

/**
 * Rows in the train part, without building it (splitHoldout's rounding; a split by whole subjects,
 * groupKey.ts, may differ by part of one subject's rows).
 */
export function trainRowCount(dataset: DatasetRecord): number {
  return dataset.nRows - Math.round(dataset.nRows * (dataset.holdoutFraction ?? 0.2));
}

/** Columns a model learns (those to synthesize), in schema order. */
export function modelColumns(schema: Schema): string[] {
  return schema.columns.filter((c) => c.role === 'synthesize').map((c) => c.name);
}

/** The fit request: the dataset's id and the settings. The worker reads the train part itself. */
export function buildFitRequest(dataset: DatasetRecord, c: SynthChoice): FitRequest {
  if (!Number.isInteger(c.seed)) throw new UserError(`The seed must be a whole number (got ${c.seed}).`, 'Any whole number works; the same seed gives the same rows.');
  validateOptions(c.synthesizer, c.options);
  return { datasetId: dataset.id, synthesizer: c.synthesizer, options: c.options, seed: c.seed };
}

/**
 * A warning shown before training when the chosen synthesizer would take long on this table (wide
 * tables), with what to do instead; undefined when it should be quick.
 */
export function fitWarning(dataset: DatasetRecord, synthesizer: SynthesizerId): string | undefined {
  const cols = dataset.schema.columns.filter((c) => c.role === 'synthesize');
  const numeric = cols.filter((c) => isNumericKind(c.kind)).length;
  const levels = Object.values(dataset.preview?.levels ?? {}).map((l) => l.count);
  const w = fitCostWarning(synthesizer, {
    rows: trainRowCount(dataset),
    numericColumns: numeric,
    categoricalColumns: cols.length - numeric,
    maxLevels: levels.length ? Math.max(...levels) : 0,
  });
  if (!w) return undefined;
  return typeof w === 'string' ? w : `${w.message}${w.hint ? ` ${w.hint}` : ''}`;
}

/**
 * Conditions for sampling from the form. A value left unchosen, or a bound that is not a number, is a
 * UserError: a condition is never silently ignored.
 */
export function toConditions(drafts: ConditionDraft[], schema: Schema): Conditions | undefined {
  const out: Conditions = {};
  for (const d of drafts) {
    const col = schema.columns.find((c) => c.name === d.column);
    if (!col) continue;
    let cond: Condition;
    if (isNumericKind(col.kind)) {
      const datetime = col.kind === 'datetime';
      const min = parseBound(d.min, datetime, col.name);
      let max = parseBound(d.max, datetime, col.name);
      // A date picked as the upper bound means "up to the end of that day".
      if (max !== undefined && datetime && /^\d{4}-\d{2}-\d{2}$/.test(String(d.max).trim())) max += DAY_MS - 1;
      if (min === undefined && max === undefined) {
        throw new UserError(`The condition on "${col.name}" has neither a minimum nor a maximum.`, 'Type a bound, or remove the condition.');
      }
      if (min !== undefined && max !== undefined && min > max) {
        throw new UserError(`The condition on "${col.name}" has its minimum above its maximum.`, 'Swap the two bounds.');
      }
      cond = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    } else {
      if (d.equals === '') throw new UserError(`The condition on "${col.name}" has no value chosen.`, 'Choose a value, or remove the condition.');
      cond = { equals: d.equals };
    }
    out[col.name] = cond;
  }
  return Object.keys(out).length ? out : undefined;
}

const DAY_MS = 86_400_000;

function parseBound(raw: string | number | null | undefined, datetime: boolean, name: string): number | undefined {
  // A number input bound with bind:value hands over a number (or null when empty), a date input a string.
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const s = raw.trim();
  if (s === '') return undefined;
  const v = datetime ? Date.parse(s) : Number(s);
  if (!Number.isFinite(v)) {
    throw new UserError(`"${s}" is not a ${datetime ? 'date' : 'number'} (condition on "${name}").`, datetime ? 'Pick a date, or leave the field empty.' : 'Type a number, or leave the field empty.');
  }
  return v;
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
