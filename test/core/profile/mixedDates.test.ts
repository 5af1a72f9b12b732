import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { applyFix, profileTable, type Finding } from '../../../src/core/profile/index';
import { formatDatetime } from '../../../src/core/schema/datetimeFormat';

/** A date column written in three formats (2020-01-05, 05/01/2020, Jan 05 2020): a finding, not silence. */
async function load(csv: string) {
  const r = await ingestBlob(new Blob([csv]), { fileName: 't.csv' });
  return { ...r, profile: profileTable(r.table, r.schema) };
}

function mixedCsv(): string {
  const rows = ['n,when'];
  const base = Date.UTC(2020, 0, 1);
  for (let i = 0; i < 100; i++) {
    const ms = base + i * 3 * 86_400_000;
    const when =
      i === 50 || i === 51
        ? 'soon' // not a date at all
        : i % 10 < 5
          ? formatDatetime(ms, 'YYYY-MM-DD') // 48
          : i % 10 < 8
            ? formatDatetime(ms, 'DD/MM/YYYY') // 30 (a day above 12 settles DD/MM)
            : formatDatetime(ms, 'MMM DD YYYY'); // 20
    rows.push(`${i},${when}`);
  }
  return rows.join('\n') + '\n';
}

describe('mixed date formats', () => {
  it('a column mixing three date formats gets a finding with counts per format and examples', async () => {
    const r = await load(mixedCsv());
    expect(r.schema.columns[1].kind).toBe('categorical');
    const f = r.profile.findings.find((x) => x.code === 'mixed-date-formats') as Finding;
    expect(f).toBeDefined();
    expect(f.column).toBe('when');
    expect(f.formats?.map((d) => [d.format, d.count])).toEqual([
      ['YYYY-MM-DD', 48],
      ['DD/MM/YYYY', 30],
      ['MMM DD YYYY', 20],
    ]);
    expect(f.formats?.[2].examples[0]).toMatch(/^[A-Z][a-z]{2} \d{2} 2020$/);
    expect(f.count).toBe(52); // 30 + 20 in other formats, and 2 that are not dates
    expect(f.message).toMatch(/3 formats/);
    expect(f.message).toMatch(/2 value\(s\) are not dates/);
    expect(f.fix).toEqual({ type: 'coerce-datetime', column: 'when', format: 'YYYY-MM-DD' });
    // No other advice that contradicts it (dates are not an identifier, nor mostly one date format).
    expect(r.profile.findings.filter((x) => x.column === 'when').map((x) => x.code)).toEqual(['mixed-date-formats']);

    const fixed = applyFix(r.table, r.schema, f.fix!);
    const col = fixed.table.columns[1];
    expect(fixed.schema.columns[1]).toMatchObject({ kind: 'datetime', format: { datetime: 'YYYY-MM-DD' } });
    expect(col.type).toBe('numeric');
    if (col.type !== 'numeric') return;
    expect(Array.from(col.values).filter(Number.isNaN).length).toBe(52);
    expect(formatDatetime(col.values[0], 'YYYY-MM-DD')).toBe('2020-01-01');
  });

  it('one date format, or text that is not mostly dates, gets no such finding', async () => {
    const one = ['d'];
    const words = ['x'];
    for (let i = 0; i < 40; i++) {
      one.push(`2021-03-${String(1 + (i % 28)).padStart(2, '0')}`);
      words.push(i % 4 === 0 ? `2021-03-0${1 + (i % 9)}` : i % 4 === 1 ? `0${1 + (i % 9)}/03/2021` : `item ${i}`);
    }
    for (const csv of [one, words]) {
      const r = await load(csv.join('\n'));
      expect(r.profile.findings.filter((x) => x.code === 'mixed-date-formats')).toEqual([]);
    }
  });
});
