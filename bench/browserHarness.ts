/**
 * Node side of the Chromium benchmarks: a vite dev server over the repository (so bench pages create the
 * app's own module workers from workers/*.ts), headless Chromium through playwright-core, and CPU
 * accounting for the browser's processes. Tables generated in Node are served to the page as binary
 * (see tableWire.ts) at /__bench/table/<name>.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession } from 'playwright-core';
import type { Plugin, ViteDevServer } from 'vite';
import type { Table } from '../src/core/table/table';
import { encodeTable } from './tableWire';
import { tfjsWasmAssets } from '../scripts/tfjsWasmAssets';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  server: ViteDevServer;
  close(): Promise<void>;
}

/** Serves each table once encoded, at /__bench/table/<name>. */
function tablesPlugin(tables: Record<string, Table>): Plugin {
  const encoded = new Map(Object.entries(tables).map(([name, t]) => [name, encodeTable(t)]));
  return {
    name: 'facsimile-bench-tables',
    configureServer(server) {
      server.middlewares.use('/__bench/table/', (req, res, next) => {
        const body = encoded.get(decodeURIComponent((req.url ?? '').replace(/^\//, '').split('?')[0]));
        if (!body) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(body);
      });
    },
  };
}

/**
 * A vite dev server rooted at the repository. `entries`/`include` are pre-bundled up front: discovering a
 * dependency mid-run makes vite reload the page.
 */
export async function startBenchServer(opts: { entries: string[]; include: string[]; tables?: Record<string, Table> }): Promise<BenchServer> {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1' },
    worker: { format: 'es' },
    // The transformer's tfjs WASM binaries, served as the app serves them.
    plugins: [tfjsWasmAssets(), ...(opts.tables ? [tablesPlugin(opts.tables)] : [])],
    optimizeDeps: { entries: opts.entries, include: opts.include },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 5173;
  return { origin: `http://127.0.0.1:${port}`, server, close: () => server.close() };
}

/** `extraArgs`: e.g. `--enable-unsafe-webgpu`, without which headless Chromium offers no WebGPU. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info', ...extraArgs],
  });
}

/** RSS (bytes) and CPU ticks of every descendant of a process (Linux /proc). Chromium is a child of this process. */
export function descendants(rootPid: number): Map<number, { rss: number; ticks: number }> {
  const children = new Map<number, number[]>();
  const stats = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      stats.set(Number(d), stat);
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* process ended */
    }
  }
  const out = new Map<number, { rss: number; ticks: number }>();
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length) {
    const pid = stack.pop() as number;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      const f = (stats.get(pid) ?? '').slice((stats.get(pid) ?? '').lastIndexOf(')') + 2).split(' ');
      out.set(pid, { rss: m ? Number(m[1]) * 1024 : 0, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds the descendants spent between two descendants() snapshots (ticks are 1/100 s on Linux). */
export function cpuSecondsBetween(before: Map<number, { ticks: number }>, after: Map<number, { ticks: number }>): number {
  let ticks = 0;
  for (const [pid, v] of after) ticks += v.ticks - (before.get(pid)?.ticks ?? 0);
  return ticks / 100;
}

/**
 * CPU accounting of one run in Chromium, from three sources that check one another:
 * /proc ticks of all Chromium processes, the renderer's cpuTime from CDP SystemInfo.getProcessInfo
 * (page main thread + its workers live in the renderer) and the main thread's TaskDuration from CDP
 * Performance.getMetrics. Renderer minus main thread ~ the worker.
 */
export interface BrowserCpu {
  allProcessesS: number;
  /** NaN when SystemInfo.getProcessInfo is unavailable. */
  rendererS: number;
  mainThreadTaskS: number;
}

export class CpuMeter {
  private constructor(
    private readonly browserCdp: CDPSession | null,
    private readonly pageCdp: CDPSession,
  ) {}

  static async attach(browser: Browser, pageCdp: CDPSession): Promise<CpuMeter> {
    await pageCdp.send('Performance.enable');
    let browserCdp: CDPSession | null = null;
    try {
      browserCdp = await browser.newBrowserCDPSession();
      await browserCdp.send('SystemInfo.getProcessInfo');
    } catch {
      browserCdp = null;
    }
    return new CpuMeter(browserCdp, pageCdp);
  }

  private async snapshot() {
    let renderer = NaN;
    if (this.browserCdp) {
      const info = await this.browserCdp.send('SystemInfo.getProcessInfo');
      renderer = info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0);
    }
    const m = await this.pageCdp.send('Performance.getMetrics');
    const task = m.metrics.find((x) => x.name === 'TaskDuration')?.value ?? NaN;
    return { procs: descendants(process.pid), renderer, task };
  }

  /** CPU spent while `work` runs. */
  async measure<T>(work: () => Promise<T>): Promise<{ value: T; cpu: BrowserCpu }> {
    const a = await this.snapshot();
    const value = await work();
    const b = await this.snapshot();
    return {
      value,
      cpu: { allProcessesS: cpuSecondsBetween(a.procs, b.procs), rendererS: b.renderer - a.renderer, mainThreadTaskS: b.task - a.task },
    };
  }
}

export function formatCpu(c: BrowserCpu): string {
  const renderer = Number.isFinite(c.rendererS) ? `renderer ${c.rendererS.toFixed(2)} s (main thread tasks ${c.mainThreadTaskS.toFixed(2)} s, so worker ~${(c.rendererS - c.mainThreadTaskS).toFixed(2)} s), ` : '';
  return `CPU ${renderer}all chromium processes ${c.allProcessesS.toFixed(2)} s`;
}
