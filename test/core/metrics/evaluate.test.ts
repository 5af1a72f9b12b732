import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/metrics';
import { CancelledError, type Progress } from '../../../src/core/context';
import { Rng } from '../../../src/core/random/rng';
import { takeRows } from '../../../src/core/table/table';
import { loadData, shuffleColumns, split } from './helpers';

describe('evaluate on real tables', () => {
  const tx = loadData('txhousing.csv');
  // Train 60%, holdout 20%, and a "fresh" 20% that plays a perfect generator.
  const order = new Rng(11).shuffle(Int32Array.from({ length: tx.table.nRows }, (_, i) => i));
  const n = tx.table.nRows, a = Math.round(n * 0.6), b = Math.round(n * 0.8);
  const train = takeRows(tx.table, order.slice(0, a));
  const holdout = takeRows(tx.table, order.slice(a, b));
  const fresh = takeRows(tx.table, order.slice(b));

  it('a fresh sample scores near the holdout ceiling and shows no memorisation', async () => {
    const progress: Progress[] = [];
    const r = await evaluate({ train, holdout, synthetic: fresh, schema: tx.schema, target: 'city', label: 'fresh', sampleSize: 1000 },
      { rng: new Rng(1), onProgress: (p) => progress.push(p) });
    const [acc1, acc2, acc3] = r.fidelity.accuracy.synthetic as number[];
    const [c1, c2, c3] = r.fidelity.accuracy.ceiling as number[];
    expect(Math.abs(acc1 - c1)).toBeLessThan(0.02);
    expect(Math.abs(acc2 - c2)).toBeLessThan(0.02);
    expect(Math.abs(acc3 - c3)).toBeLessThan(0.03);
    expect(r.fidelity.shapes).toBeGreaterThan(0.95);
    expect(r.scorecard.fidelity.level).toBe('good');
    expect(r.privacy.dcr.share).toBeGreaterThan(0.4);
    expect(r.privacy.dcr.share).toBeLessThan(0.6);
    expect(r.privacy.dcr.sampleSize).toBe(1000); // sampled, as asked
    expect(r.scorecard.privacy.level).toBe('good');
    // The fresh sample has a third of training's rows, so its model is somewhat weaker (46 cities).
    expect(r.utility?.ratio as number).toBeGreaterThan(0.6);
    expect(r.discriminator?.auc as number).toBeLessThan(0.6);
    // progress runs forward to 1
    const fr = progress.map((p) => p.fraction);
    expect(fr.every((f, i) => i === 0 || f >= fr[i - 1] - 1e-12)).toBe(true);
    expect(fr[fr.length - 1]).toBe(1);
    // the report is plain JSON
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('a column-shuffled table keeps the shapes and loses the pair trends', async () => {
    const ctx = { rng: new Rng(1) };
    const good = await evaluate({ train, holdout, synthetic: fresh, schema: tx.schema, sampleSize: 300 }, ctx);
    const bad = await evaluate({ train, holdout, synthetic: shuffleColumns(train, 5), schema: tx.schema, sampleSize: 300 }, { rng: new Rng(1) });
    expect(bad.fidelity.shapes).toBeCloseTo(1, 12); // a permutation of training: identical marginals
    expect(bad.fidelity.pairs as number).toBeLessThan((good.fidelity.pairs as number) - 0.05);
    expect(bad.fidelity.pairsThatMatter as number).toBeLessThan((good.fidelity.pairsThatMatter as number) - 0.1);
    expect(bad.fidelity.accuracy.synthetic[1] as number).toBeLessThan((bad.fidelity.accuracy.ceiling[1] as number) - 0.05);
    expect(bad.scorecard.fidelity.level).toBe('poor');
    expect(bad.discriminator?.auc as number).toBeGreaterThan(0.75);
    // worst pairs come first
    const s = bad.fidelity.pairList.map((p) => p.score);
    expect(s).toEqual([...s].sort((x, y) => x - y));
  });

  it('a copy of training: DCR share near 100%, exact copies 100%', async () => {
    // Equal halves under the sample size, so the training sample is the whole training set.
    const p = loadData('penguins.csv');
    const { train: t, holdout: h } = split(p.table, 0.5, 3);
    const r = await evaluate({ train: t, holdout: h, synthetic: t, schema: p.schema }, { rng: new Rng(2) });
    expect(r.privacy.dcr.share).toBeGreaterThan(0.95);
    expect(r.privacy.exactCopies.synthetic).toBe(1);
    expect(r.privacy.exactCopies.holdout).toBeLessThan(0.05);
    expect(r.privacy.exactCopies.uniqueSynthetic).toBeGreaterThan(0.95);
    expect(r.scorecard.privacy.level).toBe('poor');
    expect(r.privacy.dcr.medianSynthetic).toBe(0);
    expect(r.privacy.dcr.medianRandom).toBeGreaterThan(r.privacy.dcr.medianHoldout);
  });

  it('stops with CancelledError when the signal is aborted', async () => {
    const c = new AbortController();
    c.abort();
    await expect(evaluate({ train, holdout, synthetic: fresh, schema: tx.schema }, { rng: new Rng(1), signal: c.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
