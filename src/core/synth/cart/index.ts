import type { TaskContext } from '../../context';
import type { Engine, PreparedTable } from '../engine';
import { fitCart } from './fit';
import { CartModel } from './model';
import { deserializeCart } from './serialize';

/**
 * CART sequential synthesis (synthpop's default): each column drawn from a decision tree on the columns
 * before it, by sampling a training value of the leaf the synthetic row falls into, smoothed for numerics.
 */
export interface CartOptions {
  /** Visit order by column name; columns left out follow in table order. Default: table (schema) order. */
  order?: string[];
  /** Minimum rows per leaf. Default 5. */
  minLeafSize?: number;
  /** Gaussian kernel smoothing of numeric donors (bw.nrd0 of the leaf). Default true. */
  smoothing?: boolean;
  /** Maximum tree depth. Default 30 (rpart's). */
  maxDepth?: number;
  /** Complexity parameter: a split must reduce the root impurity by this share. Default 1e-5 (synthpop: 1e-8, which memorises more). */
  cp?: number;
}

export const cartEngine: Engine<CartOptions> = {
  id: 'cart',
  fit: (data: PreparedTable, options: CartOptions, ctx: TaskContext) => fitCart(data, options, ctx),
  deserialize: (meta, arrays) => new CartModel(deserializeCart(meta, arrays)),
};
