import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import { binColumn, type PredictorBinning } from './binning';
import type { ColumnModel } from './columnModel';
import { sampleCategorical, sampleNumeric } from './sampleColumn';
import { serializeCart } from './serialize';
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
    for (let k = 0; k < order.length; k++) {
      const col = order[k];
      const m = columns[col];
      const cond = conditions[col];
      const values = m.type === 'numeric' ? sampleNumeric(m, n, views, rng, cond) : sampleCategorical(m, n, views, rng, cond);
      out[col] = values;
      if (k < order.length - 1) {
        const b = binnings[col];
        views[col] = { ordered: b.ordered, missingBin: b.missingBin, bins: binColumn(b, values) };
      }
    }
    return out;
  }

  serialize(): { meta: unknown; arrays: ModelArrays } {
    return serializeCart(this.#state);
  }
}
