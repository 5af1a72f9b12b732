import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { tableToCsv, tableToJson, tableToTsv } from '../../../src/core/export/index';
import { tableToParquet } from '../../../src/core/export/parquet';
import { exportData, exportWithProvenance } from '../../../src/core/export/exportFile';
import { unpackBundle } from '../../../src/core/export/bundle';
import { booleanLevels, datetimeAsWritten, roundedNumber } from '../../../src/core/export/typedValue';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { PARQUET_PROVENANCE_KEY, parseProvenance, sha256Hex } from '../../../src/core/provenance';
import type { Schema } from '../../../src/core/schema/schema';
import type { Table } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';

const read = (name: string, text: string | Uint8Array) => ingestBlob(new Blob([text as BlobPart]), { fileName: name });

/** A value per cell, compared by meaning: numbers as the input rounds them, booleans as booleans. */
function typedCells(t: Table, s: Schema, boolAsText = false): (number | string | boolean | null)[][] {
  return t.columns.map((c) => {
    const cs = s.columns.find((x) => x.name === c.name)!;
    if (c.type === 'numeric') return [...c.values].map((v) => (Number.isNaN(v) ? null : cs.kind === 'datetime' ? datetimeAsWritten(v, cs) : roundedNumber(v, cs)));
    const bools = !boolAsText && cs.kind === 'boolean' ? booleanLevels(c.levels) : undefined;
    return [...c.codes].map((k) => (k < 0 ? null : bools ? bools[k] : c.levels[k]));
  });
}

/** The reimported table's cells, each column compared with the original's kind in mind. */
function reimportedCells(t: Table, original: Schema, boolAsText = false): (number | string | boolean | null)[][] {
  return t.columns.map((c) => {
    const cs = original.columns.find((x) => x.name === c.name)!;
    if (c.type === 'numeric') return [...c.values].map((v) => (Number.isNaN(v) ? null : v));
    const bools = !boolAsText && cs.kind === 'boolean' ? booleanLevels(c.levels) : undefined;
    return [...c.codes].map((k) => (k < 0 ? null : bools ? bools[k] : c.levels[k]));
  });
}

const MIXED =
  'id,when,day,score,n,big,flag,word,note\n' +
  '1,2021-03-04 10:11,03/04/2021,1.25,7,3000000000,yes,alpha,=SUM(A1)\n' +
  '2,2021-12-31 00:00,12/31/2021,2.5,-3,-3000000001,no,beta,"a, ""quoted"" cell"\n' +
  '3,,01/01/2020,NA,NA,1,yes,,plain\n' +
  '4,2020-02-29 23:59,02/29/2020,-0.75,0,2,no,gamma,+1 call\n';

async function fixtures(): Promise<[string, Table, Schema][]> {
  const out: [string, Table, Schema][] = [];
  for (const f of ['penguins.csv', 'titanic.csv']) {
    const r = await read(f, readFileSync(path.join(DATA_DIR, f), 'utf8'));
    out.push([f, r.table, r.schema]);
  }
  const m = await read('mixed.csv', MIXED);
  out.push(['mixed.csv', m.table, m.schema]);
  return out;
}

