import { Rng } from '../random/rng';
import { takeRows, type Table } from './table';

export interface HoldoutSplit {
  train: Int32Array;
  holdout: Int32Array;
}

/**
 * Seeded train/holdout split of row indices. The holdout is never shown to a synthesizer; it is the
 * fresh sample of the same population that privacy and utility figures are compared against.
 */
export function splitHoldout(nRows: number, fraction: number, seed: number): HoldoutSplit {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`Holdout fraction must be in [0, 1), got ${fraction}`);
  const order = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) order[i] = i;
  new Rng(seed).fork('holdout').shuffle(order);
  const nHold = Math.round(nRows * fraction);
  // Sorted so that both parts keep the input's row order.
  const holdout = order.slice(0, nHold).sort();
  const train = order.slice(nHold).sort();
  return { train, holdout };
}

export function applySplit(table: Table, split: HoldoutSplit): { train: Table; holdout: Table } {
  return { train: takeRows(table, split.train), holdout: takeRows(table, split.holdout) };
}

/** The split back from its stored holdout rows (sorted): train is every other row, in order. */
export function splitFromHoldout(nRows: number, holdout: Int32Array): HoldoutSplit {
  const inHoldout = new Uint8Array(nRows);
  for (let i = 0; i < holdout.length; i++) inHoldout[holdout[i]] = 1;
  const train = new Int32Array(nRows - holdout.length);
  let k = 0;
  for (let i = 0; i < nRows; i++) if (!inHoldout[i]) train[k++] = i;
  return { train, holdout };
}
