/**
 * The sampling decoder's shortcuts (network.ts Decoder, model.ts): rows with the same prefix decoded once,
 * the first layer computed once per distinct input, the caches spread to the rows when prefixes diverge.
 * Each must leave the likelihood the training pass gives.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';
import { Decoder, initWeights, makeVariables, type NetConfig } from '../../../../src/core/synth/transformer/network';
import { passInputs, tokenNll, trainingLoss } from './trainingPass';

describe('Decoder', () => {
  // WASM (Node, workers) and the pure-JS backend (the browsers' last resort: tf.gather, dataSync).
  // Also with ordered columns, whose bins' embeddings carry a thermometer term (network.ts embeddingTable),
  // given weights of their own (they start at zero).
  it.each([
    ['wasm', false],
    ['cpu', false],
    ['wasm', true],
    ['cpu', true],
  ] as const)('decodes shared prefixes once (and spreads them when they diverge) with the training pass likelihood (%s, ordered columns: %s)', async (backend, ordered) => {
    expect(await selectBackend(backend)).toBe(backend);
    const vocabs = [3, 5, 4, 6, 7];
    const C = vocabs.length, B = 48;
    const cfg: NetConfig = { vocabs, width: 16, layers: 2, heads: 4, ffnMult: 2, ...(ordered ? { ordered: [1, 3, 4] } : {}) };
    const weights = initWeights(cfg, new Rng(5));
    if (ordered) {
      const r = new Rng(7);
      weights.set('ord', weights.get('ord')!.map(() => r.normal() * 0.3));
    }
    const params = makeVariables(cfg, weights);
    const rng = new Rng(6);
    const order = [2, 0, 4, 1, 3];
    // Few distinct values in the first columns of the order (prefixes shared by many rows), then any.
    const distinct = [2, 2, 4, vocabs[1], vocabs[3]];
    const tokens = vocabs.map(() => new Int32Array(B));
    order.forEach((j, t) => {
      for (let r = 0; r < B; r++) tokens[j][r] = t < 3 ? Math.floor(r / [1, 2, 4][t]) % distinct[t] : rng.int(vocabs[j]);
    });
    const full = trainingLoss(cfg, params, tokens, order);
    const { active } = passInputs(cfg, tokens, order);

    const dec = new Decoder(cfg, params, B);
    const units: number[] = [];
    let nll = 0;
    for (let t = 0; t < C; t++) {
      const j = order[t], V = vocabs[j];
      const step = await dec.next(active(t), j);
      units.push(step.units);
      for (let r = 0; r < B; r++) nll += tokenNll(step.logits, step.unitOf ? step.unitOf[r] : r, V, tokens[j][r]);
    }
    dec.dispose();
    // One unit for the first position, one per distinct prefix while few, then one per row.
    expect(units).toEqual([1, 2, 4, 16, B]);
    expect(nll / B).toBeCloseTo(full, 4);
  });
});
