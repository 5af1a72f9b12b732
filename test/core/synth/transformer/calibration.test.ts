/**
 * The drawing order's calibration (calibration.ts): per-column logit biases that make the network's mean
 * prediction over real rows, fed in the order rows are drawn in, equal the rows' shares; stored with the
 * model and used when it draws.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/context';
import { Rng } from '../../../../src/core/random/rng';
import { calibrationBiases, solveBias } from '../../../../src/core/synth/transformer/calibration';
import { transformerEngine, TransformerModel } from '../../../../src/core/synth/transformer/index';
import { Decoder, makeVariables } from '../../../../src/core/synth/transformer/network';
import { encodeColumn, type ColumnCoder } from '../../../../src/core/synth/transformer/tokens';
import { preparedFromCsv, type CsvPrepared } from '../cart/preparedFromCsv';
import { passInputs } from './trainingPass';

function meanSoftmax(logits: Float32Array, n: number, V: number, bias: Float64Array, live: (k: number) => boolean): number[] {
  const mean = new Array<number>(V).fill(0);
  for (let r = 0; r < n; r++) {
    const e = Array.from({ length: V }, (_, k) => (live(k) ? Math.exp(logits[r * V + k] + bias[k]) : 0));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((x, k) => (mean[k] += x / s / n));
  }
  return mean;
}

describe('solveBias', () => {
  it('shifts the logits until the mean prediction is the target, and never gives an unseen missing token mass', () => {
    const rng = new Rng(3);
    const n = 400, V = 5;
    // Logits that favour the first tokens far more than the target does.
    const logits = Float32Array.from({ length: n * V }, (_, i) => 2 - (i % V) + rng.normal());
    const coder: ColumnCoder = { type: 'categorical', nLevels: 4, vocab: V, hasMissing: false };
    const target = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0]);
    const live = (k: number) => k < V - 1;
    const before = meanSoftmax(logits, n, V, new Float64Array(V), live);
    expect(before[0]).toBeGreaterThan(0.4);
    const bias = solveBias(logits, n, coder, target);
    const after = meanSoftmax(logits, n, V, bias, live);
    for (let k = 0; k < V - 1; k++) expect(after[k]).toBeCloseTo(target[k], 3);
    expect(bias[V - 1]).toBe(0);
  });

  it('moves no bias by more than 3 nats (a token the rows never show keeps some mass)', () => {
    const n = 50, V = 3;
    const logits = new Float32Array(n * V);
    const coder: ColumnCoder = { type: 'categorical', nLevels: 2, vocab: V, hasMissing: true };
    const bias = solveBias(logits, n, coder, Float64Array.from([1, 0, 0]));
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(bias[0]).toBeGreaterThan(bias[1]);
  });
});

describe('calibration of a fitted transformer (penguins)', () => {
  let p: CsvPrepared;
  let model: TransformerModel;

  beforeAll(async () => {
    p = preparedFromCsv('penguins.csv', { poolRare: 5 });
    model = (await transformerEngine.fit(p.table, { epochs: 8, patience: 8 }, { rng: new Rng(4) })) as TransformerModel;
  }, 120_000);

  it("matches, in the drawing order, each column's mean prediction over the rows to the rows' shares", async () => {
    const { cfg, coders, weights, calibration } = model.state;
    const order = model.state.order ?? coders.map((_, j) => j);
    expect(calibration).toHaveLength(coders.length);
    const tokens = p.table.columns.map((c, j) => encodeColumn(c, coders[j]));
    const n = p.table.nRows;
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    // Recomputed on all rows, the biases bring every column's mean prediction to within 0.002 of its shares.
    const biases = await calibrationBiases(cfg, weights, coders, tokens, rows, order);
    const params = makeVariables(cfg, weights);
    const { active } = passInputs(cfg, tokens, order);
    const dec = new Decoder(cfg, params, n);
    let worstBefore = 0;
    for (let t = 0; t < order.length; t++) {
      const j = order[t], V = cfg.vocabs[j];
      const logits = await dec.step(active(t), j);
      const live = (k: number) => k < V - 1 || coders[j].hasMissing;
      const shares = new Array<number>(V).fill(0);
      for (const k of tokens[j]) shares[k] += 1 / n;
      const before = meanSoftmax(logits, n, V, new Float64Array(V), live);
      const after = meanSoftmax(logits, n, V, biases[j], live);
      for (let k = 0; k < V; k++) {
        worstBefore = Math.max(worstBefore, Math.abs(before[k] - shares[k]));
        expect(Math.abs(after[k] - shares[k])).toBeLessThan(0.002);
      }
    }
    dec.dispose();
    for (const v of params.values()) v.dispose();
    // Eight epochs leave the network's own mean predictions off somewhere: the biases have work to do.
    expect(worstBefore).toBeGreaterThan(0.01);
  });

  it('draws with the biases, keeps them in storage, and still loads a model saved without them', async () => {
    const none = p.table.columns.map(() => undefined);
    const draw = (m: TransformerModel) => m.sample(300, new Rng(5), none);
    const a = await draw(model);
    const uncalibrated = new TransformerModel({ ...model.state, calibration: undefined });
    expect(await draw(uncalibrated)).not.toEqual(a);
    const { meta, arrays } = model.serialize();
    expect(await draw(transformerEngine.deserialize(structuredClone(meta), structuredClone(arrays)) as TransformerModel)).toEqual(a);
    const old = Object.fromEntries(Object.entries(arrays).filter(([k]) => !k.endsWith('.calibration')));
    const loaded = transformerEngine.deserialize(structuredClone(meta), old) as TransformerModel;
    expect(loaded.state.calibration).toBeUndefined();
    expect(await draw(loaded)).toEqual(await draw(uncalibrated));
  });
});

describe('conditioned calibration (penguins)', () => {
  it("draws conditioned rows as the model's own rows meeting the condition fall, the same for the same seed", async () => {
    const p = preparedFromCsv('penguins.csv', { poolRare: 5 });
    const model = (await transformerEngine.fit(p.table, { epochs: 8, patience: 8 }, { rng: new Rng(4) })) as TransformerModel;
    const mass = p.table.columns.findIndex((c) => c.name === 'body_mass_g');
    const species = p.table.columns.findIndex((c) => c.name === 'species');
    const sex = p.table.columns.findIndex((c) => c.name === 'sex');
    const values = Float64Array.from((p.table.columns[mass] as { values: Float64Array }).values).filter((v) => !Number.isNaN(v)).sort();
    const threshold = values[Math.floor(0.75 * values.length)];
    const none = p.table.columns.map(() => undefined);
    const heavy = p.table.columns.map((_, j) => (j === mass ? { type: 'range' as const, min: threshold, max: Infinity } : undefined));
    // The model's own unconditioned rows, kept where they meet the condition: what the conditioned rows should follow.
    const free = await model.sample(40_000, new Rng(9), none);
    const kept = [...Array(40_000).keys()].filter((i) => (free[mass] as Float64Array)[i] >= threshold);
    const conditioned = await model.sample(4000, new Rng(10), heavy);
    expect((conditioned[mass] as Float64Array).every((v) => v >= threshold)).toBe(true);
    const shares = (col: Int32Array, rows: number[], L: number) => {
      const s = new Array<number>(L + 1).fill(0);
      for (const i of rows) s[col[i] < 0 ? L : col[i]] += 1 / rows.length;
      return s;
    };
    const all = [...Array(4000).keys()];
    for (const j of [species, sex]) {
      const L = p.levels[j].length;
      const a = shares(free[j] as Int32Array, kept, L), b = shares(conditioned[j] as Int32Array, all, L);
      // Without the conditioned biases, this model's heavy penguins were 0.051 (species) and 0.044 (sex) off in total variation.
      expect(a.reduce((t, x, k) => t + Math.abs(x - b[k]), 0) / 2).toBeLessThan(0.025);
    }
    // The biases come from a pool seeded by the condition alone: a fresh copy of the model, which computes them again, draws the same rows.
    const copy = transformerEngine.deserialize(structuredClone(model.serialize().meta), structuredClone(model.serialize().arrays));
    expect(await copy.sample(4000, new Rng(10), heavy)).toEqual(conditioned);
  }, 120_000);
});

describe('cancel after training', () => {
  it('stops in the calibration pass once the signal is aborted', async () => {
    const p = preparedFromCsv('penguins.csv', { poolRare: 5 });
    const ac = new AbortController();
    const phases: string[] = [];
    const fit = transformerEngine.fit(p.table, { epochs: 1, patience: 1 }, {
      rng: new Rng(4),
      signal: ac.signal,
      onProgress: ({ message }) => {
        if (message) phases.push(message);
        if (message?.startsWith('Calibrating')) ac.abort();
      },
    });
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(phases.at(-1)).toMatch(/^Calibrating the drawing order/);
  }, 60_000);
});
