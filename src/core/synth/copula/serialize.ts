import type { ModelArrays } from '../engine';
import type { Marginal } from './marginals';
import type { ColumnModel, CopulaState } from './model';
import type { ParametricFit } from './parametric';

/**
 * Copula model storage: a JSON header (dimensions, per-column marginal kind and scalars) and the
 * bulk numbers as typed arrays: the correlation matrix ("corr") and per column its cuts and bucket
 * values, or its quantile knots ("c<i>.cuts", "c<i>.values", "c<i>.knots").
 */
export interface CopulaMeta {
  d: number;
  gibbsSweeps: number;
  columns: { type: ColumnModel['type']; marginal: Marginal['type']; dim: number; missingDim: number; missingCut?: number; fit?: ParametricFit }[];
}

export function serializeCopula(state: CopulaState): { meta: CopulaMeta; arrays: ModelArrays } {
  const { columns, corr, d, gibbsSweeps } = state;
  const arrays: ModelArrays = { corr };
  const meta: CopulaMeta = {
    d,
    gibbsSweeps,
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
  if (!m || !Array.isArray(m.columns) || !(arrays.corr instanceof Float64Array)) throw new Error('Not a serialized copula model');
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
  return { columns, corr: arrays.corr, d: m.d, gibbsSweeps: m.gibbsSweeps };
}
