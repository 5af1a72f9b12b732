import { throwIfAborted, yieldToEventLoop, type TaskContext } from '../../context';
import type { PreparedTable } from '../engine';
import { nearestCorrelation, scoreCorrelation } from './correlation';
import { lowRankCorrelation } from './lowRank';
import {
  categoricalScores,
  fitCategorical,
  fitNumeric,
  levelOrderKeys,
  missingScores,
  numericScores,
  type Marginal,
  type MarginalChoice,
} from './marginals';
import { CopulaModel, type ColumnModel } from './model';

export interface CopulaOptions {
  /** Marginal per column name: 'empirical' (the default) or 'parametric' (best family by KS). */
  marginals?: Record<string, MarginalChoice>;
  /** Marginal of numeric columns not named in `marginals`. Default 'empirical'. */
  defaultMarginal?: MarginalChoice;
  /** Gibbs sweeps per row when several columns are conditioned on. Default 8. */
  gibbsSweeps?: number;
}

const YIELD_MS = 40;
const DEFAULT_GIBBS_SWEEPS = 8;

/**
 * Gaussian copula fit: each column's marginal and the normal scores of its values (numerics first:
 * categoricals order their levels by how they relate to the numeric scores), then the correlation
 * of the scores, repaired into a valid correlation matrix.
 */
export async function fitCopula(data: PreparedTable, options: CopulaOptions, ctx: TaskContext): Promise<CopulaModel> {
  const rng = ctx.rng.fork('copula-scores');
  const n = data.nRows;
  const dims: Float64Array[] = [];
  const columns: ColumnModel[] = new Array(data.columns.length);
  const numericDims: Float64Array[] = [];
  let lastYield = Date.now();
  // Numerics first: categoricals order their levels by how they relate to the numeric scores.
  const order = data.columns.map((_, i) => i).sort((a, b) => Number(data.columns[a].type === 'categorical') - Number(data.columns[b].type === 'categorical') || a - b);
  for (let step = 0; step < order.length; step++) {
    const ci = order[step];
    const col = data.columns[ci];
    throwIfAborted(ctx.signal);
    if (Date.now() - lastYield > YIELD_MS) {
      await yieldToEventLoop();
      throwIfAborted(ctx.signal);
      lastYield = Date.now();
    }
    if (col.type === 'categorical') {
      const marginal = fitCategorical(col, levelOrderKeys(col, numericDims)) as Marginal & { type: 'buckets' };
      columns[ci] = { type: 'categorical', marginal, dim: dims.length, missingDim: -1, missingCut: -Infinity };
      dims.push(categoricalScores(col, marginal, rng));
    } else {
      const choice = options.marginals?.[col.name] ?? options.defaultMarginal ?? 'empirical';
      const { marginal, sorted, missing } = fitNumeric(col, choice);
      const model: ColumnModel = { type: 'numeric', marginal, dim: dims.length, missingDim: -1, missingCut: -Infinity };
      const z = numericScores(col, marginal, sorted, rng);
      dims.push(z);
      numericDims.push(z);
      if (missing > 0) {
        const m = missingScores(col.values, missing, rng);
        model.missingDim = dims.length;
        model.missingCut = m.cut;
        dims.push(m.z);
      }
      columns[ci] = model;
    }
    ctx.onProgress?.({ phase: 'marginals', fraction: (0.8 * (step + 1)) / data.columns.length, message: `Column ${col.name}` });
  }
  throwIfAborted(ctx.signal);
  const d = dims.length;
  const gibbsSweeps = options.gibbsSweeps ?? DEFAULT_GIBBS_SWEEPS;
  if (d > n) {
    // Wide: the correlation has rank < n; a factor model through the n × n Gram matrix (lowRank.ts).
    const lowRank = await lowRankCorrelation(dims, n, undefined, ctx.signal);
    ctx.onProgress?.({ phase: 'correlation', fraction: 1, message: `${d} × ${d} correlation of normal scores, rank ${lowRank.rank}` });
    return new CopulaModel({ columns, lowRank, d, gibbsSweeps });
  }
  const corr = nearestCorrelation(await scoreCorrelation(dims, n, ctx.signal), d);
  ctx.onProgress?.({ phase: 'correlation', fraction: 1, message: `${d} × ${d} correlation of normal scores` });
  return new CopulaModel({ columns, corr, d, gibbsSweeps });
}
