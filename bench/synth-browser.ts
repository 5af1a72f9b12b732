/**
 * Fit + sample 50 k rows for each synthesizer in headless Chromium through the app's train worker, on the
 * generated 50 k × 15 mixed table of bench/synth.ts (its 20% holdout split off as there), each beside the
 * same work in Node measured in the same run (interleaved, so both see the same machine load).
 * Node mirrors the worker exactly (fit, serialize to store, sample the resident model), so the rows must match:
 * the digest check is issue 4's "same seed, same rows in Node and in the browser".
 * Targets (issue 4, 50 k × 15): copula < 1 s, bayesnet < 5 s, cart < 15 s.
 * Run alone: npx tsx bench/synth-browser.ts [--models copula,cart]
 */
import { loadavg } from 'node:os';
import { Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { SYNTHESIZER_IDS, loadSynthesizer } from '../src/core/synth/registry';
import type { SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';
import type { Table } from '../src/core/table/table';
import { CpuMeter, formatCpu, launchChromium, startBenchServer } from './browserHarness';
import { generatedTable } from './synth';
import type { SynthBenchArgs } from './synth-page';
import { tableDigest } from './tableWire';

const TARGET_S: Record<string, number> = { copula: 1, bayesnet: 5, cart: 15 };
const FIT_SEED = 1;
const SAMPLE_SEED = 2;

interface NodeRun {
  fitS: number;
  sampleS: number;
  cpuS: number;
  digest: string;
}

/** The train worker's work, in this process: fit, serialize (the worker stores the model), sample the resident model. */
async function runNode(id: SynthesizerId, train: Table, schema: Schema, rows: number): Promise<NodeRun> {
  const synth = await loadSynthesizer(id);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await synth.fit(train, schema, {}, { rng: new Rng(FIT_SEED) });
  model.serialize();
  const fitS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const table = await model.sample(rows, { seed: SAMPLE_SEED });
  const sampleS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { fitS, sampleS, cpuS: (cpu.user + cpu.system) / 1e6, digest: tableDigest(table) };
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--models');
  const models = (i >= 0 ? argv[i + 1].split(',') : SYNTHESIZER_IDS) as SynthesizerId[];
  // --rows N: the generated table's size before its 20% holdout (default 62,500: 50 k training rows).
  const r = argv.indexOf('--rows');
  const { table, schema } = generatedTable(r >= 0 ? Number(argv[r + 1]) : 62_500);
  const { train } = applySplit(table, splitTable(table, schema, 0.2, 1));
  const rows = train.nRows;
  // The server encodes the table now, before any fit could touch it.
  const server = await startBenchServer({
    entries: ['bench/synth-page.html', 'workers/train.worker.ts'],
    include: ['comlink', 'ml-matrix', 'papaparse', 'hyparquet', 'fflate', 'dexie', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl'],
    tables: { train },
  });
  const browser = await launchChromium();
  console.log(`synth chromium vs node: generated table ${train.nRows.toLocaleString('en')} x ${schema.columns.length} (bench/synth.ts, after its 20% holdout), fit seed ${FIT_SEED}, sample ${rows.toLocaleString('en')} rows seed ${SAMPLE_SEED}; node first, then chromium, per model`);
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.origin}/bench/synth-page.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 120_000 });
    await page.evaluate((sc) => window.__synthBench?.prepare(sc), schema);
    const meter = await CpuMeter.attach(browser, await page.context().newCDPSession(page));
    for (const id of models) {
      const node = await runNode(id, train, schema, rows);
      const args: SynthBenchArgs = { synthesizer: id, schema, rows, fitSeed: FIT_SEED, sampleSeed: SAMPLE_SEED };
      const { value: b, cpu } = await meter.measure(() =>
        page.evaluate((a) => {
          const bench = window.__synthBench;
          if (!bench) throw new Error('synth page did not load');
          return bench.run(a);
        }, args),
      );
      const nodeTotal = node.fitS + node.sampleS;
      if (b.error) {
        console.log(`  ${id.padEnd(8)} chromium failed: ${b.error}; node ${nodeTotal.toFixed(2)} s`);
        continue;
      }
      const total = b.fitS + b.sampleS;
      console.log(
        `  ${id.padEnd(8)} chromium ${total.toFixed(2)} s (fit ${b.fitS.toFixed(2)} + sample ${b.sampleS.toFixed(2)}; in-worker ${b.workerFitS.toFixed(2)} + ${b.workerSampleS.toFixed(2)}) · ` +
          `node ${nodeTotal.toFixed(2)} s (fit ${node.fitS.toFixed(2)} + sample ${node.sampleS.toFixed(2)}) · chromium/node ${(total / nodeTotal).toFixed(2)} · target < ${TARGET_S[id] ?? '?'} s`,
      );
      console.log(
        `           chromium ${formatCpu(cpu)}; node CPU ${node.cpuS.toFixed(2)} s; main thread ${b.longTasks} long tasks, longest ${b.maxLongTaskMs.toFixed(0)} ms; ` +
          `${b.progressMessages} progress messages; rows ${b.rows.toLocaleString('en')}; same rows as node: ${b.digest === node.digest ? 'yes' : `NO (${b.digest} vs ${node.digest})`} (load ${loadavg()[0].toFixed(1)})`,
      );
      console.log(
        `           crossing the worker boundary: fit sent ${(b.fitBytesToWorker / 1024).toFixed(1)} KiB; Generate sent ${(b.sampleBytesToWorker / 1024).toFixed(1)} KiB and got ${(b.sampleBytesFromWorker / 1024).toFixed(1)} KiB back (no model, no table)`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
