import { mkdtempSync, openAsBlob, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { IngestResult } from '../../../src/core/ingest/types';
import { profileTable } from '../../../src/core/profile/index';
import { rowValues, type CategoricalColumn } from '../../../src/core/table/table';

const BAD = path.resolve(__dirname, '../../fixtures/bad');

/** Each malformed file: either a UserError whose message matches, or a loaded table checked by `ok`. */
type Case = { error: RegExp } | { ok: (r: IngestResult) => void };

const codes = (r: IngestResult) => r.warnings.map((w) => w.code);
const warning = (r: IngestResult, code: string) => r.warnings.find((w) => w.code === code);
const levels = (r: IngestResult, j: number) => (r.table.columns[j] as CategoricalColumn).levels;

const CASES: Record<string, Case> = {
  'empty.csv': { error: /is empty \(0 bytes\)/ },
  'header-only.csv': { error: /header line \(3 columns: id, name, amount\) but no data rows/ },
  'png-renamed.csv': { error: /is a PNG image, not a table.*Export the data as CSV/ },
  'zip-renamed.csv': { error: /ZIP archive \(an \.xlsx workbook is one\)/ },
  'gzip.csv': { error: /gzip-compressed/ },
  'pdf-renamed.csv': { error: /PDF document/ },
  'html-page.csv': { error: /web page \(HTML\)/ },
  'xml-renamed.csv': { error: /XML document/ },
  'all-nul.csv': { error: /binary data.*control characters/ },
  'random-binary.csv': { error: /binary data/ },
  'bom-only.csv': { error: /contains no data/ },
  'only-blank-lines.csv': { error: /contains no data/ },
  'whitespace-only.csv': { error: /contains no data/ },
  'invalid.json': { error: /not valid JSON \(error near line 1\)/ },
  'not-objects.json': { error: /no objects in its array/ },
  'empty-array.json': { error: /holds no records/ },
  'truncated.parquet': { error: /starts like a Parquet file but cannot be read/ },
  'nul-bytes.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(3);
      expect(levels(r, 1)).toEqual(['xy', 'z', 'w']);
      expect(warning(r, 'nul-bytes')?.message).toMatch(/2 NUL byte/);
    },
  },
  'ragged-short.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(4);
      expect(rowValues(r.table, 2)).toEqual([6, null, null]);
      expect(warning(r, 'short-rows')).toMatchObject({ line: 3 });
      expect(warning(r, 'short-rows')?.message).toMatch(/^2 row\(s\)/);
    },
  },
  'ragged-long.csv': {
    ok: (r) => {
      expect(r.table.columns.map((c) => c.name)).toEqual(['a', 'b', 'extra_1']);
      expect(rowValues(r.table, 1)).toEqual([3, 4, 'extra']);
      expect(codes(r)).toEqual(['long-rows']);
      expect(warning(r, 'long-rows')?.line).toBe(3);
    },
  },
  'unclosed-quote-eof.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(2);
      expect(rowValues(r.table, 1)).toEqual([2, 'never closed\n3,x\n']);
      expect(warning(r, 'unclosed-quote')).toMatchObject({ line: 3 });
    },
  },
  'wide-5000-columns.csv': {
    ok: (r) => {
      expect(r.table.columns).toHaveLength(5000);
      expect(r.table.nRows).toBe(3);
      expect(rowValues(r.table, 2)[4999]).toBe((2 * 7 + 4999) % 10);
    },
  },
  'mixed-encoding.csv': {
    ok: (r) => {
      expect(levels(r, 0)).toEqual(['Zürich', 'Genève', 'Köln']);
      expect(r.encoding).toBe('utf-8+windows-1252');
      expect(warning(r, 'mixed-encoding')).toMatchObject({ line: 3 });
    },
  },
  'windows-1252.csv': {
    ok: (r) => {
      expect(levels(r, 1)).toEqual(['München', 'Besançon']);
      expect(r.encoding).toBe('windows-1252');
      expect(warning(r, 'encoding-fallback')?.message).toMatch(/save the file as UTF-8/);
    },
  },
  'duplicate-headers.csv': {
    ok: (r) => {
      expect(r.table.columns.map((c) => c.name)).toEqual(['x', 'x_2', 'y', 'x_3']);
      expect(warning(r, 'duplicate-header')?.message).toMatch(/"x" → "x_2"/);
    },
  },
  'only-missing.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(3);
      expect(warning(r, 'empty-columns')?.message).toMatch(/Every column/);
      const findings = profileTable(r.table, r.schema).findings.filter((f) => f.code === 'all-missing');
      expect(findings).toHaveLength(3);
    },
  },
  'excel-formulas.csv': {
    ok: (r) => {
      expect(levels(r, 1)[0]).toBe('=HYPERLINK("http://evil.example","click")');
      expect(r.warnings.filter((w) => w.code === 'formula-cells').map((w) => w.column)).toEqual(['link', 'total']);
    },
  },
  'delimiter-changes.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(4);
      expect(rowValues(r.table, 3)).toEqual([10, 11, 12]);
      expect(warning(r, 'delimiter-changed')).toMatchObject({ line: 4 });
    },
  },
  'blank-lines.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(2);
      expect(rowValues(r.table, 1)).toEqual([3, 4]);
    },
  },
  'utf16le-bom.csv': {
    ok: (r) => {
      expect(r.encoding).toBe('utf-16le');
      expect(levels(r, 0)).toEqual(['Åsa', 'Björn']);
    },
  },
  'utf16le-no-bom.csv': {
    ok: (r) => {
      expect(levels(r, 0)).toEqual(['Anna', 'Bo', 'Carl']);
      expect(codes(r)).toContain('utf16-no-bom');
    },
  },
  'mixed-line-endings.csv': {
    ok: (r) => {
      expect(r.table.nRows).toBe(3);
      expect(rowValues(r.table, 2)).toEqual(['x\r\ny', 5]);
      expect(levels(r, 0)).toEqual(['1', '3', 'x\r\ny']);
    },
  },
  'cr-only.csv': { ok: (r) => expect(rowValues(r.table, 1)).toEqual([3, 4]) },
  'single-column.csv': { ok: (r) => expect(levels(r, 0)).toEqual(['Ann', 'Bob', 'Cy']) },
  'trailing-delimiters.csv': {
    ok: (r) => {
      expect(r.table.columns.map((c) => c.name)).toEqual(['a', 'b', 'column_3']);
      expect(codes(r)).toEqual(expect.arrayContaining(['empty-header', 'empty-columns']));
    },
  },
  'stray-quote-in-field.csv': { ok: (r) => expect(levels(r, 1)).toEqual(['ab"c', 'd']) },
  'decimal-comma-semicolon.csv': {
    ok: (r) => {
      expect(r.delimiter).toBe(';');
      expect(r.table.nRows).toBe(3);
    },
  },
  'numbers-with-leading-zeros.csv': {
    ok: (r) => {
      expect(levels(r, 0)).toEqual(['02134', '10001', '00501']);
      expect(r.schema.columns[0].pii.map((p) => p.kind)).toContain('postcode');
    },
  },
  'control-chars.csv': { ok: (r) => expect(levels(r, 1)[0]).toBe('\x1b[31mred\x1b[0m') },
  'quoted-header-newline.csv': { ok: (r) => expect(r.table.columns[0].name).toBe('first\nname') },
  'huge-row-count-tiny.csv': { ok: (r) => expect(r.table.nRows).toBe(20_000) },
};

