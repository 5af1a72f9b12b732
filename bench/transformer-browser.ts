/**
 * The tabular transformer in the built app, in headless Chromium: the generated 37,500 × 15 mixed table of
 * bench/synth.ts is imported through the page (30,000 training rows after the app's 20% holdout), then the
 * transformer trains in the app's train worker with each backend forced in turn (WASM with SIMD and no
 * threads; WASM with one thread per core; WebGPU and WebGL, which in this headless Chromium without a GPU
 * run on SwiftShader, in software; `auto`, the on-device probe), and 30,000 rows are sampled. Prints epochs, why training stopped, fit and sample seconds, and
 * the 2-way and 3-way accuracy of the downloaded sample against the holdout ceiling (the app's split:
 * 20%, seed 1, rebuilt in Node from the same file), as bench/transformer.ts scores the CLI's fits.
 * Run alone: npx tsx bench/transformer-browser.ts [--backends wasm,wasm-threads,webgpu,webgl,auto] [--budget 150]
 *   [--epochs E] (at most E epochs: a fixed amount of work, to time an epoch)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAsBlob } from 'node:fs';
import { csvChunks } from '../src/core/export';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { fidelity } from '../src/core/metrics/fidelity';
import { Rng } from '../src/core/random/rng';
import { applySplit, splitTable } from '../src/core/table/split';
import { launchChromium, ROOT } from './browserHarness';
import { generatedTable } from './synth';

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const backends = arg('--backends', 'wasm,wasm-threads,webgpu,webgl,auto').split(',');
  const budget = Number(arg('--budget', '150'));
  const maxEpochs = arg('--epochs', '');
  const dir = mkdtempSync(join(tmpdir(), 'fx-tr-'));
  const dist = join(dir, 'dist');
  execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  const { table, schema } = generatedTable(37_500);
  const csv = join(dir, 'generated-37500x15.csv');
  writeFileSync(csv, [...csvChunks(table, schema)].join(''));
  const { preview } = await import('vite');
  const server = await preview({ root: ROOT, build: { outDir: dist }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  // The app's split of the imported file, rebuilt here from the same bytes (its ingest is the app's).
  const real = await ingestBlob(await openAsBlob(csv), { fileName: 'generated-37500x15.csv' });
  const { train, holdout } = applySplit(real.table, splitTable(real.table, real.schema, 0.2, 1));
  const score = async (file: string) => {
    const syn = await ingestBlob(await openAsBlob(file), { fileName: 'synthetic.csv' });
    const f = await fidelity(alignTables(train, holdout, syn.table, real.schema), new Rng(5));
    const a = f.accuracy;
    return `2-way ${a.synthetic[1]?.toFixed(3)} [ceiling ${a.ceiling[1]?.toFixed(3)}] · 3-way ${a.synthetic[2]?.toFixed(3)} [${a.ceiling[2]?.toFixed(3)}]`;
  };
  // WebGPU: without a GPU here, its adapter is SwiftShader's (software), as WebGL's renderer is.
  const browser = await launchChromium(['--enable-unsafe-webgpu']);
  console.log(`transformer in the app (Chromium, train worker): ${table.nRows.toLocaleString('en')} x ${schema.columns.length} generated table, 30,000 training rows, seed 42, time budget ${budget} s${maxEpochs ? `, at most ${maxEpochs} epochs` : ''}, size auto`);
  try {
    for (const backend of backends) {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(origin);
      await page.getByTestId('file-input').setInputFiles(csv);
      await page.getByTestId('project-title').waitFor({ timeout: 120_000 });
      await page.getByRole('tab', { name: 'Synthesize' }).click();
      await page.locator('[data-synthesizer="transformer"]').click();
      await page.getByTestId('opt-timeBudget').fill(String(budget));
      await page.locator('details', { hasText: 'Advanced options' }).locator('summary').click();
      await page.getByTestId('opt-backend').selectOption(backend);
      if (maxEpochs) await page.getByTestId('opt-epochs').fill(maxEpochs);
      const t0 = performance.now();
      await page.getByTestId('train').click();
      await page.getByTestId('model-ready').waitFor({ timeout: (budget + 240) * 1000 });
      const fitS = (performance.now() - t0) / 1000;
      const curve = await page.getByTestId('training-curve').innerText();
      const epochs = Number(curve.match(/epoch (\d+):/)?.[1] ?? NaN);
      const used = (await page.getByTestId('training-backend').innerText()).replace('Backend: ', '');
      const note = await page.getByTestId('training-note').innerText();
      // Why it stopped, from the app's own training note (a fit can stop early right at the budget).
      const stop = /stopped early/.test(note) ? 'early stop' : /time budget/.test(note) ? 'time budget' : 'epochs';
      const fitLine = `  backend ${backend.padEnd(12)} → ran on ${used.padEnd(19)} epochs ${epochs} (${stop}) · fit ${fitS.toFixed(1)} s`;
      await page.getByTestId('rows').fill('30000');
      const t1 = performance.now();
      await page.getByTestId('generate').click();
      // A software renderer (SwiftShader's WebGPU) may not sample 30,000 rows in 5 minutes: say so, go on.
      const sampled = await page.getByTestId('sample-rows').filter({ hasText: '30,000' }).waitFor({ timeout: 300_000 }).then(() => true, () => false);
      if (!sampled) {
        console.log(`${fitLine} · sample 30,000 rows: not done after 300 s\n    ${note}`);
        await page.close();
        continue;
      }
      const sampleS = (performance.now() - t1) / 1000;
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
      const out = join(dir, `sample-${backend}.csv`);
      await download.saveAs(out);
      console.log(`${fitLine} · sample 30,000 rows ${sampleS.toFixed(1)} s (wall, page clicks included) · ${await score(out)}\n    ${note}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
