/**
 * Privacy and utility bench (issue 18): on each shared table of test/fixtures/data (seeded 20% holdout),
 * for every model: 2-way and 3-way accuracy beside the holdout ceiling, the DCR share, the share of
 * synthetic rows copying a training row unique in training (beside the holdout's share) and TSTR / TRTR
 * (random forest on the automatically chosen target). Models: the three engines with their defaults
 * (the transformer too, when --models names it), the Bayesian network at ε = 1 with the domain declared
 * public and with it chosen privately, a plain PrivBayes baseline (DataSynthesizer's correlated mode, k = 2: bench/privbayesBaseline.ts),
 * and three model-free references: uniform rows, copies of training rows and smoothed copies (smoothedCopies).
 * Then the ε curve (0.25, 0.5, 1, 2, 5, ∞) of 2-way accuracy for the Bayesian network (public and
 * private domain; the app's report computes the same, src/core/synth/privacy/epsilonCurve.ts) beside the
 * baseline; a budget at which the fit is refused prints '-', its reason below the table.
 *
 * `npm run bench -- privacy` or `npx tsx bench/privacy.ts [--tables survey,penguins] [--models cart,...]
 * [--no-curve] [--seeds 3] [--curve-seeds 1] [--splits 8] [--set k=v,...]`. `--set` passes expert settings to the
 * transformer row (fit.ts TransformerOptions, as bench/transformer.ts). `--splits K` prints only the DCR share and TSTR / TRTR
 * of the non-private models and uniform rows over K holdout splits, with standard errors (overSplits). Sample = training size (at most SAMPLE_CAP rows). About
 * a minute on a 2-core machine with the defaults (52 s on 2026-11-30).
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { fidelity } from '../src/core/metrics/fidelity';
import { distanceToClosestRecord } from '../src/core/metrics/privacy/dcr';
import { exactCopies } from '../src/core/metrics/privacy/exactCopies';
import { utility } from '../src/core/metrics/utility/tstr';
import { chooseTarget } from '../src/core/metrics/utility/target';
import { DEFAULT_SEED, Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { accuracyScorer } from '../src/core/synth/generations';
import { epsilonCurve, type EpsilonCurve } from '../src/core/synth/privacy/epsilonCurve';
import { loadSynthesizer } from '../src/core/synth/registry';
import type { SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';
import { takeRows, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../src/core/table/table';
import { fitPrivBayesBaseline } from './privbayesBaseline';
import { meanSe } from './meanSe';
import { expertSettings } from './expertSettings';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'test/fixtures/data');
const TABLES = ['penguins', 'cars93', 'survey', 'slid', 'titanic', 'colon', 'txhousing', 'salaries'];
const SAMPLE_CAP = 10_000;
const EPSILONS = [0.25, 0.5, 1, 2, 5, Infinity];

interface ModelSpec {
  label: string;
  run: (train: Table, schema: Schema, n: number, seed: number) => Promise<Table>;
  /** Run only when --models names it (the transformer trains for up to 150 s a fit). */
  optIn?: boolean;
}

function engine(id: SynthesizerId, options: Record<string, unknown> = {}): ModelSpec['run'] {
  return async (train, schema, n, seed) => {
    const synth = await loadSynthesizer(id);
    const model = await synth.fit(train, schema, options, { rng: new Rng(seed) });
    return model.sample(n, { seed: seed + 1000 });
  };
}

function baseline(epsilon: number | undefined): ModelSpec['run'] {
  return async (train, schema, n, seed) => fitPrivBayesBaseline(train, schema, epsilon, seed).sample(n, seed + 1000);
}

function models(transformerOptions: Record<string, number> = {}): ModelSpec[] {
  return [
    { label: 'copula', run: engine('copula') },
    { label: 'cart', run: engine('cart') },
    { label: 'bayesnet', run: engine('bayesnet') },
    { label: 'transformer', run: engine('transformer', transformerOptions), optIn: true },
    { label: 'bn ε1 public', run: engine('bayesnet', { epsilon: 1, publicDomain: true }) },
    { label: 'bn ε1 private', run: engine('bayesnet', { epsilon: 1 }) },
    { label: 'PrivBayes ε1', run: baseline(1) },
    { label: 'uniform', run: async (train, _schema, n, seed) => uniformRows(train, n, seed) },
    { label: 'copies', run: async (train, _schema, n, seed) => smoothedCopies(train, n, seed, 0, 0) },
    { label: 'smoothed copies', run: async (train, _schema, n, seed) => smoothedCopies(train, n, seed, 0.2, 0.1) },
  ];
}