describe('export formats round-trip through the app’s own ingest', () => {
  it('TSV: the CSV writer with tabs; values equal', async () => {
    for (const [name, table, schema] of await fixtures()) {
      const tsv = tableToTsv(table, schema, { formulaGuard: false });
      expect(tsv.split('\n')[0], name).toBe(table.columns.map((c) => c.name).join('\t'));
      const back = await read(name.replace('.csv', '.tsv'), tsv);
      expect(back.delimiter).toBe('\t');
      expect(tableToCsv(back.table, back.schema, { formulaGuard: false }), name).toBe(tableToCsv(table, schema, { formulaGuard: false }));
    }
  });

  it('CSV keeps the input’s delimiter (a comma for tab-separated input) and guards formulas by default', async () => {
    const src = 'a;b;note\n1,5;x;=cmd\n2;y;ok\n';
    const m = await read('semi.csv', src);
    expect(m.delimiter).toBe(';');
    const dec = (b: Uint8Array) => new TextDecoder().decode(b);
    const semi = dec(await exportData(m.table, m.schema, { format: 'csv', delimiter: m.delimiter }));
    expect(semi).toBe("a;b;note\n1,5;x;'=cmd\n2;y;ok\n");
    const back = await read('semi2.csv', dec(await exportData(m.table, m.schema, { format: 'csv', delimiter: ';', formulaGuard: false })));
    expect(tableToCsv(back.table, back.schema, { formulaGuard: false })).toBe(tableToCsv(m.table, m.schema, { formulaGuard: false }));
    expect(dec(await exportData(m.table, m.schema, { format: 'csv', delimiter: '\t' })).split('\n')[0]).toBe('a,b,note');
  });

  it('TSV guards formulas by default', async () => {
    const m = await read('mixed.csv', MIXED);
    const tsv = tableToTsv(m.table, m.schema);
    expect(tsv).toContain("\t'=SUM(A1)\n");
    expect(tsv).toContain("\t'+1 call\n");
  });

  it('JSON records: numbers as numbers, dates as the input wrote them, missing as null; values equal', async () => {
    for (const [name, table, schema] of await fixtures()) {
      const json = tableToJson(table, schema);
      const records = JSON.parse(json) as Record<string, unknown>[];
      expect(records).toHaveLength(table.nRows);
      const back = await read(name.replace('.csv', '.json'), json);
      expect(back.table.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
      expect(reimportedCells(back.table, schema, true), name).toEqual(typedCells(table, schema, true));
    }
    const m = await read('mixed.csv', MIXED);
    const recs = JSON.parse(tableToJson(m.table, m.schema)) as Record<string, unknown>[];
    expect(recs[0]).toMatchObject({ id: 1, when: '2021-03-04 10:11', day: '03/04/2021', score: 1.25, n: 7, big: 3000000000, flag: 'yes', note: '=SUM(A1)' });
    expect(recs[2]).toMatchObject({ when: null, score: null, n: null, word: null });
  });

  it('Parquet: typed columns, values equal, provenance in the key-value metadata', async () => {
    for (const [name, table, schema] of await fixtures()) {
      const bytes = tableToParquet(table, schema, { provenance: '{"generator":"Facsimile","generation":1}' });
      const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      expect(meta.key_value_metadata?.find((kv) => kv.key === PARQUET_PROVENANCE_KEY)?.value).toBe('{"generator":"Facsimile","generation":1}');
      const back = await read(name.replace('.csv', '.parquet'), bytes);
      expect(back.encoding).toBe('parquet');
      expect(reimportedCells(back.table, schema), name).toEqual(typedCells(table, schema));
    }
    const m = await read('mixed.csv', MIXED);
    const bytes = tableToParquet(m.table, m.schema);
    const meta = parquetMetadata(bytes.buffer as ArrayBuffer);
    const types = Object.fromEntries(meta.schema.slice(1).map((e) => [e.name, [e.type, e.converted_type].filter(Boolean).join('/')]));
    expect(types).toEqual({
      id: 'INT32', when: 'INT64/TIMESTAMP_MILLIS', day: 'INT64/TIMESTAMP_MILLIS', score: 'DOUBLE', n: 'INT32', big: 'INT64',
      flag: 'BOOLEAN', word: 'BYTE_ARRAY/UTF8', note: 'BYTE_ARRAY/UTF8',
    });
  });

  it('bundle: a zip with the data file, provenance.json (with the data file’s hash) and report.html', async () => {
    const m = await read('mixed.csv', MIXED);
    for (const format of ['csv', 'tsv', 'json', 'parquet'] as const) {
      const r = await exportWithProvenance({
        table: m.table, schema: m.schema, format, baseName: 'Copula seed 1', bundle: true, reportHtml: '<html>report</html>',
        provenance: { synthesizer: 'copula', options: { rareCategoryThreshold: 5 }, fitSeed: 1, sampleSeed: 2, rows: m.table.nRows, sourceFingerprint: 'ab'.repeat(32), generation: 1 },
      });
      expect(r.fileName).toBe('Copula seed 1.zip');
      const files = unzipSync(r.bytes);
      expect(Object.keys(files).sort()).toEqual([`Copula seed 1.${format}`, 'provenance.json', 'report.html'].sort());
      const prov = parseProvenance(strFromU8(files['provenance.json']))!;
      expect(prov).toMatchObject({ generator: 'Facsimile', synthesizer: 'copula', fitSeed: 1, sampleSeed: 2, rows: 4, generation: 1 });
      expect(prov.appVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(prov.dataFile).toEqual({ name: `Copula seed 1.${format}`, format, sha256: await sha256Hex(files[`Copula seed 1.${format}`]) });
      expect(r.sha256).toBe(await sha256Hex(r.bytes));
      const un = unpackBundle(r.bytes)!;
      expect(un.dataFileName).toBe(`Copula seed 1.${format}`);
      expect(un.reportHtml).toBe('<html>report</html>');
      const back = await read(un.dataFileName, un.data);
      expect(back.table.nRows).toBe(4);
    }
  });
});
