/**
 * Ingest benchmark: a generated 1 M-row × 20-column mixed-type CSV (~130 MB) read
 *  1. in Node through the engine: ingestBlob over fs.openAsBlob, then profileTable (what `facsimile profile`
 *     does), with rows/s, CPU time and peak RSS;
 *  2. by pandas on the same file in the same run (`pd.read_csv(path, parse_dates=[the two date columns])`),
 *     when a python3 that can import pandas is found, and Facsimile's time as a ratio to pandas';
 *  3. by `facsimile profile --json` end to end (a child process: start-up, ingest, profile, JSON out);
 *  4. a wide table: 5,000 columns × 60 rows (test/core/ingest/wideTable.ts), ingest + profile;
 *  5. in headless Chromium through the app's path: a module worker (workers/ingest.worker.ts) served by vite,
 *     the file picked in an <input type=file>.
 * Targets: Node ingest + profile within 2× of pandas; < 1 GiB; wide table in seconds; no main-thread task > 50 ms.
 *
 * Environment: INGEST_BENCH_ROWS (default 1,000,000), INGEST_BENCH_REPEAT (runs of Node and pandas, taking
 * each one's best; default 1), INGEST_BENCH_NODE=0 (Node and pandas) / INGEST_BENCH_CLI=0 / INGEST_BENCH_WIDE=0 /
 * INGEST_BENCH_BROWSER=0 to skip parts, INGEST_BENCH_PYTHON (a python3 to use for pandas).
 * `npx tsx bench/ingest.ts` runs it alone; `npm run bench -- ingest` through bench/index.ts.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openAsBlob, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest/ingest';
import { profileTable } from '../src/core/profile/index';
import { Rng } from '../src/core/random/rng';
import { wideCsv } from '../test/core/ingest/wideTable';
import { descendants, launchChromium, startBenchServer } from './browserHarness';

const ROWS = Number(process.env.INGEST_BENCH_ROWS ?? 1_000_000);
const REPEAT = Math.max(1, Number(process.env.INGEST_BENCH_REPEAT ?? 1));
const DATE_COLUMNS = ['signup_date', 'last_login'];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

interface NodeRun {
  rows: number;
  columns: number;
  ingestS: number;
  profileS: number;
  totalS: number;
  cpuS: number;
  peakRss: number;
  kinds: string;
}

/** Ingest + profile in this process, as `facsimile profile` does (without the start-up and the output). */
async function runNode(file: string): Promise<NodeRun> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let ingestS = 0;
  const { value, peak } = await withPeak(
    () => process.memoryUsage().rss,
    async () => {
      const r = await ingestBlob(await openAsBlob(file), { fileName: path.basename(file) });
      ingestS = (performance.now() - t0) / 1000;
      const profile = profileTable(r.table, r.schema);
      return { r, profile };
    },
  );
  const totalS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const { r } = value;
  return {
    rows: r.table.nRows,
    columns: r.table.columns.length,
    ingestS,
    profileS: totalS - ingestS,
    totalS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    peakRss: peak,
    kinds: r.schema.columns.map((c) => `${c.name}:${c.kind}`).join(' '),
  };
}

function printNode(file: string, n: NodeRun, runs: number): void {
  const size = statSync(file).size;
  const best = runs > 1 ? ` (best of ${runs})` : '';
  console.log(
    `ingest node: ${n.rows.toLocaleString('en')} rows x ${n.columns} cols, ${(size / MiB).toFixed(0)} MiB: ingest ${n.ingestS.toFixed(2)} s + profile ${n.profileS.toFixed(2)} s = ${n.totalS.toFixed(2)} s${best} = ${Math.round(n.rows / n.totalS).toLocaleString('en')} rows/s (${(size / MiB / n.totalS).toFixed(0)} MiB/s); ingest alone ${Math.round(n.rows / n.ingestS).toLocaleString('en')} rows/s`,
  );
  console.log(`ingest node: CPU time ${n.cpuS.toFixed(2)} s (wall > CPU means the cores were shared: load ${loadavg()[0].toFixed(1)}); peak RSS ${(n.peakRss / MiB).toFixed(0)} MiB`);
  console.log(`ingest node: kinds ${n.kinds}`);
}

