/**
 * Page side of the Chromium benchmarks: main-thread long tasks (what makes the UI stutter while a worker
 * runs) and the tables the Node driver serves at /__bench/table/<name>.
 */
import type { Table } from '../src/core/table/table';
import { decodeTable } from './tableWire';

export interface LongTaskFigures {
  /** Main-thread tasks over 50 ms while the measured work ran. */
  longTasks: number;
  maxLongTaskMs: number;
}

/** Collects main-thread long tasks; measure() reports those of one piece of work. */
export class LongTaskProbe {
  private readonly durations: number[] = [];

  constructor() {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.durations.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  }

  async measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number } & LongTaskFigures> {
    this.durations.length = 0;
    const t0 = performance.now();
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    // Let the observer deliver the entries of the last tasks.
    await new Promise((r) => setTimeout(r, 200));
    const d = this.durations;
    return { value, seconds, longTasks: d.length, maxLongTaskMs: d.length ? Math.max(...d) : 0 };
  }
}

/** The raw bytes of a served table: decode a fresh copy per run with decodeTable(). */
export async function fetchTableBytes(name: string): Promise<ArrayBuffer> {
  const res = await fetch(`/__bench/table/${encodeURIComponent(name)}`);
  if (!res.ok) throw new Error(`no bench table "${name}" (${res.status})`);
  return res.arrayBuffer();
}

export async function fetchTable(name: string): Promise<Table> {
  return decodeTable(await fetchTableBytes(name));
}
