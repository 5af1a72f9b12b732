import { UserError } from '../../context';
import type { ColumnKind, Schema } from '../../schema/schema';
import { isNumericKind } from '../../schema/schema';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../../table/table';
import type { PreparedColumn, PreparedTable } from '../engine';
import { inferKeyStyle, type KeyStyle } from './keys';
import { chooseFakeLocale, planFake, type FakePlan } from './fakes';
import type { ResolvedCommonOptions } from './options';
import { privatePlan, type PrivatePlanning } from './privatePlan';
import { planText, textGuardKey, type TextPlan } from './texts';

/**
 * What the pipeline does with each output column (every schema column except `keep-out` ones),
 * learnt at fit time and stored in the model's JSON header. Columns that vary go to the engine
 * (engineIndex >= 0); constant ones (one value, or all missing) are re-emitted by the pipeline so
 * that no engine has to cope with a zero-variance column.
 */
export interface NumericPlan {
  mode: 'numeric';
  name: string;
  kind: ColumnKind;
  engineIndex: number;
  /** Over non-missing training values (NaN when all are missing). */
  min: number;
  max: number;
  /** Round to this many decimals (0 for integers); null = leave as drawn. */
  decimals: number | null;
  /** Datetimes: round to this many milliseconds (the finest unit seen in training: day, hour...). */
  step: number | null;
  /** The value of a constant column; null = always missing. */
  constant: number | null;
  /**
   * Under a privacy budget, a column modelled as discrete: its values (public or privately chosen,
   * sorted). Drawn values are moved to the nearest of them (an engine may bin them coarser).
   */
  domain?: number[];
}

export interface CategoricalPlan {
  mode: 'categorical';
  name: string;
  kind: ColumnKind;
  engineIndex: number;
  /** Output levels: kept real levels (input order), then the pooled label when any level was pooled. */
  levels: string[];
  /** Code of the pooled label, -1 when nothing was pooled. */
  pooledCode: number;
  /** Distinct real values pooled. */
  pooledCount: number;
  /** Code of a constant column (-1 = always missing). */
  constant: number;
}

export interface KeyPlan {
  mode: 'key';
  name: string;
  kind: ColumnKind;
  style: KeyStyle;
}

export type ColumnPlan = NumericPlan | CategoricalPlan | KeyPlan | FakePlan | TextPlan;

export interface Plan {
  columns: ColumnPlan[];
  pooledLabel: string;
  prepared: PreparedTable;
  /** Per fake column: salted hashes of its training values (a fake matching one is drawn again). */
  fakeHashes: Record<string, Float64Array>;
}

const DAY = 86_400_000;
const DATETIME_STEPS = [DAY, 3_600_000, 60_000, 1000, 1];

/**
 * Validate the training table against the schema and build the engine's prepared table.
 *
 * With `privacy` (a differential-privacy budget), nothing here reads exact training rows: category
 * values and numeric ranges are either declared public or chosen by noisy counts and private quantiles
 * that spend from the ledger (privatePlan.ts), and the formats of key and fake columns are learnt only
 * when declared public.
 */
