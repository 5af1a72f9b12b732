/**
 * Distance to closest record (Gower), on equal-size samples of training, holdout and synthetic rows:
 * the DCR share (synthetic rows closer to training than to holdout, ties counted half; 50% is what
 * a fresh sample shows, well above it means memorisation), the nearest-neighbour distance ratio, and
 * the distances of holdout rows and of uniform random rows as references.
 */
import type { AlignedTables } from '../align';
import type { DistanceToClosestRecord, Histogram } from '../../report/types';
import type { TaskContext } from '../../context';
import { encodeRows, nearest, randomRows } from './gower';
import { sampleIndices } from '../sample';

export const DEFAULT_DCR_SAMPLE = 2000;
const HISTOGRAM_BINS = 20;

export async function distanceToClosestRecord(
  a: AlignedTables,
  sampleSize: number,
  ctx: TaskContext,
  progress: (fraction: number) => void = () => {},
): Promise<DistanceToClosestRecord> {
  const m = Math.max(0, Math.min(sampleSize, a.nTrain, a.nHoldout, a.nSynthetic));
  const rng = ctx.rng.fork('dcr');
  const train = encodeRows(a.columns, 'train', sampleIndices(a.nTrain, m, rng.fork('train')));
  const holdout = encodeRows(a.columns, 'holdout', sampleIndices(a.nHoldout, m, rng.fork('holdout')));
  const synthetic = encodeRows(a.columns, 'synthetic', sampleIndices(a.nSynthetic, m, rng.fork('synthetic')));
  const random = randomRows(a.columns, m, rng.fork('random'));

  const synTrain = await nearest(synthetic, train, true, ctx.signal);
  progress(0.3);
  const synHoldout = await nearest(synthetic, holdout, false, ctx.signal);
  progress(0.55);
  const holdTrain = await nearest(holdout, train, true, ctx.signal);
  progress(0.8);
  const randTrain = await nearest(random, train, false, ctx.signal);
  progress(1);

  let closer = 0, ties = 0;
  for (let i = 0; i < m; i++) {
    if (synTrain.first[i] < synHoldout.first[i]) closer++;
    else if (synTrain.first[i] === synHoldout.first[i]) ties++;
  }
  const [hTrain, hHoldout] = histograms(synTrain.first, synHoldout.first);
  return {
    sampleSize: m,
    share: m ? (closer + ties / 2) / m : 0.5,
    ties: m ? ties / m : 0,
    medianSynthetic: median(synTrain.first),
    medianHoldout: median(holdTrain.first),
    medianRandom: median(randTrain.first),
    histogramTrain: hTrain,
    histogramHoldout: hHoldout,
    nndrSynthetic: meanRatio(synTrain.first, synTrain.second as Float64Array),
    nndrHoldout: meanRatio(holdTrain.first, holdTrain.second as Float64Array),
  };
}

export function median(v: Float64Array): number {
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Mean of nearest / second-nearest; 0/0 (a row equal to two identical rows) counts as 1. */
export function meanRatio(first: Float64Array, second: Float64Array): number {
  if (first.length === 0) return 1;
  let s = 0;
  for (let i = 0; i < first.length; i++) {
    const b = second[i];
    s += b > 0 && Number.isFinite(b) ? first[i] / b : 1;
  }
  return s / first.length;
}

function histograms(a: Float64Array, b: Float64Array): [Histogram, Histogram] {
  let max = 0;
  for (const v of [a, b]) for (const x of v) if (x > max) max = x;
  if (max === 0) max = 1;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (max * i) / HISTOGRAM_BINS);
  const count = (v: Float64Array): Histogram => {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const x of v) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((x / max) * HISTOGRAM_BINS))]++;
    return { edges, counts };
  };
  return [count(a), count(b)];
}
