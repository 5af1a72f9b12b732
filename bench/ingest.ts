/**
 * Ingest benchmark: a generated 1 M-row × 20-column mixed-type CSV (~100 MB) read
 *  1. in Node through the engine (ingestBlob over fs.openAsBlob), and
 *  2. in headless Chromium through the app's path: a module worker (workers/ingest.worker.ts) served by vite,
 *     the file picked in an <input type=file>.
 * Prints rows/s, peak memory and (browser) the longest main-thread task. Targets: < 10 s, < 1 GiB, no task > 50 ms.
 */
import { closeSync, existsSync, openAsBlob, openSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ingestBlob } from '../src/core/ingest/ingest';
import { Rng } from '../src/core/random/rng';
import { descendants, launchChromium, startBenchServer } from './browserHarness';

const ROWS = Number(process.env.INGEST_BENCH_ROWS ?? 1_000_000);
const MiB = 2 ** 20;

const CITIES = Array.from({ length: 50 }, (_, i) => `Town${i}`);
const COUNTRIES = ['Norway', 'Sweden', 'Denmark', 'Finland', 'Iceland', 'Germany', 'France', 'Spain', 'Italy', 'Portugal', 'Poland', 'Austria', 'Belgium', 'Netherlands', 'Ireland', 'Greece', 'Czechia', 'Hungary', 'Estonia', 'Latvia'];
const NOTES = ['', 'ok', 'late payment', 'called support', 'moved, new address', 'VIP', 'NA', 'asked for refund', 'prefers e-mail'];
const pad = (n: number) => String(n).padStart(2, '0');
const quoteCsv = (s: string) => (s.includes(',') ? `"${s}"` : s);

