import { exp } from '../math/detMath';
import { Rng } from '../random/rng';

/**
 * Embedding-space metrics of synthetic texts, from sentence embeddings (a feature-extraction model, mean
 * pooled and normalised): how close the synthetic centroid is to the real one, how well a linear
 * discriminator tells real from synthetic texts, and the text analogue of DCR: the share of synthetic
 * texts nearer (cosine) to a training text than to any holdout text (about 0.5 when the texts are no
 * closer to training than fresh real texts are; near 1 when they copy training texts).
 */
export interface TextEmbeddingMetrics {
  /** Model that made the embeddings. */
  model: string;
  dimensions: number;
  /** Cosine similarity of the real and synthetic centroids (1 = same). */
  centroidCosine: number;
  /** AUC of a logistic-regression discriminator, real vs synthetic, on a 30% test split (0.5 = cannot tell). */
  discriminatorAuc: number;
  /** Share of synthetic texts nearer to a training text than to every holdout text (ties half). */
  nearestTrainShare: number;
  /** Texts embedded per side. */
  sampleSize: number;
}

type Vec = ArrayLike<number>;

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function centroid(xs: readonly Vec[], d: number): Float64Array {
  const c = new Float64Array(d);
  for (const x of xs) for (let i = 0; i < d; i++) c[i] += x[i];
  for (let i = 0; i < d; i++) c[i] /= Math.max(1, xs.length);
  return c;
}

export function cosine(a: Vec, b: Vec): number {
  const n = Math.sqrt(dot(a, a) * dot(b, b));
  return n > 0 ? dot(a, b) / n : 0;
}

/** AUC by ranks (ties half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((i, j) => scores[i] - scores[j]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0, sum = 0;
  labels.forEach((l, i) => {
    if (l === 1) {
      pos++;
      sum += ranks[i];
    }
  });
  const neg = labels.length - pos;
  return pos && neg ? (sum - (pos * (pos + 1)) / 2) / (pos * neg) : 0.5;
}

/** Logistic regression by full-batch gradient descent (L2), trained on 70%, AUC on the other 30%. */
function discriminatorAuc(real: readonly Vec[], syn: readonly Vec[], d: number, rng: Rng): number {
  const rows = [...real.map((x) => ({ x, y: 0 })), ...syn.map((x) => ({ x, y: 1 }))];
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const cut = Math.floor(rows.length * 0.7);
  const train = rows.slice(0, cut), test = rows.slice(cut);
  const w = new Float64Array(d);
  let b = 0;
  const lr = 0.5, l2 = 1e-3;
  for (let epoch = 0; epoch < 200; epoch++) {
    const g = new Float64Array(d);
    let gb = 0;
    for (const r of train) {
      const z = dot(w, r.x) + b;
      const p = 1 / (1 + exp(-z));
      const e = p - r.y;
      for (let i = 0; i < d; i++) g[i] += e * r.x[i];
      gb += e;
    }
    for (let i = 0; i < d; i++) w[i] -= lr * (g[i] / train.length + l2 * w[i]);
    b -= (lr * gb) / train.length;
  }
  return auc(test.map((r) => dot(w, r.x) + b), test.map((r) => r.y));
}

function nearest(x: Vec, pool: readonly Vec[]): number {
  let best = -Infinity;
  for (const p of pool) best = Math.max(best, cosine(x, p));
  return best;
}

/** Share of probes nearer to a training vector than to every holdout vector (ties half). */
function nearestTrainShare(probes: readonly Vec[], train: readonly Vec[], holdout: readonly Vec[]): number {
  let share = 0;
  for (const s of probes) {
    const a = nearest(s, train), b = nearest(s, holdout);
    share += a > b ? 1 : a === b ? 0.5 : 0;
  }
  return probes.length ? share / probes.length : 0;
}

/** The metrics, over equally sized samples of training, holdout and synthetic embeddings. */
export function embeddingMetrics(model: string, train: readonly Vec[], holdout: readonly Vec[], synthetic: readonly Vec[], seed = 42): TextEmbeddingMetrics {
  const m = Math.min(train.length, holdout.length, synthetic.length);
  const d = train[0]?.length ?? 0;
  const tr = train.slice(0, m), ho = holdout.slice(0, m), sy = synthetic.slice(0, m);
  return {
    model,
    dimensions: d,
    centroidCosine: m ? cosine(centroid(tr, d), centroid(sy, d)) : 0,
    discriminatorAuc: m >= 4 ? discriminatorAuc(tr, sy, d, new Rng(seed)) : 0.5,
    nearestTrainShare: nearestTrainShare(sy, tr, ho),
    sampleSize: m,
  };
}

/**
 * The same metrics for the holdout in place of the synthetic texts: the ceiling, what real texts no model
 * saw score against the training texts. Centroid and discriminator compare training with holdout. The
 * nearest-neighbour share needs a reference apart from the texts it scores, so the holdout is split in two
 * halves (probes and reference), against as many training texts as the reference holds: a larger pool
 * would be nearer by chance alone.
 */
export function embeddingCeiling(model: string, train: readonly Vec[], holdout: readonly Vec[], seed = 42): TextEmbeddingMetrics {
  const m = Math.min(train.length, holdout.length);
  const d = train[0]?.length ?? 0;
  const tr = train.slice(0, m), ho = holdout.slice(0, m);
  const half = Math.floor(m / 2);
  return {
    model,
    dimensions: d,
    centroidCosine: m ? cosine(centroid(tr, d), centroid(ho, d)) : 0,
    discriminatorAuc: m >= 4 ? discriminatorAuc(tr, ho, d, new Rng(seed)) : 0.5,
    nearestTrainShare: nearestTrainShare(ho.slice(0, half), tr.slice(0, half), ho.slice(half, 2 * half)),
    sampleSize: m,
  };
}
