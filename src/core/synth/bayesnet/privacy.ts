import * as detMath from '../../math/detMath';

/**
 * Differential privacy pieces of PrivBayes (Zhang, Cormode, Procopiuc, Srivastava, Xiao:
 * SIGMOD 2014 and ACM TODS 2017).
 *
 * Budget: of the engine's part of epsilon (what the pipeline's domain choice and the bin edges left
 * in the ledger, privacy/budget.ts), a share STRUCTURE_SHARE picks the structure (d - 1
 * exponential-mechanism draws; none when no two columns fit a useful table), the rest perturbs the d
 * joint marginals (child + parents) the conditional tables come from.
 * Neighbouring tables differ in one row's values (n is public), so a marginal's counts have L1
 * sensitivity 2 and the d marginals together 2d: Laplace scale 2d / eps2 on counts (2d / (n eps2)
 * on probabilities, as in the paper).
 */
/**
 * PrivBayes' papers use 0.3. On the shared tables at ε = 1 (public domain, 6 seeds) 0.1 is as good or
 * better on every table (titanic 2-way .851 → .876, colon .854 → .863, salaries .655 → .665, the rest
 * within ±0.002): mutual information between columns differs by far more than its sensitivity once n is
 * in the hundreds, so a smaller share still finds the structure and the counts get the rest.
 */
export const STRUCTURE_SHARE = 0.1;
/** PrivBayes' usefulness threshold: average cell count at least THETA times the noise scale. */
export const THETA = 4;

export interface PrivacyBudget {
  /** The engine's part of the budget (structure + marginals). */
  epsilon: number;
  /** For all the exponential-mechanism draws together. */
  structure: number;
  /** Per exponential-mechanism draw. */
  structureStep: number;
  /** For all the noisy marginals together. */
  marginals: number;
  /** Laplace scale on counts. */
  countNoiseScale: number;
  /** Largest joint domain (child x parent configurations) that stays theta-useful. */
  usefulDomain: number;
}

export function privacyBudget(epsilon: number, n: number, d: number, withStructure = true): PrivacyBudget {
  // One column needs no structure, nor a table where no column can take a parent within the useful
  // domain: the whole budget goes to the counts.
  const structure = d > 1 && withStructure ? STRUCTURE_SHARE * epsilon : 0;
  const marginals = epsilon - structure;
  return {
    epsilon,
    structure,
    structureStep: d > 1 ? structure / (d - 1) : structure,
    marginals,
    countNoiseScale: (2 * d) / marginals,
    // theta-usefulness (TODS 2017, general domains): n * eps2 / (2 d |dom|) >= theta.
    usefulDomain: (n * marginals) / (2 * d * THETA),
  };
}

/**
 * Sensitivity of the mutual information score in bits (PrivBayes Lemma 4.1): the first form when
 * the child or the parent set is binary, the second in general.
 */
export function miSensitivity(n: number, binary: boolean): number {
  if (n <= 1) return 1;
  if (binary) return detMath.log2(n) / n + ((n - 1) / n) * detMath.log2(n / (n - 1));
  return (2 / n) * detMath.log2((n + 1) / 2) + ((n - 1) / n) * detMath.log2((n + 1) / (n - 1));
}
