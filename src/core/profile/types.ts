import type { FoundRule } from '../rules/types';
import type { ColumnKind, ColumnRole } from '../schema/schema';

export interface Quantile {
  p: number;
  value: number;
}

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** At p = 0, 0.05, 0.25, 0.5, 0.75, 0.95, 1 (type-7 interpolation, as R and numpy). */
  quantiles: Quantile[];
}

/** Histogram bin [x0, x1) (the last bin includes x1). Data only: charts are drawn by the UI. */
export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Non-missing values. */
  count: number;
  missing: number;
  distinct: number;
  /** numeric, integer and datetime (epoch ms) columns. */
  numeric?: NumericSummary;
  histogram?: HistogramBin[];
  /** Categorical-like columns: most frequent values, and the count of all the others. */
  topValues?: TopValue[];
  otherCount?: number;
}

export type Severity = 'info' | 'warning' | 'error';

export type FindingCode =
  | 'duplicate-rows'
  | 'all-missing'
  | 'constant'
  | 'mostly-missing'
  | 'near-unique'
  | 'mixed-types'
  | 'mixed-date-formats'
  | 'whitespace'
  | 'case-variants'
  | 'placeholder'
  | 'outliers'
  | 'pii';

/** A one-click repair; applyFix() returns a new Table + Schema and leaves the original alone. */
export type Fix =
  | { type: 'drop-duplicate-rows' }
  | { type: 'drop-column'; column: string }
  | { type: 'set-kind'; column: string; kind: ColumnKind }
  | { type: 'set-role'; column: string; role: ColumnRole }
  | { type: 'trim-whitespace'; column: string }
  | { type: 'merge-variants'; column: string; mapping: Record<string, string> }
  | { type: 'replace-with-missing'; column: string; values: (number | string)[] }
  | { type: 'coerce-numeric'; column: string }
  | { type: 'coerce-datetime'; column: string; format: string }
  | { type: 'clip'; column: string; lower: number; upper: number };

export interface Finding {
  /** Stable within a profile: code + column. */
  id: string;
  code: FindingCode;
  severity: Severity;
  column?: string;
  message: string;
  /** How many rows (or values) are involved. */
  count: number;
  /** Up to 100 of the rows involved (0-based). */
  rows?: number[];
  /** Example values involved. */
  values?: string[];
  /** mixed-date-formats: each date format found, most common first, with its count and examples. */
  formats?: { format: string; count: number; examples: string[] }[];
  fix?: Fix;
  /** Label for the fix button. */
  fixLabel?: string;
  /** The fix is one choice among others, not the obvious repair (clipping real extremes loses them): offered as a secondary button. */
  fixIsChoice?: boolean;
}

export interface Profile {
  nRows: number;
  nColumns: number;
  columns: ColumnProfile[];
  findings: Finding[];
  /** Rules the rows obey (exact, or almost: in 99.5% of rows), among the synthesized columns (core/rules). */
  rules?: FoundRule[];
}
