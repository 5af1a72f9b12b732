/**
 * Page side of the ingest benchmark: the app's path (a module worker built from workers/ingest.worker.ts,
 * comlink, progress proxy), timing from file pick to result and the longest main-thread task meanwhile.
 */
import { proxy, wrap } from 'comlink';
import type { IngestApi } from '../workers/ingest.worker';

interface BenchResult {
  seconds: number;
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

const api = wrap<IngestApi>(new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module' }));
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
    const result = await api.ingest(
      file,
      { fileName: file.name },
      proxy((p) => {
        messages++;
        if (p.preview && Number.isNaN(firstPreview)) firstPreview = (performance.now() - t0) / 1000;
        status.textContent = `${p.phase} ${(100 * p.fraction).toFixed(0)}% ${p.rowsSoFar} rows`;
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    // Let the observer deliver entries for the last tasks.
    await new Promise((r) => setTimeout(r, 200));
    window.__ingestBench = {
      seconds,
      rows: result.table.nRows,
      columns: result.table.columns.length,
      progressMessages: messages,
      firstPreviewSeconds: firstPreview,
      longTasks: longTasks.length,
      maxLongTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
      kinds: result.schema.columns.map((c) => `${c.name}:${c.kind}`),
    };
  } catch (e) {
    window.__ingestBench = { seconds: NaN, rows: 0, columns: 0, progressMessages: messages, firstPreviewSeconds: NaN, longTasks: 0, maxLongTaskMs: 0, kinds: [], error: String(e) };
  }
  status.textContent = 'done';
});
status.textContent = 'ready';