/**
 * The no-information reference: each column drawn on its own, uniformly over the training values'
 * levels or [min, max] (what a codebook alone gives). A private model scoring near it has learnt nothing.
 */
function uniformRows(train: Table, n: number, seed: number): Table {
  const rng = new Rng(seed).fork('uniform');
  return {
    nRows: n,
    columns: train.columns.map((c): Column => {
      if (c.type === 'categorical') return { ...c, codes: Int32Array.from({ length: n }, () => rng.int(c.levels.length)) };
      let lo = Infinity, hi = -Infinity, integer = true;
      for (const v of c.values) if (!Number.isNaN(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v)), (integer &&= Number.isInteger(v));
      return { ...c, values: Float64Array.from({ length: n }, () => { const v = lo + rng.next() * (hi - lo); return integer ? Math.round(v) : v; }) };
    }),
  };
}

/**
 * The memorisation end of the scale and a model-free synthesizer beside it: training rows drawn with
 * replacement, as they are (h = p = 0: what a model that only copies scores), or smoothed (a smoothed
 * bootstrap, i.e. a kernel density estimate): each numeric moved by a Gaussian of h × its standard
 * deviation (rounded where the column holds integers), each categorical cell replaced with probability p by
 * a draw from its column. On a small table copies score well under 100%: the DCR share compares against
 * a training sample as large as the holdout (salaries: 80 of 318 rows), so most copied rows are not in it.
 */
function smoothedCopies(train: Table, n: number, seed: number, h: number, p: number): Table {
  const rng = new Rng(seed).fork(`copies:${h}:${p}`);
  const copies = takeRows(train, Int32Array.from({ length: n }, () => rng.int(train.nRows)));
  if (h === 0 && p === 0) return copies;
  return {
    nRows: n,
    columns: copies.columns.map((c, j): Column => {
      // takeRows keeps the columns' order and types.
      if (c.type === 'categorical') {
        const codes = (train.columns[j] as CategoricalColumn).codes;
        return { ...c, codes: c.codes.map((x) => (p > 0 && rng.next() < p ? codes[rng.int(train.nRows)] : x)) };
      }
      const source = train.columns[j] as NumericColumn;
      let sum = 0, sum2 = 0, count = 0, integer = true;
      for (const v of source.values) if (!Number.isNaN(v)) (sum += v), (sum2 += v * v), count++, (integer &&= Number.isInteger(v));
      const mean = sum / Math.max(1, count);
      const sd = Math.sqrt(Math.max(0, sum2 / Math.max(1, count) - mean * mean));
      return { ...c, values: c.values.map((x) => (Number.isNaN(x) || h === 0 ? x : integer ? Math.round(x + h * sd * rng.normal()) : x + h * sd * rng.normal())) };
    }),
  };
}

interface Scores {
  twoWay: number;
  threeWay: number;
  ceil2: number;
  ceil3: number;
  dcr: number;
  uniq: number;
  uniqHold: number;
  tstr: number | null;
  /** TRTR at chance (Utility.noSignal): the ratio says nothing. */
  noSignal: boolean;
}

