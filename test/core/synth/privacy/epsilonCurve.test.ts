import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/context';
import { applySplit, splitHoldout } from '../../../../src/core/table/split';
import { DEFAULT_CURVE_EPSILONS, epsilonCurve, formatEpsilon, type EpsilonCurve } from '../../../../src/core/synth/privacy/epsilonCurve';
import { accuracyScorer } from '../../../../src/core/synth/generations';
import { loadCsv } from '../pipeline/loadCsv';

function split(file: string) {
  const { table, schema } = loadCsv(file);
  return { schema, ...applySplit(table, splitHoldout(table.nRows, 0.2, 1)) };
}

const penguins = split('penguins.csv');
const curveOf = (seed: number, extra: Partial<Parameters<typeof epsilonCurve>[0]> = {}) =>
  epsilonCurve({ ...penguins, options: { epsilon: 1, publicDomain: true }, seed, ...extra });

describe('ε curve of the Bayesian network', () => {
  it('fits at each budget (0.25 … 5 and ∞) and scores 2-way accuracy beside one holdout ceiling', async () => {
    const progress: number[] = [];
    const seen: number[] = [];
    const c = await curveOf(7, { onProgress: (p) => progress.push(p.fraction), onPoint: (_, i) => seen.push(i) });
    expect(c.points.map((p) => p.epsilon)).toEqual([0.25, 0.5, 1, 2, 5, null]);
    expect(c.points.map((p) => formatEpsilon(p.epsilon))).toEqual(['0.25', '0.5', '1', '2', '5', '∞']);
    expect(DEFAULT_CURVE_EPSILONS).toEqual([0.25, 0.5, 1, 2, 5, Infinity]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.synthesizer).toBe('bayesnet');
    expect(c.publicDomain).toBe(true);
    expect(c.options).toEqual({ publicDomain: true }); // the fitted ε is replaced at each point
    expect(c.rows).toBe(penguins.train.nRows);
    expect(c.trainRows).toBe(penguins.train.nRows);
    expect(c.holdoutRows).toBe(penguins.holdout.nRows);
    expect(c.sampleSeed).toBe(1007);
    for (const p of c.points) {
      expect(p.refused).toBeUndefined();
      expect(p.twoWay).toBeGreaterThan(0.3);
      expect(p.twoWay).toBeLessThanOrEqual(1);
      expect(p.seconds).toBeGreaterThanOrEqual(0);
      // The ceiling does not depend on the synthetic rows: the same at every point.
      expect(p.ceiling).toBe(c.ceiling);
    }
    // The ceiling is the report's: the holdout scored with the report's seed and metric.
    expect(c.ceiling).toBe(accuracyScorer(penguins.train, penguins.holdout, penguins.schema, c.metricSeed)(penguins.holdout).ceiling![1]);
    expect(c.ceiling!).toBeGreaterThan(0.6);
    // Progress only goes forward and ends at 1.
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1] - 1e-12)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    // JSON-able as stored (∞ as null).
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    console.log(`penguins ε curve (public domain, seed 7): ${c.points.map((p) => `ε=${formatEpsilon(p.epsilon)} ${p.twoWay!.toFixed(3)}`).join(', ')}; ceiling ${c.ceiling!.toFixed(3)}`);
  });

  it('without differential privacy does at least as well as at ε = 0.25, on average over seeds', async () => {
    const curves: EpsilonCurve[] = [];
    for (const seed of [1, 2, 3]) curves.push(await curveOf(seed, { epsilons: [0.25, Infinity] }));
    const mean = (i: number) => curves.reduce((s, c) => s + c.points[i].twoWay!, 0) / curves.length;
    console.log(`penguins mean 2-way over 3 seeds: ε=0.25 ${mean(0).toFixed(3)}, ε=∞ ${mean(1).toFixed(3)}`);
    expect(mean(1)).toBeGreaterThanOrEqual(mean(0));
  });

  it('is deterministic under its seeds', async () => {
    const a = await curveOf(11, { epsilons: [0.5, Infinity] });
    const b = await curveOf(11, { epsilons: [0.5, Infinity] });
    const strip = (c: EpsilonCurve) => c.points.map(({ seconds: _s, ...p }) => p);
    expect(strip(a)).toEqual(strip(b));
    const other = await curveOf(12, { epsilons: [0.5] });
    expect(other.points[0].twoWay).not.toBe(a.points[0].twoWay);
  });

  it('records a refused fit (a private domain on a small table) with its reason and goes on', async () => {
    const survey = split('survey.csv');
    const c = await epsilonCurve({ ...survey, options: { epsilon: 1 }, seed: 3, epsilons: [1, Infinity] });
    expect(c.publicDomain).toBe(false);
    expect(c.points).toHaveLength(2);
    const [refused, open] = c.points;
    expect(refused.epsilon).toBe(1);
    expect(refused.twoWay).toBeNull();
    expect(refused.ceiling).toBeNull();
    expect(refused.refused?.message).toMatch(/too small to choose its values privately/);
    expect(refused.refused?.hint).toMatch(/Values and ranges are public/);
    expect(open.refused).toBeUndefined();
    expect(open.twoWay).toBeGreaterThan(0.3);
    expect(c.ceiling).toBe(open.ceiling);
    // Every point refused: the ceiling is still given.
    const all = await epsilonCurve({ ...survey, options: {}, seed: 3, epsilons: [0.25, 0.5] });
    expect(all.points.every((p) => p.refused)).toBe(true);
    expect(all.ceiling).toBe(c.ceiling);
  });

  it('stops on cancel, and refuses a budget that is not positive', async () => {
    const ac = new AbortController();
    const run = curveOf(1, { signal: ac.signal, onPoint: () => ac.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(curveOf(1, { epsilons: [0] })).rejects.toThrow(/positive number or ∞/);
  });
});
