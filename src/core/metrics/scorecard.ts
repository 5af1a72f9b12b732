/**
 * The three plain verdicts at the top of the report, each derived from its figures by one rule table:
 * the rules are tried in order (worst verdict first) and the first that holds decides, naming the
 * figure that decided it. The thresholds are named here and tested in test/core/metrics/scorecard.test.ts.
 */
import type { Discriminator, Fidelity, Privacy, ScoreCard, ScoreCardEntry, Utility, VerdictLevel } from '../report/types';

/** 2-way accuracy within this of the holdout ceiling reads as "as faithful as a fresh sample". */
export const FIDELITY_GOOD_GAP = 0.02;
export const FIDELITY_FAIR_GAP = 0.06;
/** A discriminator this sure tells real from synthetic: the rows do not pass for real ones. */
export const DISCRIMINATOR_POOR_AUC = 0.9;
export const DISCRIMINATOR_FAIR_AUC = 0.75;
/** A synthesized column whose shape score is this low was not reproduced at all. */
export const SHAPE_FAILED = 0.1;
/**
 * DCR share above 0.5 + these margins means synthetic rows sit closer to training than fresh rows
 * do; on small samples the margin widens to 3 (5) standard errors so that noise is not called a leak.
 */
export const DCR_FAIR_MARGIN = 0.05;
export const DCR_POOR_MARGIN = 0.1;
/** Privacy is never "good" above this DCR share, whatever the sample size. */
export const DCR_GOOD_MAX = 0.55;

export function dcrThresholds(sampleSize: number): { fair: number; poor: number } {
  const se = Math.sqrt(0.25 / Math.max(1, sampleSize));
  return { fair: 0.5 + Math.max(DCR_FAIR_MARGIN, 3 * se), poor: 0.5 + Math.max(DCR_POOR_MARGIN, 5 * se) };
}
export const UTILITY_GOOD = 0.9;
export const UTILITY_FAIR = 0.75;

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

/** One row of a rule table: when `holds`, the verdict is `level`, decided by the figure `decidedBy` names. */
export interface VerdictRule<F> {
  id: string;
  level: Exclude<VerdictLevel, 'unknown'>;
  holds(f: F): boolean;
  verdict(f: F): string;
  decidedBy(f: F): string;
}

/** The first rule that holds decides; `fallback` is the verdict when none does. */
export function decide<F>(rules: VerdictRule<F>[], f: F, figure: string, value: number | null): ScoreCardEntry {
  for (const r of rules) {
    if (r.holds(f)) return { level: r.level, verdict: r.verdict(f), figure, value, rule: r.id, decidedBy: r.decidedBy(f) };
  }
  throw new Error('A verdict rule table must end with a rule that always holds');
}

// ---------- fidelity ----------

export interface FidelityFigures {
  gap: number;
  acc: number;
  ceiling: number;
  k: number;
  auc: number | null;
  worstShape: { name: string; score: number } | null;
}

const accFigure = (f: FidelityFigures) => `${f.k}-way accuracy ${f.acc.toFixed(3)} (ceiling ${f.ceiling.toFixed(3)})`;

export const FIDELITY_RULES: VerdictRule<FidelityFigures>[] = [
  {
    id: 'column-not-reproduced',
    level: 'poor',
    holds: (f) => f.worstShape !== null && f.worstShape.score < SHAPE_FAILED,
    verdict: (f) => `The column "${f.worstShape!.name}" was not reproduced: its values look nothing like the real ones.`,
    decidedBy: (f) => `shape score of "${f.worstShape!.name}" ${f.worstShape!.score.toFixed(3)} (< ${SHAPE_FAILED})`,
  },
  {
    id: 'discriminator-tells',
    level: 'poor',
    holds: (f) => f.auc !== null && f.auc >= DISCRIMINATOR_POOR_AUC,
    verdict: () => 'A classifier tells the synthetic rows from real ones almost every time: they do not pass for real data.',
    decidedBy: (f) => `discriminator AUC ${f.auc!.toFixed(2)} (≥ ${DISCRIMINATOR_POOR_AUC})`,
  },
  {
    id: 'far-from-ceiling',
    level: 'poor',
    holds: (f) => f.gap > FIDELITY_FAIR_GAP,
    verdict: () => 'Noticeably different from the real data: check the worst columns and pairs before use.',
    decidedBy: (f) => `${accFigure(f)}: ${f.gap.toFixed(3)} below the ceiling (> ${FIDELITY_FAIR_GAP})`,
  },
  {
    id: 'discriminator-notices',
    level: 'fair',
    holds: (f) => f.auc !== null && f.auc >= DISCRIMINATOR_FAIR_AUC,
    verdict: () => 'Close on each figure, but a classifier often tells synthetic rows from real ones: see the worst pairs.',
    decidedBy: (f) => `discriminator AUC ${f.auc!.toFixed(2)} (≥ ${DISCRIMINATOR_FAIR_AUC})`,
  },
  {
    id: 'near-ceiling',
    level: 'fair',
    holds: (f) => f.gap > FIDELITY_GOOD_GAP,
    verdict: () => 'Close to the real data, with some differences: see the worst columns and pairs.',
    decidedBy: (f) => `${accFigure(f)}: ${f.gap.toFixed(3)} below the ceiling (> ${FIDELITY_GOOD_GAP})`,
  },
  {
    id: 'at-ceiling',
    level: 'good',
    holds: () => true,
    verdict: () => 'As faithful as a fresh sample of the same population.',
    decidedBy: (f) => `${accFigure(f)}: within ${FIDELITY_GOOD_GAP} of the ceiling`,
  },
];

