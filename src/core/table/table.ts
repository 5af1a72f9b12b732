/**
 * The columnar table every part of the engine works on. No row objects on the hot path:
 * numbers live in Float64Array (NaN = missing), categories as Int32Array codes into `levels`
 * (-1 = missing). Datetimes are numeric columns holding epoch milliseconds.
 */
export interface NumericColumn {
  readonly type: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly type: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly levels: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  readonly nRows: number;
  readonly columns: Column[];
}

export const MISSING_CODE = -1;

export function numericColumn(name: string, values: Float64Array): NumericColumn {
  return { type: 'numeric', name, values };
}

export function categoricalColumn(name: string, codes: Int32Array, levels: string[]): CategoricalColumn {
  return { type: 'categorical', name, codes, levels };
}

export function makeTable(columns: Column[]): Table {
  const nRows = columns.length === 0 ? 0 : columnLength(columns[0]);
  for (const c of columns) {
    if (columnLength(c) !== nRows) {
      throw new Error(`Column "${c.name}" has ${columnLength(c)} rows, expected ${nRows}`);
    }
  }
  return { nRows, columns };
}

export function columnLength(c: Column): number {
  return c.type === 'numeric' ? c.values.length : c.codes.length;
}

export function getColumn(t: Table, name: string): Column {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`No column named "${name}"`);
  return c;
}

export function isMissing(c: Column, row: number): boolean {
  return c.type === 'numeric' ? Number.isNaN(c.values[row]) : c.codes[row] < 0;
}

/** A level list under construction: each new label is appended, so codes follow first-seen order. */
export class LevelIndex {
  readonly levels: string[];
  readonly #codes = new Map<string, number>();

  /** Starts from `levels` (distinct labels), which it extends in place. */
  constructor(levels: string[] = []) {
    this.levels = levels;
    levels.forEach((l, k) => this.#codes.set(l, k));
  }

  /** The label's code, adding it as a new level when it is not there yet. */
  code(label: string): number {
    let k = this.#codes.get(label);
    if (k === undefined) {
      k = this.levels.length;
      this.levels.push(label);
      this.#codes.set(label, k);
    }
    return k;
  }
}

/** Build a categorical column from strings (null/undefined = missing), levels in first-seen order. */
export function categoricalFromStrings(name: string, values: ArrayLike<string | null | undefined>): CategoricalColumn {
  const levels = new LevelIndex();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === null || v === undefined ? MISSING_CODE : levels.code(v);
  }
  return categoricalColumn(name, codes, levels.levels);
}

/** Select rows by index (used for train/holdout splits and samples). */
export function takeRows(t: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const columns = t.columns.map((c): Column => {
    if (c.type === 'numeric') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[rows[i]];
      return numericColumn(c.name, v);
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = c.codes[rows[i]];
    return categoricalColumn(c.name, codes, c.levels);
  });
  return { nRows: n, columns };
}

/** Row values as plain JS (for previews and tests, never the hot path). */
export function rowValues(t: Table, row: number): (number | string | null)[] {
  return t.columns.map((c) => {
    if (c.type === 'numeric') {
      const v = c.values[row];
      return Number.isNaN(v) ? null : v;
    }
    const code = c.codes[row];
    return code < 0 ? null : c.levels[code];
  });
}
