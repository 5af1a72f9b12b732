/**
 * Page side of the evaluate benchmark: the app's path (a module worker built from
 * workers/evaluate.worker.ts, comlink, progress proxy, tables transferred), timing the full report and
 * the longest main-thread task meanwhile, then the HTML export on the main thread.
 */
import { proxy, transfer, wrap } from 'comlink';
import type { Progress } from '../src/core/context';
import { renderReportHtml } from '../src/core/report';
import type { Schema } from '../src/core/schema/schema';
import type { Table } from '../src/core/table/table';
import type { EvaluateApi } from '../workers/evaluate.worker';
import { tableBuffers } from '../workers/transferables';
import { fetchTable, LongTaskProbe } from './pageProbe';

export interface EvaluateBenchArgs {
  schema: Schema;
  target: string;
  label: string;
  seed: number;
}

export interface EvaluateBenchResult {
  seconds: number;
  phases: [string, number][];
  longTasks: number;
  maxLongTaskMs: number;
  progressMessages: number;
  htmlMs: number;
  htmlBytes: number;
  acc2: number;
  ceiling2: number;
  dcrShare: number;
}

declare global {
  interface Window {
    __evaluateBench?: { prepare(): Promise<void>; run(args: EvaluateBenchArgs): Promise<EvaluateBenchResult> };
  }
}

const status = document.getElementById('status') as HTMLElement;
const probe = new LongTaskProbe();
const api = wrap<EvaluateApi>(new Worker(new URL('../workers/evaluate.worker.ts', import.meta.url), { type: 'module' }));

let tables: Table[] = [];

window.__evaluateBench = {
  /** Fetch the tables and load the worker's modules (from the dev server): neither is timed. */
  async prepare() {
    tables = await Promise.all(['train', 'holdout', 'synthetic'].map(fetchTable));
    await api.cancel(); // the worker's first answer means its modules are loaded
  },

  async run(args) {
    const [train, holdout, synthetic] = tables;
    if (!train) throw new Error('call prepare() first');
    const phases: [string, number][] = [];
    let phase = '';
    let last = 0;
    let messages = 0;
    const onProgress = (p: Progress) => {
      messages++;
      status.textContent = `${p.phase} ${(100 * p.fraction).toFixed(0)}%`;
      if (p.phase === phase) return;
      const now = performance.now();
      if (phase) phases.push([phase, now - last]);
      phase = p.phase;
      last = now;
    };
    const run = await probe.measure(() => {
      last = performance.now();
      const input = { train, holdout, synthetic, schema: args.schema, target: args.target, label: args.label, seed: args.seed };
      // As the app's EvaluateRun: the tables' buffers are handed over, not copied.
      return api.evaluate(transfer(input, [...new Set([...tableBuffers(train), ...tableBuffers(holdout), ...tableBuffers(synthetic)])]), proxy(onProgress));
    });
    const report = run.value;
    const t1 = performance.now();
    const html = renderReportHtml(report);
    const htmlMs = performance.now() - t1;
    status.textContent = 'done';
    return {
      seconds: run.seconds,
      phases,
      longTasks: run.longTasks,
      maxLongTaskMs: run.maxLongTaskMs,
      progressMessages: messages,
      htmlMs,
      htmlBytes: html.length,
      acc2: report.fidelity.accuracy.synthetic[1] ?? NaN,
      ceiling2: report.fidelity.accuracy.ceiling[1] ?? NaN,
      dcrShare: report.privacy.dcr.share,
    };
  },
};
status.textContent = 'ready';
