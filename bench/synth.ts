/**
 * Synthesizer benchmark: every registered synthesizer on the real tables of test/fixtures/data, the
 * vega-datasets tables and a generated 50 k-row × 15-column mixed table. For each: seconds to fit,
 * rows/s to sample (as many rows as training), peak memory (RSS growth, sampled every 10 ms), and
 * fidelity against a seeded 20% holdout (column shapes, pair trends, 2-way accuracy beside the
 * holdout ceiling), the share of synthetic rows copying a training row unique in training (beside
 * the holdout's share) and the DCR share. R's rpart-based CART (../shared/tools/cart_baseline.R) is
 * timed on the same training rows in the same run; the ratio is R time / our CART time.
 *
 * `npx tsx bench/synth.ts [--models copula,cart] [--tables penguins,generated] [--no-r]`
 * Targets (50 k × 15): copula < 1 s, bayesnet < 5 s, cart < 15 s (fit + sample 50 k rows).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableToCsv } from '../src/core/export';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { fidelity } from '../src/core/metrics/fidelity';
import { distanceToClosestRecord } from '../src/core/metrics/privacy/dcr';
import { exactCopies } from '../src/core/metrics/privacy/exactCopies';
import { Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { SYNTHESIZER_IDS, loadSynthesizer } from '../src/core/synth/registry';
import type { SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';
import { categoricalFromStrings, makeTable, numericColumn, type Column, type Table } from '../src/core/table/table';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared');
const DATA = path.join(ROOT, 'test/fixtures/data');
const VEGA = path.join(ROOT, 'node_modules/vega-datasets/data');
const MiB = 2 ** 20;

interface Dataset {
  name: string;
  load: () => Promise<{ table: Table; schema: Schema }>;
}

interface Row {
  table: string;
  size: string;
  model: string;
  fitS: number;
  sampleRowsPerS: number;
  /** CPU seconds (user + system) for fit + sample: robust when other work shares the cores. */
  cpuS: number;
  peakMiB: number;
  shapes: number | null;
  pairs: number | null;
  twoWay: number | null;
  ceiling: number | null;
  uniqueCopies: string;
  dcrShare: number | null;
  note: string;
}

function datasets(): Dataset[] {
  const file = (p: string) => async () => {
    const r = await ingestBlob(await openAsBlob(p), { fileName: path.basename(p) });
    return { table: r.table, schema: r.schema };
  };
  const shared = ['penguins', 'cars93', 'survey', 'slid', 'titanic', 'colon', 'txhousing', 'salaries'].map((n) => ({
    name: n,
    load: file(path.join(DATA, `${n}.csv`)),
  }));
  const vega = [
    ['vega:penguins', 'penguins.json'],
    ['vega:cars', 'cars.json'],
    ['vega:seattle-weather', 'seattle-weather.csv'],
    ['vega:birdstrikes', 'birdstrikes.csv'],
    ['vega:movies', 'movies.json'],
  ].map(([name, f]) => ({ name, load: file(path.join(VEGA, f)) }));
  return [...shared, ...vega, { name: 'generated', load: async () => generatedTable(62_500) }];
}

/**
 * 62.5 k rows (50 k after the 20% holdout) × 15 mixed columns with real structure: a latent
 * factor drives numerics, an integer count, a date and categoricals; 5% missing in some columns.
 */
