/**
 * Report figures reshaped into rows for Observable Plot. Display shaping only: every statistic
 * comes computed in the Report (src/core/metrics); here we just lay it out for the marks.
 */
import type { AssociationMatrices, ColumnFidelity, Histogram } from '../../../core/report/types';

export const REAL_COLOR = '#0ea5e9';
export const SYNTHETIC_COLOR = '#f97316';
export const HOLDOUT_COLOR = '#a855f7';

export interface BinRow {
  series: string;
  x1: number;
  x2: number;
  y: number;
}

export interface BarRow {
  series: string;
  label: string;
  y: number;
}

export interface CellRow {
  a: string;
  b: string;
  value: number;
}

/** Real and synthetic shares per bin (numeric) or per category, one row per series and bin. */
export function distributionRows(c: ColumnFidelity): { bins: BinRow[] } | { bars: BarRow[]; labels: string[] } {
  const d = c.distribution;
  if (d.type === 'histogram') {
    const bins: BinRow[] = [];
    for (let i = 0; i + 1 < d.edges.length; i++) {
      bins.push({ series: 'real', x1: d.edges[i], x2: d.edges[i + 1], y: d.real[i] ?? 0 });
      bins.push({ series: 'synthetic', x1: d.edges[i], x2: d.edges[i + 1], y: d.synthetic[i] ?? 0 });
    }
    return { bins };
  }
  const bars: BarRow[] = [];
  d.labels.forEach((label, i) => {
    bars.push({ series: 'real', label, y: d.real[i] ?? 0 });
    bars.push({ series: 'synthetic', label, y: d.synthetic[i] ?? 0 });
  });
  return { bars, labels: d.labels };
}

/** Cells of an association matrix (null entries, i.e. not computable, are left out). */
export function matrixCells(m: AssociationMatrices, which: 'real' | 'synthetic' | 'difference'): CellRow[] {
  const rows: CellRow[] = [];
  m.columns.forEach((a, i) =>
    m.columns.forEach((b, j) => {
      const r = m.real[i]?.[j] ?? null;
      const s = m.synthetic[i]?.[j] ?? null;
      const value = which === 'real' ? r : which === 'synthetic' ? s : r === null || s === null ? null : s - r;
      if (value !== null) rows.push({ a, b, value });
    }),
  );
  return rows;
}

/** Two distance histograms on shared edges, one row per series and bin. */
export function histogramRows(series: { name: string; h: Histogram }[]): BinRow[] {
  const rows: BinRow[] = [];
  for (const { name, h } of series) {
    for (let i = 0; i + 1 < h.edges.length; i++) rows.push({ series: name, x1: h.edges[i], x2: h.edges[i + 1], y: h.counts[i] ?? 0 });
  }
  return rows;
}
