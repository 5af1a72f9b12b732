/**
 * Puts training, holdout and synthetic tables on one footing before any metric runs: the same
 * columns in the same order, categories as codes into ONE level list (matched by string, since a
 * synthetic table may carry its own level arrays, e.g. a pooled "(rare)" label), and numbers as numbers.
 */
import { LevelIndex, type Column, type Table } from '../table/table';
import type { ColumnKind, Schema } from '../schema/schema';
import { isNumericKind } from '../schema/schema';
import { UserError } from '../context';

/** Numeric columns with at most this many distinct real values are scored as categories. */
export const FEW_DISTINCT_VALUES = 10;

export type Part = 'train' | 'holdout' | 'synthetic';

export interface AlignedNumeric {
  kind: 'numeric';
  name: string;
  schemaKind: ColumnKind;
  train: Float64Array;
  holdout: Float64Array;
  synthetic: Float64Array;
  /** Real (training) non-missing min and max. */
  min: number;
  max: number;
  /** Years: printed without a thousands separator (the schema's format.noGrouping). */
  noGrouping?: boolean;
}

export interface AlignedCategorical {
  kind: 'categorical';
  name: string;
  schemaKind: ColumnKind;
  /** Training levels first (indices < nTrainLevels), then levels only seen in holdout or synthetic. */
  levels: string[];
  nTrainLevels: number;
  train: Int32Array;
  holdout: Int32Array;
  synthetic: Int32Array;
}

export type AlignedColumn = AlignedNumeric | AlignedCategorical;

export interface AlignedTables {
  columns: AlignedColumn[];
  nTrain: number;
  nHoldout: number;
  nSynthetic: number;
  /** Evaluated training columns absent from the synthetic table (scored as all-missing). */
  missingInSynthetic: string[];
  /** Synthetic columns present in training but stored with another type (converted by string). */
  typeMismatches: string[];
  extraInSynthetic: string[];
  /** Key columns (role generate-key or kind id): not scored for fidelity, checked for uniqueness. */
  keyColumns: { name: string; synthetic: Column | null }[];
  /** Numeric columns scored as categories because they hold few distinct values. */
  fewValueColumns: string[];
}

/** Whether a schema column takes part in fidelity and privacy metrics. */
export function isEvaluated(kind: ColumnKind, role: string): boolean {
  return role === 'synthesize' && kind !== 'id';
}

export function alignTables(train: Table, holdout: Table, synthetic: Table, schema: Schema): AlignedTables {
  const byName = (t: Table) => new Map(t.columns.map((c) => [c.name, c]));
  const tr = byName(train), ho = byName(holdout), sy = byName(synthetic);
  const out: AlignedTables = {
    columns: [],
    nTrain: train.nRows,
    nHoldout: holdout.nRows,
    nSynthetic: synthetic.nRows,
    missingInSynthetic: [],
    typeMismatches: [],
    extraInSynthetic: [],
    keyColumns: [],
    fewValueColumns: [],
  };
  for (const cs of schema.columns) {
    if (cs.role === 'keep-out') continue;
    const t = tr.get(cs.name);
    if (!t) continue;
    if (cs.role === 'generate-key' || cs.kind === 'id') {
      out.keyColumns.push({ name: cs.name, synthetic: sy.get(cs.name) ?? null });
      continue;
    }
    if (!isEvaluated(cs.kind, cs.role)) continue;
    const h = ho.get(cs.name);
    if (!h) throw new UserError(`The holdout table has no column "${cs.name}"`, 'Use the holdout split of the same file as the training table.');
    const s = sy.get(cs.name) ?? null;
    if (!s) out.missingInSynthetic.push(cs.name);
    else if (s.type !== t.type) out.typeMismatches.push(cs.name);
    const numeric = isNumericKind(cs.kind) && t.type === 'numeric';
    let col: AlignedColumn = numeric
      ? alignNumeric(cs.name, cs.kind, t, h, s, synthetic.nRows)
      : alignCategorical(cs.name, cs.kind, t, h, s, synthetic.nRows);
    if (col.kind === 'numeric' && cs.format?.noGrouping) col.noGrouping = true;
    if (col.kind === 'numeric' && distinctAtMost(col.train, FEW_DISTINCT_VALUES)) {
      col = numericAsCategorical(col);
      out.fewValueColumns.push(cs.name);
    }
    out.columns.push(col);
  }
  const known = new Set(schema.columns.map((c) => c.name));
  for (const c of synthetic.columns) if (!known.has(c.name)) out.extraInSynthetic.push(c.name);
  if (out.columns.length === 0) {
    throw new UserError('No column to evaluate', 'Mark at least one column of the schema with the role "synthesize".');
  }
  return out;
}

function alignNumeric(name: string, kind: ColumnKind, t: Column, h: Column, s: Column | null, nSyn: number): AlignedNumeric {
  const train = asNumbers(t);
  let min = Infinity, max = -Infinity;
  for (const v of train) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) min = max = NaN;
  return {
    kind: 'numeric', name, schemaKind: kind, train, holdout: asNumbers(h),
    synthetic: s ? asNumbers(s) : new Float64Array(nSyn).fill(NaN), min, max,
  };
}

function asNumbers(c: Column): Float64Array {
  if (c.type === 'numeric') return c.values;
  // A column stored as categories where numbers are expected: read each level as a number.
  const parsed = c.levels.map((l) => (l.trim() === '' ? NaN : Number(l)));
  const out = new Float64Array(c.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : parsed[c.codes[i]];
  return out;
}

function alignCategorical(name: string, kind: ColumnKind, t: Column, h: Column, s: Column | null, nSyn: number): AlignedCategorical {
  const index = new LevelIndex();
  const train = recode(t, index);
  const nTrainLevels = index.levels.length;
  const holdout = recode(h, index);
  const synthetic = s ? recode(s, index) : new Int32Array(nSyn).fill(-1);
  return { kind: 'categorical', name, schemaKind: kind, levels: index.levels, nTrainLevels, train, holdout, synthetic };
}

/** Codes of `c` into the shared level list, adding levels not seen before. */
function recode(c: Column, index: LevelIndex): Int32Array {
  const codeOf = (label: string) => index.code(label);
  const out = new Int32Array(c.type === 'numeric' ? c.values.length : c.codes.length);
  if (c.type === 'numeric') {
    for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(c.values[i]) ? -1 : codeOf(String(c.values[i]));
    return out;
  }
  const map = c.levels.map(codeOf);
  for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? -1 : map[c.codes[i]];
  return out;
}

function distinctAtMost(v: Float64Array, k: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) continue;
    seen.add(v[i]);
    if (seen.size > k) return false;
  }
  return true;
}

/** A numeric column of few distinct values (0/1 flags, small counts) compared value by value. */
function numericAsCategorical(c: AlignedNumeric): AlignedCategorical {
  const distinct = [...new Set(Array.from(c.train).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new LevelIndex(distinct.map(String));
  const levels = index.levels;
  const code = (v: Float64Array) => {
    const out = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]) ? -1 : index.code(String(v[i]));
    return out;
  };
  const train = code(c.train);
  const nTrainLevels = levels.length;
  return {
    kind: 'categorical', name: c.name, schemaKind: c.schemaKind, levels, nTrainLevels,
    train, holdout: code(c.holdout), synthetic: code(c.synthetic),
  };
}

export function partOf<C extends AlignedColumn>(c: C, part: Part): C['train'] {
  return c[part];
}
