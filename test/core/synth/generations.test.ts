/**
 * Generations (model collapse): n results in order, generation 1 scoring what the report scores for a
 * one-shot sample, the same figures under the same seed, cancel, and the options for re-imported data.
 */
import { openAsBlob } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest';
import { alignTables } from '../../../src/core/metrics/align';
import { fidelity } from '../../../src/core/metrics/fidelity';
import { DEFAULT_SEED, Rng } from '../../../src/core/random/rng';
import type { Schema } from '../../../src/core/schema/schema';
import { collectGenerations, optionsForGeneration, runGenerations, type GenerationResult } from '../../../src/core/synth/generations';
import { loadSynthesizer, validateOptions } from '../../../src/core/synth/registry';
import { applySplit, splitHoldout } from '../../../src/core/table/split';
import type { Table } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';

let train: Table, holdout: Table, schema: Schema;

beforeAll(async () => {
  const r = await ingestBlob(await openAsBlob(`${DATA_DIR}/penguins.csv`), { fileName: 'penguins.csv' });
  schema = r.schema;
  ({ train, holdout } = applySplit(r.table, splitHoldout(r.table.nRows, 0.2, 1)));
});

describe('runGenerations', () => {
  it('yields one scored result per generation, with the holdout ceiling', async () => {
    const synthesizer = await loadSynthesizer('cart');
    const progress: number[] = [];
    const results = await collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 3, seed: 7, onProgress: (p) => progress.push(p.fraction) });
    expect(results.map((r) => r.generation)).toEqual([1, 2, 3]);
    for (const r of results) {
      expect(r.rows).toBe(train.nRows);
      for (const k of [0, 1, 2]) {
        expect(r.accuracy[k]).toBeGreaterThan(0.3);
        expect(r.accuracy[k]).toBeLessThanOrEqual(1);
      }
      expect(r.ceiling![1]).toBeGreaterThan(0.5);
      expect(r.ceiling).toEqual(results[0].ceiling);
      expect(r.table).toBeUndefined();
    }
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1] - 1e-9))).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it("scores generation 1 as the report scores a one-shot sample of the same fit", async () => {
    const synthesizer = await loadSynthesizer('cart');
    const [first] = await collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 1, seed: 3, keepTables: true });
    // The one-shot: the same fit and sample seeds, scored by the report's fidelity section.
    const model = await synthesizer.fit(train, schema, {}, { rng: new Rng(4) });
    const oneShot = await model.sample(train.nRows, { seed: 4 });
    const fid = await fidelity(alignTables(train, holdout, oneShot, schema), new Rng(DEFAULT_SEED).fork('fidelity'));
    expect(first.accuracy[1]).toBeCloseTo(fid.accuracy.synthetic[1]!, 10);
    expect(first.ceiling![1]).toBeCloseTo(fid.accuracy.ceiling[1]!, 10);
    expect(first.table!.nRows).toBe(train.nRows);
  });

  it('gives the same figures under the same seed, and others under another', async () => {
    const synthesizer = await loadSynthesizer('bayesnet');
    const run = (seed: number) => collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 2, seed });
    const strip = (rs: GenerationResult[]) => rs.map(({ seconds: _s, ...r }) => r);
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a)).not.toEqual(strip(c));
  });

  it('works without a holdout: no ceiling', async () => {
    const synthesizer = await loadSynthesizer('copula');
    const [r] = await collectGenerations({ train, schema, synthesizer, options: {}, generations: 1, seed: 1 });
    expect(r.ceiling).toBeNull();
    expect(r.accuracy[1]).toBeGreaterThan(0.5);
  });

  it('stops with CancelledError once cancelled, after the generation it was in', async () => {
    const synthesizer = await loadSynthesizer('cart');
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const r of runGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 5, seed: 1, signal: controller.signal })) {
        seen.push(r.generation);
        if (r.generation === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    expect(seen).toEqual([1, 2]);
    // Already aborted: nothing runs.
    await expect(collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 2, seed: 1, signal: controller.signal })).rejects.toMatchObject({ name: 'CancelledError' });
  });

  it('rejects a number of generations out of range', async () => {
    const synthesizer = await loadSynthesizer('cart');
    await expect(collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 0, seed: 1 })).rejects.toThrow(/Generations/);
    await expect(collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 11, seed: 1 })).rejects.toThrow(/Generations/);
  });
});

describe('optionsForGeneration', () => {
  it('leaves real data (generation 0) alone', () => {
    expect(optionsForGeneration('cart', 0, { minLeafSize: 7 })).toEqual({ minLeafSize: 7 });
    expect(optionsForGeneration('bayesnet', 0, {})).toEqual({});
  });

  it('turns leaked-row redraws off for synthetic data (generation >= 1), for every engine', () => {
    for (const id of ['cart', 'bayesnet', 'copula'] as const) {
      for (const g of [1, 2, 5]) expect(optionsForGeneration(id, g, {})).toEqual({ redrawLeakedRows: false });
    }
    // The rest of the settings are kept: pooling and smoothing do not compound (bench/generations.ts).
    expect(optionsForGeneration('cart', 1, { minLeafSize: 7, smoothing: true, rareCategoryThreshold: 5 })).toEqual({ minLeafSize: 7, smoothing: true, rareCategoryThreshold: 5, redrawLeakedRows: false });
  });

  it("keeps the user's explicit choice", () => {
    expect(optionsForGeneration('cart', 2, { redrawLeakedRows: true })).toEqual({ redrawLeakedRows: true });
  });

  it('gives options the registry accepts, and a fit on synthetic rows then redraws nothing', async () => {
    const synthesizer = await loadSynthesizer('cart');
    const [g1] = await collectGenerations({ train, holdout, schema, synthesizer, options: {}, generations: 1, seed: 5, keepTables: true });
    const options = validateOptions('cart', optionsForGeneration('cart', 1, {}));
    expect(options.redrawLeakedRows).toBe(false);
    const model = await synthesizer.fit(g1.table!, schema, options, { rng: new Rng(1) });
    await model.sample(200, { seed: 1 });
    expect(model.stats.redrawnLeakedRows).toBe(0);
  });
});
