import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { fixChangesValues, previewFix, profileTable } from '../../../src/core/profile/index';

describe('previewFix', () => {
  it('says what each fix of the messy e2e table would change, and changes nothing', async () => {
    const text = readFileSync(new URL('../../fixtures/e2e/messy.csv', import.meta.url), 'utf8');
    const r = await ingestBlob(new Blob([text]), { fileName: 'messy.csv' });
    const before = structuredClone({ table: r.table, schema: r.schema });
    const findings = profileTable(r.table, r.schema).findings;
    const fix = (code: string, column?: string) => findings.find((f) => f.code === code && (column === undefined || f.column === column))!.fix!;

    const dupes = previewFix(r.table, r.schema, fix('duplicate-rows'));
    expect(dupes).toMatchObject({ rowsBefore: 12, rowsAfter: 10, changed: 2 });
    expect(dupes.examples.every((e) => e.removed && e.after === null)).toBe(true);

    const trim = previewFix(r.table, r.schema, fix('whitespace', 'city'));
    expect(trim.column).toBe('city');
    expect(trim.rowsAfter).toBe(12);
    expect(trim.changed).toBeGreaterThan(0);
    expect(trim.examples).toContainEqual(expect.objectContaining({ before: ' Oslo', after: 'Oslo' }));

    const coerce = previewFix(r.table, r.schema, fix('mixed-types', 'rooms'));
    expect(coerce.examples).toContainEqual(expect.objectContaining({ before: 'many', after: null }));

    expect({ table: r.table, schema: r.schema }).toEqual(before);
    expect(fixChangesValues({ type: 'set-role', column: 'city', role: 'keep-out' })).toBe(false);
    expect(fixChangesValues({ type: 'clip', column: 'x', lower: 0, upper: 1 })).toBe(true);
  });
});
