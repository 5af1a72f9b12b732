/**
 * Where the transformer's training time goes on WASM in Node: one epoch per table under tfjs's profiler,
 * kernel time summed by kernel and by kernel and input shapes, beside the epoch's wall time. Our own
 * kernels (backend.ts) report under the stock names they replace, with the transposes they run inside.
 * The kernel times are the profiler's (it synchronises after each kernel), so they add up to more than
 * the unprofiled epoch: read them as shares.
 *
 *   npx tsx bench/transformerProfile.ts [--tables txhousing,generated30k] [--top 15]
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ingestBlob } from '../src/core/ingest';
import { Rng } from '../src/core/random/rng';
import type { Schema } from '../src/core/schema/schema';
import { loadSynthesizer } from '../src/core/synth/registry';
import type { Table } from '../src/core/table/table';
import { generatedTable } from './synth';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function load(name: string): Promise<{ table: Table; schema: Schema }> {
  // The transformer bench's 30k table at 10,000 rows (tf.profile overflows its stack beyond ~100,000
  // kernel calls); run with the 30k table's small preset, a step has the same shapes.
  if (name === 'generated30k') return generatedTable(10_000);
  const file = path.join(ROOT, 'test/fixtures/data', `${name}.csv`);
  const r = await ingestBlob(await openAsBlob(file), { fileName: path.basename(file) });
  return { table: r.table, schema: r.schema };
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const tables = (arg('--tables') ?? 'txhousing,generated30k').split(',');
  const top = Number(arg('--top') ?? 15);
  const synth = await loadSynthesizer('transformer');
  for (const name of tables) {
    const { table, schema } = await load(name);
    const options = { redrawLeakedRows: false, backend: 'wasm', epochs: 1, timeBudget: 3600, ...(name === 'generated30k' ? { size: 'small' } : {}) };
    const fit = () => synth.fit(table, schema, options, { rng: new Rng(1) });
    const t0 = performance.now();
    await fit(); // unprofiled (and warms up the backend and kernels)
    const plainMs = performance.now() - t0;
    const t1 = performance.now();
    const profile = await tf.profile(async () => {
      await fit();
    });
    const profiledMs = performance.now() - t1;
    const byKernel = new Map<string, number>();
    const byShape = new Map<string, { ms: number; calls: number }>();
    let total = 0;
    for (const k of profile.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      total += ms;
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const s = byShape.get(key) ?? { ms: 0, calls: 0 };
      s.ms += ms;
      s.calls++;
      byShape.set(key, s);
    }
    console.log(`\n${name} (${table.nRows}×${schema.columns.length}): one epoch ${(plainMs / 1000).toFixed(1)} s unprofiled, ${(profiledMs / 1000).toFixed(1)} s profiled; ${profile.kernels.length} kernel calls, ${(total / 1000).toFixed(1)} s in kernels`);
    console.log('kernel | ms | share');
    for (const [k, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${k} | ${ms.toFixed(0)} | ${((100 * ms) / total).toFixed(1)}%`);
    console.log('kernel and input shapes | calls | ms | ms a call');
    for (const [k, s] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) console.log(`${k} | ${s.calls} | ${s.ms.toFixed(0)} | ${(s.ms / s.calls).toFixed(2)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
