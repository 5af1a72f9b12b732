/**
 * Transformer benchmark (issue 15): the on-device tabular transformer (WASM backend in Node) beside CART
 * on the shared tables of test/fixtures/data, vega-datasets' movies and a 30 k-row × 15-column mixed table. Per table: epochs,
 * how training stopped, fit seconds, seconds to sample 30 000 rows, 2-way and 3-way accuracy beside the
 * holdout ceiling (src/core/metrics fidelity), DCR share, and synthetic rows copying a training row unique
 * in training beside the holdout's share (with the pipeline's leak redraw off, so the model's own copies
 * show), then the same for CART.
 *
 * The 30 k table: bench/synth.ts's generatedTable(37 500) (a latent factor drives numerics, an integer
 * count, a date and categoricals; 5% missing in some columns), 30 000 training rows after the 20% holdout.
 *
 *   npx tsx bench/transformer.ts [--tables penguins,generated30k,path/to/own.csv] [--budget S] [--epochs E] [--size small|medium] [--no-cart]
 *   [--seed S] (the fit's seed; the holdout split stays seed 1) [--log-epochs] (each epoch's seconds and losses as it ends) [--set k=v,...] (expert settings of fit.ts's
 *   TransformerOptions: batchSize, learningRate, patience, validationShare, maxBins, width)
 *   [--backend wasm|webgpu|cpu] (default wasm; webgpu runs on a real GPU through Dawn's Node binding: bench/nodeWebGpu.ts)
 * Targets (2 cores): training to early stop under 3 minutes and sampling 30 k rows under 10 s on the 30 k
 * table; 2-way / 3-way within 0.01 / 0.015 of the ceiling and at least CART's; DCR share at most 0.52.
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { fidelity } from '../src/core/metrics/fidelity';
import { distanceToClosestRecord } from '../src/core/metrics/privacy/dcr';
import { exactCopies } from '../src/core/metrics/privacy/exactCopies';
import { Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { loadSynthesizer } from '../src/core/synth/registry';
import { applySplit, splitTable } from '../src/core/table/split';
import type { Table } from '../src/core/table/table';
import { expertSettings } from './expertSettings';
import { generatedTable } from './synth';
import { setupNodeWebGpu } from './nodeWebGpu';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'test/fixtures/data');
const SAMPLE_ROWS = 30_000;

interface Dataset {
  name: string;
  load: () => Promise<{ table: Table; schema: Schema }>;
}

/** A table file (CSV, or JSON records) read as the app reads it. */
function tableFile(p: string): Dataset['load'] {
  return async () => {
    const r = await ingestBlob(await openAsBlob(p), { fileName: path.basename(p) });
    return { table: r.table, schema: r.schema };
  };
}

function datasets(): Dataset[] {
  const shared = ['penguins', 'titanic', 'survey', 'txhousing', 'slid', 'colon', 'salaries', 'cars93'].map((n) => ({ name: n, load: tableFile(path.join(DATA, `${n}.csv`)) }));
  // vega-datasets' movies (a dev dependency): 3,201 films × 16 columns, release dates back to the 1920s,
  // many missing values; a table the transformer's settings were not tuned on.
  const movies = { name: 'movies', load: tableFile(path.join(ROOT, 'node_modules/vega-datasets/data/movies.json')) };
  return [...shared, movies, { name: 'generated30k', load: async () => generatedTable(37_500) }];
}