export function fidelityEntry(f: Fidelity, d: Discriminator | null = null): ScoreCardEntry {
  const k = f.accuracy.synthetic[1] !== null ? 1 : 0;
  const acc = f.accuracy.synthetic[k], ceiling = f.accuracy.ceiling[k];
  const worst = f.columns.reduce<{ name: string; score: number } | null>((w, c) => (w === null || c.score < w.score ? { name: c.name, score: c.score } : w), null);
  const disc = d ? ` · discriminator AUC ${d.auc.toFixed(2)} (ideal 0.5)` : '';
  if (acc === null || ceiling === null) {
    // No k-way figure (e.g. a holdout too small): the other figures still decide when there are some.
    if (!d && !worst) return { level: 'unknown', verdict: 'Not measured.', figure: '', value: null };
    const figures: FidelityFigures = { gap: 0, acc: 0, ceiling: 0, k: k + 1, auc: d?.auc ?? null, worstShape: worst };
    const rules = FIDELITY_RULES.filter((r) => r.id === 'column-not-reproduced' || r.id.startsWith('discriminator'));
    const hit = rules.find((r) => r.holds(figures));
    if (hit) return decide([hit], figures, `shapes ${f.shapes.toFixed(3)}${disc}`, null);
    return { level: 'unknown', verdict: 'Not measured: too few rows for the k-way accuracy.', figure: `shapes ${f.shapes.toFixed(3)}${disc}`, value: null };
  }
  const figures: FidelityFigures = { gap: ceiling - acc, acc, ceiling, k: k + 1, auc: d?.auc ?? null, worstShape: worst };
  return decide(FIDELITY_RULES, figures, `${accFigure(figures)} · quality ${f.quality.toFixed(3)}${disc}`, acc);
}

// ---------- privacy ----------

export interface PrivacyFigures {
  share: number;
  limit: { fair: number; poor: number };
  unique: number;
  uniqueHoldout: number;
}

const dcrFigure = (f: PrivacyFigures) => `DCR share ${pct(f.share)}`;
const copiesFigure = (f: PrivacyFigures) => `copies of unique training rows ${pct(f.unique, 2)} (holdout ${pct(f.uniqueHoldout, 2)})`;

export const PRIVACY_RULES: VerdictRule<PrivacyFigures>[] = [
  {
    id: 'copies-real-records',
    level: 'poor',
    holds: (f) => f.unique > Math.max(3 * f.uniqueHoldout, f.uniqueHoldout + 0.01),
    verdict: () => 'At risk: synthetic rows copy records unique to the training data far more often than fresh rows do.',
    decidedBy: copiesFigure,
  },
  {
    id: 'much-closer-than-fresh',
    level: 'poor',
    holds: (f) => f.share > f.limit.poor,
    verdict: () => 'At risk: synthetic rows sit much closer to the training rows than fresh rows do.',
    decidedBy: (f) => `${dcrFigure(f)} (> ${pct(f.limit.poor)})`,
  },
  {
    id: 'more-copies-than-holdout',
    level: 'fair',
    holds: (f) => f.unique > f.uniqueHoldout,
    verdict: () => 'Some memorisation: synthetic rows copy records unique to the training data more often than fresh rows do.',
    decidedBy: copiesFigure,
  },
  {
    id: 'closer-than-fresh',
    level: 'fair',
    holds: (f) => f.share > Math.min(f.limit.fair, DCR_GOOD_MAX),
    verdict: () => 'Some memorisation: a share of synthetic rows is closer to training rows than a fresh sample would be.',
    decidedBy: (f) => `${dcrFigure(f)} (> ${pct(Math.min(f.limit.fair, DCR_GOOD_MAX))})`,
  },
  {
    id: 'no-memorisation',
    level: 'good',
    holds: () => true,
    verdict: () => 'No sign of memorisation: synthetic rows are no closer to the training rows than fresh rows are.',
    decidedBy: (f) => `${dcrFigure(f)} (≤ ${pct(Math.min(f.limit.fair, DCR_GOOD_MAX))}) and ${copiesFigure(f)}`,
  },
];

