import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { IngestProgress } from '../../../src/core/ingest/types';
import { rowValues, type CategoricalColumn, type NumericColumn } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';

const DATA = DATA_DIR;
const FIXTURES = path.resolve(__dirname, '../../fixtures/ingest');

const text = (s: string, name = 't.csv') => ingestBlob(new Blob([s]), { fileName: name });
const kinds = (r: Awaited<ReturnType<typeof text>>) => Object.fromEntries(r.schema.columns.map((c) => [c.name, c.kind]));

describe('ingest: real tables', () => {
  it('reads penguins with kinds, decimals and NA as missing', async () => {
    const r = await ingestBlob(new Blob([readFileSync(path.join(DATA, 'penguins.csv'))]), { fileName: 'penguins.csv' });
    expect(r.table.nRows).toBe(344);
    expect(r.delimiter).toBe(',');
    expect(r.encoding).toBe('utf-8');
    expect(kinds(r)).toMatchObject({ species: 'categorical', bill_length_mm: 'numeric', flipper_length_mm: 'integer', year: 'integer' });
    expect(r.schema.columns[2].format?.decimals).toBe(1);
    const bill = r.table.columns[2] as NumericColumn;
    expect(Array.from(bill.values).filter(Number.isNaN).length).toBe(2);
    const sex = r.table.columns[6] as CategoricalColumn;
    expect(new Set(sex.levels)).toEqual(new Set(['male', 'female']));
    expect(Array.from(sex.codes).filter((c) => c < 0).length).toBe(11);
  });

  it('agrees with papaparse on every cell of cars93 (quoted fields)', async () => {
    const src = readFileSync(path.join(DATA, 'cars93.csv'), 'utf8');
    const r = await text(src, 'cars93.csv');
    const rows = Papa.parse<string[]>(src.trim()).data;
    expect(r.table.nRows).toBe(rows.length - 1);
    for (let i = 0; i < r.table.nRows; i += 7) {
      const got = rowValues(r.table, i);
      rows[i + 1].forEach((cell, j) => {
        const g = got[j];
        if (cell === 'NA' || cell === '') expect(g).toBeNull();
        else if (typeof g === 'number') expect(g).toBeCloseTo(Number(cell), 9);
        else expect(g).toBe(cell);
      });
    }
  });

  it('detects dates and keeps their format (seattle-weather)', async () => {
    const buf = readFileSync(path.resolve(__dirname, '../../../node_modules/vega-datasets/data/seattle-weather.csv'));
    const r = await ingestBlob(new Blob([buf]), { fileName: 'seattle-weather.csv' });
    expect(r.schema.columns[0]).toMatchObject({ kind: 'datetime', format: { datetime: 'YYYY-MM-DD' } });
    expect((r.table.columns[0] as NumericColumn).values[0]).toBe(Date.UTC(2012, 0, 1));
  });

  it('reads a JSON array of objects and a Parquet file', async () => {
    const json = await text(JSON.stringify([{ a: 1, b: 'x', c: true }, { a: 2.5, b: null, c: false }, { a: 3, d: 'late' }]), 'x.json');
    expect(json.encoding).toBe('json');
    expect(json.table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(rowValues(json.table, 1)).toEqual([2.5, null, 'false', null]);
    expect(rowValues(json.table, 2)).toEqual([3, null, null, 'late']);
    const pq = await ingestBlob(new Blob([readFileSync(path.join(FIXTURES, 'simple.parquet'))]), { fileName: 'simple.parquet' });
    expect(pq.encoding).toBe('parquet');
    expect(rowValues(pq.table, 2)).toEqual([3, 'foo']);
  });
});

describe('ingest: dialects and encodings', () => {
  it('detects ; tab and | delimiters', async () => {
    for (const d of [';', '\t', '|']) {
      const r = await text(['a', 'b', 'c'].join(d) + '\n' + ['1', 'x,y', '2.5'].join(d) + '\n' + ['2', 'z', '3.5'].join(d) + '\n');
      expect(r.delimiter).toBe(d);
      expect(rowValues(r.table, 0)).toEqual([1, 'x,y', 2.5]);
    }
  });

  it('keeps quoted line breaks, CRLF and a UTF-8 BOM', async () => {
    const r = await text('\uFEFFname,note\r\n"Ann","line one\r\nline two"\r\n"Bob","say ""hi"""\r\n');
    expect(r.table.columns.map((c) => c.name)).toEqual(['name', 'note']);
    expect(rowValues(r.table, 0)).toEqual(['Ann', 'line one\r\nline two']);
    expect(rowValues(r.table, 1)).toEqual(['Bob', 'say "hi"']);
  });

  it('decodes UTF-16 LE and BE with a BOM', async () => {
    const s = 'ville,n\nZürich,1\nGenève,2\n';
    const le = new Uint8Array([0xff, 0xfe, ...Array.from(Buffer.from(s, 'utf16le'))]);
    const be = Buffer.from(s, 'utf16le').swap16();
    for (const [bytes, enc] of [
      [le, 'utf-16le'],
      [new Uint8Array([0xfe, 0xff, ...be]), 'utf-16be'],
    ] as const) {
      const r = await ingestBlob(new Blob([bytes]), { fileName: 'u16.csv' });
      expect(r.encoding).toBe(enc);
      expect((r.table.columns[0] as CategoricalColumn).levels).toEqual(['Zürich', 'Genève']);
    }
  });

  it('falls back to windows-1252 with a warning when the file is not UTF-8', async () => {
    const bytes = new Uint8Array([...Buffer.from('city,n\n'), 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, ...Buffer.from(',1\nParis,2\n')]);
    const r = await ingestBlob(new Blob([bytes]), { fileName: 'latin.csv' });
    expect(r.encoding).toBe('windows-1252');
    expect((r.table.columns[0] as CategoricalColumn).levels[0]).toBe('München');
    expect(r.warnings.map((w) => w.code)).toContain('encoding-fallback');
  });

  it('names columns when there is no header and renames empty/duplicate names', async () => {
    const r = await text('1,2.5,x\n2,3.5,y\n3,4.5,z\n');
    expect(r.table.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(r.table.nRows).toBe(3);
    const d = await text('a,,a\n1,2,3\n');
    expect(d.table.columns.map((c) => c.name)).toEqual(['a', 'column_2', 'a_2']);
    expect(d.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['empty-header', 'duplicate-header']));
  });

  it('treats default and user missing tokens as missing', async () => {
    const r = await ingestBlob(new Blob(['x,y\n1,NA\nN/A,b\nnull,?\n-99,c\n']), { fileName: 't.csv', missingTokens: ['-99'] });
    expect(rowValues(r.table, 1)[0]).toBeNull();
    expect(rowValues(r.table, 3)).toEqual([null, 'c']);
    expect(r.schema.columns[0].kind).toBe('integer');
  });
});

describe('ingest: streaming', () => {
  it('matches a whole-string parse across many chunks with quoted line breaks', async () => {
    const lines = ['id,label,note,value'];
    for (let i = 0; i < 60_000; i++) lines.push(`${i},k${i % 17},"multi\nline ${i}, with comma",${(i * 0.25).toFixed(2)}`);
    const src = lines.join('\n') + '\n';
    expect(src.length).toBeGreaterThan(2 << 20);
    const progress: IngestProgress[] = [];
    const r = await ingestBlob(new Blob([src]), { fileName: 'big.csv' }, { onProgress: (p) => progress.push(p) });
    expect(r.table.nRows).toBe(60_000);
    expect(rowValues(r.table, 59_999)).toEqual(["59999", "k6", "multi\nline 59999, with comma", 14999.75]);
    expect(r.schema.columns[0].kind).toBe('id');
    const previews = progress.filter((p) => p.preview);
    expect(previews).toHaveLength(1);
    expect(previews[0].preview?.header).toEqual(['id', 'label', 'note', 'value']);
    expect(previews[0].preview?.rows.length).toBe(50);
    expect(progress.at(-1)?.fraction).toBe(1);
  });

  it('stops with CancelledError when the signal aborts', async () => {
    const src = 'a,b\n' + '1,2\n'.repeat(600_000);
    const controller = new AbortController();
    const run = ingestBlob(new Blob([src]), { fileName: 'c.csv' }, {
      signal: controller.signal,
      onProgress: (p) => p.rowsSoFar > 0 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
