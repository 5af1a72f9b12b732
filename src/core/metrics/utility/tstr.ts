/**
 * Machine-learning utility: a random forest trained on synthetic rows and tested on the holdout
 * (TSTR), beside the same model trained on the real training rows (TRTR).
 */
import type { AlignedTables, AlignedColumn, Part } from '../align';
import type { ModelScores, Utility } from '../../report/types';
import type { Rng } from '../../random/rng';
import { UserError } from '../../context';
import { sampleIndices, takeInt } from '../sample';
import { DEFAULT_FOREST, fitForest, predictForest } from './forest';
import { binned, fitSpecs, gather, rowsWithTarget } from './dataset';
import { accuracy, argmaxRows, macroAucOvR, macroF1, r2 } from './scores';

/** Training rows per model at most (a seeded subsample beyond), and test rows at most. */
export const MAX_MODEL_TRAIN_ROWS = 10_000;
export const MAX_MODEL_TEST_ROWS = 10_000;

/** TRTR at or below these is chance level (Utility.noSignal): AUC 0.5 and R² 0 are no skill at all. */
export const NO_SIGNAL_AUC = 0.55;
export const NO_SIGNAL_R2 = 0.02;

export function modelDescription(nTrees = DEFAULT_FOREST.nTrees): string {
  return `random forest (${nTrees} trees, depth ≤ ${DEFAULT_FOREST.maxDepth}, √p features per split; numbers in ≤ 31 quantile bins, categories as codes, missing values as a bin of their own)`;
}

export function utility(a: AlignedTables, targetName: string, rng: Rng): Utility {
  const target = a.columns.find((c) => c.name === targetName);
  if (!target) {
    throw new UserError(`No evaluated column named "${targetName}"`, `Pick one of: ${a.columns.map((c) => c.name).join(', ')}.`);
  }
  const features = a.columns.filter((c) => c !== target);
  const task = target.kind === 'numeric' ? 'regression' : 'classification';
  const testRows = capRows(rowsWithTarget(target, 'holdout'), MAX_MODEL_TEST_ROWS, rng.fork('test'));
  if (testRows.length === 0) throw new UserError(`The holdout has no value in the target column "${targetName}"`);
  const score = (part: Part) => trainAndTest(target, features, part, testRows, rng.fork(part));
  const trtr = score('train'), tstr = score('synthetic');
  const metric = task === 'classification' ? 'macroF1' : 'r2';
  const base = trtr.scores[metric] ?? 0, syn = tstr.scores[metric] ?? 0;
  const noSignal = task === 'classification' ? (trtr.scores.auc ?? 0.5) <= NO_SIGNAL_AUC : base <= NO_SIGNAL_R2;
  return {
    target: targetName,
    task,
    metric,
    tstr: tstr.scores,
    trtr: trtr.scores,
    ratio: base > 0 ? syn / base : null,
    ...(noSignal ? { noSignal: true } : {}),
    trainRows: Math.max(trtr.trainRows, tstr.trainRows),
    testRows: testRows.length,
    model: modelDescription(),
  };
}

function capRows(rows: Int32Array, max: number, rng: Rng): Int32Array {
  return rows.length <= max ? rows : takeInt(rows, sampleIndices(rows.length, max, rng));
}

function trainAndTest(target: AlignedColumn, features: AlignedColumn[], part: Part, testRows: Int32Array, rng: Rng): { scores: ModelScores; trainRows: number } {
  const rows = capRows(rowsWithTarget(target, part), MAX_MODEL_TRAIN_ROWS, rng.fork('rows'));
  const yTest = gather(target, 'holdout', testRows);
  if (rows.length < 2) {
    // Nothing to learn from: the model predicts nothing right.
    return { scores: target.kind === 'numeric' ? { r2: 0 } : { macroF1: 0, accuracy: 0, auc: null }, trainRows: rows.length };
  }
  const trainValues = features.map((c) => gather(c, part, rows));
  const specs = fitSpecs(features, trainValues);
  const x = binned(specs, trainValues);
  const xTest = binned(specs, features.map((c) => gather(c, 'holdout', testRows)));
  const y = gather(target, part, rows);
  if (target.kind === 'numeric') {
    const f = fitForest(x, y, { ...DEFAULT_FOREST, task: 'regression', nClasses: 1 }, rng.fork('forest'));
    return { scores: { r2: r2(yTest as Float64Array, predictForest(f, xTest)) }, trainRows: rows.length };
  }
  const nClasses = target.levels.length;
  const f = fitForest(x, y, { ...DEFAULT_FOREST, task: 'classification', nClasses }, rng.fork('forest'));
  const proba = predictForest(f, xTest);
  const pred = argmaxRows(proba, nClasses);
  const truth = yTest as Int32Array;
  return {
    scores: { macroF1: macroF1(truth, pred), accuracy: accuracy(truth, pred), auc: macroAucOvR(truth, proba, nClasses) },
    trainRows: rows.length,
  };
}
