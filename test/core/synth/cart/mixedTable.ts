import { Rng } from '../../../../src/core/random/rng';
import type { PreparedColumn, PreparedTable } from '../../../../src/core/synth/engine';

/**
 * A generated mixed table with known dependence (for timing and sanity checks at sizes the real tables
 * do not reach): 8 numeric columns (integers, a skewed one, a spike of zeros, a date, missing values
 * that depend on a category) and 7 categorical ones (2 to 40 levels), all driven by three latent normals.
 */
export function mixedTable(nRows: number, seed = 1): PreparedTable {
  const rng = new Rng(seed);
  const num = (name: string, kind: 'numeric' | 'integer' | 'datetime', values: Float64Array): PreparedColumn => {
    let min = Infinity, max = -Infinity;
    for (const v of values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
    return { type: 'numeric', name, kind, values, min, max };
  };
  const cat = (name: string, nLevels: number, codes: Int32Array): PreparedColumn => ({ type: 'categorical', name, kind: 'categorical', codes, nLevels });
  const z = [0, 1, 2].map(() => Float64Array.from({ length: nRows }, () => rng.normal()));
  const col = (f: (i: number) => number) => Float64Array.from({ length: nRows }, (_, i) => f(i));
  const codes = (f: (i: number) => number) => Int32Array.from({ length: nRows }, (_, i) => f(i));
  const bucket = (x: number, k: number) => Math.max(0, Math.min(k - 1, Math.floor((x + 2.5) * (k / 5))));
  const region = codes((i) => bucket(z[0][i] + 0.5 * rng.normal(), 6));
  const sector = codes((i) => bucket(z[1][i] + rng.normal(), 12));
  const city = codes((i) => (region[i] * 7 + rng.int(7)) % 40);
  const flag = codes((i) => (z[2][i] + 0.3 * rng.normal() > 0.3 ? 1 : 0));
  const grade = codes((i) => (rng.next() < 0.03 ? -1 : bucket(0.6 * z[0][i] + 0.6 * z[2][i] + 0.5 * rng.normal(), 5)));
  const channel = codes((i) => rng.weighted([5, 3, 1 + flag[i] * 4]));
  const status = codes((i) => (z[1][i] > 1 ? 2 : rng.next() < 0.5 ? 0 : 1));
  const age = col((i) => Math.round(Math.min(90, Math.max(18, 45 + 12 * z[0][i] + 4 * rng.normal()))));
  const income = col((i) => (rng.next() < 0.05 + 0.1 * flag[i] ? NaN : Math.round(Math.exp(10 + 0.5 * z[0][i] + 0.3 * z[1][i] + 0.3 * rng.normal()))));
  const score = col((i) => 50 + 10 * z[2][i] + 5 * grade[i] + 3 * rng.normal());
  const children = col((i) => Math.max(0, Math.round(1 + z[0][i] + rng.normal())));
  const gains = col((i) => (rng.next() < 0.8 ? 0 : Math.round(1000 * Math.exp(z[1][i] + rng.normal()))));
  const ratio = col((i) => score[i] / (1 + children[i]) + rng.normal());
  const joined = col((i) => Date.UTC(2010, 0, 1) + Math.floor((3 + z[1][i] + rng.normal()) * 365 * 86_400_000 / 2));
  const hours = col((i) => (rng.next() < 0.02 ? NaN : 20 + 5 * status[i] + 4 * rng.normal()));
  const columns: PreparedColumn[] = [
    cat('region', 6, region), num('age', 'integer', age), cat('sector', 12, sector), num('income', 'integer', income),
    cat('city', 40, city), num('score', 'numeric', score), cat('flag', 2, flag), num('children', 'integer', children),
    cat('grade', 5, grade), num('gains', 'integer', gains), cat('channel', 3, channel), num('ratio', 'numeric', ratio),
    num('joined', 'datetime', joined), cat('status', 3, status), num('hours', 'numeric', hours),
  ];
  return { nRows, columns };
}
