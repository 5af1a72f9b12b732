/** Which of several synthetic tables of one project to suggest, and why. */
import type { Report } from './types';

export interface Suggestion {
  index: number;
  reason: string;
}

/** Gap of the headline k-way accuracy to the holdout ceiling (smaller is better). */
export function fidelityGap(r: Report): number {
  const k = r.fidelity.accuracy.synthetic[1] !== null ? 1 : 0;
  const a = r.fidelity.accuracy.synthetic[k], c = r.fidelity.accuracy.ceiling[k];
  return a === null || c === null ? Infinity : Math.max(0, c - a);
}

/**
 * The best report: among those whose privacy verdict is not "poor" (all, if every one is), the one
 * closest to the holdout ceiling; within 0.005 of it, the better utility ratio, then the DCR share
 * nearer 50%.
 */
export function suggestBest(reports: Report[]): Suggestion | null {
  if (reports.length === 0) return null;
  const safe = reports.map((r, i) => i).filter((i) => reports[i].scorecard.privacy.level !== 'poor');
  const pool = safe.length ? safe : reports.map((_, i) => i);
  const sorted = [...pool].sort((i, j) => {
    const a = reports[i], b = reports[j];
    const dg = fidelityGap(a) - fidelityGap(b);
    if (Math.abs(dg) > 0.005) return dg;
    const du = (b.utility?.ratio ?? 0) - (a.utility?.ratio ?? 0);
    if (Math.abs(du) > 0.01) return du;
    return Math.abs(a.privacy.dcr.share - 0.5) - Math.abs(b.privacy.dcr.share - 0.5);
  });
  const best = sorted[0];
  const why = safe.length
    ? safe.length < reports.length
      ? 'closest to the holdout ceiling among those without a privacy risk'
      : 'closest to the holdout ceiling'
    : 'closest to the holdout ceiling, but every candidate shows a privacy risk';
  return { index: best, reason: `${reports[best].label}: ${why} (gap ${fidelityGap(reports[best]).toFixed(3)}).` };
}
