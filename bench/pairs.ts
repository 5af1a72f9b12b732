/**
 * Which column pairs a model loses: per pair of columns, 2-way accuracy (1 − TVD over 10 quantile bins /
 * top 10 categories + other, as src/core/metrics/kway.ts) of the synthetic rows beside the holdout's (the
 * ceiling), worst gap first, then the means. A diagnostic, not a suite of `npm run bench`: the synthetic
 * rows are scored whole (training size, at most 10 000), not on a holdout-sized sample as the report does,
 * so that variants of a model compare with less sampling noise; its means run a little above the report's.
 * For the Bayesian network it also prints each fit's network (a column, its state count, its parents;
 * "g": its children see it in groups).
 *
 *   npx tsx bench/pairs.ts TABLE [--model bayesnet] [--options '{"epsilon":1,"publicDomain":true}'] [--seeds 3]
 *
 * TABLE is a file name under test/fixtures/data without .csv, or a path to a CSV file (holdout 20%, seed 1);
 * fit seeds 1..N.
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { binForAccuracy, comboAccuracy } from '../src/core/metrics/kway';
import { Rng } from '../src/core/random/rng';
import type { BayesNetMeta } from '../src/core/synth/bayesnet/index';
import { loadSynthesizer } from '../src/core/synth/registry';
import type { SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE_CAP = 10_000;

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const table = argv[0];
if (!table || table.startsWith('--')) {
  console.log("usage: npx tsx bench/pairs.ts TABLE [--model bayesnet] [--options '{\"epsilon\":1}'] [--seeds 3]");
  process.exit(2);
}
const model = (flag('--model') ?? 'bayesnet') as SynthesizerId;
const options = JSON.parse(flag('--options') ?? '{}') as Record<string, unknown>;
const seeds = Number(flag('--seeds') ?? 3);

// TABLE ending in .csv is a file of one's own.
const file = table.endsWith('.csv') ? path.resolve(table) : path.join(ROOT, 'test/fixtures/data', `${table}.csv`);
const r = await ingestBlob(await openAsBlob(file), { fileName: path.basename(file) });
const { train, holdout } = applySplit(r.table, splitTable(r.table, r.schema, 0.2, 1));
const synth = await loadSynthesizer(model);
const pairs = new Map<string, { synthetic: number; ceiling: number }>();
for (let seed = 1; seed <= seeds; seed++) {
  const fitted = await synth.fit(train, r.schema, options, { rng: new Rng(seed) });
  if (model === 'bayesnet') printNetwork(fitted.serialize().meta as PipelineMeta);
  const rows = await fitted.sample(Math.min(train.nRows, SAMPLE_CAP), { seed: seed + 1000 });
  const a = alignTables(train, holdout, rows, r.schema);
  const b = binForAccuracy(a.columns, (c) => [c.holdout, c.synthetic]);
  for (let i = 0; i < a.columns.length; i++) {
    for (let j = i + 1; j < a.columns.length; j++) {
      const key = `${a.columns[i].name} × ${a.columns[j].name}`;
      const e = pairs.get(key) ?? { synthetic: 0, ceiling: comboAccuracy(b, [i, j], 1) };
      e.synthetic += comboAccuracy(b, [i, j], 2) / seeds;
      pairs.set(key, e);
    }
  }
}
const sorted = [...pairs].sort((x, y) => x[1].synthetic - x[1].ceiling - (y[1].synthetic - y[1].ceiling));
console.log(`${table}, ${model} ${JSON.stringify(options)}, ${seeds} seed(s): 2-way accuracy per pair [holdout]`);
for (const [key, e] of sorted) console.log(`${key.padEnd(36)} ${e.synthetic.toFixed(3)} [${e.ceiling.toFixed(3)}]`);
const mean = (f: (e: { synthetic: number; ceiling: number }) => number) => [...pairs.values()].reduce((s, e) => s + f(e), 0) / pairs.size;
console.log(`${'mean'.padEnd(36)} ${mean((e) => e.synthetic).toFixed(3)} [${mean((e) => e.ceiling).toFixed(3)}]`);

/** The parts of the pipeline's saved header read here (src/core/synth/pipeline/synthesizer.ts). */
interface PipelineMeta {
  plans: { name: string; mode: string; engineIndex?: number }[];
  engineMeta: BayesNetMeta;
}

function printNetwork(meta: PipelineMeta): void {
  const names: string[] = [];
  for (const p of meta.plans) if ((p.mode === 'numeric' || p.mode === 'categorical') && p.engineIndex !== undefined && p.engineIndex >= 0) names[p.engineIndex] = p.name;
  const net = meta.engineMeta;
  const name = (i: number) => names[i] ?? `#${i}`;
  console.log(
    `bins ${net.settings.bins}, useful domain ${net.settings.maxDomain}: ` +
      net.order.map((i) => `${name(i)}(${net.columns[i].nStates}${net.columns[i].grouped ? 'g' : ''})←[${net.parents[i].map(name).join(',')}]`).join(' '),
  );
}
