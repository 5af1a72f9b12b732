/** The three plain verdicts at the top of the report, and the thresholds behind them. */
import type { Discriminator, Fidelity, Privacy, ScoreCard, ScoreCardEntry, Utility } from '../report/types';

/** 2-way accuracy within this of the holdout ceiling reads as "as faithful as a fresh sample". */
export const FIDELITY_GOOD_GAP = 0.02;
export const FIDELITY_FAIR_GAP = 0.06;
/**
 * DCR share above 0.5 + these margins means synthetic rows sit closer to training than fresh rows
 * do; on small samples the margin widens to 3 (5) standard errors so that noise is not called a leak.
 */
export const DCR_FAIR_MARGIN = 0.05;
export const DCR_POOR_MARGIN = 0.1;

export function dcrThresholds(sampleSize: number): { fair: number; poor: number } {
  const se = Math.sqrt(0.25 / Math.max(1, sampleSize));
  return { fair: 0.5 + Math.max(DCR_FAIR_MARGIN, 3 * se), poor: 0.5 + Math.max(DCR_POOR_MARGIN, 5 * se) };
}
export const UTILITY_GOOD = 0.9;
export const UTILITY_FAIR = 0.75;

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

export function fidelityEntry(f: Fidelity): ScoreCardEntry {
  const k = f.accuracy.synthetic[1] !== null ? 1 : 0;
  const acc = f.accuracy.synthetic[k], ceiling = f.accuracy.ceiling[k];
  const label = `${k + 1}-way accuracy`;
  if (acc === null || ceiling === null) return { level: 'unknown', verdict: 'Not measured.', figure: '', value: null };
  const gap = ceiling - acc;
  const figure = `${label} ${acc.toFixed(3)} (ceiling ${ceiling.toFixed(3)}) · quality ${f.quality.toFixed(3)}`;
  if (gap <= FIDELITY_GOOD_GAP) return { level: 'good', verdict: 'As faithful as a fresh sample of the same population.', figure, value: acc };
  if (gap <= FIDELITY_FAIR_GAP) {
    return { level: 'fair', verdict: 'Close to the real data, with some differences: see the worst columns and pairs.', figure, value: acc };
  }
  return { level: 'poor', verdict: 'Noticeably different from the real data: check the worst columns and pairs before use.', figure, value: acc };
}

export function privacyEntry(p: Privacy): ScoreCardEntry {
  const { share } = p.dcr;
  const limit = dcrThresholds(p.dcr.sampleSize);
  const { uniqueSynthetic: u, uniqueHoldout: uh } = p.exactCopies;
  const figure = `DCR share ${pct(share)} (ideal 50%) · copies of unique training rows ${pct(u, 2)} (holdout ${pct(uh, 2)})`;
  if (share > limit.poor || u > Math.max(3 * uh, uh + 0.01)) {
    return { level: 'poor', verdict: 'At risk: synthetic rows sit closer to the training rows than fresh rows do, or copy real records.', figure, value: share };
  }
  if (share > limit.fair || u > Math.max(1.5 * uh, uh + 0.002)) {
    return { level: 'fair', verdict: 'Some memorisation: a share of synthetic rows is closer to training rows than a fresh sample would be.', figure, value: share };
  }
  return { level: 'good', verdict: 'No sign of memorisation: synthetic rows are no closer to the training rows than fresh rows are.', figure, value: share };
}

export function utilityEntry(u: Utility | null, d: Discriminator | null): ScoreCardEntry {
  const disc = d ? ` · discriminator AUC ${d.auc.toFixed(2)} (ideal 0.5)` : '';
  if (!u) return { level: 'unknown', verdict: 'Not measured: choose a target column to predict.', figure: disc.slice(3), value: null };
  const name = u.metric === 'macroF1' ? 'macro-F1' : 'R²';
  const t = u.tstr[u.metric] ?? 0, r = u.trtr[u.metric] ?? 0;
  const figure = `TSTR ${name} ${t.toFixed(3)} vs TRTR ${r.toFixed(3)}${u.ratio === null ? '' : ` (${pct(u.ratio, 0)})`}${disc}`;
  if (u.ratio === null) return { level: 'unknown', verdict: `A model trained on real data cannot predict "${u.target}" either.`, figure, value: null };
  if (u.ratio >= UTILITY_GOOD) {
    return { level: 'good', verdict: `Models trained on the synthetic data predict "${u.target}" about as well as models trained on real data.`, figure, value: u.ratio };
  }
  if (u.ratio >= UTILITY_FAIR) {
    return { level: 'fair', verdict: `Models trained on the synthetic data predict "${u.target}" somewhat worse than on real data.`, figure, value: u.ratio };
  }
  return { level: 'poor', verdict: `Models trained on the synthetic data predict "${u.target}" much worse than on real data.`, figure, value: u.ratio };
}

export function scorecard(f: Fidelity, p: Privacy, u: Utility | null, d: Discriminator | null): ScoreCard {
  return { fidelity: fidelityEntry(f), privacy: privacyEntry(p), utility: utilityEntry(u, d) };
}
