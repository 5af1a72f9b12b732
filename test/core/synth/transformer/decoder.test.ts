/**
 * The sampling decoder's shortcuts (network.ts Decoder, model.ts): rows with the same prefix decoded once,
 * the first layer computed once per distinct input, the caches spread to the rows when prefixes diverge,
 * and the table-driven exp of the token draw. Each must leave the likelihood the training pass gives.
 */
import { describe, expect, it } from 'vitest';
import * as detMath from '../../../../src/core/math/detMath';
import { Rng } from '../../../../src/core/random/rng';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';
import { expNonPositive } from '../../../../src/core/synth/transformer/model';
import { Decoder, initWeights, makeVariables, type NetConfig } from '../../../../src/core/synth/transformer/network';
import { passInputs, tokenNll, trainingLoss } from './trainingPass';

describe('Decoder', () => {
  // WASM (Node, workers) and the pure-JS backend (the browsers' last resort: tf.gather, dataSync).
  it.each(['wasm', 'cpu'] as const)('decodes shared prefixes once (and spreads them when they diverge) with the training pass likelihood (%s)', async (backend) => {
    expect(await selectBackend(backend)).toBe(backend);
    const vocabs = [3, 5, 4, 6, 7];
    const C = vocabs.length, B = 48;
    const cfg: NetConfig = { vocabs, width: 16, layers: 2, heads: 4, ffnMult: 2 };
    const params = makeVariables(cfg, initWeights(cfg, new Rng(5)));
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
      const step = dec.next(active(t), j);
      units.push(step.units);
      for (let r = 0; r < B; r++) nll += tokenNll(step.logits, step.unitOf ? step.unitOf[r] : r, V, tokens[j][r]);
    }
    dec.dispose();
    // One unit for the first position, one per distinct prefix while few, then one per row.
    expect(units).toEqual([1, 2, 4, 16, B]);
    expect(nll / B).toBeCloseTo(full, 4);
  });
});

describe('expNonPositive', () => {
  it('matches detMath.exp to the last bits and is 0 past the double range', () => {
    const rng = new Rng(7);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = -rng.next() * (i % 2 ? 40 : 700); // (further down, subnormal results keep fewer bits)
      worst = Math.max(worst, Math.abs(expNonPositive(x) - detMath.exp(x)) / detMath.exp(x));
    }
    expect(worst).toBeLessThan(2e-15);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-745)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(Number.isNaN(expNonPositive(NaN))).toBe(true);
  });
});
