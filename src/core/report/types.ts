import type { RuleAdherence } from '../rules/types';
import type { TextFidelity } from '../text/fidelity';
import type { TextEmbeddingMetrics } from '../text/embeddingMetrics';
import type { EpsilonCurve } from '../synth/privacy/epsilonCurve';
/**
 * The evaluation report: everything a reader needs to judge a synthetic table, as plain JSON
 * (no typed arrays, no NaN: a figure that cannot be computed is null). Built by core/metrics,
 * rendered by core/report (HTML export) and by the app's report view.
 */

export type VerdictLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface ScoreCardEntry {
  level: VerdictLevel;
  /** One plain sentence for a non-statistician. */
  verdict: string;
  /** The figure behind the verdict, ready to print (e.g. "2-way accuracy 0.93 (ceiling 0.94)"). */
  figure: string;
  /** The headline number (0..1), or null when not measured. */
  value: number | null;
  /** Which rule of the verdict's rule table decided it (src/core/metrics/scorecard.ts). */
  rule?: string;
  /** The figure and threshold that decided the verdict, e.g. "discriminator AUC 1.00 (≥ 0.9)". */
  decidedBy?: string;
}

export interface ScoreCard {
  fidelity: ScoreCardEntry;
  privacy: ScoreCardEntry;
  utility: ScoreCardEntry;
}

export type EvaluatedKind = 'numeric' | 'categorical';

export interface NumericDistribution {
  type: 'histogram';
  /** Bin edges (length bins + 1), equal width over the real and synthetic range together. */
  edges: number[];
  /** Shares of non-missing values per bin. */
  real: number[];
  synthetic: number[];
  missingReal: number;
  missingSynthetic: number;
}

export interface CategoricalDistribution {
  type: 'categories';
  /** Most frequent real categories first; the tail is folded into "(other)"; "(missing)" last. */
  labels: string[];
  /** Shares of all rows. */
  real: number[];
  synthetic: number[];
}

export interface ColumnFidelity {
  name: string;
  kind: EvaluatedKind;
  metric: 'KSComplement' | 'TVComplement';
  score: number;
  distribution: NumericDistribution | CategoricalDistribution;
  /** A datetime column: its histogram's edges are epoch milliseconds, shown as dates. */
  datetime?: boolean;
  /** Years: numbers printed without a thousands separator. */
  noGrouping?: boolean;
}

export interface PairFidelity {
  a: string;
  b: string;
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  score: number;
  /** Pearson r (numeric pairs) or Cramér's V (other pairs) in the real and synthetic data. */
  real: number | null;
  synthetic: number | null;
  /** |r_real| > 0.5 or Cramér's V > 0.3. */
  matters: boolean;
}

export interface AssociationMatrices {
  columns: string[];
  /** Pearson r between numeric columns, Cramér's V (0..1) for any pair with a categorical column. */
  real: (number | null)[][];
  synthetic: (number | null)[][];
}

export interface KWayAccuracy {
  /** 1 − TVD of k-way joint distributions, k = 1, 2, 3, synthetic against training. */
  synthetic: [number | null, number | null, number | null];
  /** The same for the holdout against training: the ceiling a perfect generator reaches. */
  ceiling: [number | null, number | null, number | null];
  /** Column combinations scored per k (sampled when there are many). */
  combinations: [number, number, number];
  /** Rows of the synthetic table used (sampled to the holdout's size so both carry the same noise). */
  syntheticRows: number;
}

export interface Fidelity {
  /** Column Shapes: mean over columns. */
  shapes: number;
  /** Column Pair Trends: mean over all pairs (null with a single column). */
  pairs: number | null;
  /** Mean over the pairs that matter; null when none does. */
  pairsThatMatter: number | null;
  pairsThatMatterCount: number;
  /** mean(shapes, pairs). */
  quality: number;
  accuracy: KWayAccuracy;
  /** Worst first. */
  columns: ColumnFidelity[];
  /** Worst first. */
  pairList: PairFidelity[];
  associations: AssociationMatrices;
}

