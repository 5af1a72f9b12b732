/**
 * A fitted decision tree as flat typed arrays (serializable as-is), and the routing of rows to leaves.
 *
 * Node i is a leaf when feature[i] < 0; then threshold[i] is its leaf index. Otherwise feature[i] is
 * the column index of the predictor and rows go left when:
 * - ordered (numeric) predictor: bin <= threshold[i], and the missing bin goes left iff missingLeft[i];
 * - categorical predictor: masks[threshold[i] + bin] === 1 (a per-split bin mask; bins unseen at the
 *   node in training go to the larger child).
 */
export interface Tree {
  feature: Int32Array;
  threshold: Int32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  masks: Uint8Array;
  nLeaves: number;
}

export interface PredictorView {
  ordered: boolean;
  missingBin: number;
  /** Bins per row. */
  bins: Uint16Array;
}

/** Leaf index of a row, given the bins of each column (by column index). */
export function leafOf(tree: Tree, views: (PredictorView | undefined)[], row: number): number {
  const { feature, threshold, missingLeft, left, right, masks } = tree;
  let node = 0;
  for (;;) {
    const f = feature[node];
    if (f < 0) return threshold[node];
    const v = views[f] as PredictorView;
    const bin = v.bins[row];
    let goLeft: boolean;
    if (v.ordered) goLeft = bin === v.missingBin ? missingLeft[node] === 1 : bin <= threshold[node];
    else goLeft = masks[threshold[node] + bin] === 1;
    node = goLeft ? left[node] : right[node];
  }
}

/** Leaf index of every row in 0..n-1. */
export function routeRows(tree: Tree, views: (PredictorView | undefined)[], n: number): Int32Array {
  const out = new Int32Array(n);
  if (tree.feature[0] < 0) return out.fill(tree.threshold[0]);
  for (let i = 0; i < n; i++) out[i] = leafOf(tree, views, i);
  return out;
}

/** The tree of a column drawn from its marginal: one leaf. */
export function singleLeafTree(): Tree {
  return {
    feature: Int32Array.of(-1),
    threshold: Int32Array.of(0),
    missingLeft: Uint8Array.of(0),
    left: Int32Array.of(-1),
    right: Int32Array.of(-1),
    masks: new Uint8Array(0),
    nLeaves: 1,
  };
}
