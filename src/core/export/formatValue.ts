import { formatDatetime } from '../schema/datetimeFormat';
import type { ColumnSchema } from '../schema/schema';
import { isMissing, type Column } from '../table/table';

/**
 * A number the way the input wrote it: integers without ".0"; other numbers rounded to the decimals seen in
 * the input; trailing zeros dropped unless every input value was padded to the same count ("0.0", "10.9").
 */
export function formatNumber(v: number, schemaCol: ColumnSchema): string {
  if (Number.isNaN(v)) return '';
  if (schemaCol.kind === 'datetime') return formatDatetime(v, schemaCol.format?.datetime ?? 'ISO');
  if (schemaCol.kind === 'integer') {
    const r = Math.round(v);
    return Math.abs(r) < 1e21 ? r.toFixed(0) : String(r);
  }
  const d = schemaCol.format?.decimals;
  if (d === undefined || Math.abs(v) >= 1e21) return String(v);
  const fixed = v.toFixed(Math.min(d, 100));
  if (schemaCol.format?.padded) return fixed.replace(/^-(0\.0*)$/, '$1'); // no "-0.0"
  const trimmed = fixed.indexOf('.') >= 0 ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** One cell as text, the way the input wrote it; '' for missing (or the input's token, when export asks). */
export function formatValue(column: Column, schemaCol: ColumnSchema, row: number): string {
  if (column.type === 'numeric') return formatNumber(column.values[row], schemaCol);
  const code = column.codes[row];
  return code < 0 ? '' : column.levels[code];
}

/** A cell for export: missing cells carry the input's missing-value token ("NA") where it had one. */
export function exportValue(column: Column, schemaCol: ColumnSchema, row: number): string {
  const v = formatValue(column, schemaCol, row);
  return v === '' && isMissing(column, row) ? (schemaCol.format?.missing ?? '') : v;
}
