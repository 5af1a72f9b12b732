/**
 * Model collapse, measured: a synthesizer fitted on real rows, then on its own output, and so on for n
 * generations (a photocopy of a photocopy). After each generation the synthetic rows are scored against
 * the REAL training rows with the report's k-way accuracy (kway.ts: same binning on the real columns,
 * same combinations, the synthetic rows cut to the holdout's size), beside the holdout's own score: the
 * ceiling a fresh sample of the population reaches.
 */
import { CancelledError, throwIfAborted, yieldToEventLoop, type Progress } from '../context';
import { alignTables } from '../metrics/align';
import { binForAccuracy, kWayAccuracy } from '../metrics/kway';
import { sampleIndices, takeFloat, takeInt } from '../metrics/sample';
import { DEFAULT_SEED, Rng } from '../random/rng';
import type { Schema } from '../schema/schema';
import { takeRows, type Table } from '../table/table';
import type { SynthesizerId } from './registry';
import type { Synthesizer } from './types';

/** Generations a run may ask for. */
export const MAX_GENERATIONS = 10;
export const DEFAULT_GENERATIONS = 5;

/** 1-, 2- and 3-way accuracy (null where the table has too few columns for k). */
export type KWay = [number | null, number | null, number | null];

export interface GenerationResult {
  /** 1 = fitted on the real rows; k + 1 = fitted on generation k's output. */
  generation: number;
  /** k-way accuracy of this generation's rows against the real training rows. */
  accuracy: KWay;
  /** The holdout's accuracy against the same training rows (the ceiling); null without a holdout. */
  ceiling: KWay | null;
  /** Rows sampled (as many as the real training rows). */
  rows: number;
  /** Categories pooled by this generation's fit (distinct values, all columns). */
  pooledCategories: number;
  /** Rows redrawn by this generation's sample because they copied a row unique in its training rows. */
  redrawnLeakedRows: number;
  /** Seconds this generation took (fit + sample + score). */
  seconds: number;
  /** This generation's rows, only with `keepTables` (the benchmark scores privacy on them). */
  table?: Table;
}

export interface GenerationsInput {
  /** The real training rows. */
  train: Table;
  /** Real rows never shown to a model: their score is the ceiling line. */
  holdout?: Table;
  schema: Schema;
  synthesizer: Synthesizer;
  /** The synthesizer's options; a function receives the generation (1..n) and returns that fit's options. */
  options: Record<string, unknown> | ((generation: number) => Record<string, unknown>);
  generations: number;
  /** Generation g fits with Rng(seed + g) and samples with seed + g. */
  seed: number;
  /** Seed of the metric's samples (rows, combinations); the report's default when left out. */
  metricSeed?: number;
  /**
   * Score every synthetic row rather than as many as the holdout has (the report's way, which gives the
   * ceiling the same sampling noise): less noise on small tables, for studies; the ceiling is unchanged.
   */
  allRows?: boolean;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  keepTables?: boolean;
}

/** Share of one generation's time spent on each step, for the progress fraction. */
const FIT_SHARE = 0.6, SAMPLE_SHARE = 0.3;

/**
 * Runs the generations one after another and yields each one's result as soon as it is scored.
 * Stops with CancelledError once `signal` is aborted.
 */
