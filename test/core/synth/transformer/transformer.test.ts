/**
 * The on-device tabular transformer (issue 15) in Node on the WASM backend: tokens, shapes, the missing
 * token, exact conditions, conditional distributions, the seed, the storage round trip, progress
 * metrics, checkpoints (a resumed fit equals an uninterrupted one), cancel, and a fidelity floor that an
 * engine drawing columns independently would miss. Fits are a few epochs on penguins (a few seconds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type CheckpointState, type Progress } from '../../../../src/core/context';
import { Rng } from '../../../../src/core/random/rng';
import type { EngineColumns, PreparedNumeric, PreparedTable } from '../../../../src/core/synth/engine';
import { transformerEngine, TransformerModel } from '../../../../src/core/synth/transformer/index';
import { allowedTokens, buildCoder, drawInBin, encodeColumn, KNOTS, type NumericCoder } from '../../../../src/core/synth/transformer/tokens';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';
import { binsFor, layersFor, samplingOrder, trainingOrder, usesTableOrder } from '../../../../src/core/synth/transformer/fit';
import { Decoder, dropoutMasks, initWeights, makeVariables, type NetConfig } from '../../../../src/core/synth/transformer/network';
import { passInputs, tokenNll, trainingLoss } from './trainingPass';
import { preparedFromCsv, type CsvPrepared } from '../cart/preparedFromCsv';

const col = (t: PreparedTable, name: string) => t.columns.findIndex((c) => c.name === name);
const code = (p: CsvPrepared, name: string, label: string) => p.levels[col(p.table, name)].indexOf(label);
const bits = (cols: EngineColumns) => cols.map((c) => Buffer.from(new Uint8Array(c.buffer, c.byteOffset, c.byteLength)).toString('base64'));

function meanWhere(values: ArrayLike<number>, keep: (i: number) => boolean): number {
  let s = 0, k = 0;
  for (let i = 0; i < values.length; i++) if (keep(i) && !Number.isNaN(values[i])) { s += values[i]; k++; }
  return s / k;
}

describe('tokens', () => {
  it('bins numerics by quantiles, keeps a missing token, and draws inside a bin (and a range)', () => {
    const p = preparedFromCsv('penguins.csv');
    const mass = p.table.columns[col(p.table, 'body_mass_g')] as PreparedNumeric;
    const c = buildCoder(mass, 16) as NumericCoder;
    expect(c.nBins).toBeLessThanOrEqual(16);
    expect(c.vocab).toBe(c.nBins + 1);
    const tok = encodeColumn(mass, c);
    for (let i = 0; i < tok.length; i++) {
      if (Number.isNaN(mass.values[i])) expect(tok[i]).toBe(c.vocab - 1); // the missing token
      else {
        const b = tok[i];
        expect(mass.values[i]).toBeGreaterThanOrEqual(c.knots[b * (KNOTS + 1)]);
        expect(mass.values[i]).toBeLessThanOrEqual(c.knots[b * (KNOTS + 1) + KNOTS]);
      }
    }
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const b = rng.int(c.nBins);
      const lo = c.knots[b * (KNOTS + 1)], hi = c.knots[b * (KNOTS + 1) + KNOTS];
      const x = drawInBin(c, b, rng.next());
      expect(x).toBeGreaterThanOrEqual(lo);
      expect(x).toBeLessThanOrEqual(hi);
      const r = { min: lo + 0.25 * (hi - lo), max: lo + 0.5 * (hi - lo) };
      const y = drawInBin(c, b, rng.next(), r);
      expect(y).toBeGreaterThanOrEqual(r.min);
      expect(y).toBeLessThanOrEqual(r.max);
    }
    // Few distinct values: one bin each (exact values).
    const year = p.table.columns[col(p.table, 'year')] as PreparedNumeric;
    const yc = buildCoder(year, 16) as NumericCoder;
    expect(Array.from(yc.edges)).toEqual([2007, 2008, 2009]);
    const sex = p.table.columns[col(p.table, 'sex')];
    const sc = buildCoder(sex, 16);
    expect(sc.hasMissing).toBe(true);
    expect(sc.vocab).toBe(p.levels[col(p.table, 'sex')].length + 1);
  });

  it("weights a bin a range's edge cuts by the share of it in the range (not fully), and others by 1 or 0", () => {
    const p = preparedFromCsv('penguins.csv');
    const bill = p.table.columns[col(p.table, 'bill_length_mm')] as PreparedNumeric;
    const c = buildCoder(bill, 16) as NumericCoder;
    const K = KNOTS + 1;
    // A bin whose knots all differ (lengths come in steps of 0.1 mm, so some bins have ties).
    const at = (bin: number, k: number) => c.knots[bin * K + k];
    const b = [...Array(c.nBins - 1).keys()].reverse().find((x) => [...Array(KNOTS).keys()].every((k) => at(x, k) < at(x, k + 1)))!;
    expect(b).toBeGreaterThan(0);
    // From halfway between its 4th and 5th knots up: 3.5 of its 8 knot intervals, all of the bins above.
    const w = allowedTokens(c, { type: 'range', min: (at(b, 4) + at(b, 5)) / 2, max: Infinity })!;
    expect(w[b]).toBeCloseTo(3.5 / KNOTS, 6);
    for (let k = 0; k < c.nBins; k++) if (k !== b) expect(w[k]).toBe(k > b ? 1 : 0);
    expect(w[c.vocab - 1]).toBe(0); // missing never meets a condition
    // A range inside the bin (2 of its intervals), and one beyond every bin (the nearest bin stands in).
    const inner = allowedTokens(c, { type: 'range', min: (at(b, 1) + at(b, 2)) / 2, max: (at(b, 3) + at(b, 4)) / 2 })!;
    expect(inner[b]).toBeCloseTo(2 / KNOTS, 6);
    expect(inner.reduce((s, x) => s + x, 0)).toBeCloseTo(2 / KNOTS, 6);
    const beyond = allowedTokens(c, { type: 'range', min: 1e9, max: Infinity })!;
    expect(Array.from(beyond).indexOf(1)).toBe(c.nBins - 1);
    // A spike (tied knots: many rows at one value) belongs to a range that starts or ends at it.
    const massCoder = buildCoder(p.table.columns[col(p.table, 'body_mass_g')], 16) as NumericCoder;
    const m = (bin: number, k: number) => massCoder.knots[bin * K + k];
    const sb = [...Array(massCoder.nBins).keys()].find((x) => m(x, 3) === m(x, 4) && m(x, 0) < m(x, 3) && m(x, 4) < m(x, KNOTS))!;
    const v = m(sb, 3);
    const point = allowedTokens(massCoder, { type: 'range', min: v, max: v })!;
    expect(point[sb]).toBeGreaterThanOrEqual(1 / KNOTS);
    const below = allowedTokens(massCoder, { type: 'range', min: -Infinity, max: v })!;
    const above = allowedTokens(massCoder, { type: 'range', min: v, max: Infinity })!;
    expect(below[sb] + above[sb]).toBeCloseTo(1 + point[sb], 6);
    expect(drawInBin(massCoder, sb, 0.5, { min: v, max: v })).toBe(v);
    // Categorical: the listed codes, fully.
    const species = p.table.columns[col(p.table, 'species')];
    const sw = allowedTokens(buildCoder(species, 16), { type: 'categorical', codes: [0, 2] })!;
    expect(Array.from(sw)).toEqual([1, 0, 1, 0]);
  });
});

describe('network', () => {
  it('samples with the same model it trains: cached one-position decoding gives the training pass its likelihood', async () => {
    expect(await selectBackend()).toBe('wasm');
    const vocabs = [5, 7, 3, 9];
    const C = vocabs.length, B = 6;
    const cfg: NetConfig = { vocabs, width: 16, layers: 2, heads: 4, ffnMult: 2 };
    const params = makeVariables(cfg, initWeights(cfg, new Rng(1)));
    const rng = new Rng(2);
    const tokens = vocabs.map((v) => Int32Array.from({ length: B }, () => rng.int(v)));
    const order = [2, 0, 3, 1];
    const full = trainingLoss(cfg, params, tokens, order);
    const { active } = passInputs(cfg, tokens, order);
    const dec = new Decoder(cfg, params, B);
    let nll = 0;
    for (let t = 0; t < C; t++) {
      const j = order[t], V = vocabs[j];
      const logits = await dec.step(active(t), j);
      for (let r = 0; r < B; r++) nll += tokenNll(logits, r, V, tokens[j][r]);
    }
    dec.dispose();
    expect(nll / B).toBeCloseTo(full, 4);
  });
});

describe('transformerEngine on penguins', () => {
  let p: CsvPrepared;
  let model: TransformerModel;
  const progress: Progress[] = [];

  beforeAll(async () => {
    p = preparedFromCsv('penguins.csv', { poolRare: 5 });
    model = (await transformerEngine.fit(p.table, { epochs: 12, patience: 12 }, { rng: new Rng(1), onProgress: (x) => progress.push(x) })) as TransformerModel;
  }, 120_000);

  it('reports each epoch with its losses and the backend', () => {
    const epochs = progress.filter((x) => x.metrics);
    expect(epochs.length).toBe(model.state.training.epochs);
    expect(epochs[0].metrics).toMatchObject({ epoch: 1, backend: 'wasm' });
    for (const e of epochs) {
      expect(Number.isFinite(e.metrics!.trainLoss)).toBe(true);
      expect(Number.isFinite(e.metrics!.validationLoss)).toBe(true);
    }
    // It learns: the validation loss falls well below the first epoch's.
    expect(model.state.training.validationLoss).toBeLessThan((epochs[0].metrics!.validationLoss as number) - 1);
  });

  it('bins numerics by about 40 rows a bin (344 rows: 9 bins), not the preset\'s 48, so that each bin has rows to learn from', () => {
    expect(binsFor(48, 344)).toBe(9);
    expect(binsFor(48, 5940)).toBe(48);
    expect(binsFor(32, 40)).toBe(6);
    const mass = model.state.coders[col(p.table, 'body_mass_g')] as NumericCoder;
    expect(mass.nBins).toBe(9);
  });

  it('keeps the preset\'s two layers below 5,000 rows, and one from there (where the time budget ends the fit)', () => {
    expect(model.state.cfg.layers).toBe(2);
    expect(layersFor(2, 4999)).toBe(2);
    expect(layersFor(2, 5000)).toBe(1);
  });

  it('draws columns of the right types and ranges, with missing values where training had them', async () => {
    const n = 1000;
    const out = await model.sample(n, new Rng(3), p.table.columns.map(() => undefined));
    expect(out.length).toBe(p.table.columns.length);
    p.table.columns.forEach((c, j) => {
      expect(out[j].length).toBe(n);
      if (c.type === 'categorical') {
        expect(out[j]).toBeInstanceOf(Int32Array);
        for (const k of out[j]) expect(k >= -1 && k < c.nLevels).toBe(true);
      } else {
        expect(out[j]).toBeInstanceOf(Float64Array);
        for (const x of out[j]) if (!Number.isNaN(x)) expect(x >= c.min && x <= c.max).toBe(true);
      }
    });
    const sex = out[col(p.table, 'sex')] as Int32Array;
    const missing = sex.filter((k) => k < 0).length / n;
    expect(missing).toBeGreaterThan(0); // 11 of 344 real rows (3%) have no sex
    expect(missing).toBeLessThan(0.12);
    const species = out[col(p.table, 'species')] as Int32Array;
    for (const k of species) expect(k).toBeGreaterThanOrEqual(0); // never missing in training: never drawn missing
  });

  it('keeps the joint structure an independent draw would lose', async () => {
    const out = await model.sample(2000, new Rng(4), p.table.columns.map(() => undefined));
    const species = out[col(p.table, 'species')] as Int32Array;
    const island = out[col(p.table, 'island')] as Int32Array;
    const flipper = out[col(p.table, 'flipper_length_mm')] as Float64Array;
    const gentoo = code(p, 'species', 'Gentoo'), adelie = code(p, 'species', 'Adelie');
    // Real: Gentoo flippers ~217 mm, Adelie ~190 mm; Gentoo live only on Biscoe.
    const diff = meanWhere(flipper, (i) => species[i] === gentoo) - meanWhere(flipper, (i) => species[i] === adelie);
    expect(diff).toBeGreaterThan(18);
    let g = 0, gb = 0;
    for (let i = 0; i < species.length; i++) if (species[i] === gentoo) { g++; if (island[i] === code(p, 'island', 'Biscoe')) gb++; }
    expect(gb / g).toBeGreaterThan(0.85);
  });

  it('keeps conditions exactly and draws the other columns from the conditional distribution', async () => {
    const C = p.table.columns.length;
    const conds: Parameters<TransformerModel['sample']>[2] = new Array(C).fill(undefined);
    const gentoo = code(p, 'species', 'Gentoo');
    conds[col(p.table, 'species')] = { type: 'categorical', codes: [gentoo] };
    conds[col(p.table, 'body_mass_g')] = { type: 'range', min: 4000, max: 4600 };
    const out = await model.sample(800, new Rng(5), conds);
    const species = out[col(p.table, 'species')] as Int32Array;
    const mass = out[col(p.table, 'body_mass_g')] as Float64Array;
    for (let i = 0; i < 800; i++) {
      expect(species[i]).toBe(gentoo);
      expect(mass[i] >= 4000 && mass[i] <= 4600).toBe(true);
    }
    // Given Gentoo: Biscoe, and flippers like the real Gentoo ones (~217 mm), not the overall mean (~201).
    const island = out[col(p.table, 'island')] as Int32Array;
    expect(island.filter((k) => k === code(p, 'island', 'Biscoe')).length / 800).toBeGreaterThan(0.85);
    expect(meanWhere(out[col(p.table, 'flipper_length_mm')], () => true)).toBeGreaterThan(208);
    // One island fixed: species follow the real conditional (Torgersen: Adelie only).
    const c2: Parameters<TransformerModel['sample']>[2] = new Array(C).fill(undefined);
    c2[col(p.table, 'island')] = { type: 'categorical', codes: [code(p, 'island', 'Torgersen')] };
    const o2 = await model.sample(500, new Rng(6), c2);
    const sp2 = o2[col(p.table, 'species')] as Int32Array;
    expect(sp2.filter((k) => k === code(p, 'species', 'Adelie')).length / 500).toBeGreaterThan(0.85);
  });

  it("draws a bin a range's edge cuts in proportion to the share of it in the range", async () => {
    const C = p.table.columns.length;
    const j = col(p.table, 'body_mass_g');
    const c = model.state.coders[j] as NumericCoder;
    const K = KNOTS + 1;
    const b = c.nBins - 3;
    // Bins b and b + 1 drawn from [start of b, ∞) and from [median of b, ∞): b's odds against b + 1 halve.
    const odds = async (min: number, seed: number) => {
      const conds: Parameters<TransformerModel['sample']>[2] = new Array(C).fill(undefined);
      conds[j] = { type: 'range', min, max: Infinity };
      const out = (await model.sample(6000, new Rng(seed), conds))[j] as Float64Array;
      const tok = encodeColumn({ ...(p.table.columns[j] as PreparedNumeric), values: out }, c);
      return tok.filter((t) => t === b).length / tok.filter((t) => t === b + 1).length;
    };
    const whole = await odds(c.knots[b * K], 7);
    const half = await odds(c.knots[b * K + KNOTS / 2], 8);
    expect(half / whole).toBeGreaterThan(0.4);
    expect(half / whole).toBeLessThan(0.6);
  });

  it("draws in a drawn column order only where its validation loss is clearly below the table's, and keeps it in storage", async () => {
    const C = p.table.columns.length, tableOrder = [...Array(C).keys()];
    const chosen = model.state.order!;
    expect([...chosen].sort((a, b) => a - b)).toEqual(tableOrder);
    // The choice made again from the model's weights, against each row's loss from the training pass.
    const { cfg, coders, weights } = model.state;
    const tokens = p.table.columns.map((c, j) => encodeColumn(c, coders[j]));
    const params = makeVariables(cfg, weights);
    const lossOf = (o: number[], r: number) => trainingLoss(cfg, params, tokens.map((t) => t.subarray(r, r + 1)), o);
    /** samplingOrder's choice, and the rule's: the lowest mean loss of the orders whose paired differences to the table's are 2 standard errors below 0. */
    const choose = async (rows: Int32Array) => {
      const { order, candidates, losses } = await samplingOrder(cfg, weights, tokens, rows, new Rng(5));
      expect(candidates).toHaveLength(8);
      expect(candidates[0]).toEqual(tableOrder);
      const rowLoss = candidates.map((o) => Array.from(rows, (r) => lossOf(o, r)));
      candidates.forEach((_, k) => expect(losses[k]).toBeCloseTo(rowLoss[k].reduce((a, b) => a + b, 0) / rows.length, 3));
      let want = 0;
      for (let k = 1; k < 8 && rows.length >= 50; k++) {
        const d = rowLoss[k].map((x, i) => x - rowLoss[0][i]);
        const mean = d.reduce((a, b) => a + b, 0) / d.length;
        const se = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / d.length / (d.length - 1));
        if (mean + 2 * se < 0 && losses[k] < losses[want]) want = k;
      }
      expect(order).toEqual(candidates[want]);
      return { want, lowest: losses.indexOf(Math.min(...losses)), candidates, rowLoss };
    };
    // 80 rows: a drawn order is clearly better, and it is the lowest.
    const pool = Int32Array.from({ length: 80 }, (_, i) => i * 4);
    const clear = await choose(pool);
    expect(clear.want).toBeGreaterThan(0);
    expect(clear.want).toBe(clear.lowest);
    // A few copies of a row far better in some drawn order among copies of a row the table's order fits best,
    // just enough for that order's mean to be the lower: not clearly lower (a few rows carry it), so the
    // table's order stays.
    const gap = (i: number, k: number) => clear.rowLoss[0][i] - clear.rowLoss[k][i];
    const ks = [1, 2, 3, 4, 5, 6, 7];
    const y = pool.reduce((b, _, i) => (Math.max(...ks.map((k) => gap(i, k))) > Math.max(...ks.map((k) => gap(b, k))) ? i : b), 0);
    const best = ks.reduce((b, k) => (gap(y, k) > gap(y, b) ? k : b), 1);
    const x = pool.reduce((b, _, i) => (ks.every((k) => gap(i, k) < 0) && (b < 0 || gap(i, best) > gap(b, best)) ? i : b), -1);
    const m = [...Array(25).keys()].find((c) => c * gap(y, best) + (60 - c) * gap(x, best) > 0)!;
    const mixed = await choose(Int32Array.from([...Array(m).fill(pool[y]), ...Array(60 - m).fill(pool[x])]));
    expect(mixed.lowest).toBeGreaterThan(0);
    expect(mixed.want).toBe(0);
    // Under 50 rows the table's order stays.
    expect((await choose(pool.subarray(0, 40))).want).toBe(0);
    for (const v of params.values()) v.dispose();
    const rows = pool;
    // With a single try it is the table's order.
    expect((await samplingOrder(cfg, weights, tokens, rows, new Rng(5), 1)).order).toEqual(tableOrder);
    // Sampling follows the model's order; a model saved before it (no order) draws in the table's.
    const none = p.table.columns.map(() => undefined);
    const drawn = (o: number[] | undefined) => new TransformerModel({ ...model.state, order: o }).sample(200, new Rng(21), none);
    expect(bits(await drawn(undefined))).toEqual(bits(await drawn(tableOrder)));
    expect(bits(await drawn([...tableOrder].reverse()))).not.toEqual(bits(await drawn(tableOrder)));
    const { meta, arrays } = model.serialize();
    expect((meta as { order: number[] }).order).toEqual(chosen);
    expect(transformerEngine.deserialize({ ...(meta as object), order: undefined }, arrays)).toBeInstanceOf(TransformerModel);
    expect(() => transformerEngine.deserialize({ ...(meta as object), order: [0, 0, ...tableOrder.slice(2)] }, arrays)).toThrow(/invalid column order/);
  });

  it('gives the same rows for the same seed, others for another, and the same after a storage round trip', async () => {
    const none = p.table.columns.map(() => undefined);
    const a = await model.sample(300, new Rng(11), none);
    expect(bits(await model.sample(300, new Rng(11), none))).toEqual(bits(a));
    expect(bits(await model.sample(300, new Rng(12), none))).not.toEqual(bits(a));
    const { meta, arrays } = model.serialize();
    const again = transformerEngine.deserialize(structuredClone(meta), structuredClone(arrays));
    expect(bits(await again.sample(300, new Rng(11), none))).toEqual(bits(a));
    for (const a of Object.values(arrays).filter((x) => x instanceof Float32Array)) expect(a.every(Number.isFinite)).toBe(true);
  });
});

