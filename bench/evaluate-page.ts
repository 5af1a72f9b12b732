/**
 * Page side of the evaluate benchmark: the app's path (a module worker built from
 * workers/evaluate.worker.ts, comlink, progress proxy, tables transferred), timing the full report and
 * the longest main-thread task meanwhile, then the HTML export on the main thread.
 */
import { proxy, wrap } from 'comlink';
import type { Progress } from '../src/core/context';
import { renderReportHtml } from '../src/core/report';
import type { Report } from '../src/core/report/types';
import type { Schema } from '../src/core/schema/schema';
import { openDb, ProjectStore } from '../src/db';
import type { EvaluateApi } from '../workers/evaluate.worker';
import { fetchTable, LongTaskProbe } from './pageProbe';

export interface EvaluateBenchArgs {
  schema: Schema;
  /** Rows of the source table that are the training part (the rest is the holdout). */
  trainRows: number;
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
    __evaluateBench?: { prepare(args: EvaluateBenchArgs): Promise<void>; run(args: EvaluateBenchArgs): Promise<EvaluateBenchResult> };
  }
}

const status = document.getElementById('status') as HTMLElement;
const probe = new LongTaskProbe();
const api = wrap<EvaluateApi>(new Worker(new URL('../workers/evaluate.worker.ts', import.meta.url), { type: 'module' }));

let syntheticId: string | undefined;

window.__evaluateBench = {
  /**
   * Store the source (train + holdout, with its split) and the synthetic table as the app does, and load
   * the worker's modules: none of it is timed. The worker then reads its inputs itself, as in the app.
   */
  async prepare(args) {
    const [source, synthetic] = await Promise.all(['source', 'synthetic'].map(fetchTable));
    const store = new ProjectStore(openDb());
    const project = await store.createProject('bench', { name: 'source', table: source, schema: args.schema, warnings: [] });
    const holdout = new Int32Array(source.nRows - args.trainRows).map((_, i) => args.trainRows + i);
    await store.saveSplit({ datasetId: project.currentDatasetId, seed: 0, fraction: holdout.length / source.nRows, holdout });
    syntheticId = (await store.addDataset(project.id, { name: 'synthetic', table: synthetic, schema: args.schema, warnings: [] }, 'synthetic', project.currentDatasetId)).id;
    await api.cancel(); // the worker's first answer means its modules are loaded
  },

  async run(args) {
    const id = syntheticId;
    if (!id) throw new Error('call prepare() first');
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
      // As the app's EvaluateRun: an id goes to the worker, which reads the tables and saves the report.
      return api.evaluateDataset({ syntheticId: id, target: args.target, seed: args.seed }, proxy(onProgress));
    });
    const report = run.value.report as Report;
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
