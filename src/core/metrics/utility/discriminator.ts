/**
 * Discriminator AUC: a random forest tries to tell training rows from synthetic rows; its ROC AUC on
 * rows it did not train on is 0.5 when it cannot (ideal) and 1 when the synthetic rows stand out.
 */
import type { AlignedTables } from '../align';
import type { Discriminator } from '../../report/types';
import type { Rng } from '../../random/rng';
import { sampleIndices, takeInt } from '../sample';
import { DEFAULT_FOREST, fitForest, predictForest } from './forest';
import { binned, concatValues, fitSpecs, gather } from './dataset';
import { rocAuc } from './scores';
import { modelDescription } from './tstr';

/** Rows drawn from each of training and synthetic; 70% of the pooled rows train, 30% test. */
export const DISCRIMINATOR_ROWS = 5000;
const TEST_SHARE = 0.3;

export function discriminator(a: AlignedTables, rng: Rng, perSide = DISCRIMINATOR_ROWS): Discriminator | null {
  const m = Math.min(perSide, a.nTrain, a.nSynthetic);
  if (m < 10) return null;
  const realRows = sampleIndices(a.nTrain, m, rng.fork('real'));
  const synRows = sampleIndices(a.nSynthetic, m, rng.fork('synthetic'));
  const pooled = a.columns.map((c) => concatValues(gather(c, 'train', realRows), gather(c, 'synthetic', synRows)));
  const label = new Int32Array(2 * m);
  label.fill(1, m);
  // Seeded shuffle of the pooled rows, then a split into a training and a test part.
  const order = rng.fork('split').shuffle(Int32Array.from({ length: 2 * m }, (_, i) => i));
  const nTest = Math.round(2 * m * TEST_SHARE);
  const testIdx = order.slice(0, nTest), trainIdx = order.slice(nTest);
  const pick = (v: Float64Array | Int32Array, rows: Int32Array) => {
    const out = v instanceof Float64Array ? new Float64Array(rows.length) : new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]];
    return out;
  };
  const trainValues = pooled.map((v) => pick(v, trainIdx));
  const specs = fitSpecs(a.columns, trainValues);
  const forest = fitForest(binned(specs, trainValues), takeInt(label, trainIdx), { ...DEFAULT_FOREST, task: 'classification', nClasses: 2 }, rng.fork('forest'));
  const proba = predictForest(forest, binned(specs, pooled.map((v) => pick(v, testIdx))));
  const testLabel = takeInt(label, testIdx);
  const auc = rocAuc(Array.from(testLabel, (l) => l === 1), Array.from(testLabel, (_, i) => proba[2 * i + 1]));
  return { auc: auc ?? 0.5, rows: 2 * m, model: modelDescription() };
}
