/**
 * Cells as typed values for the typed formats (JSON, Parquet): numbers as numbers rounded the way the
 * input wrote them, datetimes as the input formats them, booleans as booleans, missing as null.
 */
import { formatDatetime, parseDatetime } from '../schema/datetimeFormat';
import type { ColumnSchema } from '../schema/schema';
import type { Column } from '../table/table';
import { formatNumber } from './formatValue';

const TRUE = new Set(['true', 'yes', 'y', 't']);
const FALSE = new Set(['false', 'no', 'n', 'f']);

/**
 * A boolean column's levels as booleans (true/false, yes/no, y/n, t/f in any case), or undefined
 * when a level is none of these (the column is then written as text).
 */
export function booleanLevels(levels: string[], strict = false): boolean[] | undefined {
  const out: boolean[] = [];
  for (const l of levels) {
    const v = l.trim().toLowerCase();
    if (strict ? v === 'true' : TRUE.has(v)) out.push(true);
    else if (strict ? v === 'false' : FALSE.has(v)) out.push(false);
    else return undefined;
  }
  return out;
}

/** A numeric cell rounded as the CSV writes it (input decimals, integers whole); NaN for missing. */
export function roundedNumber(v: number, s: ColumnSchema): number {
  if (Number.isNaN(v)) return NaN;
  if (s.kind === 'datetime') return datetimeAsWritten(v, s);
  return Number(formatNumber(v, s));
}

/** Epoch ms of a datetime as the input's format writes it (a date-only format drops the time). */
export function datetimeAsWritten(v: number, s: ColumnSchema): number {
  const fmt = s.format?.datetime ?? 'ISO';
  if (fmt === 'ISO') return v;
  const back = parseDatetime(formatDatetime(v, fmt), fmt);
  return Number.isNaN(back) ? v : back;
}

/** A column's cells as JSON values: numbers, formatted datetimes, booleans (true/false levels), text, null. */
export function jsonCells(c: Column, s: ColumnSchema): (number | string | boolean | null)[] {
  const n = c.type === 'numeric' ? c.values.length : c.codes.length;
  const out = new Array<number | string | boolean | null>(n);
  if (c.type === 'numeric') {
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (Number.isNaN(v)) out[i] = null;
      else if (s.kind === 'datetime') out[i] = formatDatetime(v, s.format?.datetime ?? 'ISO');
      else {
        const r = roundedNumber(v, s);
        out[i] = Number.isFinite(r) ? r : null;
      }
    }
    return out;
  }
  const bools = s.kind === 'boolean' ? booleanLevels(c.levels, true) : undefined;
  const levels: (string | boolean)[] = bools ?? c.levels;
  for (let i = 0; i < n; i++) {
    const k = c.codes[i];
    out[i] = k < 0 ? null : levels[k];
  }
  return out;
}