async function score(train: Table, holdout: Table, synthetic: Table, schema: Schema, target: string | undefined, withPrivacy = true, seed = 0): Promise<Scores> {
  const a = alignTables(train, holdout, synthetic, schema);
  const fid = await fidelity(a, new Rng(5));
  let tstr: number | null = null;
  let noSignal = false;
  let dcr = NaN, uniq = NaN, uniqHold = NaN;
  if (withPrivacy) {
    const copies = exactCopies(a);
    uniq = copies.uniqueSynthetic;
    uniqHold = copies.uniqueHoldout;
    // The DCR's own samples vary with the fit seed: on small tables a fixed one is a fixed bias.
    dcr = (await distanceToClosestRecord(a, 1000, { rng: new Rng(600 + seed) })).share;
    if (target) {
      try {
        const u = utility(a, target, new Rng(7));
        // A target the real rows cannot predict (TRTR at chance) has no meaningful ratio.
        tstr = u.ratio;
        noSignal = u.noSignal === true;
      } catch {
        tstr = null;
      }
    }
  }
  return {
    twoWay: fid.accuracy.synthetic[1] ?? NaN,
    threeWay: fid.accuracy.synthetic[2] ?? NaN,
    ceil2: fid.accuracy.ceiling[1] ?? NaN,
    ceil3: fid.accuracy.ceiling[2] ?? NaN,
    dcr, uniq, uniqHold, tstr, noSignal,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f3 = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : x < -1 ? '< -1' : x.toFixed(3));
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const listArg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1].split(',') : null;
  };
  const only = listArg('--tables');
  const onlyModels = listArg('--models');
  const nSeeds = Number(listArg('--seeds')?.[0] ?? 3);
  const curveSeeds = Array.from({ length: Number(listArg('--curve-seeds')?.[0] ?? 1) }, (_, i) => i + 1);
  const curve = !argv.includes('--no-curve');
  const splits = Number(listArg('--splits')?.[0] ?? 0);
  const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);
  const specs = models(expertSettings(listArg('--set'))).filter((m) => (onlyModels ? onlyModels.some((o) => m.label.startsWith(o)) : !m.optIn));
  if (splits > 0) return overSplits(splits, only ?? TABLES, specs.filter((m) => !m.label.includes('ε')));
  console.log(`privacy bench: holdout 20% (seed 1); sample = training size (≤ ${SAMPLE_CAP}); ${nSeeds} fit seed(s) per model, averaged (ε curve: ${curveSeeds.length}); TSTR/TRTR: macro-F1 or R² ratio`);
  console.log(['table', 'model', '2-way [ceil]', '3-way [ceil]', 'DCR share', 'uniq copies syn/hold', 'TSTR/TRTR'].map((c, i) => (i < 2 ? c.padEnd(i ? 14 : 10) : c.padStart(i === 5 ? 21 : 15))).join(' '));
  const curves: { table: string; label: string; eps: number; acc: number; ceil: number }[] = [];
  const refusals: string[] = [];
  for (const name of TABLES) {
    if (only && !only.includes(name)) continue;
    const r = await ingestBlob(await openAsBlob(path.join(DATA, `${name}.csv`)), { fileName: `${name}.csv` });
    const { table, schema } = r;
    const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, 1));
    const n = Math.min(train.nRows, SAMPLE_CAP);
    const target = chooseTarget(train, schema).target;
    for (const m of specs) {
      const all: Scores[] = [];
      try {
        for (const seed of seeds) all.push(await score(train, holdout, await m.run(train, schema, n, seed), schema, target, true, seed));
      } catch (e) {
        console.log(`${name.padEnd(10)} ${m.label.padEnd(14)} error: ${(e as Error).message.slice(0, 80)}`);
        continue;
      }
      const avg = (k: keyof Scores) => mean(all.map((s) => (s[k] === null ? NaN : (s[k] as number))));
      console.log([
        name.padEnd(10), m.label.padEnd(14),
        `${f3(avg('twoWay'))} [${f3(avg('ceil2'))}]`.padStart(15), `${f3(avg('threeWay'))} [${f3(avg('ceil3'))}]`.padStart(15),
        pct(avg('dcr')).padStart(15), `${pct(avg('uniq'))}/${pct(avg('uniqHold'))}`.padStart(21), (all.some((x) => x.noSignal) ? `${f3(avg('tstr'))} (TRTR≈chance)` : f3(avg('tstr'))).padStart(15),
      ].join(' '));
    }
    if (!curve) continue;
    // The Bayesian network's curve is the app's (src/core/synth/privacy/epsilonCurve.ts); 'bn private' has
    // no ∞ point of its own (without ε it is the same model as 'bn public').
    const bn: [string, Record<string, unknown>, number[]][] = [
      ['bn public', { publicDomain: true }, EPSILONS],
      ['bn private', {}, EPSILONS.filter((e) => Number.isFinite(e))],
    ];
    for (const [label, options, epsilons] of bn) {
      const runs: EpsilonCurve[] = [];
      for (const seed of curveSeeds) runs.push(await epsilonCurve({ train, holdout, schema, options, seed, epsilons, sampleCap: SAMPLE_CAP }));
      epsilons.forEach((eps, i) => {
        const scored = runs.map((r) => r.points[i]).filter((p) => !p.refused);
        const refused = runs.map((r) => r.points[i].refused).find(Boolean);
        if (refused) refusals.push(`${name} ${label} ε=${Number.isFinite(eps) ? eps : '∞'}: ${refused.message}`);
        curves.push({ table: name, label, eps, acc: scored.length ? mean(scored.map((p) => p.twoWay ?? NaN)) : NaN, ceil: runs[0].ceiling ?? NaN });
      });
    }
    // The baseline, scored with the same metric and seed as the curve (the report's).
    const scorer = accuracyScorer(train, holdout, schema, DEFAULT_SEED);
    for (const eps of EPSILONS) {
      const acc: number[] = [];
      for (const seed of curveSeeds) acc.push(scorer(await baseline(Number.isFinite(eps) ? eps : undefined)(train, schema, n, seed)).accuracy[1] ?? NaN);
      curves.push({ table: name, label: 'PrivBayes', eps, acc: mean(acc), ceil: curves.find((c) => c.table === name)?.ceil ?? NaN });
    }
  }
  if (!curve || curves.length === 0) return;
  console.log('\n2-way accuracy against ε (bn public: values and ranges declared public; bn private: chosen under ε; PrivBayes: DataSynthesizer-style baseline)');
  console.log(['table', 'model', ...EPSILONS.map((e) => `ε=${Number.isFinite(e) ? e : '∞'}`), 'ceiling'].map((c, i) => (i < 2 ? c.padEnd(i ? 11 : 10) : c.padStart(8))).join(' '));
  const tables = [...new Set(curves.map((c) => c.table))];
  for (const t of tables) {
    for (const label of ['bn public', 'bn private', 'PrivBayes']) {
      const row = EPSILONS.map((e) => curves.find((c) => c.table === t && c.label === label && c.eps === e) ?? (label === 'bn private' && !Number.isFinite(e) ? curves.find((c) => c.table === t && c.label === 'bn public' && c.eps === e) : undefined));
      const ceil = curves.find((c) => c.table === t)?.ceil ?? NaN;
      console.log([t.padEnd(10), label.padEnd(11), ...row.map((c) => f3(c ? c.acc : null).padStart(8)), f3(ceil).padStart(8)].join(' '));
    }
  }
  if (refusals.length) console.log(`- : the fit was refused at that ε\n${refusals.map((r) => `  ${r}`).join('\n')}`);
}

