/**
 * BASELINE, bench-only: a plain PrivBayes in the manner of DataSynthesizer's correlated attribute mode
 * (Ping, Stoyanovich, Howe 2017; DataSynthesizer/lib/PrivBayes.py), to measure the Bayesian network
 * against in bench/privacy.ts. Not used by the app.
 *
 *   - Columns: categoricals and numerics with at most 20 distinct values (DataSynthesizer's
 *     category_threshold) take their values as states; other numerics 20 equal-width bins over the
 *     observed [min, max] (histogram_size 20); missing values a state of their own. The domain is read
 *     from the data without budget, as DataSynthesizer does.
 *   - Structure: greedy_bayes with degree k = 2, a random root, at each step every (unplaced child,
 *     k-subset of the placed columns; all placed columns while fewer than k) scored by mutual
 *     information and chosen by the exponential mechanism with ε/2 shared over the d − 1 steps
 *     (PrivBayes Lemma 4.1 sensitivity).
 *   - Conditionals: the other ε/2; Laplace noise of scale 2(d − k) / (n ε/2) on each joint distribution
 *     of (child, parents), negatives clipped to 0, normalised per parent configuration (an empty one is
 *     uniform); the first k columns' tables come from the first noisy joint, marginalised.
 *   - Sampling: ancestral; a numeric bin is drawn back uniformly within its edges (integers rounded).
 * ε = undefined: no noise and the structure by the best mutual information.
 */
import { Rng } from '../src/core/random/rng';
import * as detMath from '../src/core/math/detMath';
import { miSensitivity } from '../src/core/synth/bayesnet/privacy';
import { exponentialMechanism } from '../src/core/synth/privacy/exponentialMechanism';
import type { Schema } from '../src/core/schema/schema';
import { categoricalColumn, numericColumn, type Column, type Table } from '../src/core/table/table';

const HISTOGRAM_SIZE = 20;
const CATEGORY_THRESHOLD = 20;

interface Attr {
  name: string;
  type: 'numeric' | 'categorical';
  integer: boolean;
  /** numeric states: discrete values, or bin edges */
  values: Float64Array | null;
  edges: Float64Array | null;
  levels: string[];
  nStates: number;
  codes: Int32Array;
}

function encode(col: Column, integer: boolean): Attr {
  if (col.type === 'categorical') {
    const nL = col.levels.length;
    const codes = Int32Array.from(col.codes, (c) => (c < 0 ? nL : c));
    return { name: col.name, type: 'categorical', integer: false, values: null, edges: null, levels: col.levels, nStates: nL + 1, codes };
  }
  const present = [...col.values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const distinct = [...new Set(present)];
  if (distinct.length <= CATEGORY_THRESHOLD) {
    const values = Float64Array.from(distinct);
    const idx = new Map(distinct.map((v, i) => [v, i]));
    const codes = Int32Array.from(col.values, (v) => (Number.isNaN(v) ? values.length : idx.get(v)!));
    return { name: col.name, type: 'numeric', integer, values, edges: null, levels: [], nStates: values.length + 1, codes };
  }
  const lo = present[0], hi = present[present.length - 1];
  const edges = Float64Array.from({ length: HISTOGRAM_SIZE + 1 }, (_, j) => lo + ((hi - lo) * j) / HISTOGRAM_SIZE);
  const codes = Int32Array.from(col.values, (v) => (Number.isNaN(v) ? HISTOGRAM_SIZE : Math.min(HISTOGRAM_SIZE - 1, Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_SIZE))));
  return { name: col.name, type: 'numeric', integer, values: null, edges, levels: [], nStates: HISTOGRAM_SIZE + 1, codes };
}

/** Joint counts, child fastest: index = x + nX * (p0 + n0 * p1 ...). */
function joint(attrs: Attr[], child: number, parents: number[]): Float64Array {
  let size = attrs[child].nStates;
  for (const p of parents) size *= attrs[p].nStates;
  const out = new Float64Array(size);
  const n = attrs[child].codes.length;
  for (let i = 0; i < n; i++) {
    let idx = 0, stride = 1;
    idx += attrs[child].codes[i];
    stride *= attrs[child].nStates;
    for (const p of parents) {
      idx += stride * attrs[p].codes[i];
      stride *= attrs[p].nStates;
    }
    out[idx]++;
  }
  return out;
}

function mutualInformationBits(counts: Float64Array, nX: number, n: number): number {
  const configs = counts.length / nX;
  const px = new Float64Array(nX), pp = new Float64Array(configs);
  for (let p = 0; p < configs; p++) for (let x = 0; x < nX; x++) {
    px[x] += counts[p * nX + x];
    pp[p] += counts[p * nX + x];
  }
  let mi = 0;
  for (let p = 0; p < configs; p++) for (let x = 0; x < nX; x++) {
    const c = counts[p * nX + x];
    if (c > 0) mi += (c / n) * detMath.log2((c * n) / (px[x] * pp[p]));
  }
  return mi;
}

function combinations(pool: number[], k: number): number[][] {
  if (pool.length <= k) return [pool.slice()];
  const out: number[][] = [];
  const cur: number[] = [];
  const walk = (s: number) => {
    if (cur.length === k) return void out.push(cur.slice());
    for (let i = s; i < pool.length; i++) {
      cur.push(pool[i]);
      walk(i + 1);
      cur.pop();
    }
  };
  walk(0);
  return out;
}

export interface BaselineModel {
  sample(n: number, seed: number): Table;
}

