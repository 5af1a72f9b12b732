import { quasiIdentifierColumns } from '../../metrics/privacy/quasiIdentifiers';
import type { Schema } from '../../schema/schema';
import { hashRow } from '../../table/rowHash';
import type { PreparedTable } from '../engine';

/**
 * The quasi-identifier redraw (option `redrawQuasiIdentifierMatches`): a synthetic row whose
 * quasi-identifiers (the engine columns `quasiIdentifierColumns` reads as such: age, sex, postcode...)
 * match a training row unique on them singles that person out, even when its other columns differ. Some
 * such matches happen by chance: a fresh sample of the population matches some too (the report's holdout
 * figure). The pipeline redraws only the excess over that chance rate.
 *
 * The chance rate is estimated at fit on held-back rows, leave-one-out: each training row in turn is held
 * back and checked against the others. A held-back row matches a combination unique among the others
 * exactly when its combination occurs twice in training, so the rate is 2·f2/n (f2: combinations seen
 * twice; Good-Turing's estimate of the mass of the singletons). It uses every row, and it estimates the
 * rate against the whole training table rather than a smaller part of it.
 */
export interface QuasiIdentifierGuard {
  /** Engine column indices of the quasi-identifiers (two or more). */
  columns: number[];
  /** Expected share of fresh rows matching a training row unique on them. */
  chanceRate: number;
}

/** The guard and the fingerprints of the training rows unique on the quasi-identifiers; null when fewer than two. */
export function fitQuasiIdentifierGuard(prepared: PreparedTable, schema: Schema): { guard: QuasiIdentifierGuard; hashes: Float64Array } | null {
  const names = quasiIdentifierColumns(prepared.columns.map((c) => c.name), schema);
  if (names.length < 2) return null; // one column alone is a marginal, not a combination
  const columns = names.map((name) => prepared.columns.findIndex((c) => c.name === name));
  const arrays = columns.map((j) => {
    const c = prepared.columns[j];
    return c.type === 'numeric' ? c.values : c.codes;
  });
  const n = prepared.nRows;
  const all = new Float64Array(n);
  for (let i = 0; i < n; i++) all[i] = hashRow(arrays, i);
  all.sort();
  const unique = new Float64Array(n);
  let k = 0, twice = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && all[j] === all[i]) j++;
    if (j === i + 1) unique[k++] = all[i];
    else if (j === i + 2) twice++;
    i = j;
  }
  return { guard: { columns, chanceRate: n > 0 ? (2 * twice) / n : 0 }, hashes: unique.slice(0, k) };
}
