/**
 * Text jobs in headless Chromium through the app's text worker, on the tiny test models: rows per second
 * of each job's pipeline (pipeline overhead, as bench/text.ts measures it in Node). WASM here (headless,
 * no GPU); WebGPU where the device has it. Run alone: npx tsx bench/text-browser.ts
 */
import { launchChromium, startBenchServer } from './browserHarness';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelFilesB64, TextBenchResult } from './text-page';
import { MODELS } from './text';

export async function run(): Promise<void> {
  const server = await startBenchServer({ entries: ['bench/text-page.html', 'workers/text.worker.ts'], include: ['comlink', 'fflate', '@huggingface/transformers'] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.origin}/bench/text-page.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 120_000 });
    const texts = Array.from({ length: 256 }, (_, i) => `Alice called Acme from Paris about the refund ${i % 7 ? 'again' : 'today'} and the patient reported mild pain after the visit .`);
    const models: ModelFilesB64 = {};
    for (const name of ['tiny-ner', 'tiny-embed', 'tiny-gpt2']) {
      models[name] = Object.fromEntries(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].map((f) => [f, readFileSync(path.join(MODELS, name, f)).toString('base64')]));
    }
    const r: TextBenchResult = await page.evaluate(([t, m]) => window.__textBench!.run(t, m), [texts, models] as const);
    console.log(`text jobs in chromium (text worker, ${r.device.toUpperCase()}) on the tiny models:`);
    for (const j of r.jobs) console.log(`  ${j.job.padEnd(40)} ${j.rows} rows in ${j.seconds.toFixed(2)} s = ${Math.round(j.rows / j.seconds).toLocaleString('en')} rows/s`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
