import { describe, expect, it } from 'vitest';
import { splitHoldout, splitTable } from '../../src/core/table/split';
import { findGroupKey } from '../../src/core/table/groupKey';
import { loadData } from './metrics/helpers';

describe('splitHoldout', () => {
  it('partitions the rows, with the requested share, reproducibly', () => {
    const a = splitHoldout(1000, 0.2, 7);
    expect(a.holdout.length).toBe(200);
    expect(a.train.length).toBe(800);
    const all = new Set([...a.train, ...a.holdout]);
    expect(all.size).toBe(1000);
    expect(Array.from(splitHoldout(1000, 0.2, 7).holdout)).toEqual(Array.from(a.holdout));
    expect(Array.from(splitHoldout(1000, 0.2, 8).holdout)).not.toEqual(Array.from(a.holdout));
  });
  it('rejects a fraction outside [0, 1)', () => {
    expect(() => splitHoldout(10, 1, 1)).toThrow(/Holdout fraction/);
  });
});

describe('splitTable: whole subjects when a key repeats', () => {
  it('keeps both rows of each colon-trial patient on one side, with about the requested share', () => {
    const { table, schema } = loadData('colon.csv');
    const s = splitTable(table, schema, 0.2, 1);
    expect(s.groupedBy).toBe('id');
    const id = table.columns.find((c) => c.name === 'id');
    if (id?.type !== 'numeric') throw new Error('colon id is numeric');
    const held = new Set(Array.from(s.holdout, (i) => id.values[i]));
    for (const i of s.train) expect(held.has(id.values[i])).toBe(false);
    expect(s.train.length + s.holdout.length).toBe(table.nRows);
    expect(Math.abs(s.holdout.length - 0.2 * table.nRows)).toBeLessThanOrEqual(2);
    expect(Array.from(splitTable(table, schema, 0.2, 1).holdout)).toEqual(Array.from(s.holdout));
  });
  it('splits by rows where no key-named column repeats in small groups', () => {
    const { table, schema } = loadData('penguins.csv');
    const s = splitTable(table, schema, 0.2, 1);
    expect(s.groupedBy).toBeUndefined();
    expect(Array.from(s.holdout)).toEqual(Array.from(splitHoldout(table.nRows, 0.2, 1).holdout));
    // A unique key is no subject key.
    const ids = { type: 'numeric' as const, name: 'id', values: Float64Array.from({ length: table.nRows }, (_, i) => i) };
    const keyed = findGroupKey({ nRows: table.nRows, columns: [...table.columns, ids] }, { ...schema, columns: [...schema.columns, { name: 'id', kind: 'integer', role: 'synthesize', pii: [] }] });
    expect(keyed).toBeNull();
  });
});