export function generatedTable(n: number): { table: Table; schema: Schema } {
  const rng = new Rng(20240917);
  const f = Float64Array.from({ length: n }, () => rng.normal());
  const g = Float64Array.from({ length: n }, () => rng.normal());
  const cols: Column[] = [];
  const schema: Schema = { columns: [] };
  const add = (c: Column, kind: Schema['columns'][number]['kind'], decimals?: number) => {
    cols.push(c);
    schema.columns.push({ name: c.name, kind, role: 'synthesize', pii: [], ...(decimals !== undefined ? { format: { decimals } } : {}) });
  };
  const gap = (x: number) => (rng.next() < 0.05 ? NaN : x);
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  add(numericColumn('income', Float64Array.from(f, (x) => round(Math.exp(10 + 0.5 * x + 0.3 * rng.normal()), 2))), 'numeric', 2);
  add(numericColumn('age', Float64Array.from(f, (x) => Math.max(18, Math.min(90, Math.round(45 + 10 * x + 8 * rng.normal()))))), 'integer');
  add(numericColumn('score', Float64Array.from(g, (x) => gap(round(50 + 15 * x + 5 * rng.normal(), 1)))), 'numeric', 1);
  add(numericColumn('visits', Float64Array.from(f, (x) => Math.floor(-Math.log(rng.nextOpen()) * Math.exp(1 + 0.4 * x)))), 'integer');
  add(numericColumn('balance', Float64Array.from(g, (x) => gap(round(1000 * x + 500 * rng.normal(), 2)))), 'numeric', 2);
  add(numericColumn('ratio', Float64Array.from(f, (x) => round(1 / (1 + Math.exp(-x - rng.normal())), 3))), 'numeric', 3);
  add(numericColumn('height', Float64Array.from({ length: n }, () => round(170 + 10 * rng.normal(), 1))), 'numeric', 1);
  add(numericColumn('joined', Float64Array.from(g, (x) => Date.UTC(2015, 0, 1) + 86_400_000 * Math.max(0, Math.min(3000, Math.round(1500 + 600 * x + 200 * rng.normal()))))), 'datetime');
  add(numericColumn('children', Float64Array.from(f, (x) => gap(Math.max(0, Math.round(1.5 + 0.8 * x + rng.normal()))))), 'integer');
  add(numericColumn('weight', Float64Array.from(f, (x) => round(75 + 8 * x + 10 * rng.normal(), 1))), 'numeric', 1);
  const pick = (levels: string[], x: number) => levels[Math.max(0, Math.min(levels.length - 1, Math.floor((x + 2.5) / 5 * levels.length + rng.normal())))];
  const regions = Array.from({ length: 12 }, (_, i) => `Region ${String.fromCharCode(65 + i)}`);
  add(categoricalFromStrings('region', Array.from(g, (x) => pick(regions, x))), 'categorical');
  add(categoricalFromStrings('segment', Array.from(f, (x) => pick(['low', 'mid', 'high', 'top'], x))), 'categorical');
  add(categoricalFromStrings('member', Array.from(f, (x) => (x + rng.normal() > 0.5 ? 'Yes' : 'No'))), 'boolean');
  add(categoricalFromStrings('channel', Array.from(g, (x) => (rng.next() < 0.05 ? null : pick(['web', 'store', 'phone', 'partner', 'mail'], -x)))), 'categorical');
  const jobs = Array.from({ length: 40 }, (_, i) => `job${i}`);
  add(categoricalFromStrings('job', Array.from(f, (x) => pick(jobs, 0.5 * x + 0.5 * rng.normal()))), 'categorical');
  return { table: makeTable(cols), schema };
}

/** Peak RSS growth while fn runs (sampled every 10 ms, and at the end). */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: (peak - base) / MiB };
  } finally {
    clearInterval(timer);
  }
}

async function score(train: Table, holdout: Table, synthetic: Table, schema: Schema) {
  const a = alignTables(train, holdout, synthetic, schema);
  const fid = await fidelity(a, new Rng(5));
  const copies = exactCopies(a);
  const dcr = await distanceToClosestRecord(a, 1000, { rng: new Rng(6) });
  return {
    shapes: fid.shapes,
    pairs: fid.pairs,
    twoWay: fid.accuracy.synthetic[1],
    ceiling: fid.accuracy.ceiling[1],
    uniqueCopies: `${pct(copies.uniqueSynthetic)}/${pct(copies.uniqueHoldout)}`,
    dcrShare: dcr.share,
  };
}

/** R's rpart CART; null when R is missing or fails, 'timeout' past R_TIMEOUT_MS (rpart is exponential in
 * the levels of a categorical predictor when the response has more than two classes, e.g. cars93's Model). */
const R_TIMEOUT_MS = Number(process.env.SYNTH_BENCH_R_TIMEOUT_MS ?? 120_000);

/** Seconds R needs to start and load rpart, printed beside the ratio (it dominates on small tables). */
function rStartupSeconds(): number {
  const t0 = performance.now();
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages(library(rpart))'], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    return 0;
  }
  return (performance.now() - t0) / 1000;
}

