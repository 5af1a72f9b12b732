import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../../src/core/ingest/ingest';
import { yearLike } from '../../../../src/core/schema/infer';
import { fmtStat } from '../../../../src/ui/components/profile/format';
import { DATA_DIR } from '../../../fixtures/dataDir';

describe('years print without a thousands separator', () => {
  it('fmtStat leaves out grouping for format.noGrouping and keeps it otherwise', () => {
    const year = { kind: 'integer' as const, format: { noGrouping: true } };
    expect(fmtStat(2007, year)).toBe('2007');
    expect(fmtStat(2008.0297, year)).toBe('2008'); // 5 significant digits, as for any number
    expect(fmtStat(1999.5, year)).toBe('1999.5');
    expect(fmtStat(2007, { kind: 'integer' })).toBe('2,007');
    expect(fmtStat(1234567, { kind: 'numeric' })).toBe('1,234,600');
  });

  it('infers format.noGrouping for integer columns named like a year, or holding only 1000–2999', async () => {
    const f = (xs: number[]) => Float64Array.from(xs);
    expect(yearLike('year', f([1, 2]))).toBe(true);
    expect(yearLike('birth_yr', f([1950]))).toBe(true);
    expect(yearLike('fiscalYear', f([15000]))).toBe(true);
    expect(yearLike('built', f([1890, NaN, 2021]))).toBe(true);
    expect(yearLike('yrs.since.phd', f([1, 40]))).toBe(false);
    expect(yearLike('salary', f([1500, 3100]))).toBe(false);
    expect(yearLike('salary', f([999, 2000]))).toBe(false);

    const r = await ingestBlob(new Blob([readFileSync(path.join(DATA_DIR, 'penguins.csv'))]), { fileName: 'penguins.csv' });
    const formats = Object.fromEntries(r.schema.columns.map((c) => [c.name, c.format?.noGrouping ?? false]));
    expect(formats).toMatchObject({ year: true, body_mass_g: false, flipper_length_mm: false });
    const year = r.schema.columns.find((c) => c.name === 'year')!;
    expect(fmtStat(2007, year)).toBe('2007');
  });
});
