import { describe, expect, it } from 'vitest';
import { alignTables } from '../../../src/core/metrics/align';
import { diagnostics } from '../../../src/core/metrics/diagnostics';
import { schemaOf, tableOfRows } from './helpers';

describe('diagnostics', () => {
  const names = ['x', 'c', 'id'];
  const schema = schemaOf(names, ['numeric', 'categorical', 'id'], { id: 'generate-key' });
  // 11 distinct real values keep x numeric: bounds [0, 10].
  const train = tableOfRows(names, Array.from({ length: 11 }, (_, i) => [i, i % 2 ? 'a' : 'b', i]));
  it('boundary and category adherence, key uniqueness, schema match', () => {
    const syn = tableOfRows(names, [[5, 'a', 1], [11, 'b', 2], [-1, '(rare)', 2], [null, 'a', 3]]);
    const d = diagnostics(alignTables(train, train, syn, schema));
    expect(d.boundaryAdherence).toBeCloseTo(1 / 3, 12); // 5 inside; 11 and −1 outside; missing ignored
    expect(d.categoryAdherence).toBeCloseTo(3 / 4, 12);
    expect(d.categories[0].unseen).toEqual(['(rare)']);
    expect(d.keyUniqueness).toEqual([{ name: 'id', score: 3 / 4 }]);
    expect(d.schemaMatch).toBe(1);
    expect(d.missingColumns).toEqual([]);
  });
  it('schema match counts absent columns, extra columns are listed', () => {
    const syn = tableOfRows(['x', 'id', 'extra'], [[5, 1, 'q']]);
    const d = diagnostics(alignTables(train, train, syn, schema));
    expect(d.schemaMatch).toBeCloseTo(2 / 3, 12);
    expect(d.missingColumns).toEqual(['c']);
    expect(d.extraColumns).toEqual(['extra']);
  });
});

describe('privacy verdict thresholds', () => {
  it('widen with small DCR samples so that noise is not called a leak', async () => {
    const { dcrThresholds } = await import('../../../src/core/metrics/scorecard');
    expect(dcrThresholds(2000)).toEqual({ fair: 0.55, poor: 0.6 });
    const small = dcrThresholds(100); // standard error 0.05
    expect(small.fair).toBeCloseTo(0.65, 12);
    expect(small.poor).toBeCloseTo(0.75, 12);
  });
});
