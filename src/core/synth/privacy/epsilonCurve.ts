/**
 * The ε curve (issue 18): the Bayesian network fitted at each privacy budget of a list (0.25 … 5 and ∞,
 * i.e. no differential privacy) with the options it was fitted with otherwise, a sample of the training
 * size drawn from each fit, and each sample's 2-way accuracy against the training rows, scored as the
 * report scores it (generations.ts accuracyScorer: the report's binning, combinations and seed), beside
 * the holdout's (the ceiling). A budget at which the fit is refused (a UserError, e.g. a table too small
 * to choose its values privately) is recorded as refused, with the reason, and the curve goes on.
 * Used by the bench (bench/privacy.ts) and by the app's report (workers/epsilonCurve.worker.ts).
 */
import { throwIfAborted, UserError, yieldToEventLoop, type Progress } from '../../context';
import { DEFAULT_SEED, Rng } from '../../random/rng';
import type { Schema } from '../../schema/schema';
import type { Table } from '../../table/table';
import { accuracyScorer } from '../generations';
import { loadSynthesizer } from '../registry';
import { formatEpsilon } from '../../report/format';

/** The budgets of the curve by default; Infinity: no differential privacy. */
export const DEFAULT_CURVE_EPSILONS: readonly number[] = [0.25, 0.5, 1, 2, 5, Infinity];
/** Rows sampled at each point: the training size, at most this many. */
export const CURVE_SAMPLE_CAP = 10_000;

export interface EpsilonCurvePoint {
  /** The fit's budget; null for ε = ∞ (fitted without differential privacy). JSON-able. */
  epsilon: number | null;
  /** 2-way accuracy of the sample against the training rows; null when refused (or under 2 columns). */
  twoWay: number | null;
  /** The holdout's 2-way accuracy against the same rows (the ceiling); null when refused. */
  ceiling: number | null;
  /** Why the fit was refused at this budget (a UserError's message and hint). */
  refused?: { message: string; hint?: string };
  /** Seconds this point took (fit, sample, score). */
  seconds: number;
}

export interface EpsilonCurve {
  synthesizer: 'bayesnet';
  /** Values and ranges declared public at every finite ε (the fitted options' publicDomain). */
  publicDomain: boolean;
  /** The options of every fit, ε aside. */
  options: Record<string, unknown>;
  /** Every fit uses Rng(fitSeed), every sample seed sampleSeed, the scores the report's metric seed. */
  fitSeed: number;
  sampleSeed: number;
  metricSeed: number;
  /** Rows sampled at each point. */
  rows: number;
  trainRows: number;
  holdoutRows: number;
  /** The holdout's 2-way accuracy (the same at every point); null without a holdout or 2 columns. */
  ceiling: number | null;
  /** One per budget asked for, in the order asked. */
  points: EpsilonCurvePoint[];
}

export interface EpsilonCurveInput {
  train: Table;
  holdout: Table;
  schema: Schema;
  /** The Bayesian network's options as fitted (publicDomain included); epsilon is replaced at each point. */
  options: Record<string, unknown>;
  /** Fit seed (Rng(seed) for every fit). */
  seed: number;
  /** Sample seed; seed + 1000 when left out (the bench's convention). */
  sampleSeed?: number;
  /** Seed of the metric (the report's seed: its fork 'fidelity' is what the report scores with). */
  metricSeed?: number;
  /** Budgets, Infinity for none; DEFAULT_CURVE_EPSILONS when left out. */
  epsilons?: readonly number[];
  /** Rows sampled at most (CURVE_SAMPLE_CAP). */
  sampleCap?: number;
  signal?: AbortSignal;
  /** Progress of the whole curve; `message` names the budget being fitted. */
  onProgress?: (p: Progress) => void;
  /** Each point as soon as it is scored (or refused). */
  onPoint?: (p: EpsilonCurvePoint, index: number) => void;
}

/** Share of one point's time spent fitting and sampling, for the progress fraction. */
const FIT_SHARE = 0.6, SAMPLE_SHARE = 0.3;

export { formatEpsilon };

export async function epsilonCurve(input: EpsilonCurveInput): Promise<EpsilonCurve> {
  const { train, holdout, schema, signal, onProgress } = input;
  const epsilons = input.epsilons ?? DEFAULT_CURVE_EPSILONS;
  for (const e of epsilons) {
    if (!(e > 0)) throw new UserError(`A budget of the ε curve must be a positive number or ∞, got ${e}.`);
  }
  const { epsilon: _fitted, ...options } = input.options;
  void _fitted;
  const publicDomain = options.publicDomain === true;
  const fitSeed = input.seed;
  const sampleSeed = input.sampleSeed ?? input.seed + 1000;
  const metricSeed = input.metricSeed ?? DEFAULT_SEED;
  const rows = Math.min(train.nRows, input.sampleCap ?? CURVE_SAMPLE_CAP);
  const synthesizer = await loadSynthesizer('bayesnet');
  const scorer = accuracyScorer(train, holdout, schema, metricSeed);
  const n = epsilons.length;
  const report = (i: number, phase: string, within: number) =>
    onProgress?.({ phase, fraction: Math.min(1, (i + within) / n), message: `ε = ${formatEpsilon(epsilons[i])} (${i + 1} of ${n})` });

  const points: EpsilonCurvePoint[] = [];
  for (let i = 0; i < n; i++) {
    throwIfAborted(signal);
    const t0 = now();
    const eps = epsilons[i];
    const epsilon = Number.isFinite(eps) ? eps : null;
    report(i, 'fit', 0);
    let point: EpsilonCurvePoint;
    try {
      const fitOptions: Record<string, unknown> = epsilon === null ? { ...options } : { ...options, epsilon };
      const model = await synthesizer.fit(train, schema, fitOptions, {
        rng: new Rng(fitSeed),
        signal,
        onProgress: (p) => report(i, 'fit', FIT_SHARE * p.fraction),
      });
      throwIfAborted(signal);
      report(i, 'sample', FIT_SHARE);
      const synthetic = await model.sample(rows, {
        seed: sampleSeed,
        signal,
        onProgress: (p) => report(i, 'sample', FIT_SHARE + SAMPLE_SHARE * p.fraction),
      });
      report(i, 'score', FIT_SHARE + SAMPLE_SHARE);
      await yieldToEventLoop();
      throwIfAborted(signal);
      const scored = scorer(synthetic);
      point = { epsilon, twoWay: scored.accuracy[1], ceiling: scored.ceiling?.[1] ?? null, seconds: (now() - t0) / 1000 };
    } catch (e) {
      // Only a refusal of the fit is a point of the curve; a cancel or a bug stops the curve.
      if (!(e instanceof UserError)) throw e;
      point = { epsilon, twoWay: null, ceiling: null, refused: { message: e.message, ...(e.hint ? { hint: e.hint } : {}) }, seconds: (now() - t0) / 1000 };
    }
    points.push(point);
    input.onPoint?.(point, i);
    report(i, 'score', 1);
  }
  throwIfAborted(signal);
  const scoredCeiling = points.find((p) => !p.refused)?.ceiling;
  // Every point refused: the ceiling does not depend on the synthetic rows, so score the holdout itself.
  const ceiling = scoredCeiling !== undefined ? scoredCeiling : (scorer(holdout).ceiling?.[1] ?? null);
  return {
    synthesizer: 'bayesnet',
    publicDomain,
    options,
    fitSeed,
    sampleSeed,
    metricSeed,
    rows,
    trainRows: train.nRows,
    holdoutRows: holdout.nRows,
    ceiling,
    points,
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