export function buildPlan(train: Table, schema: Schema, options: ResolvedCommonOptions, fakeSalt = 0, privacy?: PrivatePlanning): Plan {
  if (train.nRows < 2) {
    throw new UserError(
      `The training table has ${train.nRows} row${train.nRows === 1 ? '' : 's'}; a synthesizer needs at least 2.`,
      'Load a table with more rows (a few hundred or more give useful synthetic data).',
    );
  }
  const byName = new Map(train.columns.map((c) => [c.name, c]));
  const synthesized = schema.columns.filter((c) => c.role === 'synthesize' || c.role === 'fake' || c.role === 'synthesize-text');
  if (synthesized.length === 0) {
    throw new UserError(
      'No column is set to be synthesized.',
      'Set the role of at least one column to "synthesize" or "fake" (keep-out and generate-key columns are not learnt).',
    );
  }

  const k = options.rareCategoryThreshold;
  const kept = new Set<string>();
  const columns: ColumnPlan[] = [];
  const engineColumns: PreparedColumn[] = [];
  const pendingPooled: CategoricalPlan[] = [];
  const fakeHashes: Record<string, Float64Array> = {};
  const formatsPublic = !privacy || privacy.ledger.publicDomain;
  const locale = formatsPublic && schema.columns.some((c) => c.role === 'fake') ? chooseFakeLocale(train, schema) : 'en_US';

  for (const cs of schema.columns) {
    if (cs.role === 'keep-out') continue;
    const col = byName.get(cs.name);
    if (!col) throw new UserError(`The schema names a column "${cs.name}" that the table does not have.`);
    const numericStorage = isNumericKind(cs.kind);
    if (numericStorage !== (col.type === 'numeric')) {
      throw new Error(`Column "${cs.name}": kind ${cs.kind} does not match its ${col.type} storage`);
    }
    if (cs.role === 'generate-key') {
      columns.push({ mode: 'key', name: cs.name, kind: cs.kind, style: inferKeyStyle(formatsPublic ? col : emptyLike(col), cs.name) });
      continue;
    }
    if (cs.role === 'synthesize-text') {
      if (privacy) throw new UserError(`"${cs.name}" is set to synthesize-text, which has no differential privacy guarantee.`, 'Keep the text column out when fitting under an epsilon budget.');
      const { plan, guard } = planText(col, cs, k);
      columns.push(plan);
      // The text leak guard's hashes travel (and are stored) with the fake columns' hashes, under their own keys.
      fakeHashes[textGuardKey('ngrams', cs.name)] = guard.ngrams;
      fakeHashes[textGuardKey('entities', cs.name)] = guard.entities;
      continue;
    }
    if (cs.role === 'fake') {
      if (numericStorage) {
        throw new UserError(`"${cs.name}" is ${cs.kind}: fake values are text.`, `Set its kind to categorical or text to fake it, or synthesize it.`);
      }
      const { plan, hashes } = planFake(formatsPublic ? col : emptyLike(col), cs, locale, fakeSalt);
      columns.push(plan);
      // Under a budget no fake is compared with the real values (that check reads them).
      if (!privacy) fakeHashes[cs.name] = hashes;
      continue;
    }
    if (privacy) {
      privacy.columns.push({ schema: cs, column: col });
      continue;
    }
    if (col.type === 'numeric') {
      const plan = planNumeric(col, cs.kind, cs.format?.decimals);
      if (plan.constant === undefined) {
        plan.constant = null;
        plan.engineIndex = engineColumns.length;
        engineColumns.push({ type: 'numeric', name: cs.name, kind: cs.kind, values: col.values, min: plan.min, max: plan.max });
      }
      columns.push(plan as NumericPlan);
    } else {
      const { plan, codes, varies } = planCategorical(col, cs.kind, k);
      for (const l of plan.levels) kept.add(l);
      if (plan.pooledCode >= 0) pendingPooled.push(plan);
      if (varies) {
        plan.engineIndex = engineColumns.length;
        engineColumns.push({ type: 'categorical', name: cs.name, kind: cs.kind, codes, nLevels: plan.levels.length + (plan.pooledCode >= 0 ? 1 : 0) });
      }
      columns.push(plan);
    }
  }

  if (privacy) {
    // The synthesized columns, planned under the budget, keep their schema positions.
    const made = privatePlan(privacy, train.nRows, k);
    let next = 0;
    const ordered: ColumnPlan[] = [];
    let pos = 0;
    for (const cs of schema.columns) {
      if (cs.role === 'keep-out') continue;
      if (cs.role === 'synthesize') {
        const m = made[next++];
        if (m.plan.mode === 'categorical') {
          for (const l of m.plan.levels) kept.add(l);
          if (m.plan.pooledCode >= 0) pendingPooled.push(m.plan);
        }
        if (m.prepared) {
          m.plan.engineIndex = engineColumns.length;
          engineColumns.push(m.prepared);
        }
        ordered.push(m.plan);
      } else ordered.push(columns[pos++]);
    }
    columns.length = 0;
    columns.push(...ordered);
  }
  const pooledLabel = chooseLabel(kept);
  for (const p of pendingPooled) p.levels.push(pooledLabel);
  return { columns, pooledLabel, prepared: { nRows: train.nRows, columns: engineColumns }, fakeHashes };
}

