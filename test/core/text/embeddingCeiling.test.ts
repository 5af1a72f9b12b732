import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random/rng';
import { embeddingCeiling, embeddingMetrics } from '../../../src/core/text/embeddingMetrics';

/** Unit vectors around a centre: what a sentence embedder gives for texts of one kind. */
function cloud(rng: Rng, n: number, centre: readonly number[], spread = 0.5): Float32Array[] {
  return Array.from({ length: n }, () => {
    const v = Float32Array.from(centre, (c) => c + spread * rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('embeddingCeiling: the holdout in place of the synthetic texts', () => {
  const rng = new Rng(3);
  const centre = [1, 0.5, -0.3, 0.2, 0, 0.7, -0.1, 0.4];
  const train = cloud(rng, 120, centre), holdout = cloud(rng, 120, centre);

  it('scores real texts no model saw as a fresh sample: close centroids, AUC and nearest share near 0.5', () => {
    const c = embeddingCeiling('m', train, holdout, 5);
    expect(c.model).toBe('m');
    expect(c.dimensions).toBe(8);
    expect(c.sampleSize).toBe(120);
    expect(c.centroidCosine).toBeGreaterThan(0.98);
    expect(c.discriminatorAuc).toBeGreaterThan(0.3);
    expect(c.discriminatorAuc).toBeLessThan(0.7);
    expect(c.nearestTrainShare).toBeGreaterThan(0.3);
    expect(c.nearestTrainShare).toBeLessThan(0.7);
  });

  it('is the reference a copying generator is told apart from', () => {
    // Copies of training texts: every one is nearest to training; the holdout's share stays near a half.
    const copies = train.map((v) => v.slice());
    expect(embeddingMetrics('m', train, holdout, copies).nearestTrainShare).toBe(1);
    expect(embeddingCeiling('m', train, holdout).nearestTrainShare).toBeLessThan(0.7);
  });

  it('uses as many training as holdout vectors, and is seeded', () => {
    const c = embeddingCeiling('m', train, holdout.slice(0, 40), 9);
    expect(c.sampleSize).toBe(40);
    expect(embeddingCeiling('m', train, holdout.slice(0, 40), 9)).toEqual(c);
    const tiny = embeddingCeiling('m', train.slice(0, 1), holdout.slice(0, 1));
    expect(tiny.discriminatorAuc).toBe(0.5);
    expect(tiny.nearestTrainShare).toBe(0);
    expect(embeddingCeiling('m', [], []).sampleSize).toBe(0);
  });
});
