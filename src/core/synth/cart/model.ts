import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import { binColumn, type PredictorBinning } from './binning';
import type { ColumnModel } from './columnModel';
import { sampleCategorical, sampleNumeric } from './sampleColumn';
import { serializeCart } from './serialize';
import { poolFactor, resampleByWeight, takeRows, weighByCondition } from './conditionWeights';
import type { PredictorView } from './tree';

/** Everything a fitted CART synthesizer needs to draw rows. */
export interface CartState {
  /** Visit order (column indices). */
  order: number[];
  /** Per column (by column index): how it is binned when it predicts later columns. */
  binnings: PredictorBinning[];
  /** Per column (by column index). */
  columns: ColumnModel[];
}

export class CartModel implements EngineModel {
  readonly #state: CartState;

  constructor(state: CartState) {
    this.#state = state;
  }

  get state(): CartState {
    return this.#state;
  }

  async sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns> {
    const { order, binnings, columns } = this.#state;
    const out: EngineColumns = new Array(columns.length);
    const views: (PredictorView | undefined)[] = new Array(columns.length);
    // A condition after the first column: draw a weighted pool up to the last conditioned column (conditionWeights.ts).
    let last = -1;
    for (let k = 1; k < order.length; k++) if (conditions[order[k]]) last = k;
    const conditioned = order.slice(1, last + 1).filter((c) => conditions[c]);
    const weights = last > 0 ? new Float64Array(n * poolFactor(columns, conditions, conditioned)).fill(1) : null;
    let rows = weights ? weights.length : n;
    for (let k = 0; k < order.length; k++) {
      const col = order[k];
      const m = columns[col];
      const cond = conditions[col];
      if (weights && cond && k <= last) weighByCondition(m, rows, views, cond, weights);
      const values = m.type === 'numeric' ? sampleNumeric(m, rows, views, rng, cond) : sampleCategorical(m, rows, views, rng, cond);
      out[col] = values;
      if (k < order.length - 1) {
        const b = binnings[col];
        views[col] = { ordered: b.ordered, missingBin: b.missingBin, bins: binColumn(b, values) };
      }
      if (weights && k === last) {
        const kept = resampleByWeight(weights, n, rng);
        for (let j = 0; j <= k; j++) {
          const c = order[j];
          out[c] = takeRows(out[c], kept);
          const v = views[c];
          if (v) views[c] = { ...v, bins: takeRows(v.bins, kept) };
        }
        rows = n;
      }
    }
    return out;
  }

  serialize(): { meta: unknown; arrays: ModelArrays } {
    return serializeCart(this.#state);
  }
}