describe('bad input corpus (test/fixtures/bad)', () => {
  const files = readdirSync(BAD).sort();

  it('has at least 30 files, each with a case below', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => !(f in CASES))).toEqual([]);
  });

  for (const file of files) {
    const c = CASES[file];
    if (!c) continue;
    it(file, async () => {
      const run = ingestBlob(new Blob([readFileSync(path.join(BAD, file))]), { fileName: file });
      if ('error' in c) {
        await expect(run).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(c.error) });
        await expect(run).rejects.toMatchObject({ message: expect.stringContaining(file) });
      } else c.ok(await run);
    });
  }
});

describe('a 10 MB single line (generated at run time)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'facsimile-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file that is one 10 MB line with no line break is reported as having no data rows', async () => {
    const file = path.join(dir, 'one-line.csv');
    writeFileSync(file, 'word '.repeat(2 * 1024 * 1024));
    const run = ingestBlob(await openAsBlob(file), { fileName: 'one-line.csv' });
    await expect(run).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/header line \(1 column: word word.*\) but no data rows/) });
  });

  it('a 10 MB quoted field on one line loads as one value', async () => {
    const file = path.join(dir, 'long-field.csv');
    const big = 'x'.repeat(10 * 1024 * 1024);
    writeFileSync(file, `id,blob\n1,"${big}"\n2,short\n`);
    const r = await ingestBlob(await openAsBlob(file), { fileName: 'long-field.csv' });
    expect(r.table.nRows).toBe(2);
    expect(levels(r, 1)[0].length).toBe(big.length);
    expect(levels(r, 1)[1]).toBe('short');
  });
});
