/**
 * The full evaluation report (50 k training × 15 columns, 12.5 k holdout, 50 k synthetic; the tables of
 * bench/evaluate.ts, generated in Node and served to the page) in headless Chromium through the app's
 * evaluate worker, beside the same report in Node in the same run. Target (issue 5): < 15 s in Chromium.
 * Run alone: npx tsx bench/evaluate-browser.ts
 */
import { loadavg } from 'node:os';
import { CpuMeter, formatCpu, launchChromium, startBenchServer } from './browserHarness';
import { evaluateCase, measureEvaluate } from './evaluate';
import type { EvaluateBenchArgs, EvaluateBenchResult } from './evaluate-page';
import { concatRows } from './tableWire';

const phaseList = (phases: [string, number][]) => phases.map(([p, ms]) => `${p} ${(ms / 1000).toFixed(2)} s`).join(' · ');

async function runBrowser(input: ReturnType<typeof evaluateCase>): Promise<{ result: EvaluateBenchResult; cpu: string }> {
  const server = await startBenchServer({
    entries: ['bench/evaluate-page.html', 'workers/evaluate.worker.ts'],
    include: ['comlink', 'ml-matrix', 'dexie'],
    tables: { source: concatRows(input.train, input.holdout), synthetic: input.synthetic },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.origin}/bench/evaluate-page.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 120_000 });
    const args: EvaluateBenchArgs = { schema: input.schema, trainRows: input.train.nRows, target: input.target ?? '', label: input.label ?? 'bench', seed: 1 };
    await page.evaluate((a) => window.__evaluateBench?.prepare(a), args);
    const meter = await CpuMeter.attach(browser, await page.context().newCDPSession(page));
    const { value: result, cpu } = await meter.measure(() =>
      page.evaluate((a) => {
        const bench = window.__evaluateBench;
        if (!bench) throw new Error('evaluate page did not load');
        return bench.run(a);
      }, args),
    );
    return { result, cpu: formatCpu(cpu) };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function run(): Promise<void> {
  const input = evaluateCase();
  const node = await measureEvaluate(input);
  // measureEvaluate does not consume its input: the same tables go to the page.
  const { result: b, cpu } = await runBrowser(input);
  console.log(`evaluate chromium (worker) 50k x 15 (train 50 000, holdout 12 500, synthetic 50 000, target c14): ${b.seconds.toFixed(2)} s (target < 15 s); node in the same run ${node.seconds.toFixed(2)} s; chromium/node ${(b.seconds / node.seconds).toFixed(2)}`);
  console.log(`  chromium: ${phaseList(b.phases)}`);
  console.log(`  node:     ${phaseList(node.phases)}`);
  console.log(`  chromium ${cpu}; node CPU ${node.cpuSeconds.toFixed(2)} s (load ${loadavg()[0].toFixed(1)})`);
  console.log(`  chromium main thread: ${b.longTasks} long tasks (> 50 ms) during the report, longest ${b.maxLongTaskMs.toFixed(0)} ms; ${b.progressMessages} progress messages`);
  console.log(`  html export on the main thread: chromium ${b.htmlMs.toFixed(0)} ms, node ${node.htmlMs.toFixed(0)} ms, ${(b.htmlBytes / 1024).toFixed(0)} KB`);
  const a = node.report.fidelity.accuracy;
  console.log(`  same figures: acc2 chromium ${b.acc2.toFixed(3)} / node ${a.synthetic[1]?.toFixed(3)} (ceiling ${b.ceiling2.toFixed(3)} / ${a.ceiling[1]?.toFixed(3)}), DCR share ${b.dcrShare.toFixed(3)} / ${node.report.privacy.dcr.share.toFixed(3)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