export interface ColumnDiagnostic {
  name: string;
  /** Share of synthetic values inside the real [min, max] (numeric) or among real categories. */
  score: number;
  /** Synthetic categories never seen in training (up to 10), e.g. a pooled rare label. */
  unseen?: string[];
  min?: number;
  max?: number;
}

export interface Diagnostics {
  /** Mean over numeric columns of the share within the real min/max; null with no numeric column. */
  boundaryAdherence: number | null;
  /** Mean over categorical columns of the share of values seen in training; null with none. */
  categoryAdherence: number | null;
  /** Per key column (role generate-key or kind id): share of distinct non-missing values. */
  keyUniqueness: { name: string; score: number }[];
  /** Share of the training columns present in the synthetic table with the same storage type. */
  schemaMatch: number;
  missingColumns: string[];
  extraColumns: string[];
  boundaries: ColumnDiagnostic[];
  categories: ColumnDiagnostic[];
}

export interface ExactCopies {
  /** Share of synthetic rows identical to some training row. */
  synthetic: number;
  /** The same share for holdout rows: what a fresh sample of the population shows. */
  holdout: number;
  /** Share of synthetic rows identical to a training row that is unique in training. */
  uniqueSynthetic: number;
  uniqueHoldout: number;
  syntheticCount: number;
  uniqueSyntheticCount: number;
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface DistanceToClosestRecord {
  /** Rows sampled from each of training, holdout and synthetic (equal sizes). */
  sampleSize: number;
  /** Share of synthetic rows closer to training than to holdout; ties count half. Ideal 0.5. */
  share: number;
  /** Share of synthetic rows at equal distance from both (counted half in `share`). */
  ties: number;
  /** Median distance of synthetic rows to their closest training row. */
  medianSynthetic: number;
  /** Median distance of holdout rows to their closest training row (the reference). */
  medianHoldout: number;
  /** Median distance of uniform random rows (within bounds and categories) to training. */
  medianRandom: number;
  /** Distances of synthetic rows to their closest training row and closest holdout row. */
  histogramTrain: Histogram;
  histogramHoldout: Histogram;
  /** Mean nearest/second-nearest distance ratio (to training) of synthetic and of holdout rows. */
  nndrSynthetic: number;
  nndrHoldout: number;
}

export interface Privacy {
  exactCopies: ExactCopies;
  dcr: DistanceToClosestRecord;
  /** Rows matching a training row unique on the quasi-identifiers; absent with fewer than two of them. */
  quasiIdentifiers?: QuasiIdentifierMatches | null;
}

export interface QuasiIdentifierMatches {
  /** The quasi-identifier columns (age, sex, postcode, diagnosis…), found by name or PII mark. */
  columns: string[];
  /** Share of synthetic rows whose quasi-identifiers match a training row unique on them. */
  synthetic: number;
  /** The same for holdout rows: what a fresh sample of the population matches by chance. */
  holdout: number;
  syntheticCount: number;
}

export interface ModelScores {
  /** Classification. */
  macroF1?: number;
  accuracy?: number;
  /** Mean one-vs-rest ROC AUC over the classes present in the test set. */
  auc?: number | null;
  /** Regression. */
  r2?: number;
}

export interface Utility {
  target: string;
  task: 'classification' | 'regression';
  /** Headline metric used for the ratio. */
  metric: 'macroF1' | 'r2';
  /** Trained on synthetic, tested on holdout. */
  tstr: ModelScores;
  /** Trained on training, tested on holdout. */
  trtr: ModelScores;
  /** TSTR / TRTR of the headline metric; null when TRTR ≤ 0. */
  ratio: number | null;
  /**
   * Set when the model trained on real rows does no better than chance on the holdout (ROC AUC or R² at
   * most NO_SIGNAL_*): the target cannot be predicted from the other columns (say a treatment assigned
   * at random), so the ratio compares noise with noise and says nothing about the synthetic rows.
   */
  noSignal?: boolean;
  trainRows: number;
  testRows: number;
  model: string;
}

export interface Discriminator {
  /** ROC AUC of a classifier telling real from synthetic on held-out rows. Ideal 0.5. */
  auc: number;
  rows: number;
  model: string;
}

export interface Report {
  version: 1;
  /** What produced the synthetic table, e.g. "CART sequential, seed 7". */
  label: string;
  rows: { train: number; holdout: number; synthetic: number };
  columns: { name: string; kind: EvaluatedKind }[];
  scorecard: ScoreCard;
  fidelity: Fidelity;
  diagnostics: Diagnostics;
  privacy: Privacy;
  utility: Utility | null;
  discriminator: Discriminator | null;
  /** How the figures were computed (sampling, ties, encodings), in plain sentences. */
  notes: string[];
  /** Seed of the report's own samples (DCR rows, combinations, models), not the model's. */
  seed: number;
  /** Why the utility target was chosen, when it was chosen automatically. */
  targetReason?: string;
  /** What was evaluated: the data version, the model, its options and seeds (set by the app). */
  provenance?: ReportProvenance;
  /** Free-text columns: length, vocabulary and leak figures (absent or empty when there are none). */
  text?: TextColumnReport[];
  /** Rules the rows obey (found and declared), with the share of rows obeying each (absent when none). */
  rules?: RuleAdherence[];
  /**
   * The Bayesian network refitted at each ε of a list (0.25 … 5, ∞), 2-way accuracy beside the ceiling:
   * computed on demand in the app for a model trained with ε, and saved with the report.
   */
  epsilonCurve?: StoredEpsilonCurve;
}

/** An ε curve as saved with a report: when it was computed and the ε of the model the report is about. */
export interface StoredEpsilonCurve extends EpsilonCurve {
  computedAt: number;
  /** The budget of the model that made the evaluated table, marked on the curve. */
  modelEpsilon?: number;
}

/** One free-text column: synthetic vs training, and the holdout vs training as the ceiling. */
export interface TextColumnReport {
  column: string;
  synthetic: TextFidelity;
  holdout: TextFidelity | null;
  /** Sentence-embedding metrics, when a feature-extraction model was given. */
  embedding?: TextEmbeddingMetrics;
  /** The same metrics for the holdout texts in place of the synthetic ones: the ceiling (embeddingCeiling). */
  embeddingCeiling?: TextEmbeddingMetrics;
}

export interface ReportProvenance {
  /** The real dataset version compared against, e.g. "penguins.csv — Drop duplicate rows". */
  dataVersion: string;
  synthesizer?: string;
  /** The model's options as given to fit (ε included when set). */
  options?: Record<string, unknown>;
  fitSeed?: number;
  sampleSeed?: number;
  epsilon?: number;
  conditional?: boolean;
}

/** One line for the report header: data version, model, options, seeds. */
export function provenanceLine(p: ReportProvenance, reportSeed: number): string {
  const parts = [`data: ${p.dataVersion}`];
  if (p.synthesizer) {
    const opts = Object.entries(p.options ?? {})
      .filter(([, v]) => v !== undefined && (typeof v !== 'object' || v === null))
      .map(([k, v]) => `${k} ${String(v)}`);
    parts.push(`model: ${p.synthesizer}${opts.length ? ` (${opts.join(', ')})` : ''}`);
  }
  if (p.epsilon !== undefined) parts.push(`ε = ${p.epsilon}`);
  if (p.fitSeed !== undefined) parts.push(`fit seed ${p.fitSeed}`);
  if (p.sampleSeed !== undefined) parts.push(`sample seed ${p.sampleSeed}`);
  if (p.conditional) parts.push('drawn under conditions');
  parts.push(`report seed ${reportSeed}`);
  return parts.join(' · ');
}
