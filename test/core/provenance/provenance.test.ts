import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableToTsv } from '../../../src/core/export/index';
import { exportWithProvenance } from '../../../src/core/export/exportFile';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { bytesSource } from '../../../src/core/ingest/byteSource';
import {
  detectProvenance, generationMessage, makeProvenance, parquetProvenance, parseProvenance, provenanceJson, sha256Hex, sidecarName, tableFingerprint,
} from '../../../src/core/provenance';
import { DATA_DIR } from '../../fixtures/dataDir';

const penguinsText = readFileSync(path.join(DATA_DIR, 'penguins.csv'), 'utf8');
const fields = { synthesizer: 'cart', options: { minLeafSize: 5 }, fitSeed: 3, sampleSeed: 4, rows: 344, sourceFingerprint: '0'.repeat(64), generation: 2 };

describe('provenance', () => {
  it('records generator, app version, synthesizer, options, seeds, rows, an ISO date, the source hash and the generation', () => {
    const p = makeProvenance({ ...fields, createdAt: new Date(Date.UTC(2026, 0, 2)) });
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(p).toEqual({ generator: 'Facsimile', appVersion: pkg.version, ...fields, createdAt: '2026-01-02T00:00:00.000Z' });
    expect(parseProvenance(provenanceJson(p))).toEqual(p);
    expect(parseProvenance('{"generator":"Other","generation":1}')).toBeUndefined();
    expect(parseProvenance('{"generator":"Facsimile","generation":0}')).toBeUndefined();
    expect(parseProvenance('not json')).toBeUndefined();
  });

  it('names the sidecar after the data file without its extension', () => {
    expect(sidecarName('out/synthetic.csv')).toBe('synthetic.provenance.json');
    expect(sidecarName('a.b.parquet')).toBe('a.b.provenance.json');
    expect(sidecarName('noext')).toBe('noext.provenance.json');
  });

  it('fingerprints the table’s content (SHA-256 hex), the same whatever file it came from, and never holds a value', async () => {
    const a = await ingestBlob(new Blob([penguinsText]), { fileName: 'penguins.csv' });
    const b = await ingestBlob(new Blob([tableToTsv(a.table, a.schema, { formulaGuard: false })]), { fileName: 'penguins.tsv' });
    const fa = await tableFingerprint(a.table, a.schema);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    expect(await tableFingerprint(b.table, b.schema)).toBe(fa);
    const c = await ingestBlob(new Blob([penguinsText.replace('Adelie', 'Adelia')]), { fileName: 'p.csv' });
    expect(await tableFingerprint(c.table, c.schema)).not.toBe(fa);
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('derives a generation from the lineage: the nearest stored one, plus one per synthesis after it', async () => {
    const { lineageGeneration } = await import('../../../src/core/provenance');
    expect(lineageGeneration([{ origin: 'import' }])).toBe(0);
    expect(lineageGeneration([{ origin: 'synthetic' }, { origin: 'cleaned' }, { origin: 'import' }])).toBe(1);
    expect(lineageGeneration([{ origin: 'synthetic' }, { origin: 'import', generation: 2 }])).toBe(3);
    expect(lineageGeneration([{ origin: 'synthetic', generation: 4 }, { origin: 'import' }])).toBe(4);
  });

  it('explains the generation in two sentences', () => {
    const m = generationMessage(3);
    expect(m).toContain('generation 3');
    expect(m.split(/(?<=\.) /)).toHaveLength(2);
  });
});

describe('detectProvenance', () => {
  it('recognises a sidecar, a bundle and Parquet metadata, in that order; plain data is not an export', async () => {
    const r = await ingestBlob(new Blob([penguinsText]), { fileName: 'penguins.csv' });
    const make = (format: 'csv' | 'parquet', bundle: boolean) =>
      exportWithProvenance({ table: r.table, schema: r.schema, format, baseName: 'syn', bundle, provenance: fields });
    const csv = await make('csv', false);
    expect(detectProvenance({ fileName: 'syn.csv', bytes: csv.bytes })).toBeUndefined();
    expect(detectProvenance({ fileName: 'syn.csv', bytes: csv.bytes, sidecarText: csv.provenanceJson })).toMatchObject({ via: 'sidecar', provenance: { generation: 2 } });
    expect(detectProvenance({ fileName: 'syn.csv', bytes: csv.bytes, sidecarText: '{"not":"ours"}' })).toBeUndefined();
    const zip = await make('csv', true);
    expect(detectProvenance({ fileName: 'syn.zip', bytes: zip.bytes })).toMatchObject({ via: 'bundle', provenance: { generation: 2, dataFile: { name: 'syn.csv' } } });
    const pq = await make('parquet', false);
    expect(detectProvenance({ fileName: 'syn.parquet', bytes: pq.bytes })).toMatchObject({ via: 'parquet-metadata', provenance: { generation: 2, rows: 344 } });
    expect(await parquetProvenance(bytesSource(pq.bytes))).toMatchObject({ generation: 2 });
    expect(await parquetProvenance(bytesSource(csv.bytes))).toBeUndefined();
    // The sidecar wins over what the file says of itself.
    const other = provenanceJson(makeProvenance({ ...fields, generation: 5 }));
    expect(detectProvenance({ fileName: 'syn.parquet', bytes: pq.bytes, sidecarText: other })?.provenance.generation).toBe(5);
  });
});

describe('resolveImport', () => {
  it('takes the data file out of a Facsimile zip, with its provenance; hashes the zip and the data file', async () => {
    const { resolveImport, splitDropped, pickSidecar } = await import('../../../src/core/provenance');
    const r = await ingestBlob(new Blob([penguinsText]), { fileName: 'penguins.csv' });
    const zip = await exportWithProvenance({ table: r.table, schema: r.schema, format: 'csv', baseName: 'syn', bundle: true, provenance: fields });
    const got = await resolveImport(new Blob([zip.bytes as Uint8Array<ArrayBuffer>]), 'syn.zip');
    expect(got.fileName).toBe('syn.csv');
    expect(got.detected).toMatchObject({ via: 'bundle', provenance: { generation: 2 } });
    expect(got.hashes).toEqual([zip.sha256, zip.dataSha256]);
    const back = await ingestBlob(got.data, { fileName: got.fileName });
    expect(back.table.nRows).toBe(344);

    const plain = await resolveImport(new Blob([penguinsText]), 'penguins.csv');
    expect(plain.detected).toBeUndefined();
    expect(plain.hashes).toEqual([await sha256Hex(new TextEncoder().encode(penguinsText))]);
    const withSide = await resolveImport(new Blob([penguinsText]), 'penguins.csv', zip.provenanceJson);
    expect(withSide.detected?.via).toBe('sidecar');

    await expect(resolveImport(new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]), 'bad.zip')).rejects.toThrow(/zip/);

    const files = [{ name: 'syn.provenance.json' }, { name: 'syn.csv' }, { name: 'other.provenance.json' }];
    const { data, companions } = splitDropped(files);
    expect(data?.name).toBe('syn.csv');
    expect(pickSidecar('syn.csv', companions)?.name).toBe('syn.provenance.json');
    expect(pickSidecar('x.csv', [{ name: 'provenance.json' }])?.name).toBe('provenance.json');
  });
});
