import { UserError } from '../../context';
import type { Rng } from '../../random/rng';
import type { EngineColumns, EngineModel, PreparedCondition } from '../engine';
import { ConditionalSampler, type Intervals } from './conditional';
import { choleskyLower } from './correlation';
import { LowRankConditional, sampleLowRank, type LowRankCorrelation } from './lowRank';
import { bucketOfZ, codesZRange, numericZRange as numericZRangeOf, valueOf, type Marginal } from './marginals';
import { serializeCopula } from './serialize';

/**
 * One copula column: its marginal, the dimension of its score in the normal vector and, for a
 * numeric column with gaps, a second dimension for its missingness indicator (missing when that
 * score falls below missingCut). The indicator is correlated with every other score like any
 * dimension, so the missing share can depend on the other columns (e.g. income missing more
 * often for some ages). A categorical's missing value is simply one more bucket.
 *
 * Correlations of a value with gaps use the rows where both values are present (pairwise
 * deletion). Regression imputation of the missing scores before estimating (unbiased under
 * missing-at-random) was tried and measured worse on the benchmark's tables with gaps (SLID pair
 * trends 0.959 -> 0.941, movies 0.746 -> 0.736): a Gaussian copula cannot express two-sided
 * selection (wages missing for the young and the old), and imputing extrapolates the trend.
 */
export interface ColumnModel {
  type: 'numeric' | 'categorical';
  marginal: Marginal;
  dim: number;
  missingDim: number;
  missingCut: number;
}

/**
 * A fitted copula: per-column marginals and the correlation of their normal scores, dense (d × d)
 * or, for wide tables (more score dimensions than rows), as a factor model (lowRank.ts).
 */
export type CopulaState = {
  columns: ColumnModel[];
  d: number;
  gibbsSweeps: number;
} & ({ corr: Float64Array; lowRank?: undefined } | { corr?: undefined; lowRank: LowRankCorrelation });

export class CopulaModel implements EngineModel {
  readonly state: CopulaState;
  readonly #chol: Float64Array | null;

  constructor(state: CopulaState) {
    this.state = state;
    this.#chol = state.corr ? choleskyLower(state.corr, state.d) : null;
  }

  async sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns> {
    const { columns, corr, lowRank, d, gibbsSweeps } = this.state;
    const z = Array.from({ length: d }, () => new Float64Array(n));
    const { constraints, ranges } = compileConstraints(columns, conditions);
    if (lowRank) {
      if (constraints.size === 0) sampleLowRank(z, n, lowRank, rng);
      else new LowRankConditional(lowRank, constraints, gibbsSweeps).sampleInto(z, n, rng);
    } else if (constraints.size === 0) sampleUnconditional(z, n, this.#chol!, d, rng);
    else new ConditionalSampler(corr!, d, constraints, gibbsSweeps).sampleInto(z, n, rng);
    return columns.map((c, ci) => decodeColumn(c, z, n, ranges[ci]));
  }

  serialize() {
    return serializeCopula(this.state);
  }
}

/** z = L e with e standard normal: the unconditional copula draw, row by row. */
function sampleUnconditional(z: Float64Array[], n: number, chol: Float64Array, d: number, rng: Rng): void {
  const e = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) e[k] = rng.normal();
    for (let r = 0; r < d; r++) {
      let s = 0;
      const off = r * d;
      for (let c = 0; c <= r; c++) s += chol[off + c] * e[c];
      z[r][i] = s;
    }
  }
}

/** Conditions as normal-score intervals per dimension, and value ranges to clamp numeric output to. */
function compileConstraints(
  columns: ColumnModel[],
  conditions: (PreparedCondition | undefined)[],
): { constraints: Map<number, Intervals>; ranges: ([number, number] | undefined)[] } {
  const constraints = new Map<number, Intervals>();
  const ranges: ([number, number] | undefined)[] = [];
  columns.forEach((c, ci) => {
    const cond = conditions[ci];
    if (!cond) return;
    let iv: Intervals | null;
    if (cond.type === 'categorical') {
      if (c.marginal.type !== 'buckets') throw new Error('A categorical condition on a numeric column');
      iv = codesZRange(c.marginal, new Set(cond.codes));
    } else {
      iv = numericZRangeOf(c.marginal, cond.min, cond.max);
      ranges[ci] = [cond.min, cond.max];
      if (c.missingDim >= 0) constraints.set(c.missingDim, [[c.missingCut, Infinity]]);
    }
    if (!iv) throw new UserError('No value the model has learnt meets the condition.', 'Loosen the condition.');
    constraints.set(c.dim, iv);
  });
  return { constraints, ranges };
}

function decodeColumn(c: ColumnModel, z: Float64Array[], n: number, range: [number, number] | undefined): Float64Array | Int32Array {
  const zs = z[c.dim];
  const m = c.marginal;
  if (c.type === 'categorical') {
    const out = new Int32Array(n);
    const { cuts, values } = m as Marginal & { type: 'buckets' };
    for (let i = 0; i < n; i++) out[i] = values[bucketOfZ(cuts, zs[i])];
    return out;
  }
  const out = new Float64Array(n);
  const miss = c.missingDim >= 0 ? z[c.missingDim] : null;
  for (let i = 0; i < n; i++) {
    if (miss && miss[i] < c.missingCut) {
      out[i] = NaN;
      continue;
    }
    let x = valueOf(m, zs[i]);
    // Interpolation error must not push a conditioned value out of its range.
    if (range) x = x < range[0] ? range[0] : x > range[1] ? range[1] : x;
    out[i] = x;
  }
  return out;
}
