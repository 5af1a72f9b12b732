import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { formatValue, quoteField, tableToCsv } from '../../../src/core/export/index';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { DATA_DIR } from '../../fixtures/dataDir';

const DATA = DATA_DIR;

/** Normalise a CSV to parsed cells so quoting style does not matter, only values. */
const cells = (csv: string) => Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;

describe('tableToCsv', () => {
  it('round-trips penguins value for value', async () => {
    const src = readFileSync(path.join(DATA, 'penguins.csv'), 'utf8');
    const r = await ingestBlob(new Blob([src]), { fileName: 'penguins.csv' });
    expect(cells(tableToCsv(r.table, r.schema))).toEqual(cells(src));
  });

  it('writes missing cells with the token the input used (NA, ?) and empty otherwise', async () => {
    const src = 'n,s,d,e\n1,NA,2021-01-02,\nNA,x,?,5\n3,y,2021-01-04,6\n';
    const r = await ingestBlob(new Blob([src]), { fileName: 'na.csv' });
    expect(r.schema.columns.map((c) => c.format?.missing)).toEqual(['NA', 'NA', '?', undefined]);
    expect(tableToCsv(r.table, r.schema)).toBe(src);
  });

  it('writes dates, decimals and integers the way the input did', async () => {
    const src = 'day,when,x,n\n03/04/2021,2021-03-04 10:11,1.25,7\n12/31/2021,2021-12-31 00:00,2.5,-3\n';
    const r = await ingestBlob(new Blob([src]), { fileName: 't.csv' });
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['datetime', 'datetime', 'numeric', 'integer']);
    expect(tableToCsv(r.table, r.schema)).toBe('day,when,x,n\n03/04/2021,2021-03-04 10:11,1.25,7\n12/31/2021,2021-12-31 00:00,2.5,-3\n');
    expect(formatValue(r.table.columns[2], r.schema.columns[2], 1)).toBe('2.5');
  });

  it('keeps padded decimals when every input value was padded ("0.0", "10.9"), not otherwise', async () => {
    const src = readFileSync(path.resolve(__dirname, '../../../node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8');
    const r = await ingestBlob(new Blob([src]), { fileName: 'seattle-weather.csv' });
    expect(cells(tableToCsv(r.table, r.schema))).toEqual(cells(src));
    const mixed = await ingestBlob(new Blob(['x\n2.50\n3\n-0.01\n']), { fileName: 'm.csv' });
    expect(cells(tableToCsv(mixed.table, mixed.schema))).toEqual([['x'], ['2.5'], ['3'], ['-0.01']]);
  });

  it('quotes per RFC 4180 and survives a re-read', async () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    const src = 'a,b\n"x, y","he said ""no"""\n"multi\nline",plain\n';
    const r = await ingestBlob(new Blob([src]), { fileName: 't.csv' });
    const again = await ingestBlob(new Blob([tableToCsv(r.table, r.schema)]), { fileName: 't.csv' });
    expect(again.table).toEqual(r.table);
  });
});

describe('formula guard', () => {
  it('prefixes text cells a spreadsheet would run, leaves numbers and plain text alone, and can be turned off', async () => {
    const src = 'label,n,note\n=SUM(A1:A9),-3,ok\n+1-2,4,@cmd\n-x,-0.5e3,plain\n';
    const r = await ingestBlob(new Blob([src]), { fileName: 'f.csv' });
    const guarded = cells(tableToCsv(r.table, r.schema));
    expect(guarded.slice(1)).toEqual([
      ["'=SUM(A1:A9)", '-3', 'ok'],
      ["'+1-2", '4', "'@cmd"],
      ["'-x", '-500', 'plain'],
    ]);
    expect(cells(tableToCsv(r.table, r.schema, { formulaGuard: false }))).toEqual(cells(src).map((row, i) => (i === 3 ? ['-x', '-500', 'plain'] : row)));
  });

  it('guards a tab or carriage return at the start, and a number-like text is not a formula', async () => {
    const { guardFormula, isFormulaLike } = await import('../../../src/core/export/index');
    expect(guardFormula('\tx')).toBe("'\tx");
    expect(guardFormula('\rx')).toBe("'\rx");
    expect(isFormulaLike('-12.5')).toBe(false);
    expect(isFormulaLike('+44 20 7946 0958')).toBe(true);
    expect(guardFormula('a=b')).toBe('a=b');
  });
});