/** Write the benchmark CSV once (reused while its size matches the row count's signature). */
export function generateCsv(rows = ROWS): string {
  const file = path.join(tmpdir(), `facsimile-ingest-bench-v3-${rows}.csv`);
  if (existsSync(file) && statSync(file).size > rows * 50) return file;
  const rng = new Rng(20240601);
  const fd = openSync(file, 'w');
  writeSync(fd, 'customer_id,age,income,score,city,segment,active,signup_date,last_login,rating,balance,visits,ratio,country,channel,device,plan,churned,tenure_months,note\n');
  const lines: string[] = [];
  const day = 86_400_000;
  for (let i = 0; i < rows; i++) {
    const signup = Date.UTC(2015, 0, 1) + rng.int(3000) * day;
    const login = new Date(signup + rng.int(400 * 86_400) * 1000);
    const income = Math.exp(10.5 + 0.6 * rng.normal());
    lines.push(
      [
        `C${String(i + 1).padStart(7, '0')}`,
        18 + rng.int(70),
        income.toFixed(0),
        (50 + 15 * rng.normal()).toFixed(1),
        CITIES[rng.int(CITIES.length)],
        ['A', 'B', 'C', 'D', 'E'][rng.int(5)],
        rng.next() < 0.7 ? 'true' : 'false',
        new Date(signup).toISOString().slice(0, 10),
        `${login.getUTCFullYear()}-${pad(login.getUTCMonth() + 1)}-${pad(login.getUTCDate())} ${pad(login.getUTCHours())}:${pad(login.getUTCMinutes())}:${pad(login.getUTCSeconds())}`,
        1 + rng.int(5),
        (rng.normal() * 2000).toFixed(2),
        rng.int(200),
        rng.next().toFixed(3),
        COUNTRIES[rng.int(COUNTRIES.length)],
        ['web', 'store', 'phone', 'partner'][rng.int(4)],
        ['mobile', 'desktop', 'tablet'][rng.int(3)],
        ['free', 'basic', 'plus', 'pro', 'team', 'enterprise'][rng.int(6)],
        rng.next() < 0.2 ? 'yes' : 'no',
        rng.int(120),
        quoteCsv(NOTES[rng.int(NOTES.length)]),
      ].join(','),
    );
    if (lines.length === 20_000) {
      writeSync(fd, lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) writeSync(fd, lines.join('\n') + '\n');
  closeSync(fd);
  return file;
}

/** Peak of a sampled figure while `work` runs. */
async function withPeak<T>(sample: () => number, work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = sample();
  const timer = setInterval(() => (peak = Math.max(peak, sample())), 25);
  try {
    const value = await work();
    peak = Math.max(peak, sample());
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

async function runNode(file: string): Promise<void> {
  const size = statSync(file).size;
  const before = process.memoryUsage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { value: r, peak } = await withPeak(
    () => process.memoryUsage().rss,
    () => openAsBlob(file).then((blob) => ingestBlob(blob, { fileName: path.basename(file) })),
  );
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`ingest node: ${r.table.nRows.toLocaleString('en')} rows x ${r.table.columns.length} cols, ${(size / MiB).toFixed(0)} MiB in ${s.toFixed(2)} s = ${Math.round(r.table.nRows / s).toLocaleString('en')} rows/s (${(size / MiB / s).toFixed(0)} MiB/s); CPU time ${cpuS.toFixed(2)} s (wall > CPU means the cores were shared: load ${loadavg()[0].toFixed(1)})`);
  console.log(`ingest node: peak RSS ${(peak / MiB).toFixed(0)} MiB (before ${(before.rss / MiB).toFixed(0)} MiB); heap after ${(heapAfter / MiB).toFixed(0)} MiB`);
  console.log(`ingest node: kinds ${r.schema.columns.map((c) => `${c.name}:${c.kind}`).join(' ')}`);
}

async function runBrowser(file: string): Promise<void> {
  const server = await startBenchServer({
    entries: ['bench/ingest-page.html', 'workers/ingest.worker.ts'],
    include: ['comlink', 'papaparse', 'hyparquet', 'fflate'],
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.origin}/bench/ingest-page.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 120_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const base = descendants(process.pid);
    let peakRenderer = 0;
    let peakTotal = 0;
    let peakMainHeap = 0;
    let last = base;
    const timer = setInterval(() => {
      last = descendants(process.pid);
      let total = 0;
      for (const [, v] of last) {
        total += v.rss;
        peakRenderer = Math.max(peakRenderer, v.rss); // the largest process is the renderer (page + worker)
      }
      peakTotal = Math.max(peakTotal, total);
      cdp
        .send('Performance.getMetrics')
        .then((m) => {
          const heap = m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0;
          peakMainHeap = Math.max(peakMainHeap, heap);
        })
        .catch(() => undefined);
    }, 50);
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => window.__ingestBench !== undefined, null, { timeout: 300_000, polling: 200 });
    clearInterval(timer);
    const r = await page.evaluate(() => window.__ingestBench);
    if (!r || r.error) throw new Error(`browser ingest failed: ${r?.error}`);
    const size = statSync(file).size;
    let cpuTicks = 0;
    for (const [pid, v] of last) cpuTicks += v.ticks - (base.get(pid)?.ticks ?? 0);
    console.log(`ingest chromium: CPU time of all chromium processes during the run ${(cpuTicks / 100).toFixed(2)} s (load ${loadavg()[0].toFixed(1)})`);
    const parse = r.parseSeconds ?? r.seconds;
    console.log(`ingest chromium (worker, the app's path): ${r.rows.toLocaleString('en')} rows x ${r.columns} cols, ${(size / MiB).toFixed(0)} MiB parsed in ${parse.toFixed(2)} s = ${Math.round(r.rows / parse).toLocaleString('en')} rows/s, saved to IndexedDB by ${r.seconds.toFixed(2)} s; first preview after ${r.firstPreviewSeconds.toFixed(2)} s; ${r.progressMessages} progress messages`);
    console.log(`ingest chromium: peak renderer RSS ${(peakRenderer / MiB).toFixed(0)} MiB (page + worker), all chromium processes ${(peakTotal / MiB).toFixed(0)} MiB, main-thread JS heap peak ${(peakMainHeap / MiB).toFixed(0)} MiB`);
    console.log(`ingest chromium: main-thread long tasks (> 50 ms): ${r.longTasks}, longest ${r.maxLongTaskMs.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  const file = generateCsv();
  console.log(`ingest: data ${file} (${(statSync(file).size / MiB).toFixed(0)} MiB, ${ROWS.toLocaleString('en')} rows; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await runNode(file);
  if (process.env.INGEST_BENCH_BROWSER !== '0') await runBrowser(file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
