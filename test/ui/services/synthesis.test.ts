import { describe, expect, it } from 'vitest';
import { splitHoldout } from '../../../src/core/table/split';
import { categoricalFromStrings, makeTable, numericColumn } from '../../../src/core/table/table';
import type { Schema } from '../../../src/core/schema/schema';
import type { DatasetRecord } from '../../../src/db';
import { buildFitRequest, fitOptions, previewRows, toConditions, trainRowCount, type SynthChoice } from '../../../src/ui/services/synthesis';

const schema: Schema = {
  columns: [
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
    { name: 'mass', kind: 'integer', role: 'synthesize', pii: [] },
    { name: 'when', kind: 'datetime', role: 'synthesize', pii: [], format: { datetime: 'YYYY-MM-DD' } },
  ],
};
const table = makeTable([
  categoricalFromStrings('species', ['a', 'b', null, 'a', 'b']),
  numericColumn('mass', new Float64Array([3000, 3500.4, NaN, 4000, 4200])),
  numericColumn('when', new Float64Array([Date.UTC(2020, 0, 2), Date.UTC(2021, 5, 30), NaN, 0, 0])),
]);
const dataset = (nRows: number, holdoutFraction?: number): DatasetRecord => ({
  id: 'd', projectId: 'p', name: 'x', origin: 'import', nRows, columnNames: [], schema, warnings: [], holdoutFraction, holdoutSeed: 3, createdAt: 0,
});
const choice: SynthChoice = { synthesizer: 'cart', seed: 1, rareCategoryThreshold: 5, redrawLeakedRows: true, epsilon: 2, cartOrder: ['mass', 'species'], minLeafSize: 7, smoothing: false };

describe('synthesis service', () => {
  it('counts the train rows exactly as the seeded split makes them', () => {
    for (const [n, f] of [[344, 0.2], [8602, undefined], [1, 0.2], [7, 0.5], [10, 0]] as const) {
      expect(trainRowCount(dataset(n, f))).toBe(splitHoldout(n, f ?? 0.2, 3).train.length);
    }
  });

  it('builds the fit request from the train part only, with each engine its own options', () => {
    const req = buildFitRequest(dataset(5, 0.4), table, choice);
    expect(req.train.nRows).toBe(3);
    expect(req.options).toEqual({ rareCategoryThreshold: 5, redrawLeakedRows: true, order: ['mass', 'species'], minLeafSize: 7, smoothing: false });
    expect(fitOptions({ ...choice, synthesizer: 'bayesnet' })).toEqual({ rareCategoryThreshold: 5, redrawLeakedRows: true, epsilon: 2 });
    expect(fitOptions({ ...choice, synthesizer: 'bayesnet', epsilon: undefined })).not.toHaveProperty('epsilon');
    expect(fitOptions({ ...choice, synthesizer: 'copula' })).toEqual({ rareCategoryThreshold: 5, redrawLeakedRows: true });
    expect(() => buildFitRequest(dataset(5), table, { ...choice, seed: 1.5 })).toThrow(/whole number/);
  });

  it('turns the form into conditions, skipping empty ones and refusing non-numbers', () => {
    expect(toConditions([{ column: 'species', equals: '', min: '', max: '' }], schema)).toBeUndefined();
    expect(
      toConditions(
        [
          { column: 'species', equals: 'a', min: '', max: '' },
          { column: 'mass', equals: '', min: '3000', max: '' },
          { column: 'when', equals: '', min: '', max: '2020-12-31' },
        ],
        schema,
      ),
    ).toEqual({ species: { equals: 'a' }, mass: { min: 3000 }, when: { max: Date.UTC(2021, 0, 1) - 1 } });
    expect(() => toConditions([{ column: 'mass', equals: '', min: 'lots', max: '' }], schema)).toThrow(/not a number/);
  });

  it('previews values as the export writes them', () => {
    const p = previewRows(table, schema, 3);
    expect(p.header).toEqual(['species', 'mass', 'when']);
    expect(p.rows).toEqual([
      ['a', 3000, '2020-01-02'],
      ['b', 3500, '2021-06-30'],
      [null, null, null],
    ]);
  });
});
