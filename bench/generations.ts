/**
 * The collapse study (issue 16): each synthesizer configuration fitted on the real training rows, then on
 * its own output, for 5 generations, on the shared real tables (80/20 split, seed 1, as bench/synth.ts).
 * Per table x configuration x generation: 2-way accuracy against the REAL training rows (the report's
 * metric, src/core/synth/generations.ts), beside the holdout ceiling; and privacy against the real rows
 * (share of synthetic rows copying a training row unique in training; DCR share, 50% = a fresh sample).
 *
 * `npx tsx bench/generations.ts [--tables penguins,titanic] [--configs cart,synthpop] [--generations 5]
 *    [--seeds 1,2] [--json out.json]`
 */
import { openAsBlob, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { distanceToClosestRecord } from '../src/core/metrics/privacy/dcr';
import { exactCopies } from '../src/core/metrics/privacy/exactCopies';
import { Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { runGenerations, optionsForGeneration } from '../src/core/synth/generations';
import { loadSynthesizer } from '../src/core/synth/registry';
import type { SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';
import type { Table } from '../src/core/table/table';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'test/fixtures/data');
const TABLES = ['penguins', 'cars93', 'survey', 'slid', 'titanic', 'colon', 'txhousing', 'salaries'];

interface Config {
  name: string;
  synthesizer: SynthesizerId;
  options: Record<string, unknown> | ((generation: number) => Record<string, unknown>);
}

/** rareCategoryThreshold 1 turns pooling off: only levels seen fewer than once (never) would be pooled. */
const CONFIGS: Config[] = [
  { name: 'cart', synthesizer: 'cart', options: {} },
  { name: 'cart-nopool', synthesizer: 'cart', options: { rareCategoryThreshold: 1 } },
  { name: 'cart-noredraw', synthesizer: 'cart', options: { redrawLeakedRows: false } },
  { name: 'cart-nosmooth', synthesizer: 'cart', options: { smoothing: false } },
  { name: 'cart-nopool-noredraw', synthesizer: 'cart', options: { rareCategoryThreshold: 1, redrawLeakedRows: false } },
  { name: 'cart-cp1e-8', synthesizer: 'cart', options: { cp: 1e-8 } },
  { name: 'synthpop', synthesizer: 'cart', options: { minLeafSize: 5, cp: 1e-8, smoothing: false, rareCategoryThreshold: 1, redrawLeakedRows: false } },

  { name: 'cart-regen', synthesizer: 'cart', options: (g) => optionsForGeneration('cart', g - 1, {}) },
  { name: 'synthpop-smooth', synthesizer: 'cart', options: { cp: 1e-8, rareCategoryThreshold: 1, redrawLeakedRows: false } },
  { name: 'bayesnet', synthesizer: 'bayesnet', options: {} },
  { name: 'bayesnet-nopool', synthesizer: 'bayesnet', options: { rareCategoryThreshold: 1 } },
  { name: 'bayesnet-noredraw', synthesizer: 'bayesnet', options: { redrawLeakedRows: false } },
  { name: 'bayesnet-regen', synthesizer: 'bayesnet', options: (g) => optionsForGeneration('bayesnet', g - 1, {}) },
];

export interface StudyRow {
  table: string;
  config: string;
  seed: number;
  generation: number;
  acc1: number | null;
  acc2: number | null;
  acc3: number | null;
  ceiling2: number | null;
  pooled: number;
  redrawn: number;
  uniqueCopies: number;
  uniqueCopiesHoldout: number;
  dcrShare: number;
  seconds: number;
}

async function load(name: string): Promise<{ table: Table; schema: Schema }> {
  const p = path.join(DATA, `${name}.csv`);
  const r = await ingestBlob(await openAsBlob(p), { fileName: path.basename(p) });
  return { table: r.table, schema: r.schema };
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const tables = arg('--tables')?.split(',') ?? TABLES;
  const configs = arg('--configs') ? CONFIGS.filter((c) => arg('--configs')!.split(',').includes(c.name)) : CONFIGS;
  const generations = Number(arg('--generations') ?? 5);
  const seeds = (arg('--seeds') ?? '1').split(',').map(Number);
  const json = arg('--json');
  const rows: StudyRow[] = [];
  console.log(`generations ${generations}; seeds ${seeds.join(',')}; holdout 20% (split seed 1); 2-way accuracy of all synthetic rows vs real train [holdout ceiling]; privacy vs real train: unique copies syn/holdout, DCR share`);
  for (const name of tables) {
    const { table, schema } = await load(name);
    const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, 1));
    for (const config of configs) {
      const synthesizer = await loadSynthesizer(config.synthesizer);
      for (const seed of seeds) {
        const line: string[] = [];
        let ceiling: number | null = null;
        try {
          for await (const r of runGenerations({ train, holdout, schema, synthesizer, options: config.options, generations, seed, keepTables: true, allRows: true })) {
            const a = alignTables(train, holdout, r.table!, schema);
            const copies = exactCopies(a);
            const dcr = await distanceToClosestRecord(a, 1000, { rng: new Rng(6) });
            ceiling = r.ceiling?.[1] ?? null;
            rows.push({
              table: name, config: config.name, seed, generation: r.generation,
              acc1: r.accuracy[0], acc2: r.accuracy[1], acc3: r.accuracy[2], ceiling2: ceiling,
              pooled: r.pooledCategories, redrawn: r.redrawnLeakedRows,
              uniqueCopies: copies.uniqueSynthetic, uniqueCopiesHoldout: copies.uniqueHoldout, dcrShare: dcr.share, seconds: r.seconds,
            });
            line.push(fmt(r.accuracy[1]));
          }
        } catch (e) {
          line.push(`error: ${(e as Error).message.slice(0, 80)}`);
        }
        const mine = rows.filter((r) => r.table === name && r.config === config.name && r.seed === seed);
        const first = mine[0], last = mine[mine.length - 1];
        const priv = first && last ? `copies ${pct(first.uniqueCopies)}→${pct(last.uniqueCopies)} [hold ${pct(first.uniqueCopiesHoldout)}], DCR ${pct(first.dcrShare)}→${pct(last.dcrShare)}, pooled ${mine.map((r) => r.pooled).join('/')}, redrawn ${mine.map((r) => r.redrawn).join('/')}` : '';
        const drop = first && last && first.acc2 !== null && last.acc2 !== null ? (first.acc2 - last.acc2).toFixed(3) : '-';
        console.log(`${name.padEnd(10)} ${config.name.padEnd(21)} s${seed} ${line.join(' → ')}  [ceil ${fmt(ceiling)}] drop ${drop}  ${priv}`);
      }
    }
  }
  if (seeds.length > 1) printSummary(rows);
  if (json) writeFileSync(json, JSON.stringify(rows, null, 1));
}

/** Mean over seeds per table x configuration: 2-way accuracy per generation, its drop, privacy at the last one. */
function printSummary(rows: StudyRow[]): void {
  console.log('\nmean over seeds: 2-way accuracy per generation, drop first -> last; unique copies and DCR share at the last generation');
  const keys = [...new Set(rows.map((r) => `${r.table}\t${r.config}`))];
  for (const key of keys) {
    const [table, config] = key.split('\t');
    const mine = rows.filter((r) => r.table === table && r.config === config);
    const gens = [...new Set(mine.map((r) => r.generation))].sort((a, b) => a - b);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const at = (g: number) => mine.filter((r) => r.generation === g);
    const acc = gens.map((g) => mean(at(g).map((r) => r.acc2 ?? NaN)));
    const last = at(gens[gens.length - 1]);
    console.log(
      `${table.padEnd(10)} ${config.padEnd(21)} ${acc.map((a) => fmt(a)).join(' ')}  drop ${fmt(acc[0] - acc[acc.length - 1])}  ` +
        `copies ${pct(mean(last.map((r) => r.uniqueCopies)))} DCR ${pct(mean(last.map((r) => r.dcrShare)))}`,
    );
  }
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : x.toFixed(3);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
