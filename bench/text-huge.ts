/**
 * The worst text column: 100,000 rows of ~10 kB free text (a 1 GB CSV, written to a temporary
 * folder), and 10,000 such rows (100 MB, under the app's per-column limit), each read in Node (ingest,
 * then the PII pattern scan, with their progress reports counted) and imported into the built app in
 * headless Chromium (import, then profile and PII scan when the app keeps it; the app refuses a column
 * over MAX_COLUMN_BYTES with a message), with the page's main thread probed every second for how long a
 * zero-delay timer waits (a frozen tab shows as seconds). The texts are words of a small vocabulary,
 * every 50th row with a phone number and an e-mail.
 * Run alone: npx tsx bench/text-huge.ts [--rows 100000,10000]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openAsBlob, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestBlob } from '../src/core/ingest';
import { scanTextPii } from '../src/core/text/scan';
import { Rng } from '../src/core/random/rng';
import type { Browser } from 'playwright-core';
import { launchChromium, ROOT } from './browserHarness';

const CELL = 10_000;
const WORDS = 'the quick brown fox jumps over lazy dog while patient reports mild pain after surgery and asks about follow up visit'.split(' ');

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const rng = new Rng(1);
  out.write('id,ward,notes\n');
  for (let i = 0; i < rows; i++) {
    let t = '';
    while (t.length < CELL) t += `${WORDS[rng.int(WORDS.length)]} `;
    if (i % 50 === 0) t += `call 555-01${String(i % 100).padStart(2, '0')} or mail p${i}@example.org`;
    if (!out.write(`${i},W${i % 7},"${t}"\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = (argv.includes('--rows') ? argv[argv.indexOf('--rows') + 1] : '100000,10000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'fx-huge-'));
  try {
    const dist = join(dir, 'dist');
    execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    const { preview } = await import('vite');
    const server = await preview({ root: ROOT, build: { outDir: dist }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    const browser = await launchChromium();
    try {
      for (const rows of sizes) {
        const file = join(dir, `huge-text-${rows}.csv`);
        await writeCsv(file, rows);
        await inNode(file, rows);
        await inBrowser(browser, origin, file, rows);
        rmSync(file);
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inNode(file: string, rows: number): Promise<void> {
  console.log(`text column of ${rows.toLocaleString('en')} rows × ~10 kB: ${(statSync(file).size / 1e6).toFixed(0)} MB CSV`);
  let reports = 0;
  let t0 = performance.now();
  const { table } = await ingestBlob(await openAsBlob(file), { fileName: 'huge-text.csv' }, { onProgress: () => reports++ });
  console.log(`  Node: ingest ${seconds(t0)} s (${reports} progress reports)`);
  reports = 0;
  t0 = performance.now();
  const scan = await scanTextPii(table, ['notes'], { onProgress: () => reports++ });
  console.log(`  Node: PII patterns ${seconds(t0)} s (${reports} progress reports), ${scan.scans[0]?.textsWithPii} texts with PII`);
}

async function inBrowser(browser: Browser, origin: string, file: string, rows: number): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('crash', () => console.log('  the page crashed'));
  await page.goto(origin);
  let maxLag = 0, probes = 0;
  const probe = setInterval(() => {
    page
      .evaluate(() => new Promise<number>((r) => { const s = performance.now(); setTimeout(() => r(performance.now() - s), 0); }))
      .then((lag) => { maxLag = Math.max(maxLag, lag); probes++; })
      .catch(() => {});
  }, 1000);
  const lag = () => `main thread: longest wait of a 0 ms timer ${maxLag.toFixed(0)} ms over ${probes} probes`;
  try {
    let t0 = performance.now();
    await page.getByTestId('file-input').setInputFiles(file);
    const outcome = await Promise.race([
      page.getByTestId('project-title').waitFor({ timeout: 900_000 }).then(() => 'imported' as const),
      page.getByRole('alert').first().waitFor({ timeout: 900_000 }).then(() => 'refused' as const),
    ]);
    const importS = seconds(t0);
    if (outcome === 'refused') {
      const message = (await page.getByRole('alert').first().innerText()).replace(/\s+/g, ' ').trim();
      const projects = await page.getByTestId('project-list').locator('li').count();
      console.log(`  Chromium (built app): refused after ${importS} s: "${message.slice(0, 300)}" · projects stored: ${projects} · ${lag()}`);
      return;
    }
    await page.getByText(`${rows.toLocaleString('en')} rows`).first().waitFor({ timeout: 900_000 });
    t0 = performance.now();
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    await page.getByTestId('findings').waitFor({ timeout: 900_000 });
    const profileS = seconds(t0);
    t0 = performance.now();
    await page.getByTestId('text-pii-scan').click();
    await page.getByTestId('text-pii-results').filter({ hasText: 'texts' }).waitFor({ timeout: 900_000 });
    const scanS = seconds(t0);
    const found = (await page.getByTestId('text-pii-results').innerText()).split('\n')[0];
    console.log(`  Chromium (built app): import ${importS} s · profile ${profileS} s · PII scan ${scanS} s (${found}) · ${lag()}`);
  } finally {
    clearInterval(probe);
    await context.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
