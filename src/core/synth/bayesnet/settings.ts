import { UserError } from '../../context';
import { privacyBudget, type PrivacyBudget } from './privacy';
import type { PrivacyLedger } from '../privacy/budget';
import * as detMath from '../../math/detMath';

/** Options of the Bayesian network engine (all optional). */
export interface BayesNetOptions {
  /** Differential privacy budget; undefined = no differential privacy. */
  epsilon?: number;
  /** k, the most parents a column may have; chosen from the data size when unset. */
  maxParents?: number;
  /** Quantile bins for numeric and datetime columns (equal-width with epsilon); from the data size when unset. */
  bins?: number;
  /** Total pseudo-count of the prior towards each column's marginal (no privacy only). Default 1. */
  smoothing?: number;
  /**
   * With epsilon: the category values and numeric ranges of the table are public knowledge (a
   * codebook), so no budget is spent on choosing them. Read by the pipeline.
   */
  publicDomain?: boolean;
  /** The fit's privacy ledger, handed over by the pipeline (what it already spent is deducted). */
  privacyLedger?: PrivacyLedger;
}

/**
 * Without privacy a conditional table may have at most n / ROWS_PER_CELL cells: enough rows per
 * cell for the estimate to generalise rather than memorise.
 */
export const ROWS_PER_CELL = 2;
const DEFAULT_SMOOTHING = 1;
const MAX_BINS = 20;
/** Ceiling on k for speed; the table-size limit usually binds first. */
const MAX_DEFAULT_PARENTS = 4;

export interface ResolvedSettings {
  bins: number;
  maxDomain: number;
  smoothing: number;
  privacy?: PrivacyBudget;
}

/** `engineEpsilon`: the part of epsilon left to the engine (after the pipeline's spends); epsilon when unset. */
export function resolveSettings(n: number, d: number, o: BayesNetOptions, engineEpsilon?: number, withStructure = true): ResolvedSettings {
  if (o.epsilon !== undefined && !(o.epsilon > 0 && Number.isFinite(o.epsilon))) {
    throw new UserError(`Epsilon must be a positive number, got ${o.epsilon}`, 'Use e.g. 1 (more privacy below 1, less above), or leave it empty for no differential privacy.');
  }
  if (o.maxParents !== undefined && !(Number.isInteger(o.maxParents) && o.maxParents >= 0)) {
    throw new UserError(`The number of parents must be a whole number >= 0, got ${o.maxParents}`);
  }
  if (o.bins !== undefined && !(Number.isInteger(o.bins) && o.bins >= 2)) {
    throw new UserError(`The number of bins must be a whole number >= 2, got ${o.bins}`);
  }
  if (o.smoothing !== undefined && !(o.smoothing >= 0 && Number.isFinite(o.smoothing))) {
    throw new UserError(`Smoothing must be a number >= 0, got ${o.smoothing}`);
  }
  const privacy = o.epsilon === undefined ? undefined : privacyBudget(engineEpsilon ?? o.epsilon, n, d, withStructure);
  const maxDomain = Math.max(2, Math.floor(privacy ? privacy.usefulDomain : n / ROWS_PER_CELL));
  // Without privacy a binned column with two binned parents should fit in one table (cube root);
  // with privacy the useful domain is small and one binned parent is what fits (square root).
  // The minus one leaves room for a missing-value state.
  const fitting = Math.floor(privacy ? Math.sqrt(maxDomain) : detMath.cbrt(maxDomain)) - 1;
  const bins = o.bins ?? Math.min(MAX_BINS, Math.max(privacy ? 2 : 5, fitting));
  return { bins, maxDomain, smoothing: o.smoothing ?? DEFAULT_SMOOTHING, privacy };
}

/**
 * k from the data: the largest k for which a column of typical size with k parents of typical
 * size fits the table-size limit, plus one so that small columns (booleans, short category lists)
 * can still gather an extra parent; the table-size limit then decides per column.
 */
export function defaultMaxParents(stateCounts: number[], maxDomain: number): number {
  if (stateCounts.length === 0) return 1;
  const sorted = stateCounts.slice().sort((a, b) => a - b);
  const typical = Math.max(2, sorted[Math.floor(sorted.length / 2)]);
  const k = Math.floor(detMath.log(maxDomain) / detMath.log(typical)) - 1;
  return Math.min(MAX_DEFAULT_PARENTS, Math.max(1, k + 1));
}