type DraftNumeric = Omit<NumericPlan, 'constant'> & { constant: number | null | undefined };

/** A column of the same type and name with no rows: what format learners see under a budget. */
function emptyLike(col: Column): Column {
  return col.type === 'numeric' ? { type: 'numeric', name: col.name, values: new Float64Array(0) } : { type: 'categorical', name: col.name, codes: new Int32Array(0), levels: col.levels.slice() };
}

export function planNumeric(col: NumericColumn, kind: ColumnKind, decimals: number | undefined): DraftNumeric {
  const v = col.values;
  let min = Infinity, max = -Infinity, missing = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (Number.isNaN(x)) missing++;
    else {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const allMissing = missing === v.length;
  const plan: DraftNumeric = {
    mode: 'numeric',
    name: col.name,
    kind,
    engineIndex: -1,
    min: allMissing ? NaN : min,
    max: allMissing ? NaN : max,
    decimals: kind === 'integer' ? 0 : kind === 'numeric' && decimals !== undefined ? decimals : null,
    step: kind === 'datetime' && !allMissing ? datetimeStep(v) : null,
    constant: undefined,
  };
  if (allMissing) plan.constant = null;
  else if (missing === 0 && min === max) plan.constant = min;
  return plan;
}

/** The coarsest unit (day, hour, minute, second, ms) that every training datetime is a multiple of. */
export function datetimeStep(v: Float64Array): number {
  for (const step of DATETIME_STEPS) {
    let ok = true;
    for (let i = 0; i < v.length && ok; i++) if (!Number.isNaN(v[i]) && v[i] % step !== 0) ok = false;
    if (ok) return step;
  }
  return 1;
}

/**
 * Pool levels seen fewer than k times (but at least once) into one protected level, drop levels
 * never seen in training (e.g. only in the holdout), and recode. Booleans are never pooled: their
 * two tokens say nothing about a person, and pooling would break the column's type.
 */
export function planCategorical(col: CategoricalColumn, kind: ColumnKind, k: number): { plan: CategoricalPlan; codes: Int32Array; varies: boolean } {
  const counts = new Int32Array(col.levels.length);
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c < 0) missing++;
    else counts[c]++;
  }
  const threshold = kind === 'boolean' ? 1 : k;
  const recode = new Int32Array(col.levels.length).fill(-1);
  const levels: string[] = [];
  let pooledCount = 0;
  for (let l = 0; l < col.levels.length; l++) {
    if (counts[l] >= threshold) {
      recode[l] = levels.length;
      levels.push(col.levels[l]);
    } else if (counts[l] > 0) pooledCount++;
  }
  const pooledCode = pooledCount > 0 ? levels.length : -1;
  if (pooledCode >= 0) for (let l = 0; l < col.levels.length; l++) if (counts[l] > 0 && recode[l] < 0) recode[l] = pooledCode;
  const codes = new Int32Array(col.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : recode[col.codes[i]];
  const nLevels = levels.length + (pooledCode >= 0 ? 1 : 0);
  const allMissing = missing === codes.length;
  const single = missing === 0 && nLevels === 1;
  const constant = single ? 0 : -1;
  return { plan: { mode: 'categorical', name: col.name, kind, engineIndex: -1, levels, pooledCode, pooledCount, constant }, codes, varies: !allMissing && !single };
}

function chooseLabel(taken: Set<string>): string {
  let label = '(rare)';
  for (let i = 2; taken.has(label); i++) label = `(rare ${i})`;
  return label;
}

/** Output column for a constant plan, n rows. */
export function constantColumn(plan: NumericPlan | CategoricalPlan, n: number): Column {
  if (plan.mode === 'numeric') return { type: 'numeric', name: plan.name, values: new Float64Array(n).fill(plan.constant ?? NaN) };
  return { type: 'categorical', name: plan.name, codes: new Int32Array(n).fill(plan.constant), levels: plan.levels.slice() };
}
