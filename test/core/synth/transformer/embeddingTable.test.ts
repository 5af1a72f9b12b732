/**
 * The thermometer term of ordered columns' embeddings (network.ts embeddingTable): bin b of an ordered
 * column reads its own row plus `ord`'s rows from the column's first bin to b; every other row (an
 * unordered column, a missing token, BOS and the column identities) reads its own row alone. Values and
 * the gradient reaching `ord`, on the WASM backend the app trains on and on the CPU one.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../../src/core/random/rng';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';
import { embeddingTable, initWeights, inputLayout, makeVariables, paramShapes, type NetConfig } from '../../../../src/core/synth/transformer/network';

// Column 0: 3 bins and a missing token; column 1: 3 categories (unordered); column 2: 4 bins and a missing token.
const cfg: NetConfig = { vocabs: [4, 3, 5], width: 8, layers: 1, heads: 2, ffnMult: 2, ordered: [0, 2] };
const layout = inputLayout(cfg.vocabs);
const W = layout.width, d = cfg.width;
/** Per embedding row, the first row of `ord` its thermometer sums (-1: none). */
const thermometerStart = Array.from({ length: W }, (_, r) => {
  for (const j of cfg.ordered!) if (r >= layout.offsets[j] && r < layout.offsets[j] + cfg.vocabs[j] - 1) return layout.offsets[j];
  return -1;
});

describe.each(['wasm', 'cpu'] as const)('embeddingTable (%s)', (backend) => {
  it('adds to each ordered bin the rows of ord up to it, and nothing elsewhere', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const weights = initWeights(cfg, new Rng(3));
    expect([...weights.get('ord')!].every((x) => x === 0)).toBe(true); // training starts from the plain embeddings
    const rng = new Rng(4);
    const ord = Float32Array.from({ length: W * d }, () => rng.normal());
    weights.set('ord', ord);
    const p = makeVariables(cfg, weights);
    const emb = weights.get('emb')!;
    const got = tf.tidy(() => embeddingTable(cfg, p)).dataSync();
    for (let r = 0; r < W; r++) {
      for (let c = 0; c < d; c++) {
        let want = emb[r * d + c];
        const s = thermometerStart[r];
        if (s >= 0) for (let k = s; k <= r; k++) want += ord[k * d + c];
        expect(got[r * d + c]).toBeCloseTo(want, 4);
      }
    }
    // The gradient of Σ table ⊙ w reaching ord's row k: Σ of w over the bins at or after k in k's column.
    const w = Float32Array.from({ length: W * d }, () => rng.normal());
    const grads = tf.variableGrads(() => tf.sum(tf.mul(embeddingTable(cfg, p), tf.tensor2d(w, [W, d]))) as tf.Scalar, [p.get('ord')!]);
    const g = grads.grads[p.get('ord')!.name].dataSync();
    for (let k = 0; k < W; k++) {
      for (let c = 0; c < d; c++) {
        let want = 0;
        for (let r = k; r < W; r++) if (thermometerStart[r] >= 0 && thermometerStart[r] === thermometerStart[k]) want += w[r * d + c];
        expect(g[k * d + c]).toBeCloseTo(want, 4);
      }
    }
    for (const v of p.values()) v.dispose();
  });

  it('is the plain embedding matrix, with no ord parameter, when no column is ordered', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const plain: NetConfig = { ...cfg, ordered: undefined };
    expect(paramShapes(plain).map(([name]) => name)).not.toContain('ord');
    expect(paramShapes(cfg).find(([name]) => name === 'ord')![1]).toEqual([W, d]);
    const p = makeVariables(plain, initWeights(plain, new Rng(3)));
    expect(embeddingTable(plain, p)).toBe(p.get('emb'));
    for (const v of p.values()) v.dispose();
  });
});
