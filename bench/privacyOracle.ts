/**
 * What a tree of noisy 2-way tables reaches at a given ε when it is handed, for free, what a private
 * model must pay for or guess: an oracle, not a model, for the question "could a PrivBayes / MST-style
 * model reach issue 18's ε = 1 target on this table?".
 *
 * Given for free:
 *   - the scorer's bins for numbers (10 quantile bins of the training column: src/core/metrics/kway.ts),
 *     so every drawn number lands in the right scoring cell; categories keep every level (the last column,
 *     "as scored", folds them into the scorer's top 10 + other too, which only a model that knows the
 *     scorer could do);
 *   - the best tree (Chow–Liu: the maximum spanning tree of exact mutual information between the states).
 * Paid for: only the d − 1 tables of the tree, Laplace noise of scale 2 (d − 1) / ε on each cell
 * (sensitivity 2: neighbouring tables differ in one row's values, the project's and DataSynthesizer's
 * definition; where they differ by a row added or removed, the sensitivity is 1 and ε reads as the
 * column of 2ε).
 * Post-processing (free): cells below 1.5 × the scale set to 0 (the best of 0, 0.5, 1, 1.5, 2 on
 * txhousing), each column's marginal the sum of its tables' margins. Rows are drawn down the tree, as codes.
 *
 * Not an upper bound for every model: on small tables its tables drown in the noise, and the Bayesian
 * network, which keeps fewer cells, scores higher. Where the tables carry signal (txhousing, slid,
 * titanic) it shows how far the tree-of-tables family goes with its hardest choices made for it.
 *
 * Scored like bench/pairs.ts: every pair of columns, the whole synthetic sample (training size) against
 * the training rows, so the figures run a little above the report's 2-way accuracy.
 *
 *   npx tsx bench/privacyOracle.ts [--tables txhousing,slid] [--seeds 3]
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { accuracyBins } from '../src/core/metrics/discretize';
import { binForAccuracy, comboAccuracy, type BinnedParts } from '../src/core/metrics/kway';
import { Rng } from '../src/core/random/rng';
import { countJoint, mutualInformation } from '../src/core/synth/bayesnet/jointCounts';
import { applySplit, splitTable } from '../src/core/table/split';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = ['penguins', 'cars93', 'survey', 'slid', 'titanic', 'colon', 'txhousing', 'salaries'];
const EPSILONS = [0.25, 0.5, 1, 2, 5];
const THRESHOLD = 1.5;

interface Tree {
  /** Columns in drawing order (parents before children); parent[order[0]] = -1. */
  order: number[];
  parent: number[];
}

/** Counts of (column i's state, column j's state), j the fast index: the network's countJoint with i as j's one parent. */
function pairCounts(codes: Int32Array[], k: number[], i: number, j: number): Int32Array {
  const out = new Int32Array(k[i] * k[j]);
  countJoint(codes[j], k[j], [codes[i]], [k[i]], out);
  return out;
}

/** Chow–Liu tree by Prim's algorithm on exact mutual information. */
function chowLiu(codes: Int32Array[], k: number[]): Tree {
  const d = codes.length;
  const n = codes[0].length, kMax = Math.max(...k);
  const scratchX = new Float64Array(kMax), scratchP = new Float64Array(kMax);
  const mi = (i: number, j: number) => mutualInformation(pairCounts(codes, k, i, j), k[j], k[i], n, scratchX, scratchP).mi;
  const order = [0], parent = new Array<number>(d).fill(-1);
  while (order.length < d) {
    let best = -Infinity, bi = -1, bj = -1;
    for (const i of order) for (let j = 0; j < d; j++) {
      if (order.includes(j)) continue;
      const m = mi(i, j);
      if (m > best) (best = m), (bi = i), (bj = j);
    }
    parent[bj] = bi;
    order.push(bj);
  }
  return { order, parent };
}

