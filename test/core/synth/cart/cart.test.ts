import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../../src/core/context';
import { Rng } from '../../../../src/core/random/rng';
import { cartEngine } from '../../../../src/core/synth/cart/index';
import type { EngineColumns, EngineModel, PreparedColumn, PreparedTable } from '../../../../src/core/synth/engine';
import { preparedFromCsv, type CsvPrepared } from './preparedFromCsv';
import { mixedTable } from './mixedTable';

const ctx = () => ({ rng: new Rng(1) });
const col = (t: PreparedTable, name: string) => t.columns.findIndex((c) => c.name === name);
const levelCode = (p: CsvPrepared, name: string, label: string) => p.levels[col(p.table, name)].indexOf(label);

function meanWhere(values: ArrayLike<number>, keep: (i: number) => boolean): number {
  let s = 0, k = 0;
  for (let i = 0; i < values.length; i++) if (keep(i) && !Number.isNaN(values[i])) { s += values[i]; k++; }
  return s / k;
}
function shareWhere(keep: (i: number) => boolean, hit: (i: number) => boolean, n: number): number {
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) if (keep(i)) { a++; if (hit(i)) b++; }
  return b / a;
}

describe('cartEngine on penguins', () => {
  let p: CsvPrepared;
  let model: EngineModel;
  beforeAll(async () => {
    p = preparedFromCsv('penguins.csv');
    model = await cartEngine.fit(p.table, {}, ctx());
  });

  it('gives the same rows for the same seed and different rows for another', async () => {
    const a = await model.sample(500, new Rng(5), []);
    const b = await model.sample(500, new Rng(5), []);
    const c = await model.sample(500, new Rng(6), []);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBe(p.table.columns.length);
    a.forEach((arr, j) => expect(arr).toBeInstanceOf(p.table.columns[j].type === 'numeric' ? Float64Array : Int32Array));
  });

  it('reproduces the flipper length of each species (a dependence between two real columns)', async () => {
    const n = 4000;
    const out = await model.sample(n, new Rng(9), []);
    const s = col(p.table, 'species'), f = col(p.table, 'flipper_length_mm');
    const real = p.table.columns[f] as Extract<PreparedColumn, { type: 'numeric' }>;
    const realSpecies = (p.table.columns[s] as Extract<PreparedColumn, { type: 'categorical' }>).codes;
    for (const label of ['Adelie', 'Chinstrap', 'Gentoo']) {
      const code = levelCode(p, 'species', label);
      const realMean = meanWhere(real.values, (i) => realSpecies[i] === code);
      const synMean = meanWhere(out[f], (i) => out[s][i] === code);
      expect(Math.abs(synMean - realMean)).toBeLessThan(2.5); // real means 190, 196, 217 (sd ~7)
    }
  });

  it('keeps numeric values inside the real range and mostly off the exact training values (smoothing)', async () => {
    const out = await model.sample(2000, new Rng(3), []);
    const m = col(p.table, 'body_mass_g');
    const real = p.table.columns[m] as Extract<PreparedColumn, { type: 'numeric' }>;
    const seen = new Set(real.values);
    let exact = 0;
    for (const v of out[m]) {
      if (Number.isNaN(v)) continue;
      expect(v).toBeGreaterThanOrEqual(real.min);
      expect(v).toBeLessThanOrEqual(real.max);
      if (seen.has(v)) exact++;
    }
    expect(exact / out[m].length).toBeLessThan(0.2);
  });

  it('draws only training values when smoothing is off', async () => {
    const raw = await cartEngine.fit(p.table, { smoothing: false }, ctx());
    const out = await raw.sample(1000, new Rng(3), []);
    const m = col(p.table, 'body_mass_g');
    const seen = new Set((p.table.columns[m] as Extract<PreparedColumn, { type: 'numeric' }>).values);
    expect(Array.from(out[m]).every((v) => seen.has(v) || Number.isNaN(v))).toBe(true);
  });

  it('honours a categorical condition and lets it steer the later columns', async () => {
    const s = col(p.table, 'species'), f = col(p.table, 'flipper_length_mm');
    const gentoo = levelCode(p, 'species', 'Gentoo');
    const conds = p.table.columns.map((_, j) => (j === s ? { type: 'categorical' as const, codes: [gentoo] } : undefined));
    const out = await model.sample(1000, new Rng(4), conds);
    expect(Array.from(out[s]).every((c) => c === gentoo)).toBe(true);
    expect(meanWhere(out[f], () => true)).toBeGreaterThan(212);
  });

  it('honours a numeric range on a later column, never missing, and steers the columns after it', async () => {
    const m = col(p.table, 'body_mass_g'), s = col(p.table, 'species');
    const reordered = await cartEngine.fit(p.table, { order: ['body_mass_g', 'species'] }, ctx());
    const conds = p.table.columns.map((_, j) => (j === m ? { type: 'range' as const, min: 5200, max: 6000 } : undefined));
    const out = await reordered.sample(1000, new Rng(4), conds);
    for (const v of out[m]) {
      expect(v).toBeGreaterThanOrEqual(5200);
      expect(v).toBeLessThanOrEqual(6000);
    }
    const gentoo = levelCode(p, 'species', 'Gentoo');
    expect(shareWhere(() => true, (i) => out[s][i] === gentoo, 1000)).toBeGreaterThan(0.9); // heavy penguins are Gentoo
  });

  it('falls back sensibly when a condition has no donors: nearest bound, most frequent allowed code', async () => {
    const m = col(p.table, 'body_mass_g');
    const conds = p.table.columns.map((_, j) => (j === m ? { type: 'range' as const, min: 9000, max: 9500 } : undefined));
    const out = await model.sample(200, new Rng(4), conds);
    expect(Array.from(out[m]).every((v) => v === 9000)).toBe(true);
    const inRange = p.table.columns.map((_, j) => (j === m ? { type: 'range' as const, min: 2700, max: 2750 } : undefined));
    const out2 = await model.sample(300, new Rng(4), inRange);
    expect(Array.from(out2[m]).every((v) => v >= 2700 && v <= 2750)).toBe(true);
  });

  it('serializes to typed arrays and a JSON header that deserialize into the same sampler', async () => {
    const { meta, arrays } = model.serialize();
    const copy = cartEngine.deserialize(JSON.parse(JSON.stringify(meta)), structuredClone(arrays));
    for (const a of Object.values(arrays)) expect(ArrayBuffer.isView(a)).toBe(true);
    const s = col(p.table, 'species');
    const conds = p.table.columns.map((_, j) => (j === s ? { type: 'categorical' as const, codes: [0, 2] } : undefined));
    expect(await copy.sample(700, new Rng(11), conds)).toEqual(await model.sample(700, new Rng(11), conds));
    expect(await copy.sample(700, new Rng(12), [])).toEqual(await model.sample(700, new Rng(12), []));
  });

  it('reports progress per column and stops when cancelled', async () => {
    const messages: string[] = [];
    await cartEngine.fit(p.table, {}, { rng: new Rng(1), onProgress: (x) => messages.push(x.message ?? '') });
    expect(messages).toContain('column species');
    expect(messages).toContain('column year');
    const ac = new AbortController();
    ac.abort();
    await expect(cartEngine.fit(p.table, {}, { rng: new Rng(1), signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('stops in the middle of a fit when cancelled', async () => {
    const ac = new AbortController();
    let columns = 0;
    const fit = cartEngine.fit(mixedTable(20_000, 2), {}, {
      rng: new Rng(1),
      signal: ac.signal,
      onProgress: () => { if (++columns === 3) setTimeout(() => ac.abort(), 0); },
    });
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(columns).toBeLessThan(15);
  });
});

describe('cartEngine conditions on txhousing', () => {
  it('draws rows for a rare condition as varied as its own rows meeting it (no pool row kept twice)', async () => {
    const p = preparedFromCsv('txhousing.csv');
    const model = await cartEngine.fit(p.table, {}, ctx());
    const sales = col(p.table, 'sales');
    const sorted = (p.table.columns[sales] as { values: Float64Array }).values.filter((x) => !Number.isNaN(x)).sort();
    const q = sorted[Math.floor(0.99 * (sorted.length - 1))]; // the top 1% of sales
    const conds = p.table.columns.map((_, j) => (j === sales ? { type: 'range' as const, min: q, max: Infinity } : undefined));
    const cond = await model.sample(1500, new Rng(3), conds);
    const free = await model.sample(250_000, new Rng(4), []);
    const hits: number[] = [];
    for (let i = 0; i < 250_000 && hits.length < 1500; i++) if ((free[sales] as Float64Array)[i] >= q) hits.push(i);
    expect(hits.length).toBeGreaterThan(1000);
    // Distinct (city, year, month, sales) rows: sales and the columns drawn before it.
    const upTo = ['city', 'year', 'month', 'sales'].map((n) => col(p.table, n));
    const distinct = (cols: EngineColumns, rows: number[]) => new Set(rows.map((r) => upTo.map((c) => cols[c][r]).join('|'))).size / rows.length;
    const condRows = Array.from({ length: hits.length }, (_, i) => i);
    // Kept by weight with replacement from a 16-fold pool, 58% of these rows repeated another (all distinct when filtered).
    expect(distinct(cond, condRows)).toBeGreaterThan(0.9 * distinct(free, hits));
    const city = upTo[0];
    const share = (cols: EngineColumns, rows: number[]) => {
      const m = new Map<number, number>();
      for (const r of rows) m.set(cols[city][r], (m.get(cols[city][r]) ?? 0) + 1 / rows.length);
      return m;
    };
    const a = share(cond, condRows), b = share(free, hits);
    let tvd = 0;
    for (const k of new Set([...a.keys(), ...b.keys()])) tvd += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)) / 2;
    expect(tvd).toBeLessThan(0.08);
    expect(Array.from(cond[sales]).every((v) => v >= q)).toBe(true);
    expect((await model.sample(0, new Rng(3), conds)).map((c) => c.length)).toEqual(p.table.columns.map(() => 0));
  }, 60_000);
});

describe('cartEngine missing values', () => {
  it('reproduces the missing share of a numeric column and its dependence on a predictor (slid wages by age)', async () => {
    const p = preparedFromCsv('slid.csv');
    const model = await cartEngine.fit(p.table, { order: ['age', 'wages'] }, ctx());
    const n = 8000;
    const out = await model.sample(n, new Rng(2), []);
    const a = col(p.table, 'age'), w = col(p.table, 'wages');
    const age = (p.table.columns[a] as Extract<PreparedColumn, { type: 'numeric' }>).values;
    const wages = (p.table.columns[w] as Extract<PreparedColumn, { type: 'numeric' }>).values;
    for (const young of [true, false]) {
      const real = shareWhere((i) => age[i] < 25 === young, (i) => Number.isNaN(wages[i]), p.table.nRows);
      const syn = shareWhere((i) => out[a][i] < 25 === young, (i) => Number.isNaN(out[w][i]), n);
      expect(Math.abs(syn - real)).toBeLessThan(0.04); // real: 0.33 (young) vs 0.46
    }
  });

  it('treats a missing category as a class that follows its predictors (survey: M.I missing iff Height missing)', async () => {
    const p = preparedFromCsv('survey.csv');
    const model = await cartEngine.fit(p.table, { order: ['Height', 'M.I'] }, ctx());
    const out = await model.sample(2000, new Rng(2), []);
    const h = col(p.table, 'Height'), mi = col(p.table, 'M.I');
    const both = shareWhere(() => true, (i) => Number.isNaN(out[h][i]) === out[mi][i] < 0, 2000);
    expect(both).toBeGreaterThan(0.97);
    const missing = shareWhere(() => true, (i) => out[mi][i] < 0, 2000);
    expect(Math.abs(missing - 28 / 237)).toBeLessThan(0.03);
  });
});

describe('cartEngine on degenerate and mixed input', () => {
  const numeric = (name: string, values: number[]): PreparedColumn => {
    const v = Float64Array.from(values);
    const obs = values.filter((x) => !Number.isNaN(x));
    return { type: 'numeric', name, kind: 'numeric', values: v, min: obs.length ? Math.min(...obs) : NaN, max: obs.length ? Math.max(...obs) : NaN };
  };

  it('copes with a single-valued column, an all-missing column and a single row', async () => {
    const n = 50;
    const table: PreparedTable = {
      nRows: n,
      columns: [
        { type: 'categorical', name: 'k', kind: 'categorical', codes: new Int32Array(n), nLevels: 1 },
        numeric('const', Array(n).fill(7)),
        numeric('empty', Array(n).fill(NaN)),
        numeric('x', Array.from({ length: n }, (_, i) => i)),
      ],
    };
    const out: EngineColumns = await (await cartEngine.fit(table, {}, ctx())).sample(100, new Rng(1), []);
    expect(Array.from(out[0]).every((c) => c === 0)).toBe(true);
    expect(Array.from(out[1]).every((v) => v === 7)).toBe(true);
    expect(Array.from(out[2]).every((v) => Number.isNaN(v))).toBe(true);
    expect(Array.from(out[3]).every((v) => v >= 0 && v <= n - 1)).toBe(true);
    const one: PreparedTable = { nRows: 1, columns: [numeric('a', [3]), { type: 'categorical', name: 'b', kind: 'categorical', codes: Int32Array.of(0), nLevels: 1 }] };
    expect(await (await cartEngine.fit(one, {}, ctx())).sample(3, new Rng(1), [])).toEqual([Float64Array.of(3, 3, 3), Int32Array.of(0, 0, 0)]);
  });

  it('answers bad input with a clear UserError', async () => {
    const t: PreparedTable = { nRows: 0, columns: [numeric('a', [])] };
    await expect(cartEngine.fit(t, {}, ctx())).rejects.toBeInstanceOf(UserError);
    const p = preparedFromCsv('penguins.csv');
    await expect(cartEngine.fit(p.table, { order: ['nope'] }, ctx())).rejects.toThrow(/nope/);
    await expect(cartEngine.fit(p.table, { minLeafSize: 0 }, ctx())).rejects.toBeInstanceOf(UserError);
  });

  it('keeps a spike of zeros, a date range and the dependence of a generated mixed table', async () => {
    const t = mixedTable(4000, 3);
    const out = await (await cartEngine.fit(t, {}, ctx())).sample(4000, new Rng(8), []);
    const gains = col(t, 'gains'), joined = col(t, 'joined'), hours = col(t, 'hours'), status = col(t, 'status');
    expect(Math.abs(shareWhere(() => true, (i) => out[gains][i] === 0, 4000) - 0.8)).toBeLessThan(0.03);
    const j = t.columns[joined] as Extract<PreparedColumn, { type: 'numeric' }>;
    expect(Array.from(out[joined]).every((v) => v >= j.min && v <= j.max)).toBe(true);
    // hours = 20 + 5 x status + noise
    expect(meanWhere(out[hours], (i) => out[status][i] === 2) - meanWhere(out[hours], (i) => out[status][i] === 0)).toBeGreaterThan(8);
  });
});
