/**
 * Counts the bytes that cross between the page and its workers, both ways (typed arrays by their byte
 * length, strings at two bytes a character). Installed with `context.addInitScript(installWorkerMessageProbe)`
 * before the app loads; read and reset with `takeWorkerCrossing(page)`. Used by the end-to-end tests and
 * by bench/page-memory.ts to show that tables and models stay in the workers.
 */
import type { Page } from 'playwright-core';

export interface Crossing {
  toWorker: number;
  fromWorker: number;
  messages: number;
  /** The largest single message, either way. */
  largest: number;
}

export function installWorkerMessageProbe() {
  const w = window as unknown as { __crossing: Crossing };
  w.__crossing = { toWorker: 0, fromWorker: 0, messages: 0, largest: 0 };
  const size = (v: unknown, seen = new Set<unknown>()): number => {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'string') return v.length * 2;
    if (typeof v !== 'object') return 8;
    if (seen.has(v)) return 0;
    seen.add(v);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v.byteLength;
    if (v instanceof Blob) return v.size;
    let n = 0;
    for (const x of Object.values(v as Record<string, unknown>)) n += size(x, seen);
    return n;
  };
  const count = (n: number, way: 'toWorker' | 'fromWorker') => {
    w.__crossing[way] += n;
    w.__crossing.messages++;
    w.__crossing.largest = Math.max(w.__crossing.largest, n);
  };
  const Native = window.Worker;
  class Probed extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (e) => count(size((e as MessageEvent).data), 'fromWorker'));
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      count(size(message), 'toWorker');
      super.postMessage(message, transfer as Transferable[]);
    }
  }
  window.Worker = Probed as typeof Worker;
}

/** In the page: what crossed since the last call (then starts counting afresh). */
export function takeCrossingHere(): Crossing {
  const w = window as unknown as { __crossing: Crossing };
  const c = { ...w.__crossing };
  w.__crossing = { toWorker: 0, fromWorker: 0, messages: 0, largest: 0 };
  return c;
}

/** From the test: the same, run in the page. */
export function takeWorkerCrossing(page: Pick<Page, 'evaluate'>): Promise<Crossing> {
  return page.evaluate(takeCrossingHere);
}