/** A python3 that can import pandas: $INGEST_BENCH_PYTHON, Debian's /usr/bin/python3 (python3-pandas), then python3 on PATH. */
function findPandasPython(): string | null {
  const candidates = [process.env.INGEST_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return null;
}

const PANDAS_SCRIPT = `
import json, resource, sys, time
import pandas as pd
path, dates = sys.argv[1], sys.argv[2].split(',')
t0 = time.perf_counter()
df = pd.read_csv(path, parse_dates=dates)
s = time.perf_counter() - t0
print(json.dumps({"seconds": s, "rows": len(df), "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "version": pd.__version__}))
`;

interface PandasRun {
  seconds: number;
  rows: number;
  maxRssKiB: number;
  version: string;
}

function runPandas(py: string, file: string): PandasRun | string {
  const r = spawnSync(py, ['-c', PANDAS_SCRIPT, file, DATE_COLUMNS.join(',')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `pandas failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as PandasRun;
}

/** `facsimile profile --json FILE` as a child process: wall time and peak RSS (through /usr/bin/time when present). */
function runCli(file: string): void {
  const cli = path.join(ROOT, 'src/cli/facsimile.js');
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const args = time ? ['-f', '%e %M', process.execPath, cli, 'profile', '--json', file] : [cli, 'profile', '--json', file];
  const t0 = performance.now();
  const r = spawnSync(time ?? process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 600_000 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.log(`ingest cli: \`facsimile profile\` failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`);
    return;
  }
  const m = time ? /(\d+(?:\.\d+)?) (\d+)\s*$/.exec(r.stderr) : null;
  const rss = m ? `, peak RSS ${(Number(m[2]) / 1024).toFixed(0)} MiB` : '';
  const note = r.stderr.includes('not built') ? ' (dist-cli/ not built: ran the sources through tsx)' : '';
  console.log(`ingest cli: \`facsimile profile --json\` end to end ${s.toFixed(2)} s${rss}${note}`);
}

/** The generated wide table (5,000 × 60), ingest + profile, with the number of progress reports seen. */
async function runWide(): Promise<void> {
  const cols = 5000;
  const rows = 60;
  const file = path.join(tmpdir(), `facsimile-ingest-bench-wide-${cols}x${rows}.csv`);
  writeFileSync(file, wideCsv(cols, rows).text);
  let reports = 0;
  const t0 = performance.now();
  const r = await ingestBlob(await openAsBlob(file), { fileName: path.basename(file) }, { onProgress: () => reports++ });
  const t1 = performance.now();
  const p = profileTable(r.table, r.schema, { onProgress: () => reports++ });
  const t2 = performance.now();
  console.log(
    `ingest wide: ${r.table.nRows} rows x ${r.table.columns.length.toLocaleString('en')} cols (${(statSync(file).size / MiB).toFixed(1)} MiB): ingest ${((t1 - t0) / 1000).toFixed(2)} s + profile ${((t2 - t1) / 1000).toFixed(2)} s = ${((t2 - t0) / 1000).toFixed(2)} s; ${p.findings.length} findings; ${reports} progress reports`,
  );
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
    const split = r.inferStartSeconds !== undefined && !Number.isNaN(r.inferStartSeconds) ? ` (CSV read by ${r.inferStartSeconds.toFixed(2)} s, then column kinds)` : '';
    console.log(`ingest chromium (worker, the app's path): ${r.rows.toLocaleString('en')} rows x ${r.columns} cols, ${(size / MiB).toFixed(0)} MiB parsed in ${parse.toFixed(2)} s${split} = ${Math.round(r.rows / parse).toLocaleString('en')} rows/s, saved to IndexedDB by ${r.seconds.toFixed(2)} s; first preview after ${r.firstPreviewSeconds.toFixed(2)} s; ${r.progressMessages} progress messages`);
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
  if (process.env.INGEST_BENCH_NODE !== '0') await runNodeAndPandas(file);
  if (process.env.INGEST_BENCH_CLI !== '0') runCli(file);
  if (process.env.INGEST_BENCH_WIDE !== '0') await runWide();
  if (process.env.INGEST_BENCH_BROWSER !== '0') await runBrowser(file);
}

async function runNodeAndPandas(file: string): Promise<void> {
  const py = findPandasPython();
  if (!py) console.log('ingest pandas: no python3 with pandas found (apt-get install python3-pandas, or set INGEST_BENCH_PYTHON); skipping the comparison');
  // Node and pandas take turns, so that both see the same load; each one's best run counts.
  const runs: NodeRun[] = [];
  let pandas: PandasRun | null = null;
  let pandasError = '';
  for (let k = 0; k < REPEAT; k++) {
    runs.push(await runNode(file));
    if (py) {
      const p = runPandas(py, file);
      if (typeof p === 'string') pandasError = p;
      else if (!pandas || p.seconds < pandas.seconds) pandas = p;
    }
  }
  const node = runs.reduce((a, b) => (b.totalS < a.totalS ? b : a));
  printNode(file, { ...node, peakRss: Math.max(...runs.map((r) => r.peakRss)) }, REPEAT);
  if (pandas) {
    const n = node;
    console.log(
      `ingest pandas ${pandas.version} (${py}): read_csv with parse_dates=[${DATE_COLUMNS.join(', ')}] ${pandas.seconds.toFixed(2)} s${REPEAT > 1 ? ` (best of ${REPEAT})` : ''} = ${Math.round(pandas.rows / pandas.seconds).toLocaleString('en')} rows/s; peak RSS ${(pandas.maxRssKiB / 1024).toFixed(0)} MiB (Python included)`,
    );
    console.log(`ingest vs pandas: Facsimile ingest + profile ${n.totalS.toFixed(2)} s / pandas ${pandas.seconds.toFixed(2)} s = ${(n.totalS / pandas.seconds).toFixed(2)}x (ingest alone ${(n.ingestS / pandas.seconds).toFixed(2)}x; target <= 2x)`);
  } else if (py) console.log(`ingest pandas: ${pandasError}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
