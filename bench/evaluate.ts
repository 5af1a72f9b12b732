/**
 * Full evaluation report for a 50 k-row x 15-column table (training 50 k, holdout 12.5 k, synthetic
 * 50 k rows, all drawn from one generated population), in seconds per phase. Target: < 15 s in Chromium.
 * Run alone: npx tsx bench/evaluate.ts
 */
import { evaluate, type EvaluateInput, type Report } from '../src/core/metrics';
import { renderReportHtml } from '../src/core/report';
import { Rng } from '../src/core/random/rng';
import { categoricalColumn, makeTable, numericColumn, type Column, type Table } from '../src/core/table/table';
import type { ColumnKind, Schema } from '../src/core/schema/schema';

const KINDS: ColumnKind[] = [
  'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'integer', 'datetime',
  'categorical', 'categorical', 'categorical', 'categorical', 'boolean', 'categorical',
];

/** A population with correlated numbers, dependent categories and some missing values. */
export function population(n: number, seed: number): Table {
  const rng = new Rng(seed);
  const cols = KINDS.map(() => new Float64Array(n));
  const codes = KINDS.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const z = rng.normal(), w = rng.normal();
    const region = rng.int(6);
    cols[0][i] = 50 + 10 * z;
    cols[1][i] = 0.7 * z + 0.7 * rng.normal();
    cols[2][i] = Math.exp(0.5 * w + 0.1 * region);
    cols[3][i] = rng.next() < 0.1 ? NaN : 3 * w - z + rng.normal();
    cols[4][i] = rng.uniform(0, 100);
    cols[5][i] = region * 10 + rng.normal();
    cols[6][i] = Math.round(100 * (z * w + rng.normal())) / 100;
    cols[7][i] = Math.max(0, Math.round(3 + 2 * z + rng.normal()));
    cols[8][i] = Date.UTC(2020, 0, 1) + Math.floor(rng.next() * 3 * 365) * 86400000;
    codes[9][i] = region;
    codes[10][i] = z > 0.5 ? 0 : z > -0.5 ? 1 : 2;
    codes[11][i] = rng.next() < 0.05 ? -1 : (region + rng.int(3)) % 8;
    codes[12][i] = rng.int(40);
    codes[13][i] = w + 0.5 * z > 0 ? 1 : 0;
    codes[14][i] = (codes[10][i] + (rng.next() < 0.8 ? 0 : 1 + rng.int(2))) % 3;
  }
  const levels = (k: number, prefix: string) => Array.from({ length: k }, (_, j) => `${prefix}${j}`);
  const lv: Record<number, string[]> = { 9: levels(6, 'region'), 10: ['high', 'mid', 'low'], 11: levels(8, 'shop'), 12: levels(40, 'item'), 13: ['no', 'yes'], 14: ['A', 'B', 'C'] };
  const columns: Column[] = KINDS.map((k, j) => (j >= 9 ? categoricalColumn(`c${j}`, codes[j], lv[j]) : numericColumn(`c${j}`, cols[j])));
  return makeTable(columns);
}

export const SCHEMA: Schema = { columns: KINDS.map((kind, j) => ({ name: `c${j}`, kind, role: 'synthesize', pii: [] })) };

/** The benchmark's input: training 50 k, holdout 12.5 k and synthetic 50 k rows of one population. */
export function evaluateCase(): EvaluateInput {
  return { train: population(50_000, 1), holdout: population(12_500, 2), synthetic: population(50_000, 3), schema: SCHEMA, target: 'c14', label: 'bench' };
}

export interface EvaluateTiming {
  seconds: number;
  /** CPU seconds (user + system) of this process during evaluate(): robust when other work shares the cores. */
  cpuSeconds: number;
  phases: [string, number][];
  htmlMs: number;
  htmlBytes: number;
  report: Report;
}

/** The full report in Node (seed 1, as the evaluate worker's default), timed per phase, then its HTML export. */
export async function measureEvaluate(input: EvaluateInput = evaluateCase()): Promise<EvaluateTiming> {
  const phases: [string, number][] = [];
  let last = performance.now(), phase = '';
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await evaluate(input, {
    rng: new Rng(1),
    onProgress: (p) => {
      if (p.phase === phase) return;
      const now = performance.now();
      if (phase) phases.push([phase, now - last]);
      phase = p.phase;
      last = now;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const html = renderReportHtml(report);
  const htmlMs = performance.now() - t1;
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, phases, htmlMs, htmlBytes: html.length, report };
}

export async function run(): Promise<void> {
  const { seconds: total, phases, htmlMs, htmlBytes, report } = await measureEvaluate();
  console.log(`evaluate 50k x 15 (train 50 000, holdout 12 500, synthetic 50 000, target c14): ${total.toFixed(2)} s (target < 15 s in Chromium)`);
  console.log(`  ${phases.map(([p, ms]) => `${p} ${(ms / 1000).toFixed(2)} s`).join(' · ')}`);
  console.log(`  html export ${htmlMs.toFixed(0)} ms, ${(htmlBytes / 1024).toFixed(0)} KB`);
  const a = report.fidelity.accuracy;
  console.log(`  same-population check: acc2 ${a.synthetic[1]?.toFixed(3)} (ceiling ${a.ceiling[1]?.toFixed(3)}), DCR share ${report.privacy.dcr.share.toFixed(3)}, TSTR/TRTR ${report.utility?.ratio?.toFixed(2)}, discriminator AUC ${report.discriminator?.auc.toFixed(2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