export function fitPrivBayesBaseline(train: Table, schema: Schema, epsilon: number | undefined, seed: number, k = 2): BaselineModel {
  const rng = new Rng(seed);
  const cols = schema.columns.filter((c) => c.role === 'synthesize');
  const attrs = cols.map((cs) => encode(train.columns.find((c) => c.name === cs.name)!, cs.kind === 'integer'));
  const d = attrs.length, n = train.nRows;
  // Structure (greedy_bayes).
  const order = [rng.int(d)];
  const parents: number[][] = Array.from({ length: d }, () => []);
  const epsStep = epsilon === undefined ? 0 : epsilon / 2 / Math.max(1, d - 1);
  const placed = new Set(order);
  while (order.length < d) {
    const cands: { child: number; set: number[] }[] = [];
    for (let x = 0; x < d; x++) if (!placed.has(x)) for (const set of combinations(order, k)) cands.push({ child: x, set });
    const scores = cands.map((c) => mutualInformationBits(joint(attrs, c.child, c.set), attrs[c.child].nStates, n));
    let pick = 0;
    if (epsilon === undefined) {
      for (let i = 1; i < scores.length; i++) if (scores[i] > scores[pick]) pick = i;
    } else {
      const sens = cands.map((c) => miSensitivity(n, attrs[c.child].nStates <= 2 || c.set.every((p) => attrs[p].nStates <= 2)));
      pick = exponentialMechanism(scores, sens, epsStep, rng);
    }
    const c = cands[pick];
    parents[c.child] = c.set;
    order.push(c.child);
    placed.add(c.child);
  }
  // Conditionals (construct_noisy_conditional_distributions).
  const scale = epsilon === undefined ? 0 : (2 * Math.max(1, d - k)) / (n * (epsilon / 2));
  const noisyJoint = (child: number, set: number[]) => {
    const j = joint(attrs, child, set);
    for (let i = 0; i < j.length; i++) {
      j[i] = j[i] / n + (scale > 0 ? rng.laplace(scale) : 0);
      if (j[i] < 0) j[i] = 0;
    }
    return j;
  };
  const cpt: Float64Array[] = new Array(d);
  const normalise = (j: Float64Array, nX: number) => {
    for (let p = 0; p < j.length / nX; p++) {
      let s = 0;
      for (let x = 0; x < nX; x++) s += j[p * nX + x];
      for (let x = 0; x < nX; x++) j[p * nX + x] = s > 0 ? j[p * nX + x] / s : 1 / nX;
    }
    return j;
  };
  const first = Math.min(k, d - 1);
  for (let step = first; step < d; step++) {
    const child = order[step];
    const j = noisyJoint(child, parents[child]);
    if (step === first) {
      // The first k columns' conditionals from the first joint: order[i] given order[0..i-1], marginalised.
      const axes = [child, ...parents[child]];
      for (let i = 0; i < first; i++) {
        const a = order[i];
        const given = order.slice(0, i);
        parents[a] = given;
        cpt[a] = normalise(marginal(j, axes, attrs, [a, ...given]), attrs[a].nStates);
      }
    }
    cpt[child] = normalise(j, attrs[child].nStates);
  }
  if (d === 1) cpt[order[0]] = normalise(noisyJoint(order[0], []), attrs[order[0]].nStates);

  return {
    sample(m: number, sampleSeed: number): Table {
      const r = new Rng(sampleSeed);
      const codes = attrs.map(() => new Int32Array(m));
      for (let i = 0; i < m; i++) {
        for (const a of order) {
          const nX = attrs[a].nStates;
          let cfg = 0, stride = 1;
          for (const p of parents[a]) {
            cfg += stride * codes[p][i];
            stride *= attrs[p].nStates;
          }
          const row = cpt[a].subarray(cfg * nX, cfg * nX + nX);
          codes[a][i] = r.weighted(row);
        }
      }
      const out: Column[] = attrs.map((a, j) => {
        const c = codes[j];
        if (a.type === 'categorical') return categoricalColumn(a.name, Int32Array.from(c, (x) => (x === a.levels.length ? -1 : x)), a.levels.slice());
        const v = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          const x = c[i];
          if (a.values) v[i] = x === a.values.length ? NaN : a.values[x];
          else if (x === HISTOGRAM_SIZE) v[i] = NaN;
          else {
            const u = a.edges![x] + r.next() * (a.edges![x + 1] - a.edges![x]);
            v[i] = a.integer ? Math.round(u) : u;
          }
        }
        return numericColumn(a.name, v);
      });
      return { nRows: m, columns: out };
    },
  };
}

/** Sum a joint over the axes not kept; the result laid out with keep[0] fastest. */
function marginal(j: Float64Array, axes: number[], attrs: Attr[], keep: number[]): Float64Array {
  const sizes = axes.map((a) => attrs[a].nStates);
  const keepPos = keep.map((a) => axes.indexOf(a));
  let outSize = 1;
  for (const p of keepPos) outSize *= sizes[p];
  const out = new Float64Array(outSize);
  const idx = new Array<number>(axes.length).fill(0);
  for (let flat = 0; flat < j.length; flat++) {
    let rem = flat;
    for (let a = 0; a < axes.length; a++) {
      idx[a] = rem % sizes[a];
      rem = Math.floor(rem / sizes[a]);
    }
    let o = 0, stride = 1;
    for (const p of keepPos) {
      o += stride * idx[p];
      stride *= sizes[p];
    }
    out[o] += j[flat];
  }
  return out;
}
