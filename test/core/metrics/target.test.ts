import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseTarget } from '../../../src/core/metrics/utility/target';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { categoricalFromStrings, makeTable, numericColumn } from '../../../src/core/table/table';
import type { Schema } from '../../../src/core/schema/schema';
import { DATA_DIR } from '../../fixtures/dataDir';

const load = async (file: string) => ingestBlob(new Blob([readFileSync(path.join(DATA_DIR, file))]), { fileName: file });

describe('default utility target', () => {
  it('picks a balanced categorical column and says why (penguins: species)', async () => {
    const { table, schema } = await load('penguins.csv');
    const choice = chooseTarget(table, schema);
    expect(['species', 'sex', 'island']).toContain(choice.target);
    expect(choice.reason).toMatch(/categorical column with \d+ levels/);
  });

  it('never a constant, an id or a near-unique column; a lopsided one gives way to a balanced one', () => {
    const n = 200;
    const schema: Schema = {
      columns: [
        { name: 'user_id', kind: 'integer', role: 'synthesize', pii: [] },
        { name: 'const', kind: 'categorical', role: 'synthesize', pii: [] },
        { name: 'code', kind: 'categorical', role: 'synthesize', pii: [] },
        { name: 'rare', kind: 'categorical', role: 'synthesize', pii: [] },
        { name: 'group', kind: 'categorical', role: 'synthesize', pii: [] },
      ],
    };
    const table = makeTable([
      numericColumn('user_id', Float64Array.from({ length: n }, (_, i) => 1000 + i)),
      categoricalFromStrings('const', Array.from({ length: n }, () => 'x')),
      categoricalFromStrings('code', Array.from({ length: n }, (_, i) => `c${i}`)),
      categoricalFromStrings('rare', Array.from({ length: n }, (_, i) => (i === 0 ? 'b' : 'a'))),
      categoricalFromStrings('group', Array.from({ length: n }, (_, i) => `g${i % 3}`)),
    ]);
    expect(chooseTarget(table, schema).target).toBe('group');
    const none = chooseTarget(makeTable(table.columns.slice(0, 3)), { columns: schema.columns.slice(0, 3) });
    expect(none.target).toBeUndefined();
    expect(none.reason).toMatch(/constant|near-unique/);
  });
});
