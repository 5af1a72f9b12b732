/**
 * What the page holds while the workers own the data (issue "Workers own the data"), in the built app in
 * headless Chromium:
 * - the page's JS heap plus ArrayBuffers after importing a 1,000,000 × 20 CSV, after reopening that
 *   project (a reload), and after its profile is shown (target: at most 64 MiB each; before this change
 *   the page held the table: about 30 MiB of heap plus 115 MiB of ArrayBuffers);
 * - the bytes that cross between the page and the workers when Generate runs on a fitted CART model
 *   (target: no model crosses; before, the serialized model, training donors included, went to the
 *   worker on every click and the sampled table came back).
 * Run alone: npx tsx bench/page-memory.ts [--rows 1000000]
 */
import type { CDPSession } from 'playwright-core';
import { launchChromium, ROOT } from './browserHarness';
import { generateCsv } from './ingest';
import { installWorkerMessageProbe, takeWorkerCrossing } from '../test/e2e/workerMessages';

const MiB = 1024 * 1024;

async function pageMemory(cdp: CDPSession): Promise<{ heapMiB: number; arrayBuffersMiB: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await new Promise((r) => setTimeout(r, 300));
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };
  return { heapMiB: u.usedSize / MiB, arrayBuffersMiB: (u.backingStorageSize ?? 0) / MiB };
}

function line(what: string, m: { heapMiB: number; arrayBuffersMiB: number }) {
  const total = m.heapMiB + m.arrayBuffersMiB;
  console.log(`  ${what.padEnd(34)} JS heap ${m.heapMiB.toFixed(1)} MiB + ArrayBuffers ${m.arrayBuffersMiB.toFixed(1)} MiB = ${total.toFixed(1)} MiB (target ≤ 64: ${total <= 64 ? 'met' : 'MISSED'})`);
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--rows');
  const rows = i >= 0 ? Number(argv[i + 1]) : 1_000_000;
  const { build, preview } = await import('vite');
  const t0 = performance.now();
  await build({ root: ROOT, logLevel: 'error' });
  console.log(`page memory: built the app in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const server = await preview({ root: ROOT, logLevel: 'error', preview: { port: 0, host: '127.0.0.1' } });
  const address = server.httpServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4173}`;
  // The ingest bench's 1M × 20 mixed CSV (written once, then reused).
  const file = generateCsv(rows);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    // tsx (esbuild, keepNames) wraps functions in __name(); the page needs it to run the probe's source.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await context.addInitScript(installWorkerMessageProbe);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const cdp = await context.newCDPSession(page);
    await page.goto(origin);
    line('fresh page', await pageMemory(cdp));

    const tImport = performance.now();
    await page.getByTestId('file-input').setInputFiles(file);
    // The project, or an error (then say what it was rather than wait for a timeout).
    await page.locator('[data-testid="project-title"], [role="alert"]').first().waitFor({ timeout: 600_000 });
    if (!(await page.getByTestId('project-title').isVisible())) throw new Error(`import failed: ${await page.getByRole('alert').first().innerText()}`);
    await page.locator('table tbody tr').first().waitFor({ timeout: 120_000 });
    const importS = (performance.now() - tImport) / 1000;
    const imported = await takeWorkerCrossing(page);
    line(`after importing ${rows.toLocaleString('en')} × 20`, await pageMemory(cdp));
    console.log(`    import took ${importS.toFixed(1)} s; ${(imported.fromWorker / MiB).toFixed(2)} MiB came back from workers in ${imported.messages} messages`);

    await page.reload();
    await page.getByTestId('project-title').waitFor({ timeout: 120_000 });
    await page.locator('table tbody tr').first().waitFor({ timeout: 120_000 });
    line('after reopening (reload)', await pageMemory(cdp));
    const reopened = await takeWorkerCrossing(page);
    console.log(`    reopening moved ${(reopened.fromWorker / MiB).toFixed(2)} MiB from workers`);

    const tProfile = performance.now();
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    await page.getByTestId('findings').waitFor({ timeout: 600_000 });
    line('after the profile is shown', await pageMemory(cdp));
    console.log(`    profile shown after ${((performance.now() - tProfile) / 1000).toFixed(1)} s`);

    // Generate on a CART model: what crosses is ids, settings, a preview and stats, never the model.
    await page.goto(origin);
    await page.locator('[data-sample="penguins.csv"]').click();
    await page.getByTestId('project-title').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await page.locator('[data-synthesizer="cart"]').click();
    await takeWorkerCrossing(page);
    await page.getByTestId('train').click();
    await page.getByTestId('model-ready').waitFor({ timeout: 120_000 });
    const fit = await takeWorkerCrossing(page);
    await page.getByTestId('generate').click();
    await page.getByTestId('sample-rows').waitFor({ timeout: 120_000 });
    const gen = await takeWorkerCrossing(page);
    console.log(
      `  CART on penguins: Fit sent ${(fit.toWorker / 1024).toFixed(1)} KiB to the worker, got ${(fit.fromWorker / 1024).toFixed(1)} KiB back; ` +
        `Generate sent ${(gen.toWorker / 1024).toFixed(1)} KiB, got ${(gen.fromWorker / 1024).toFixed(1)} KiB back (the stored dataset's record with its 100-row preview) in ${gen.messages} messages`,
    );
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
