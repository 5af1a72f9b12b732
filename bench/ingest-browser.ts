/**
 * Page side of the ingest benchmark: the app's path (a module worker built from workers/ingest.worker.ts,
 * comlink, progress proxy), timing from file pick to result and the longest main-thread task meanwhile.
 */
import { proxy, wrap } from 'comlink';
import type { IngestWorkerApi } from '../workers/ingest.worker';

interface BenchResult {
  /** File pick to project saved (the app's import). */
  seconds: number;
  /** File pick to table parsed (before saving). */
  parseSeconds?: number;
  /** File pick to the end of the CSV parse (column kinds are inferred after it). */
  inferStartSeconds?: number;
  rows: number;
  columns: number;
  progressMessages: number;
  firstPreviewSeconds: number;
  longTasks: number;
  maxLongTaskMs: number;
  kinds: string[];
  error?: string;
}

declare global {
  interface Window {
    __ingestBench?: BenchResult;
  }
}

const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

const api = wrap<IngestWorkerApi>(new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module' }));
const status = document.getElementById('status') as HTMLElement;
const input = document.getElementById('file') as HTMLInputElement;

input.addEventListener('change', async () => {
  const file = input.files?.[0];
  if (!file) return;
  longTasks.length = 0;
  const t0 = performance.now();
  let messages = 0;
  let firstPreview = NaN;
  try {
    // The app's path: parse and save the project in the worker; only the project id comes back.
    let parsedAt = NaN;
    let inferAt = NaN;
    const result = await api.ingestToProject(
      file,
      { fileName: file.name },
      { fraction: 0.2, seed: 1 },
      proxy((p) => {
        messages++;
        if (p.preview && Number.isNaN(firstPreview)) firstPreview = (performance.now() - t0) / 1000;
        if (p.message === 'Saving project' && Number.isNaN(parsedAt)) parsedAt = (performance.now() - t0) / 1000;
        if (p.phase === 'profiling' && Number.isNaN(inferAt)) inferAt = (performance.now() - t0) / 1000;
        status.textContent = `${p.phase} ${(100 * p.fraction).toFixed(0)}% ${p.rowsSoFar} rows`;
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    // Let the observer deliver entries for the last tasks.
    await new Promise((r) => setTimeout(r, 200));
    window.__ingestBench = {
      seconds,
      parseSeconds: parsedAt,
      inferStartSeconds: inferAt,
      rows: result.nRows,
      columns: result.nColumns,
      progressMessages: messages,
      firstPreviewSeconds: firstPreview,
      longTasks: longTasks.length,
      maxLongTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
      kinds: [],
    };
  } catch (e) {
    window.__ingestBench = { seconds: NaN, rows: 0, columns: 0, progressMessages: messages, firstPreviewSeconds: NaN, longTasks: 0, maxLongTaskMs: 0, kinds: [], error: String(e) };
  }
  status.textContent = 'done';
});
status.textContent = 'ready';