async function score(train: Table, holdout: Table, synthetic: Table, schema: Schema) {
  const a = alignTables(train, holdout, synthetic, schema);
  const fid = await fidelity(a, new Rng(5));
  const copies = exactCopies(a);
  const dcr = await distanceToClosestRecord(a, 1000, { rng: new Rng(6) });
  return {
    twoWay: fid.accuracy.synthetic[1], twoCeil: fid.accuracy.ceiling[1],
    threeWay: fid.accuracy.synthetic[2], threeCeil: fid.accuracy.ceiling[2],
    copies: `${pct(copies.uniqueSynthetic)}/${pct(copies.uniqueHoldout)}`,
    dcr: dcr.share,
  };
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = arg('--tables')?.split(',');
  const budget = Number(arg('--budget') ?? 150);
  const epochs = arg('--epochs') ? Number(arg('--epochs')) : undefined;
  const size = arg('--size');
  const withCart = !argv.includes('--no-cart');
  const logEpochs = argv.includes('--log-epochs');
  const seed = Number(arg('--seed') ?? 1);
  // Expert settings passed through to the transformer (fit.ts TransformerOptions), e.g. --set learningRate=0.004,patience=8
  const expert = expertSettings(arg('--set'));
  const backend = arg('--backend') ?? 'wasm';
  if (!['wasm', 'webgpu', 'cpu'].includes(backend)) throw new Error(`--backend takes wasm, webgpu or cpu (got ${backend})`);
  if (backend === 'webgpu') console.log(`WebGPU adapter (Dawn in Node): ${await setupNodeWebGpu()}`);
  console.log(`transformer (${backend}, Node) vs CART; holdout 20% (seed 1); fit seed ${seed}; time budget ${budget} s; ${SAMPLE_ROWS} rows sampled, scored on as many rows as the holdout; leak redraw off`);
  console.log(
    ['table', 'rows×cols', 'model', 'epochs', 'stop', 'fit s', 'sample30k s', '2-way [ceil]', '3-way [ceil]', 'DCR', 'copies syn/hold', 'val loss'].join(' | '),
  );
  // A --tables entry ending in .csv is a file of one's own (a table the bench has not seen).
  const files = (only ?? []).filter((o) => o.endsWith('.csv')).map((p) => ({ name: path.basename(p, '.csv'), load: tableFile(path.resolve(p)) }));
  const named = datasets().filter((ds) => !only || only.some((o) => !o.endsWith('.csv') && ds.name.includes(o)));
  for (const ds of [...named, ...files]) {
    const { table, schema } = await ds.load();
    const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, 1));
    const shape = `${train.nRows}×${schema.columns.length}`;
    for (const id of withCart ? (['transformer', 'cart'] as const) : (['transformer'] as const)) {
      const synth = await loadSynthesizer(id);
      const options: Record<string, unknown> = { redrawLeakedRows: false };
      if (id === 'transformer') Object.assign(options, { backend, timeBudget: budget, ...(epochs ? { epochs } : {}), ...(size ? { size } : {}), ...expert });
      const t0 = performance.now();
      let summary = '';
      const model = await synth.fit(train, schema, options, {
        rng: new Rng(seed),
        onProgress: (p) => {
          if (p.metrics) summary = `${p.metrics.epoch}`;
          if (p.metrics && logEpochs) {
            const m = p.metrics as { epoch: number; trainLoss: number; validationLoss: number };
            console.log(`  ${ds.name} epoch ${m.epoch}: ${((performance.now() - t0) / 1000).toFixed(1)} s, training loss ${m.trainLoss.toFixed(4)}, validation ${m.validationLoss.toFixed(4)}`);
          }
        },
      });
      const fitS = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const synthetic = await model.sample(SAMPLE_ROWS, { seed: 2 });
      const sampleS = (performance.now() - t1) / 1000;
      const s = await score(train, holdout, synthetic, schema);
      const training = (model.serialize().meta as { engineMeta?: { training?: { epochs: number; stoppedBy: string; validationLoss: number; preset: string; backend: string } } }).engineMeta?.training;
      console.log(
        [
          ds.name, shape, id === 'transformer' ? `transformer/${training?.preset} on ${training?.backend}` : id, training ? String(training.epochs) : summary || '-', training?.stoppedBy ?? '-',
          fitS.toFixed(1), sampleS.toFixed(2),
          `${fmt(s.twoWay)} [${fmt(s.twoCeil)}]`, `${fmt(s.threeWay)} [${fmt(s.threeCeil)}]`,
          fmt(s.dcr), s.copies, training ? training.validationLoss.toFixed(3) : '-',
        ].join(' | '),
      );
    }
  }
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : x.toFixed(3);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
