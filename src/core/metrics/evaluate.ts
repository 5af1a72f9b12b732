/**
 * evaluate(): the whole report for a synthetic table against the training rows it was made from
 * and a holdout no synthesizer saw. Phases report progress and honour cancel through the context.
 */
import type { Table } from '../table/table';
import type { Schema } from '../schema/schema';
import type { TaskContext } from '../context';
import { throwIfAborted, yieldToEventLoop } from '../context';
import type { Report } from '../report/types';
import { alignTables, FEW_DISTINCT_VALUES, type AlignedTables } from './align';
import { fidelity } from './fidelity';
import { diagnostics } from './diagnostics';
import { exactCopies } from './privacy/exactCopies';
import { quasiIdentifierMatches } from './privacy/quasiIdentifiers';
import { DEFAULT_DCR_SAMPLE, distanceToClosestRecord } from './privacy/dcr';
import { MAX_MODEL_TEST_ROWS, MAX_MODEL_TRAIN_ROWS, utility } from './utility/tstr';
import { DISCRIMINATOR_ROWS, discriminator } from './utility/discriminator';
import { scorecard } from './scorecard';
import { MAX_COMBINATIONS } from './kway';
import { reportRules } from '../rules/report';
import { textSection } from './text';

export interface EvaluateInput {
  train: Table;
  holdout: Table;
  synthetic: Table;
  schema: Schema;
  /** Column to predict for TSTR/TRTR; without it, utility is not measured. */
  target?: string;
  /** Rows sampled from each table for the distance metrics (default 2 000). */
  sampleSize?: number;
  /** What produced the synthetic table, shown in the report's title. */
  label?: string;
}

export async function evaluate(input: EvaluateInput, ctx: TaskContext): Promise<Report> {
  const progress = (phase: string, from: number, to: number) => (f: number) =>
    ctx.onProgress?.({ phase, fraction: from + (to - from) * f });
  const step = async (phase: string, fraction: number) => {
    throwIfAborted(ctx.signal);
    ctx.onProgress?.({ phase, fraction });
    await yieldToEventLoop();
  };

  await step('aligning', 0);
  const a = alignTables(input.train, input.holdout, input.synthetic, input.schema);
  await step('fidelity', 0.03);
  const fid = await fidelity(a, ctx.rng.fork('fidelity'), ctx.signal, progress('fidelity', 0.03, 0.35));
  await step('diagnostics', 0.35);
  const diag = diagnostics(a);
  await step('exact copies', 0.37);
  const copies = exactCopies(a);
  await step('distance to closest record', 0.42);
  const sampleSize = input.sampleSize ?? DEFAULT_DCR_SAMPLE;
  const dcr = await distanceToClosestRecord(a, sampleSize, ctx, progress('distance to closest record', 0.42, 0.7));
  const privacy = { exactCopies: copies, dcr, quasiIdentifiers: quasiIdentifierMatches(a, input.schema) };
  await step('utility', 0.7);
  const util = input.target ? utility(a, input.target, ctx.rng.fork('utility')) : null;
  await step('discriminator', 0.88);
  const disc = discriminator(a, ctx.rng.fork('discriminator'));
  await step('text', 0.95);
  const text = textSection(input.train, input.holdout, input.synthetic, input.schema);
  const rules = reportRules(input.train, input.holdout, input.synthetic, input.schema);
  await step('done', 1);

  return {
    version: 1,
    label: input.label ?? 'Synthetic table',
    rows: { train: a.nTrain, holdout: a.nHoldout, synthetic: a.nSynthetic },
    columns: a.columns.map((c) => ({ name: c.name, kind: c.kind })),
    scorecard: scorecard(fid, privacy, util, disc),
    fidelity: fid,
    diagnostics: diag,
    privacy,
    utility: util,
    discriminator: disc,
    notes: notes(a, dcr.sampleSize, sampleSize, fid.accuracy.combinations, fid.accuracy.syntheticRows, input.target !== undefined),
    seed: ctx.rng.seed,
    ...(text.length > 0 ? { text } : {}),
    ...(rules.length > 0 ? { rules } : {}),
  };
}

function notes(a: AlignedTables, m: number, asked: number, combos: [number, number, number], accRows: number, withTarget: boolean): string[] {
  const out = [
    'Column shapes: 1 − KS statistic for numbers and datetimes (missing values dropped), 1 − total variation distance for categories (missing counted as a category). Pair trends: 1 − |r_real − r_syn|/2 (Pearson, rows where both are present) for two numeric columns, else 1 − total variation distance of the joint table with numbers in 10 equal-width bins of the real column. A pair matters when |r_real| > 0.5 or Cramér\'s V > 0.3.',
    `k-way accuracy: 1 − TVD of 1-, 2-, 3-way joint distributions (numbers in 10 quantile bins of the real column, categories top 10 + other), over ${combos.join(' / ')} column combinations (at most ${MAX_COMBINATIONS.join(' / ')}, a seeded sample beyond); the synthetic table is compared on ${accRows} rows sampled to the holdout's size, so both carry the same sampling noise.`,
    `Distance to closest record: ${m} rows sampled from each of training, holdout and synthetic${m < asked ? ` (fewer than the ${asked} asked: the smallest table's size)` : ''}; Gower distance (numbers |a − b| / real range capped at 1, categories 0/1, missing vs value 1, both missing 0), mean over columns. DCR share counts ties (equal distance to both) as half. NNDR is nearest / second-nearest training distance (0/0 counts as 1). The random baseline draws uniform rows within the real bounds and categories. As training is sampled to the same size as the holdout, a verbatim copy of training scores only about 50% + half the sampled share of training (here ${(50 + (50 * m) / Math.max(1, a.nTrain)).toFixed(0)}%): the exact-copy shares, over all rows, are what catch verbatim copies.`,
    'Exact copies compare every row of the synthetic table and of the holdout with every training row on all evaluated columns.',
    `Discriminator: a random forest on ${DISCRIMINATOR_ROWS} training and ${DISCRIMINATOR_ROWS} synthetic rows at most (70% to train, 30% to test); numbers in quantile bins, categories as codes, missing values as a bin of their own (no imputation).`,
  ];
  if (withTarget) {
    out.push(`Utility: the same random forest trained on at most ${MAX_MODEL_TRAIN_ROWS} rows (a seeded subsample beyond) of synthetic (TSTR) or training (TRTR) data, tested on at most ${MAX_MODEL_TEST_ROWS} holdout rows; rows with a missing target are left out. Macro-F1, accuracy and one-vs-rest AUC for a categorical target, R² for a numeric one.`);
  }
  if (a.fewValueColumns.length) {
    out.push(`Numeric columns with at most ${FEW_DISTINCT_VALUES} distinct values are scored as categories: ${a.fewValueColumns.join(', ')}.`);
  }
  if (a.keyColumns.length) out.push(`Key columns are checked for uniqueness only: ${a.keyColumns.map((k) => k.name).join(', ')}.`);
  if (a.missingInSynthetic.length) out.push(`Missing from the synthetic table (scored as all missing): ${a.missingInSynthetic.join(', ')}.`);
  return out;
}