/**
 * The DCR share and TSTR / TRTR over several holdout splits (one fit per split, seeded by it): on a small
 * table one split's DCR share varies by ±0.06–0.11 (it compares as many rows as the holdout has) and its
 * TSTR / TRTR by ±0.1–0.2 (salaries: 0.73 to 1.19 for CART), too much to tell 0.52 from 0.56 or 0.93 from
 * 0.96. Uniform rows are the no-memorisation reference: above 50% they show the metric's own bias on that
 * table (levels seen only in training, which every synthesizer and the uniform rows draw from). Copies are
 * the other end, and smoothed copies a model-free synthesizer between them (smoothedCopies).
 */
async function overSplits(k: number, tables: string[], specs: ModelSpec[]): Promise<void> {
  console.log(`Over ${k} holdout splits (20%, split seeds 1..${k}; one fit per split): DCR share and TSTR / TRTR, mean ± standard error; 2-way accuracy and its ceiling, mean over the splits`);
  for (const name of tables) {
    const { table, schema } = await ingestBlob(await openAsBlob(path.join(DATA, `${name}.csv`)), { fileName: `${name}.csv` });
    for (const m of specs) {
      const dcr: number[] = [], tstr: number[] = [], acc: number[] = [], ceil: number[] = [];
      let noSignal = false;
      for (let split = 1; split <= k; split++) {
        const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, split));
        const synthetic = await m.run(train, schema, Math.min(train.nRows, SAMPLE_CAP), split);
        const a = alignTables(train, holdout, synthetic, schema);
        dcr.push((await distanceToClosestRecord(a, 1000, { rng: new Rng(600 + split) })).share);
        const target = chooseTarget(train, schema).target;
        if (target) {
          const u = utility(a, target, new Rng(7));
          if (u.ratio !== null && Number.isFinite(u.ratio)) tstr.push(u.ratio);
          noSignal ||= u.noSignal === true;
        }
        const f = await fidelity(a, new Rng(5));
        acc.push(f.accuracy.synthetic[1] ?? NaN);
        ceil.push(f.accuracy.ceiling[1] ?? NaN);
      }
      const [d, dse] = meanSe(dcr);
      const [t, tse] = tstr.length ? meanSe(tstr) : [NaN, NaN];
      console.log(`${name.padEnd(10)} ${m.label.padEnd(15)} DCR ${pct(d).padStart(6)} ± ${(100 * dse).toFixed(1).padStart(4)}   TSTR/TRTR ${f3(t)} ± ${f3(tse)}${noSignal ? ' (TRTR≈chance)' : ''}   2-way ${f3(mean(acc))} [${f3(mean(ceil))}]`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
