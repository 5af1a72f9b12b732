import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { IngestResult } from '../../../src/core/ingest/types';
import { applyFix, profileTable, type Finding } from '../../../src/core/profile/index';
import { rowValues, type CategoricalColumn, type NumericColumn } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';

const DATA = DATA_DIR;
const load = (s: string) => ingestBlob(new Blob([s]), { fileName: 't.csv' });
const find = (fs: Finding[], code: string, column?: string) => fs.find((f) => f.code === code && (column === undefined || f.column === column));

/** 60 rows with one of each problem the profile should find. */
async function messy(): Promise<IngestResult> {
  const rows = ['id,age,income,sex,city,const,empty,email,joined,dose'];
  for (let i = 0; i < 60; i++) {
    const age = i === 5 || i === 9 ? 999 : 20 + (i % 40);
    const sex = ['Male', 'male ', 'Female', 'female'][i % 4];
    const city = i % 10 === 0 ? ' Oslo' : i % 2 ? 'Oslo' : 'Bergen';
    const income = i === 7 ? 1_000_000 : 30_000 + 100 * (i % 13);
    const joined = i % 20 === 3 ? '1900-01-01' : `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    const dose = i % 15 === 4 ? 'unknown' : String(i % 9);
    rows.push(`${i},${age},${income},${sex},${city},x,,user${i}@example.com,${joined},${dose}`);
  }
  rows.push(rows[11], rows[12]); // two exact duplicate rows (data rows 10 and 11)
  return load(rows.join('\n') + '\n');
}

describe('profileTable', () => {
  it('summarises numeric and categorical columns on penguins', async () => {
    const r = await ingestBlob(new Blob([readFileSync(path.join(DATA, 'penguins.csv'))]), { fileName: 'penguins.csv' });
    const p = profileTable(r.table, r.schema);
    const mass = p.columns.find((c) => c.name === 'body_mass_g');
    expect(mass).toMatchObject({ count: 342, missing: 2 });
    expect(mass?.numeric?.mean).toBeCloseTo(4201.754, 2);
    expect(mass?.numeric?.std).toBeCloseTo(801.9545, 2);
    expect(mass?.numeric?.quantiles.find((q) => q.p === 0.5)?.value).toBe(4050);
    expect(mass?.histogram?.reduce((s, b) => s + b.count, 0)).toBe(342);
    const species = p.columns.find((c) => c.name === 'species');
    expect(species?.topValues?.[0]).toEqual({ value: 'Adelie', count: 152 });
    expect(species?.distinct).toBe(3);
  });

  it('finds every planted problem', async () => {
    const r = await messy();
    const f = profileTable(r.table, r.schema).findings;
    expect(find(f, 'duplicate-rows')).toMatchObject({ count: 2, rows: [60, 61] });
    expect(find(f, 'placeholder', 'age')).toMatchObject({ count: 2, rows: [5, 9], values: ['999'] });
    expect(find(f, 'placeholder', 'joined')?.values).toEqual(['1900-01-01']);
    expect(find(f, 'placeholder', 'dose')?.values).toEqual(['unknown']);
    expect(find(f, 'outliers', 'income')?.rows).toContain(7);
    expect(find(f, 'whitespace', 'city')?.count).toBe(7);
    expect(find(f, 'case-variants', 'sex')?.fix).toMatchObject({ type: 'merge-variants', mapping: { 'male ': 'Male', female: 'Female' } });
    expect(find(f, 'constant', 'const')).toBeDefined();
    expect(find(f, 'all-missing', 'empty')).toBeDefined();
    // An e-mail column defaults to fake values: already handled, so no finding...
    expect(r.schema.columns.find((c) => c.name === 'email')?.role).toBe('fake');
    expect(find(f, 'pii', 'email')).toBeUndefined();
    // ...until it is set to learn the real values: then the finding offers fakes back.
    const learnt = { columns: r.schema.columns.map((c) => (c.name === 'email' ? { ...c, role: 'synthesize' as const } : c)) };
    expect(find(profileTable(r.table, learnt).findings, 'pii', 'email')?.fix).toEqual({ type: 'set-role', column: 'email', role: 'fake' });
    expect(find(f, 'mixed-types', 'dose')?.values).toEqual(['unknown']);
    expect(f.map((x) => x.severity)).toEqual([...f.map((x) => x.severity)].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
  });

  it('flags near-unique categoricals', async () => {
    const rows = ['who,n'];
    for (let i = 0; i < 30; i++) rows.push(`Person number ${i},${i % 3}`);
    const r = await load(rows.join('\n'));
    expect(r.schema.columns[0].kind).toBe('categorical');
    expect(find(profileTable(r.table, r.schema).findings, 'near-unique', 'who')?.fix).toEqual({ type: 'set-kind', column: 'who', kind: 'id' });
  });
});

describe('applyFix', () => {
  it('every offered fix returns a new dataset and leaves the original untouched', async () => {
    const r = await messy();
    const before = structuredClone({ table: r.table, schema: r.schema });
    const findings = profileTable(r.table, r.schema).findings.filter((f) => f.fix);
    expect(findings.length).toBeGreaterThan(8);
    for (const f of findings) {
      const next = applyFix(r.table, r.schema, f.fix!);
      expect(next.table).not.toBe(r.table);
      // After the fix the finding is gone (outliers: clipping removes them too).
      if (f.fix!.type !== 'set-kind') {
        const again = profileTable(next.table, next.schema).findings;
        expect(again.find((g) => g.id === f.id && g.code !== 'pii'), f.id).toBeUndefined();
      }
    }
    expect({ table: r.table, schema: r.schema }).toEqual(before);
  });

  it('merges spellings, trims, coerces and drops duplicates with the right values', async () => {
    const r = await messy();
    const f = profileTable(r.table, r.schema).findings;
    const merged = applyFix(r.table, r.schema, find(f, 'case-variants', 'sex')!.fix!);
    expect((merged.table.columns[3] as CategoricalColumn).levels).toEqual(['Male', 'Female']);
    const dedup = applyFix(r.table, r.schema, find(f, 'duplicate-rows')!.fix!);
    expect(dedup.table.nRows).toBe(60);
    const coerced = applyFix(r.table, r.schema, find(f, 'mixed-types', 'dose')!.fix!);
    expect(coerced.schema.columns[9].kind).toBe('integer');
    expect(rowValues(coerced.table, 4)[9]).toBeNull();
    expect((coerced.table.columns[9] as NumericColumn).values[5]).toBe(5);
    const missing = applyFix(r.table, r.schema, find(f, 'placeholder', 'age')!.fix!);
    expect((missing.table.columns[1] as NumericColumn).values[5]).toBeNaN();
    const dropped = applyFix(r.table, r.schema, find(f, 'all-missing', 'empty')!.fix!);
    expect(dropped.table.columns.map((c) => c.name)).not.toContain('empty');
    expect(dropped.schema.columns.map((c) => c.name)).not.toContain('empty');
  });
});
