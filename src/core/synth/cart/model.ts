import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import { binColumn, type PredictorBinning } from './binning';
import type { ColumnModel } from './columnModel';
import { sampleCategorical, sampleNumeric } from './sampleColumn';
import { serializeCart } from './serialize';
import { conditionShare, weighByCondition } from './conditionWeights';
import { keepByRejection } from '../../random/resample';
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
    const { order, columns } = this.#state;
    const out: EngineColumns = new Array(columns.length);
    const views: (PredictorView | undefined)[] = new Array(columns.length);
    // A condition after the first column: the columns up to the last conditioned one come from a weighted
    // pool (conditionWeights.ts), the columns after it are drawn for the kept rows only.
    let last = -1;
    for (let k = 1; k < order.length; k++) if (conditions[order[k]]) last = k;
    if (last > 0) this.#drawConditionedPrefix(n, last, rng, conditions, out, views);
    this.#drawColumns(Math.max(last, 0), order.length, n, rng, conditions, out, views, null);
    return out;
  }

  /** Draws order[from..to) for `rows` rows into out and views, weighing by the conditions when weights are given. */
  #drawColumns(
    from: number,
    to: number,
    rows: number,
    rng: Rng,
    conditions: (PreparedCondition | undefined)[],
    out: EngineColumns,
    views: (PredictorView | undefined)[],
    weights: Float64Array | null,
  ): void {
    const { order, binnings, columns } = this.#state;
    for (let k = from; k < to; k++) {
      const col = order[k];
      const m = columns[col];
      const cond = conditions[col];
      if (weights && cond) weighByCondition(m, rows, views, cond, weights);
      const values = m.type === 'numeric' ? sampleNumeric(m, rows, views, rng, cond) : sampleCategorical(m, rows, views, rng, cond);
      out[col] = values;
      if (k < order.length - 1) {
        const b = binnings[col];
        views[col] = { ordered: b.ordered, missingBin: b.missingBin, bins: binColumn(b, values) };
      }
    }
  }

  /**
   * order[0..last) for n rows whose draw of the later conditioned columns meets the conditions: pools
   * drawn with likelihood weights (the last conditioned column's share too, though its values are drawn
   * afterwards for the kept rows only), each row kept with probability its weight (keepByRejection).
   */
  #drawConditionedPrefix(
    n: number,
    last: number,
    rng: Rng,
    conditions: (PreparedCondition | undefined)[],
    out: EngineColumns,
    views: (PredictorView | undefined)[],
  ): void {
    const { order, columns, binnings } = this.#state;
    const prefix = order.slice(0, last);
    const share = conditionShare(columns, conditions, order.slice(0, last + 1).filter((c) => conditions[c]));
    const kept = keepByRejection(n, share, rng, (size) => {
      const pool: EngineColumns = new Array(columns.length);
      const poolViews: (PredictorView | undefined)[] = new Array(columns.length);
      const weights = new Float64Array(size).fill(1);
      this.#drawColumns(0, last, size, rng, conditions, pool, poolViews, weights);
      weighByCondition(columns[order[last]], size, poolViews, conditions[order[last]]!, weights);
      return { weights, columns: prefix.map((c) => pool[c]) };
    });
    prefix.forEach((c, j) => {
      out[c] = kept[j];
      const b = binnings[c];
      views[c] = { ordered: b.ordered, missingBin: b.missingBin, bins: binColumn(b, out[c]) };
    });
  }

  serialize(): { meta: unknown; arrays: ModelArrays } {
    return serializeCart(this.#state);
  }
}
