import { describe, expect, it } from 'vitest';
import { splitHoldout } from '../../../src/core/table/split';
import type { Schema } from '../../../src/core/schema/schema';
import type { DatasetRecord } from '../../../src/db';
import { buildFitRequest, toConditions, trainRowCount, type SynthChoice } from '../../../src/ui/services/synthesis';

const schema: Schema = {
  columns: [
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
    { name: 'mass', kind: 'integer', role: 'synthesize', pii: [] },
    { name: 'when', kind: 'datetime', role: 'synthesize', pii: [], format: { datetime: 'YYYY-MM-DD' } },
  ],
};
const dataset = (nRows: number, holdoutFraction?: number): DatasetRecord => ({
  id: 'd', projectId: 'p', name: 'x', origin: 'import', nRows, columnNames: [], schema, warnings: [], holdoutFraction, holdoutSeed: 3, createdAt: 0,
});
const choice: SynthChoice = { synthesizer: 'cart', seed: 1, options: { rareCategoryThreshold: 5, redrawLeakedRows: true, order: ['mass', 'species'], minLeafSize: 7, smoothing: false } };

describe('synthesis service', () => {
  it('counts the train rows exactly as the seeded split makes them', () => {
    for (const [n, f] of [[344, 0.2], [8602, undefined], [1, 0.2], [7, 0.5], [10, 0]] as const) {
      expect(trainRowCount(dataset(n, f))).toBe(splitHoldout(n, f ?? 0.2, 3).train.length);
    }
  });

  it('sends ids and settings, never rows, and validates the options against the descriptor', () => {
    const req = buildFitRequest(dataset(5, 0.4), choice);
    expect(req).toEqual({ datasetId: 'd', synthesizer: 'cart', seed: 1, options: choice.options });
    expect(() => buildFitRequest(dataset(5), { ...choice, seed: 1.5 })).toThrow(/whole number/);
    expect(() => buildFitRequest(dataset(5), { ...choice, options: { ...choice.options, minLeafSize: 0 } })).toThrow();
  });

  it('turns the form into conditions; numbers from number inputs work; an unfinished condition is flagged', () => {
    expect(toConditions([], schema)).toBeUndefined();
    expect(
      toConditions(
        [
          { column: 'species', equals: 'a', min: '', max: '' },
          // A number input bound with bind:value hands over a number, not a string.
          { column: 'mass', equals: '', min: 3000, max: null },
          { column: 'when', equals: '', min: '', max: '2020-12-31' },
        ],
        schema,
      ),
    ).toEqual({ species: { equals: 'a' }, mass: { min: 3000 }, when: { max: Date.UTC(2021, 0, 1) - 1 } });
    expect(() => toConditions([{ column: 'species', equals: '', min: '', max: '' }], schema)).toThrow(/no value chosen/);
    expect(() => toConditions([{ column: 'mass', equals: '', min: null, max: '' }], schema)).toThrow(/neither a minimum nor a maximum/);
    expect(() => toConditions([{ column: 'mass', equals: '', min: 'lots', max: '' }], schema)).toThrow(/not a number/);
    expect(() => toConditions([{ column: 'mass', equals: '', min: 5, max: 1 }], schema)).toThrow(/above its maximum/);
  });
});
