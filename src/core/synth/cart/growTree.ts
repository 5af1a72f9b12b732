import { SplitSearch, type BestSplit } from './splitSearch';
import type { PredictorView, Tree } from './tree';

/**
 * Histogram CART growth (rpart-like: Gini for classes, sum of squares for numbers, minimum leaf size,
 * complexity-parameter stopping, maximum depth) over binned predictors. How a node's split is found
 * is in splitSearch.ts, the per-bin counting in histograms.ts.
 *
 * Why our own code and not a library such as ml-cart: ml-cart sorts exact values at every node, has
 * no missing values and no subset splits on categories; it is far too slow for 50 k rows x 15 columns.
 */
export type GrowTarget =
  | { kind: 'regression'; y: Float64Array }
  | { kind: 'classification'; cls: Int32Array; nClasses: number };

export interface GrowProblem {
  /** Column indices the tree may split on. */
  predictors: number[];
  /** Binned columns by column index (at least the predictors). */
  views: (PredictorView | undefined)[];
  /** Bins per column by column index (incl. the missing bin). */
  nBins: number[];
  /** Rows to fit; reordered in place so that leaf l holds rows[leafStart[l] .. leafStart[l+1]). */
  rows: Int32Array;
  target: GrowTarget;
  minLeaf: number;
  cp: number;
  maxDepth: number;
}

export interface GrownTree {
  tree: Tree;
  leafStart: Int32Array;
}

/** Called after each searched node with the work done (rows x predictors); returns a promise when it is time to yield. */
export type WorkTick = (work: number) => Promise<void> | undefined;

/**
 * Grows the tree depth-first, left child first, so that leaves come out in row order and each
 * leaf's rows are one contiguous range of `rows`.
 */
export async function growTree(p: GrowProblem, tick: WorkTick): Promise<GrownTree> {
  const target: GrowTarget = p.target.kind === 'regression' ? { kind: 'regression', y: standardize(p.target.y, p.rows) } : p.target;
  const search = new SplitSearch(p, target);
  const builder = new TreeBuilder(p);
  const { rows, minLeaf, maxDepth, cp } = p;
  const nPredictors = search.predictors.length;
  const minSplit = 3 * minLeaf; // rpart's default when only minbucket is set
  // Pending nodes as flat [node, start, end, depth] quadruples.
  const stack: number[] = [builder.addNode(), 0, rows.length, 0];
  // rpart's cp: a split must decrease impurity by cp x the root's impurity (1e-10 guards cp = 0).
  let minGain = 0;
  let isRoot = true;
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const node = stack.pop() as number;
    const n = end - start;
    const impurity = search.nodeImpurity(start, end);
    if (isRoot) {
      minGain = Math.max(cp, 1e-10) * impurity;
      isRoot = false;
    }
    let split: BestSplit | undefined;
    if (n >= minSplit && depth < maxDepth && impurity > 1e-12 * n && nPredictors > 0) {
      const best = search.findBestSplit(start, end);
      if (best.feature >= 0 && best.gain > minGain) split = best;
      const t = tick(n * nPredictors);
      if (t) await t;
    }
    if (!split) {
      builder.makeLeaf(node, start);
      continue;
    }
    const mid = builder.splitNode(node, split, start, end);
    const l = builder.addNode();
    const r = builder.addNode();
    builder.setChildren(node, l, r);
    // Right pushed first so that the left subtree is finished first: leaves come out in row order.
    stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
  }
  return builder.finish();
}

/** The tree under construction, as growable arrays (see Tree for their meaning). */
class TreeBuilder {
  readonly #problem: GrowProblem;
  readonly #feature: number[] = [];
  readonly #threshold: number[] = [];
  readonly #missingLeft: number[] = [];
  readonly #left: number[] = [];
  readonly #right: number[] = [];
  readonly #masks: number[] = [];
  readonly #leafStart: number[] = [];

  constructor(problem: GrowProblem) {
    this.#problem = problem;
  }

  /** A new node, a leaf until split; returns its index. */
  addNode(): number {
    this.#feature.push(-1);
    this.#threshold.push(0);
    this.#missingLeft.push(0);
    this.#left.push(-1);
    this.#right.push(-1);
    return this.#feature.length - 1;
  }

  /** Leaves are numbered in the order they are made; a leaf's threshold holds its number. */
  makeLeaf(node: number, start: number): void {
    this.#threshold[node] = this.#leafStart.length;
    this.#leafStart.push(start);
  }

  setChildren(node: number, left: number, right: number): void {
    this.#left[node] = left;
    this.#right[node] = right;
  }

  /** Writes the split into the node and partitions rows[start..end) (left rows first); returns the first right row. */
  splitNode(node: number, split: BestSplit, start: number, end: number): number {
    const f = split.feature;
    const view = this.#problem.views[f] as PredictorView;
    const bins = view.bins;
    const rows = this.#problem.rows;
    const n = end - start;
    this.#feature[node] = f;
    let i = start, j = end - 1;
    if (view.ordered) {
      const thr = split.thresholdBin, mb = view.missingBin, ml = split.missingLeft;
      this.#threshold[node] = thr;
      this.#missingLeft[node] = ml ? 1 : 0;
      while (i <= j) {
        const b = bins[rows[i]];
        if (b === mb ? ml : b <= thr) i++;
        else {
          const t = rows[i];
          rows[i] = rows[j];
          rows[j--] = t;
        }
      }
    } else {
      // Bin mask: the best ordering's prefix goes left; bins unseen here follow the larger child.
      const masks = this.#masks;
      const nb = this.#problem.nBins[f];
      const offset = masks.length;
      const unseen = split.nLeft >= n - split.nLeft ? 1 : 0;
      for (let b = 0; b < nb; b++) masks.push(unseen);
      for (let t = 0; t < split.binOrderLength; t++) masks[offset + split.binOrder[t]] = t <= split.splitAt ? 1 : 0;
      this.#threshold[node] = offset;
      while (i <= j) {
        if (masks[offset + bins[rows[i]]] === 1) i++;
        else {
          const t = rows[i];
          rows[i] = rows[j];
          rows[j--] = t;
        }
      }
    }
    return i;
  }

  finish(): GrownTree {
    this.#leafStart.push(this.#problem.rows.length);
    return {
      tree: {
        feature: Int32Array.from(this.#feature),
        threshold: Int32Array.from(this.#threshold),
        missingLeft: Uint8Array.from(this.#missingLeft),
        left: Int32Array.from(this.#left),
        right: Int32Array.from(this.#right),
        masks: Uint8Array.from(this.#masks),
        nLeaves: this.#leafStart.length - 1,
      },
      leafStart: Int32Array.from(this.#leafStart),
    };
  }
}

/** (y - mean) / sd over the fitted rows, so that gains are well conditioned (dates in ms, money...). */
function standardize(y: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(y.length);
  const n = rows.length;
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[rows[i]];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) { const d = y[rows[i]] - mean; v += d * d; }
  const sd = Math.sqrt(v / n) || 1;
  for (let i = 0; i < n; i++) out[rows[i]] = (y[rows[i]] - mean) / sd;
  return out;
}
