import type { ModelArrays } from '../engine';
import type { Marginal } from './marginals';
import type { ColumnModel, CopulaState } from './model';
import type { ParametricFit } from './parametric';
import type { LowRankCorrelation } from './lowRank';

/**
 * Copula model storage: a JSON header (dimensions, per-column marginal kind and scalars) and the
 * bulk numbers as typed arrays: the correlation matrix ("corr"), or for wide tables its factor model
 * ("lowRank.loadings", "lowRank.noise", meta.rank), and per column its cuts and bucket values, or its
 * quantile knots ("c<i>.cuts", "c<i>.values", "c<i>.knots").
 */
export interface CopulaMeta {
  d: number;
  gibbsSweeps: number;
  /** Rank of the factor model (wide tables); absent: a dense "corr". */
  rank?: number;
  columns: { type: ColumnModel['type']; marginal: Marginal['type']; dim: number; missingDim: number; missingCut?: number; fit?: ParametricFit }[];
}

export function serializeCopula(state: CopulaState): { meta: CopulaMeta; arrays: ModelArrays } {
  const { columns, corr, lowRank, d, gibbsSweeps } = state;
  const arrays: ModelArrays = corr ? { corr } : { 'lowRank.loadings': lowRank!.loadings, 'lowRank.noise': lowRank!.noise };
  const meta: CopulaMeta = {
    d,
    gibbsSweeps,
    ...(lowRank ? { rank: lowRank.rank } : {}),
    columns: columns.map((c, i) => {
      const m = c.marginal;
      if (m.type === 'buckets') {
        arrays[`c${i}.cuts`] = m.cuts;
        arrays[`c${i}.values`] = m.values;
      } else if (m.type === 'empirical') arrays[`c${i}.knots`] = m.knots;
      return {
        type: c.type,
        marginal: m.type,
        dim: c.dim,
        missingDim: c.missingDim,
        ...(c.missingDim >= 0 ? { missingCut: c.missingCut } : {}),
        ...(m.type === 'parametric' ? { fit: m.fit } : {}),
      };
    }),
  };
  return { meta, arrays };
}

export function deserializeCopula(metaIn: unknown, arrays: ModelArrays): CopulaState {
  const m = metaIn as CopulaMeta;
  if (!m || !Array.isArray(m.columns)) throw new Error('Not a serialized copula model');
  const f64 = (key: string): Float64Array => {
    const a = arrays[key];
    if (!(a instanceof Float64Array)) throw new Error(`Serialized copula lacks ${key}`);
    return a;
  };
  const columns = m.columns.map((c, i): ColumnModel => {
    let marginal: Marginal;
    if (c.marginal === 'buckets') marginal = { type: 'buckets', cuts: f64(`c${i}.cuts`), values: f64(`c${i}.values`) };
    else if (c.marginal === 'empirical') marginal = { type: 'empirical', knots: f64(`c${i}.knots`) };
    else marginal = { type: 'parametric', fit: c.fit! };
    return { type: c.type, marginal, dim: c.dim, missingDim: c.missingDim, missingCut: c.missingDim >= 0 ? c.missingCut! : -Infinity };
  });
  if (m.rank !== undefined) {
    const lowRank: LowRankCorrelation = { rank: m.rank, loadings: f64('lowRank.loadings'), noise: f64('lowRank.noise') };
    return { columns, lowRank, d: m.d, gibbsSweeps: m.gibbsSweeps };
  }
  return { columns, corr: f64('corr'), d: m.d, gibbsSweeps: m.gibbsSweeps };
}
