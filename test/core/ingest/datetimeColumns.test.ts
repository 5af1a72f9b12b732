import { describe, expect, it } from 'vitest';
import { ColumnBuilder, DEFAULT_MISSING_TOKENS } from '../../../src/core/ingest/columnBuilder';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { formatDatetime } from '../../../src/core/schema/datetimeFormat';
import { inferColumn } from '../../../src/core/schema/infer';
import type { ParsedColumn } from '../../../src/core/schema/parsed';
import { Rng } from '../../../src/core/random/rng';

/**
 * Date columns of more than 2,048 rows are read straight to numbers once their first rows show a pattern
 * (ColumnBuilder's datetime probe). The result must be what schema inference makes of the same values kept
 * as text: that reference is computed here from the raw strings.
 */
function asText(name: string, cells: string[]): ParsedColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(cells.length);
  cells.forEach((v, i) => {
    if (v === '' || v === 'NA') {
      codes[i] = -1;
      return;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = levels.length;
      levels.push(v);
      index.set(v, k);
    }
    codes[i] = k;
  });
  return { name, length: cells.length, mode: 'string', codes, levels, decimals: 0, allIntegers: true, sameDecimals: true, switchedAt: 0, missingTokens: 0 };
}

async function compare(cells: string[]): Promise<void> {
  const text = 'id,when\n' + cells.map((c, i) => `${i},${c}`).join('\n') + '\n';
  const r = await ingestBlob(new Blob([text]), { fileName: 'dates.csv' });
  const want = inferColumn(asText('when', cells));
  expect(r.schema.columns[1].kind).toBe(want.schema.kind);
  expect(r.schema.columns[1].format?.datetime).toBe(want.schema.format?.datetime);
  expect(r.schema.columns[1].pii).toEqual(want.schema.pii);
  expect(r.warnings.filter((w) => w.column === 'when')).toEqual(want.warnings);
  const got = r.table.columns[1];
  const ref = want.column;
  expect(got.type).toBe(ref.type);
  if (got.type === 'numeric' && ref.type === 'numeric') expect(Array.from(got.values)).toEqual(Array.from(ref.values));
  if (got.type === 'categorical' && ref.type === 'categorical') {
    expect(got.levels).toEqual(ref.levels);
    expect(Array.from(got.codes)).toEqual(Array.from(ref.codes));
  }
}

const rng = new Rng(11);
const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (t: number, pattern = 'YYYY-MM-DD HH:mm:ss') => formatDatetime(t, pattern);
const times = (n: number) => Array.from({ length: n }, () => Date.UTC(2015, 0, 1) + rng.int(3000 * 86_400) * 1000);

describe('datetime columns read straight to numbers give what inference gives on the text', () => {
  it('timestamps, every one written the same way', () => compare(times(5000).map((t) => stamp(t))));

  it('are kept as numbers while every value is written as the pattern writes it, as text otherwise', () => {
    const modeOf = (cells: string[]) => {
      const b = new ColumnBuilder('when', new Set(DEFAULT_MISSING_TOKENS));
      for (const c of cells) b.push(c);
      return b.finish().mode;
    };
    const cells = times(5000).map((t) => stamp(t));
    expect(modeOf(cells)).toBe('datetime');
    cells[4000] = '2020-1-05 10:00:00';
    expect(modeOf(cells)).toBe('string');
  });

  it('with blanks and NA among them', () => compare(times(5000).map((t, i) => (i % 97 === 5 ? '' : i % 89 === 3 ? 'NA' : stamp(t)))));

  it('a value without padding after the probe (still a date, written differently)', async () => {
    const cells = times(5000).map((t) => stamp(t));
    cells[4000] = '2020-1-05 10:00:00';
    await compare(cells);
  });

  it('a value that is not a date after the probe', async () => {
    const cells = times(5000).map((t) => stamp(t));
    cells[3000] = 'not a date';
    await compare(cells);
  });

  it('dates whose later values need another pattern (day first once days pass 12)', async () => {
    const cells = times(5000).map((t, i) => {
      const d = new Date(t);
      const [dd, mm] = [d.getUTCDate(), d.getUTCMonth() + 1];
      // The first rows only have days up to 12, so month-first and day-first both read them.
      return i < 2500 ? `${pad(mm)}/${pad(Math.min(dd, 12))}/${d.getUTCFullYear()}` : `${pad(dd)}/${pad(mm)}/${d.getUTCFullYear()}`;
    });
    await compare(cells);
  });

  it('month names and two-digit years', () => compare(times(4000).map((t) => formatDatetime(t, 'DD-MMM-YY'))));

  it('lower-case month names (read as dates, not written back the same)', () => compare(times(4000).map((t) => formatDatetime(t, 'DD MMM YYYY').toLowerCase())));
});
