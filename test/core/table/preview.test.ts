import { describe, expect, it } from 'vitest';
import { categoricalFromStrings, makeTable, numericColumn } from '../../../src/core/table/table';
import type { Schema } from '../../../src/core/schema/schema';
import { MAX_PREVIEW_LEVELS, previewRows, tablePreview } from '../../../src/core/table/preview';

const schema: Schema = {
  columns: [
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
    { name: 'mass', kind: 'integer', role: 'synthesize', pii: [] },
    { name: 'when', kind: 'datetime', role: 'synthesize', pii: [], format: { datetime: 'YYYY-MM-DD' } },
  ],
};
const table = makeTable([
  categoricalFromStrings('species', ['b', 'a', null, 'a', 'b']),
  numericColumn('mass', new Float64Array([3000, 3500.4, NaN, 4000, 4200])),
  numericColumn('when', new Float64Array([Date.UTC(2020, 0, 2), Date.UTC(2021, 5, 30), NaN, 0, 0])),
]);

describe('table preview (what the page keeps instead of the table)', () => {
  it('formats the first rows as the export writes them', () => {
    const p = previewRows(table, schema, 3);
    expect(p.header).toEqual(['species', 'mass', 'when']);
    expect(p.rows).toEqual([
      ['b', 3000, '2020-01-02'],
      ['a', 3500, '2021-06-30'],
      [null, null, null],
    ]);
  });

  it('picks given rows, skipping those out of range', () => {
    expect(previewRows(table, schema, 10, [4, 9, 1]).rows.map((r) => r[1])).toEqual([4200, 3500]);
  });

  it('keeps sorted levels per categorical column, capped for id-like columns', () => {
    const p = tablePreview(table, schema);
    expect(p.levels).toEqual({ species: { values: ['a', 'b'], count: 2 } });
    const many = Array.from({ length: MAX_PREVIEW_LEVELS + 5 }, (_, i) => `id${i}`);
    const wide = makeTable([categoricalFromStrings('id', many)]);
    const q = tablePreview(wide, { columns: [{ name: 'id', kind: 'id', role: 'generate-key', pii: [] }] });
    expect(q.levels.id.count).toBe(MAX_PREVIEW_LEVELS + 5);
    expect(q.levels.id.values.length).toBe(MAX_PREVIEW_LEVELS);
  });
});