/** Codes of n rows drawn from the tree's tables, Laplace(scale) on every cell (scale 0: exact). */
function drawTree(codes: Int32Array[], k: number[], tree: Tree, scale: number, n: number, rng: Rng): Int32Array[] {
  const d = codes.length;
  const tables = new Map<number, Float64Array>();
  const margins: Float64Array[] = k.map((m) => new Float64Array(m));
  const seen = new Array<number>(d).fill(0);
  for (const j of tree.order.slice(1)) {
    const p = tree.parent[j];
    const t = Float64Array.from(pairCounts(codes, k, p, j));
    if (scale > 0) for (let c = 0; c < t.length; c++) {
      const v = t[c] + rng.laplace(scale);
      t[c] = v < THRESHOLD * scale ? 0 : v;
    }
    tables.set(j, t);
    for (let a = 0; a < k[p]; a++) for (let b = 0; b < k[j]; b++) (margins[p][a] += t[a * k[j] + b]), (margins[j][b] += t[a * k[j] + b]);
    seen[p]++;
    seen[j]++;
  }
  const root = tree.order[0];
  const out = codes.map(() => new Int32Array(n));
  const pick = (w: Float64Array) => {
    let s = 0;
    for (const v of w) s += v;
    return s > 0 ? rng.weighted(w, s) : rng.int(w.length);
  };
  for (let r = 0; r < n; r++) {
    out[root][r] = pick(margins[root]);
    for (const j of tree.order.slice(1)) {
      const p = out[tree.parent[j]][r];
      out[j][r] = pick(tables.get(j)!.subarray(p * k[j], (p + 1) * k[j]));
    }
  }
  return out;
}

function meanPairAccuracy(b: BinnedParts, part: number): number {
  const d = b.codes.length;
  let s = 0, m = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) (s += comboAccuracy(b, [i, j], part)), m++;
  return s / m;
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const tables = arg('--tables')?.split(',') ?? TABLES;
  const seeds = Number(arg('--seeds') ?? 3);
  console.log(`Tree of noisy 2-way tables with the scorer's numeric bins and the Chow–Liu tree for free (an oracle; holdout 20%, seed 1; ${seeds} noise seeds): mean 2-way accuracy over all pairs, whole sample`);
  const head = ['table', 'ceiling', 'exact tree', ...EPSILONS.map((e) => `ε=${e}`), 'ε=1 as scored'];
  console.log(head.map((h, i) => (i ? h.padStart(i === head.length - 1 ? 14 : 10) : h.padEnd(10))).join(' '));
  for (const name of tables) {
    const r = await ingestBlob(await openAsBlob(path.join(ROOT, 'test/fixtures/data', `${name}.csv`)), { fileName: `${name}.csv` });
    const { train, holdout } = applySplit(r.table, splitTable(r.table, r.schema, 0.2, 1));
    const a = alignTables(train, holdout, train, r.schema);
    const base = binForAccuracy(a.columns, (c) => [c.holdout]);
    // The model's states: numerics in the scorer's bins; categories either as scored (top 10 + other) or
    // whole (every level and missing: what a model that does not know the scorer works with).
    const whole = a.columns.map((c, j) => (c.kind === 'numeric' ? null : Int32Array.from(c.train, (x) => (x < 0 ? c.nTrainLevels : x))));
    const score = (asScored: boolean, scale: number) => {
      const codes = base.codes.map((parts, j) => (asScored ? null : whole[j]) ?? parts[0]);
      const k = a.columns.map((c, j) => (!asScored && c.kind === 'categorical' ? c.nTrainLevels + 1 : base.nCodes[j]));
      const tree = chowLiu(codes, k);
      let s = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const drawn = drawTree(codes, k, tree, scale, train.nRows, new Rng(seed).fork(`oracle:${name}`));
        // Whole categories back to the scorer's codes.
        const scored = drawn.map((x, j) => {
          const c = a.columns[j];
          return asScored || c.kind === 'numeric' ? x : accuracyBins(c, [Int32Array.from(x, (v) => (v >= c.nTrainLevels ? -1 : v))]).codes[0];
        });
        s += meanPairAccuracy({ codes: base.codes.map((parts, j) => [parts[0], scored[j]]), nCodes: base.nCodes }, 1);
      }
      return s / seeds;
    };
    const d = a.columns.length;
    const cells = [meanPairAccuracy(base, 1), score(false, 0), ...EPSILONS.map((e) => score(false, (2 * (d - 1)) / e)), score(true, 2 * (d - 1))];
    console.log([name.padEnd(10), ...cells.map((c, i) => c.toFixed(3).padStart(i === cells.length - 1 ? 14 : 10))].join(' '));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