describe('transformer training', () => {
  const p = preparedFromCsv('penguins.csv', { poolRare: 5 });

  it("trains in the table's order from 5,000 rows, with 1 or 2 drawn columns first in about half the batches", () => {
    expect(usesTableOrder(4999)).toBe(false);
    expect(usesTableOrder(5000)).toBe(true);
    const C = 7, table = [...Array(C).keys()], rng = new Rng(3);
    let prefixed = 0;
    const firsts = new Set<number>();
    for (let b = 0; b < 2000; b++) {
      const o = trainingOrder(C, rng, 0.5, 2);
      expect([...o].sort((x, y) => x - y)).toEqual(table);
      // The longest run in the table's order at the end; what comes before it is the drawn prefix.
      let k = C - 1;
      while (k > 0 && o[k - 1] < o[k]) k--;
      const prefix = o.slice(0, k);
      expect(o.slice(k)).toEqual(table.filter((j) => !prefix.includes(j)));
      expect(prefix.length).toBeLessThanOrEqual(2);
      if (prefix.length > 0) prefixed++;
      firsts.add(o[0]);
    }
    // Half the batches have a prefix; one of column 0 alone, or of 0 then 1, looks like none (0.458 expected).
    expect(prefixed / 2000).toBeGreaterThan(0.38);
    expect(prefixed / 2000).toBeLessThan(0.5);
    expect(firsts.size).toBe(C);
    for (let b = 0; b < 50; b++) expect(trainingOrder(C, rng, 0, 2)).toEqual(table);
    expect(trainingOrder(1, rng, 1, 2)).toEqual([0]);
  });

  it("a table-order fit draws in the table's order (no stored order) and keeps conditions", async () => {
    const m = (await transformerEngine.fit(p.table, { epochs: 12, patience: 12, tableOrder: true }, { rng: new Rng(1) })) as TransformerModel;
    expect(m.state.order).toBeUndefined();
    expect('order' in (m.serialize().meta as object)).toBe(false);
    const C = p.table.columns.length;
    const conds: Parameters<TransformerModel['sample']>[2] = new Array(C).fill(undefined);
    conds[col(p.table, 'island')] = { type: 'categorical', codes: [code(p, 'island', 'Torgersen')] };
    const out = await m.sample(500, new Rng(6), conds);
    expect((out[col(p.table, 'island')] as Int32Array).every((k) => k === code(p, 'island', 'Torgersen'))).toBe(true);
    // Torgersen has only Adelie penguins (0.44 of all): island first is a drawn prefix, seen in fewer
    // batches, so after 12 epochs the share is well above the marginal but not yet at the real 1.
    const sp = out[col(p.table, 'species')] as Int32Array;
    expect(sp.filter((k) => k === code(p, 'species', 'Adelie')).length / 500).toBeGreaterThan(0.6);
    // Species fixed (first in the table's order anyway): Gentoo penguins live on Biscoe.
    const c2: Parameters<TransformerModel['sample']>[2] = new Array(C).fill(undefined);
    c2[col(p.table, 'species')] = { type: 'categorical', codes: [code(p, 'species', 'Gentoo')] };
    const o2 = await m.sample(500, new Rng(7), c2);
    expect((o2[col(p.table, 'island')] as Int32Array).filter((k) => k === code(p, 'island', 'Biscoe')).length / 500).toBeGreaterThan(0.85);
    // A fit in random orders differs.
    const r = (await transformerEngine.fit(p.table, { epochs: 2, tableOrder: false }, { rng: new Rng(1) })) as TransformerModel;
    const t = (await transformerEngine.fit(p.table, { epochs: 2, tableOrder: true }, { rng: new Rng(1) })) as TransformerModel;
    expect(t.state.training.validationLoss).not.toBe(r.state.training.validationLoss);
  }, 60_000);

  it('the same seed fits the same weights; a fit resumed from a checkpoint equals the uninterrupted one', async () => {
    const saved: CheckpointState[] = [];
    const opts = { epochs: 3, patience: 10, size: 'small' as const };
    const full = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9), checkpoint: { save: async (s) => void saved.push(structuredClone(s)) } })) as TransformerModel;
    expect(saved.map((s) => s.epoch)).toEqual([1, 2, 3]);
    const twice = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9) })) as TransformerModel;
    expect(twice.serialize().arrays).toEqual(full.serialize().arrays);
    const resumed = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9), checkpoint: { resume: saved[0] } })) as TransformerModel;
    expect(resumed.state.training.epochs).toBe(3);
    expect(resumed.serialize().arrays).toEqual(full.serialize().arrays);
    expect(resumed.state.order).toEqual(full.state.order);
    const other = (await transformerEngine.fit(p.table, { ...opts, epochs: 1 }, { rng: new Rng(10) })) as TransformerModel;
    expect(other.serialize().arrays).not.toEqual(full.serialize().arrays);
  });

  it('a one-layer network (the default from 5,000 rows) resumes to the uninterrupted fit and samples every column', async () => {
    const saved: CheckpointState[] = [];
    const opts = { epochs: 2, patience: 10, size: 'small' as const, layers: 1 };
    const full = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9), checkpoint: { save: async (s) => void saved.push(structuredClone(s)) } })) as TransformerModel;
    expect(full.state.cfg.layers).toBe(1);
    expect([...full.state.weights.keys()].some((k) => k.startsWith('l1.'))).toBe(false);
    const resumed = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9), checkpoint: { resume: saved[0] } })) as TransformerModel;
    expect(resumed.serialize().arrays).toEqual(full.serialize().arrays);
    const out = await full.sample(200, new Rng(3), p.table.columns.map(() => undefined));
    expect(out.length).toBe(p.table.columns.length);
    for (const c of out) expect(c.length).toBe(200);
  });

  it('dropout (an expert setting): seeded masks at the rate, scaled to keep the mean; a fit with it is reproducible and differs', async () => {
    await selectBackend('wasm');
    const cfg: NetConfig = { vocabs: [3, 4, 5], width: 8, layers: 2, heads: 2, ffnMult: 2 };
    const masks = dropoutMasks(cfg, 100, 0.2, new Rng(1));
    expect(masks.length).toBe(4);
    const values = masks.flatMap((m) => [...m.dataSync()]);
    for (const m of masks) expect(m.shape).toEqual([300, 8]);
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(zeros).toBeGreaterThan(0.17);
    expect(zeros).toBeLessThan(0.23);
    expect(values.every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6)).toBe(true);
    const again = dropoutMasks(cfg, 100, 0.2, new Rng(1));
    expect(again.map((m) => [...m.dataSync()])).toEqual(masks.map((m) => [...m.dataSync()]));
    for (const m of [...masks, ...again]) m.dispose();
    const opts = { epochs: 2, patience: 10, size: 'small' as const, dropout: 0.1 };
    const a = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9) })) as TransformerModel;
    const b = (await transformerEngine.fit(p.table, opts, { rng: new Rng(9) })) as TransformerModel;
    expect(b.serialize().arrays).toEqual(a.serialize().arrays);
    const plain = (await transformerEngine.fit(p.table, { ...opts, dropout: 0 }, { rng: new Rng(9) })) as TransformerModel;
    expect(plain.serialize().arrays).not.toEqual(a.serialize().arrays);
    expect(Number.isFinite(a.state.training.validationLoss)).toBe(true);
    // Stronger weight decay (another expert setting) shrinks the matrices.
    const norm = (m: TransformerModel) => [...m.state.weights.get('l0.w1')!].reduce((s, x) => s + x * x, 0);
    const decayed = (await transformerEngine.fit(p.table, { ...opts, dropout: 0, weightDecay: 20 }, { rng: new Rng(9) })) as TransformerModel;
    expect(norm(decayed)).toBeLessThan(0.9 * norm(plain));
  });

  it('counts a validation gain only above minGain, a share of the loss', async () => {
    const opts = { epochs: 6, patience: 2, size: 'small' as const };
    // No later epoch gains 100% of the loss: the first is the best, and two more end the fit.
    const strict = (await transformerEngine.fit(p.table, { ...opts, minGain: 1 }, { rng: new Rng(4) })) as TransformerModel;
    expect(strict.state.training).toMatchObject({ epochs: 3, bestEpoch: 1, stoppedBy: 'early-stop' });
    // The default (0.01%) lets the first epochs' real gains count.
    const lax = (await transformerEngine.fit(p.table, opts, { rng: new Rng(4) })) as TransformerModel;
    expect(lax.state.training.bestEpoch).toBeGreaterThan(3);
  });

  it('stops with CancelledError once the signal is aborted', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 300);
    await expect(transformerEngine.fit(p.table, { epochs: 1000, timeBudget: 60 }, { rng: new Rng(1), signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('stops at the time budget and keeps the best weights so far; a dropped unfinished epoch makes it reproducible', async () => {
    const opts = { epochs: 1000, patience: 1000, timeBudget: 3, size: 'small' as const };
    const m = (await transformerEngine.fit(p.table, opts, { rng: new Rng(1) })) as TransformerModel;
    const t = m.state.training;
    expect(t.stoppedBy).toBe('time-budget');
    expect(t.seconds).toBeLessThan(10);
    // Unless this machine could not finish one epoch in the budget, the model is the k-epoch model.
    if (t.partialEpochDropped) {
      const k = (await transformerEngine.fit(p.table, { ...opts, epochs: t.epochs, timeBudget: 600 }, { rng: new Rng(1) })) as TransformerModel;
      expect(k.state.training.stoppedBy).toBe('epochs');
      expect(k.serialize().arrays).toEqual(m.serialize().arrays);
    }
  });
});
