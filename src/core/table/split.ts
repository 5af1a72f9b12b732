import { Rng } from '../random/rng';
import { takeRows, type Table } from './table';
import { findGroupKey, type GroupKey } from './groupKey';
import type { Schema } from '../schema/schema';

export interface HoldoutSplit {
  train: Int32Array;
  holdout: Int32Array;
  /** The subject key whose groups were kept whole (groupKey.ts), when the table has one. */
  groupedBy?: string;
}

/**
 * Seeded train/holdout split of row indices. The holdout is never shown to a synthesizer; it is the
 * fresh sample of the same population that privacy and utility figures are compared against.
 */
export function splitHoldout(nRows: number, fraction: number, seed: number, groups?: Pick<GroupKey, 'groups' | 'sizes'>): HoldoutSplit {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`Holdout fraction must be in [0, 1), got ${fraction}`);
  const nHold = Math.round(nRows * fraction);
  if (groups) return splitGroups(nRows, nHold, groups, new Rng(seed).fork('holdout'));
  const order = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) order[i] = i;
  new Rng(seed).fork('holdout').shuffle(order);
  // Sorted so that both parts keep the input's row order.
  const holdout = order.slice(0, nHold).sort();
  const train = order.slice(nHold).sort();
  return { train, holdout };
}

/**
 * The split a table gets: by whole subjects when it has a subject key (groupKey.ts), by rows otherwise.
 * Every place that splits a table for fitting and evaluation (app, CLI, benches) goes through here.
 */
export function splitTable(table: Table, schema: Schema, fraction: number, seed: number): HoldoutSplit {
  const key = findGroupKey(table, schema);
  if (!key) return splitHoldout(table.nRows, fraction, seed);
  return { ...splitHoldout(table.nRows, fraction, seed, key), groupedBy: key.column };
}

/** Whole groups, in a seeded order, go to the holdout until it holds its share of the rows. */
function splitGroups(nRows: number, nHold: number, key: Pick<GroupKey, 'groups' | 'sizes'>, rng: Rng): HoldoutSplit {
  const size = key.sizes;
  const order = new Int32Array(size.length);
  for (let g = 0; g < size.length; g++) order[g] = g;
  rng.shuffle(order);
  const held = new Uint8Array(size.length);
  let count = 0;
  for (let k = 0; k < order.length && count < nHold; k++) {
    held[order[k]] = 1;
    count += size[order[k]];
  }
  const holdout = new Int32Array(count), train = new Int32Array(nRows - count);
  let h = 0, t = 0;
  for (let i = 0; i < nRows; i++) {
    if (held[key.groups[i]]) holdout[h++] = i;
    else train[t++] = i;
  }
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