export async function* runGenerations(input: GenerationsInput): AsyncGenerator<GenerationResult, void, undefined> {
  const { train, holdout, schema, synthesizer, signal, onProgress } = input;
  const n = input.generations;
  if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATIONS) throw new RangeError(`Generations must be a whole number from 1 to ${MAX_GENERATIONS}, got ${n}`);
  const scorer = accuracyScorer(train, holdout, schema, input.metricSeed ?? DEFAULT_SEED, input.allRows);
  const report = (g: number, phase: string, within: number, message?: string) =>
    onProgress?.({ phase, fraction: Math.min(1, (g - 1 + within) / n), message: message ?? `generation ${g} of ${n}` });
  let source = train;
  for (let g = 1; g <= n; g++) {
    throwIfAborted(signal);
    const t0 = now();
    const options = typeof input.options === 'function' ? input.options(g) : input.options;
    report(g, 'fit', 0);
    const model = await synthesizer.fit(source, schema, options, {
      rng: new Rng(input.seed + g),
      signal,
      onProgress: (p) => report(g, 'fit', FIT_SHARE * p.fraction),
    });
    throwIfAborted(signal);
    report(g, 'sample', FIT_SHARE);
    const synthetic = await model.sample(train.nRows, {
      seed: input.seed + g,
      signal,
      onProgress: (p) => report(g, 'sample', FIT_SHARE + SAMPLE_SHARE * p.fraction),
    });
    throwIfAborted(signal);
    report(g, 'score', FIT_SHARE + SAMPLE_SHARE);
    await yieldToEventLoop();
    throwIfAborted(signal);
    const scored = scorer(synthetic);
    report(g, 'score', 1);
    yield {
      generation: g,
      accuracy: scored.accuracy,
      ceiling: scored.ceiling,
      rows: synthetic.nRows,
      pooledCategories: Object.values(model.stats.pooledCategories).reduce((s, x) => s + x, 0),
      redrawnLeakedRows: model.stats.redrawnLeakedRows,
      seconds: (now() - t0) / 1000,
      ...(input.keepTables ? { table: synthetic } : {}),
    };
    if (signal?.aborted) throw new CancelledError();
    source = synthetic;
  }
}

/** Every generation's result, in order (for callers that do not stream). */
export async function collectGenerations(input: GenerationsInput): Promise<GenerationResult[]> {
  const out: GenerationResult[] = [];
  for await (const r of runGenerations(input)) out.push(r);
  return out;
}

/**
 * k-way accuracy of a synthetic table against the real training rows, as the report computes it
 * (fidelity.ts): the seeded fork 'fidelity' of the report's seed, synthetic rows cut to the holdout's
 * size, the same column combinations. So generation 1 scores what the report of that sample shows.
 */
export function accuracyScorer(
  train: Table,
  holdout: Table | undefined,
  schema: Schema,
  metricSeed: number,
  allRows = false,
): (synthetic: Table) => { accuracy: KWay; ceiling: KWay | null } {
  const rng = new Rng(metricSeed).fork('fidelity');
  const hold = holdout ?? takeRows(train, new Int32Array(0));
  return (synthetic) => {
    const a = alignTables(train, hold, synthetic, schema);
    const withHoldout = a.nHoldout > 0;
    const rows = withHoldout && !allRows
      ? sampleIndices(a.nSynthetic, Math.min(a.nSynthetic, a.nHoldout), rng.fork('accuracy-rows'))
      : Int32Array.from({ length: a.nSynthetic }, (_, i) => i);
    const parts = binForAccuracy(a.columns, (c) => {
      const syn = c.kind === 'numeric' ? takeFloat(c.synthetic, rows) : takeInt(c.synthetic, rows);
      return withHoldout ? [c.holdout, syn] : [syn];
    });
    const acc = kWayAccuracy(parts, withHoldout ? 2 : 1, rng.fork('accuracy-combinations'));
    return withHoldout
      ? { accuracy: acc.means[1] as KWay, ceiling: acc.means[0] as KWay }
      : { accuracy: acc.means[0] as KWay, ceiling: null };
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Options for fitting a table that is itself synthetic, `generation` steps removed from real rows (0: real
 * data; 1: a synthetic export imported again; k: k steps of synthetic-from-synthetic). `options` are the
 * ones the user set explicitly (before the registry fills the defaults): they always win.
 *
 * From generation 1 on, leaked-row redraws are off. They exist to keep a synthetic row from copying a real
 * person's row that is unique in training; in synthetic training rows no row is a person, so a redraw
 * protects nobody directly, while it keeps removing the rows that can match exactly (e.g. rows with a
 * missing value) more than the others. Generation after generation that depletes them: it is what made
 * Facsimile collapse faster than plain CART (docs/model-collapse.md, bench/generations.ts). For one
 * re-import, the copies of unique REAL rows and the DCR share against the real rows are unchanged;
 * pooling and smoothing stay as they are (they do not compound).
 */
export function optionsForGeneration(synthesizerId: SynthesizerId, generation: number, options: Record<string, unknown>): Record<string, unknown> {
  void synthesizerId; // the redraws belong to the shared pipeline: every engine alike
  if (!(generation >= 1)) return { ...options };
  return { redrawLeakedRows: false, ...options };
}
