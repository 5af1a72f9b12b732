import { formatDatetime } from '../../../core/schema/datetimeFormat';
import type { ColumnKind, ColumnSchema } from '../../../core/schema/schema';

/** Display formatting for profile figures (the figures themselves come from the profile worker). */
export const fmtCount = (n: number): string => n.toLocaleString('en');

export function fmtPercent(part: number, whole: number): string {
  if (whole <= 0 || part === 0) return '0%';
  const p = (100 * part) / whole;
  return p < 0.1 ? '<0.1%' : `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/**
 * A statistic in the column's own terms: dates as dates, numbers with about 5 significant digits, and years
 * (format.noGrouping) without a thousands separator: "2007", and a mean of "2007.9".
 */
export function fmtStat(v: number, col: Pick<ColumnSchema, 'kind' | 'format'>): string {
  if (!Number.isFinite(v)) return '–';
  if (col.kind === 'datetime') return formatDatetime(v, col.format?.datetime ?? 'YYYY-MM-DD');
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return v.toExponential(3);
  return Number(v.toPrecision(5)).toLocaleString('en', { maximumFractionDigits: 6, useGrouping: !col.format?.noGrouping });
}

/** A spread (std): for dates in days, since ms mean nothing to a reader. */
export function fmtSpread(v: number, kind: ColumnKind): string {
  if (!Number.isFinite(v)) return '–';
  if (kind === 'datetime') return `${Number((v / 86_400_000).toPrecision(3)).toLocaleString('en')} days`;
  return fmtStat(v, { kind });
}

export const QUANTILE_LABEL: Record<number, string> = { 0: 'min', 0.05: '5%', 0.25: '25%', 0.5: 'median', 0.75: '75%', 0.95: '95%', 1: 'max' };

/** A category as text; quoted when spaces at either end (or emptiness) would otherwise be invisible. */
export function showLevel(v: string): string {
  return v === '' || v !== v.trim() ? JSON.stringify(v) : v;
}