export function privacyEntry(p: Privacy): ScoreCardEntry {
  const figures: PrivacyFigures = {
    share: p.dcr.share,
    limit: dcrThresholds(p.dcr.sampleSize),
    unique: p.exactCopies.uniqueSynthetic,
    uniqueHoldout: p.exactCopies.uniqueHoldout,
  };
  return decide(PRIVACY_RULES, figures, `${dcrFigure(figures)} (ideal 50%) · ${copiesFigure(figures)}`, figures.share);
}

// ---------- utility ----------

export interface UtilityFigures {
  target: string;
  metric: string;
  tstr: number;
  trtr: number;
  ratio: number | null;
  /** Utility.noSignal: TRTR at chance. */
  noSignal?: boolean;
  /** TRTR's ROC AUC (classification). */
  trtrAuc?: number | null;
}

const utilFigure = (f: UtilityFigures) => `TSTR ${f.metric} ${f.tstr.toFixed(3)} vs TRTR ${f.trtr.toFixed(3)}${f.ratio === null ? '' : ` (${pct(f.ratio, 0)})`}`;

export const UTILITY_RULES: VerdictRule<UtilityFigures>[] = [
  {
    id: 'target-unpredictable',
    level: 'fair',
    holds: (f) => f.ratio === null || f.noSignal === true,
    verdict: (f) => `A model trained on real data cannot predict "${f.target}" either, so this target says little: choose another.`,
    decidedBy: (f) => `TRTR ${f.metric} ${f.trtr.toFixed(3)}${f.noSignal && typeof f.trtrAuc === 'number' ? `, ROC AUC ${f.trtrAuc.toFixed(2)} (chance is 0.5)` : ''}`,
  },
  {
    id: 'much-worse',
    level: 'poor',
    holds: (f) => f.ratio! < UTILITY_FAIR,
    verdict: (f) => `Models trained on the synthetic data predict "${f.target}" much worse than on real data.`,
    decidedBy: (f) => `${utilFigure(f)} (< ${pct(UTILITY_FAIR, 0)})`,
  },
  {
    id: 'somewhat-worse',
    level: 'fair',
    holds: (f) => f.ratio! < UTILITY_GOOD,
    verdict: (f) => `Models trained on the synthetic data predict "${f.target}" somewhat worse than on real data.`,
    decidedBy: (f) => `${utilFigure(f)} (< ${pct(UTILITY_GOOD, 0)})`,
  },
  {
    id: 'as-useful',
    level: 'good',
    holds: () => true,
    verdict: (f) => `Models trained on the synthetic data predict "${f.target}" about as well as models trained on real data.`,
    decidedBy: (f) => `${utilFigure(f)} (≥ ${pct(UTILITY_GOOD, 0)})`,
  },
];

export function utilityEntry(u: Utility | null): ScoreCardEntry {
  if (!u) return { level: 'unknown', verdict: 'Not measured: choose a target column to predict.', figure: '', value: null };
  const figures: UtilityFigures = {
    target: u.target,
    metric: u.metric === 'macroF1' ? 'macro-F1' : 'R²',
    tstr: u.tstr[u.metric] ?? 0,
    trtr: u.trtr[u.metric] ?? 0,
    ratio: u.ratio,
    ...(u.noSignal ? { noSignal: true, trtrAuc: u.trtr.auc ?? null } : {}),
  };
  return decide(UTILITY_RULES, figures, utilFigure(figures), u.ratio);
}

export function scorecard(f: Fidelity, p: Privacy, u: Utility | null, d: Discriminator | null): ScoreCard {
  return { fidelity: fidelityEntry(f, d), privacy: privacyEntry(p), utility: utilityEntry(u) };
}
