/** Fidelity section: column shapes, pair trends, association matrices, k-way accuracy against the ceiling. */
import type { AlignedTables } from './align';
import type { ColumnFidelity, Fidelity, PairFidelity } from '../report/types';
import type { Rng } from '../random/rng';
import { ProgressTicker } from '../progressTicker';
import { columnShape } from './shapes';
import { pairBins, pairTrend } from './pairs';
import { columnDistribution } from './distributions';
import { binForAccuracy, kWayAccuracy } from './kway';
import { sampleIndices, takeFloat, takeInt } from './sample';

export async function fidelity(a: AlignedTables, rng: Rng, signal?: AbortSignal, progress: (f: number) => void = () => {}): Promise<Fidelity> {
  const cols = a.columns;
  const columns: ColumnFidelity[] = cols.map((c) => ({
    name: c.name,
    kind: c.kind,
    metric: c.kind === 'numeric' ? 'KSComplement' : 'TVComplement',
    score: columnShape(c),
    distribution: columnDistribution(c),
    ...(c.schemaKind === 'datetime' ? { datetime: true } : {}),
    ...(c.kind === 'numeric' && c.noGrouping ? { noGrouping: true } : {}),
  }));
  progress(0.1);

  const p = cols.length;
  const real = square(p), synthetic = square(p);
  const pairList: PairFidelity[] = [];
  const nPairs = (p * (p - 1)) / 2;
  // Keeps a worker responsive to cancel during long pair loops.
  const ticker = new ProgressTicker({ signal, onProgress: (p) => progress(p.fraction) });
  const bins = cols.map((c) => pairBins(c));
  for (let i = 0; i < p; i++) {
    real[i][i] = synthetic[i][i] = 1;
    for (let j = i + 1; j < p; j++) {
      const s = pairTrend(cols[i], cols[j], 'synthetic', bins[i], bins[j]);
      pairList.push({ a: cols[i].name, b: cols[j].name, ...s });
      real[i][j] = real[j][i] = s.real;
      synthetic[i][j] = synthetic[j][i] = s.synthetic;
      await ticker.maybePause('pairs', 0.1 + (0.5 * pairList.length) / nPairs);
    }
  }
  progress(0.6);

  // The synthetic table is compared on as many rows as the holdout, so both carry the same sampling noise.
  const synRows = sampleIndices(a.nSynthetic, Math.min(a.nSynthetic, a.nHoldout), rng.fork('accuracy-rows'));
  const binnedParts = binForAccuracy(cols, (c) => [c.holdout, c.kind === 'numeric' ? takeFloat(c.synthetic, synRows) : takeInt(c.synthetic, synRows)]);
  const acc = kWayAccuracy(binnedParts, 2, rng.fork('accuracy-combinations'));
  progress(1);

  const shapes = mean(columns.map((c) => c.score)) ?? 0;
  const pairs = mean(pairList.map((x) => x.score));
  const mattering = pairList.filter((x) => x.matters);
  return {
    shapes,
    pairs,
    pairsThatMatter: mean(mattering.map((x) => x.score)),
    pairsThatMatterCount: mattering.length,
    quality: pairs === null ? shapes : (shapes + pairs) / 2,
    accuracy: {
      synthetic: acc.means[1] as [number | null, number | null, number | null],
      ceiling: acc.means[0] as [number | null, number | null, number | null],
      combinations: acc.combinations,
      syntheticRows: synRows.length,
    },
    columns: columns.sort((x, y) => x.score - y.score),
    pairList: pairList.sort((x, y) => x.score - y.score || Number(y.matters) - Number(x.matters)),
    associations: { columns: cols.map((c) => c.name), real, synthetic },
  };
}

function square(p: number): (number | null)[][] {
  return Array.from({ length: p }, () => new Array<number | null>(p).fill(null));
}

export function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}