function rBaseline(train: Table, schema: Schema, dir: string): { seconds: number; out: string } | 'timeout' | null {
  const script = path.join(SHARED, 'tools/cart_baseline.R');
  if (!existsSync(script)) return null;
  const input = path.join(dir, 'train.csv');
  const out = path.join(dir, 'r-out.csv');
  writeFileSync(input, tableToCsv(train, schema));
  const t0 = performance.now();
  try {
    execFileSync('Rscript', [script, input, out], { stdio: ['ignore', 'ignore', 'pipe'], timeout: R_TIMEOUT_MS, killSignal: 'SIGKILL' });
  } catch (e) {
    return (e as { signal?: string }).signal === 'SIGKILL' ? 'timeout' : null;
  }
  return { seconds: (performance.now() - t0) / 1000, out };
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const listArg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1].split(',') : null;
  };
  // The transformer trains up to its time budget per table: bench/transformer.ts measures it (--models transformer runs it here).
  const models = (listArg('--models') ?? SYNTHESIZER_IDS.filter((id) => id !== 'transformer')) as SynthesizerId[];
  const only = listArg('--tables');
  const withR = !argv.includes('--no-r') && models.includes('cart');
  const rStartup = withR ? rStartupSeconds() : 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'facsimile-bench-synth-'));
  const rows: Row[] = [];
  console.log(
    `synthesizers: ${models.join(', ')}; holdout 20% (seed 1); sample = training size; ` +
      (withR ? `R CART baseline timed in the same run (its time includes R start-up, ${rStartup.toFixed(2)} s alone)` : 'no R baseline'),
  );
  try {
    for (const ds of datasets()) {
      if (only && !only.some((o) => ds.name.includes(o))) continue;
      const { table, schema } = await ds.load();
      const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, 1));
      const size = `${train.nRows}×${schema.columns.length}`;
      let cartSeconds = 0;
      for (const id of models) {
        const synth = await loadSynthesizer(id);
        let fitMs = 0, sampleMs = 0, cpuS = NaN;
        try {
          const { value: synthetic, peakMiB } = await withPeakMemory(async () => {
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            const model = await synth.fit(train, schema, {}, { rng: new Rng(1) });
            fitMs = performance.now() - t0;
            const t1 = performance.now();
            const s = await model.sample(train.nRows, { seed: 2 });
            sampleMs = performance.now() - t1;
            const cpu = process.cpuUsage(cpu0);
            cpuS = (cpu.user + cpu.system) / 1e6;
            return s;
          });
          if (id === 'cart') cartSeconds = (fitMs + sampleMs) / 1000;
          rows.push({ table: ds.name, size, model: id, fitS: fitMs / 1000, sampleRowsPerS: train.nRows / (sampleMs / 1000), cpuS, peakMiB, ...(await score(train, holdout, synthetic, schema)), note: '' });
        } catch (e) {
          rows.push({ table: ds.name, size, model: id, fitS: NaN, sampleRowsPerS: NaN, cpuS: NaN, peakMiB: NaN, shapes: null, pairs: null, twoWay: null, ceiling: null, uniqueCopies: '', dcrShare: null, note: `error: ${(e as Error).message.slice(0, 60)}` });
        }
        printRow(rows[rows.length - 1], rows.length === 1);
      }
      if (withR && cartSeconds > 0) {
        const r = rBaseline(train, schema, dir);
        if (r === 'timeout') {
          rows.push({ table: ds.name, size, model: 'R rpart', fitS: NaN, sampleRowsPerS: NaN, cpuS: NaN, peakMiB: NaN, shapes: null, pairs: null, twoWay: null, ceiling: null, uniqueCopies: '', dcrShare: null, note: `R timed out after ${R_TIMEOUT_MS / 1000} s` });
          printRow(rows[rows.length - 1], false);
        } else if (r) {
          const out = await ingestBlob(await openAsBlob(r.out), { fileName: 'r-out.csv' });
          // read.csv rewrites header names ("Beak Length (mm)" -> "Beak.Length..mm."): rename by position.
          const renamed: Table = { nRows: out.table.nRows, columns: out.table.columns.map((c, i) => ({ ...c, name: schema.columns[i]?.name ?? c.name })) };
          const seconds = r.seconds;
          let s: Awaited<ReturnType<typeof score>> | null = null;
          try {
            s = await score(train, holdout, renamed, schema);
          } catch {
            s = null;
          }
          rows.push({
            table: ds.name, size, model: 'R rpart', fitS: seconds, sampleRowsPerS: NaN, cpuS: NaN, peakMiB: NaN,
            shapes: s?.shapes ?? null, pairs: s?.pairs ?? null, twoWay: s?.twoWay ?? null, ceiling: s?.ceiling ?? null,
            uniqueCopies: s?.uniqueCopies ?? '', dcrShare: s?.dcrShare ?? null,
            note: `R/ours ${(seconds / cartSeconds).toFixed(1)}x`,
          });
          printRow(rows[rows.length - 1], false);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const gen = rows.filter((r) => r.table === 'generated' && r.model !== 'R rpart');
  if (gen.length) {
    console.log('\n50 k × 15 targets (fit + sample 50 k rows): copula < 1 s, bayesnet < 5 s, cart < 15 s');
    for (const r of gen) console.log(`  ${r.model.padEnd(9)} ${(r.fitS + 50_000 / r.sampleRowsPerS).toFixed(2)} s wall, ${r.cpuS.toFixed(2)} s CPU`);
  }
}

const COLS = ['table', 'rows×cols', 'model', 'fit s', 'sample rows/s', 'cpu s', 'peak MiB', 'shapes', 'pairs', '2-way [ceil]', 'uniq copies syn/hold', 'DCR share', ''];
const WIDTHS = [22, 10, 9, 7, 13, 6, 9, 7, 7, 14, 21, 9, 0];

function printRow(r: Row, header: boolean): void {
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 || i === cells.length - 1 ? c.padEnd(WIDTHS[i]) : c.padStart(WIDTHS[i]))).join(' ');
  if (header) console.log(line(COLS));
  console.log(
    line([
      r.table, r.size, r.model,
      fmt(r.fitS, 2), Number.isFinite(r.sampleRowsPerS) ? Math.round(r.sampleRowsPerS).toLocaleString('en') : '-', fmt(r.cpuS, 2), fmt(r.peakMiB, 0),
      fmt(r.shapes, 3), fmt(r.pairs, 3), r.twoWay === null ? '-' : `${r.twoWay.toFixed(3)} [${fmt(r.ceiling, 3)}]`,
      r.uniqueCopies || '-', r.dcrShare === null ? '-' : pct(r.dcrShare), r.note,
    ]),
  );
}

function fmt(x: number | null, d: number): string {
  return x === null || !Number.isFinite(x) ? '-' : x.toFixed(d);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
