/**
 * Real data under the user's control (issue 16): encryption at rest through the store, backup and
 * restore, deleting the real data, and quota failures that leave a project as it was. Every check
 * reads IndexedDB (fake-indexeddb) itself, through a store without keys, as the page's store is.
 */
import 'fake-indexeddb/auto';
import { openAsBlob } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { backupRecords, LockedError, openDb, ProjectStore, readBackup, restoreProject, backupProject, type FacsimileDb } from '../../src/db';
import { newEncryption, unlockKey, pack } from '../../src/core/crypto';
import { ingestBlob } from '../../src/core/ingest';
import { loadSynthesizer } from '../../src/core/synth/registry';
import { Rng } from '../../src/core/random/rng';
import type { Schema } from '../../src/core/schema/schema';
import type { Table } from '../../src/core/table/table';
import { DATA_DIR } from '../fixtures/dataDir';

let table: Table;
let schema: Schema;
let key: CryptoKey;
let info: Awaited<ReturnType<typeof newEncryption>>['info'];
const PASSPHRASE = 'penguins on ice 42';

beforeAll(async () => {
  ({ table, schema } = await ingestBlob(await openAsBlob(`${DATA_DIR}/penguins.csv`), { fileName: 'penguins.csv' }));
  ({ key, info } = await newEncryption(PASSPHRASE));
});

let n = 0;
const dbs: FacsimileDb[] = [];
const fresh = () => {
  const db = openDb(`project-data-${++n}-${Date.now()}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** A project as the app makes it: the import, a CART model (donors), a kept sample and a report. */
async function makeProject(store: ProjectStore) {
  const project = await store.createProject('Penguins', { name: 'penguins.csv', table, schema, warnings: [{ code: 'w', message: 'a warning' }], holdoutFraction: 0.2, holdoutSeed: 1 });
  const source = project.currentDatasetId;
  await store.saveSplit({ datasetId: source, seed: 1, fraction: 0.2, holdout: new Int32Array([0, 5, 9]) });
  const cart = await loadSynthesizer('cart');
  const model = await cart.fit(table, schema, {}, { rng: new Rng(3) });
  const rec = await store.saveModel({ projectId: project.id, datasetId: source, synthesizer: 'cart', options: {}, seed: 3, fitSeconds: 0.1, stats: { ...model.stats } }, model.serialize());
  const synthetic = await model.sample(50, { seed: 4 });
  const syn = await store.addDataset(project.id, { name: 'CART sample', table: synthetic, schema: model.schema, warnings: [] }, 'synthetic', source);
  const report = await store.saveReport({ projectId: project.id, modelId: rec.id, syntheticDatasetId: syn.id, report: { score: 0.9, missing: NaN, levels: ['Torgersen'] } });
  return { project, source, model: rec, syn, report, serialized: model.serialize(), synthetic };
}

/** Every stored record of the database, as bytes and text: what someone reading the disk would see. */
async function rawDump(db: FacsimileDb): Promise<{ text: string; bytes: Buffer }> {
  const all: unknown[] = [];
  for (const t of db.tables) all.push(...(await t.toArray()));
  const packed = pack(all);
  return { text: Buffer.from(packed).toString('latin1'), bytes: Buffer.from(packed) };
}

function cells(t: Table): string[] {
  return t.columns.map((c) => (c.type === 'numeric' ? Buffer.from(new Float64Array(c.values).buffer).toString('hex') : JSON.stringify(Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k])))));
}

describe('encryption at rest', () => {
  it('seals column data, previews, models and reports; the store opens them only with the key', async () => {
    const db = fresh();
    const clear = new ProjectStore(db);
    const made = await makeProject(clear);
    const keys = new Map<string, CryptoKey>();
    const worker = new ProjectStore(db, { key: (id) => keys.get(id) });
    keys.set(made.project.id, key);
    await worker.encryptProject(made.project.id, key, info);

    // Raw storage holds no real value: no level text, no numeric cell's 8 bytes, no report text.
    const raw = await rawDump(db);
    for (const s of ['Adelie', 'Torgersen', 'Biscoe', 'Dream']) expect(raw.text).not.toContain(s);
    const bill = table.columns.find((c) => c.name === 'bill_length_mm');
    expect(bill?.type).toBe('numeric');
    if (bill?.type === 'numeric') {
      for (const v of bill.values.slice(0, 20)) if (!Number.isNaN(v)) expect(raw.bytes.includes(Buffer.from(new Float64Array([v]).buffer))).toBe(false);
    }
    // What stays in clear: names, column names, row counts, schema kinds.
    expect(raw.text).toContain('bill_length_mm');
    expect(raw.text).toContain('Penguins');

    // The page's store (no keys) sees no preview and no report body, and cannot read a table.
    const ds = await clear.getDataset(made.source);
    expect(ds?.preview).toBeUndefined();
    expect(ds?.sealedPreview).toBeDefined();
    expect((await clear.listReports(made.project.id))[0].report).toBeUndefined();
    await expect(clear.loadTable(made.source)).rejects.toBeInstanceOf(LockedError);
    await expect(clear.loadModel(made.model.id)).rejects.toBeInstanceOf(LockedError);

    // A worker's store with the key reads everything back exactly.
    expect(cells(await worker.loadTable(made.source))).toEqual(cells(table));
    expect(cells(await worker.loadTable(made.syn.id))).toEqual(cells(made.synthetic));
    expect((await worker.getDataset(made.source))?.preview?.rows.length).toBeGreaterThan(0);
    const m = await worker.loadModel(made.model.id);
    expect(Object.keys(m.arrays).sort()).toEqual(Object.keys(made.serialized.arrays).sort());
    for (const k of Object.keys(m.arrays)) expect(Array.from(m.arrays[k] as Float64Array)).toEqual(Array.from(made.serialized.arrays[k] as Float64Array));
    expect((await worker.listReports(made.project.id))[0].report).toEqual({ score: 0.9, missing: NaN, levels: ['Torgersen'] });

    // New writes to the encrypted project are sealed too.
    const again = await worker.addDataset(made.project.id, { name: 'Cleaned', table, schema, warnings: [] }, 'cleaned', made.source);
    expect(again.preview).toBeDefined(); // the caller gets the record in clear
    expect((await db.datasets.get(again.id))?.preview).toBeUndefined();
    expect((await db.columnData.where('datasetId').equals(again.id).toArray()).every((c) => c.sealed && !c.values && !c.codes && !c.levels)).toBe(true);
    expect((await rawDump(db)).text).not.toContain('Adelie');

    // Locked (key dropped): writes refuse instead of writing in clear.
    keys.delete(made.project.id);
    await expect(worker.addDataset(made.project.id, { name: 'x', table, schema, warnings: [] }, 'cleaned', made.source)).rejects.toBeInstanceOf(LockedError);

    // Unlocking with the passphrase (the stored salt and verifier) gives a key that opens it all.
    keys.set(made.project.id, await unlockKey(PASSPHRASE, (await db.projects.get(made.project.id))!.encryption!));
    expect(cells(await worker.loadTable(made.source))).toEqual(cells(table));

    // Decrypting stores it all in clear again, identical.
    await worker.decryptProject(made.project.id);
    expect((await db.projects.get(made.project.id))?.encryption).toBeUndefined();
    expect(cells(await clear.loadTable(made.source))).toEqual(cells(table));
    expect((await clear.getDataset(made.source))?.preview?.rows.length).toBeGreaterThan(0);
    expect((await clear.listReports(made.project.id))[0].report).toEqual({ score: 0.9, missing: NaN, levels: ['Torgersen'] });
    expect((await rawDump(db)).text).toContain('Adelie');
  });

  it('changes the passphrase: everything re-sealed, the old one no longer opens it', async () => {
    const db = fresh();
    const keys = new Map<string, CryptoKey>();
    const store = new ProjectStore(db, { key: (id) => keys.get(id) });
    const made = await makeProject(store);
    keys.set(made.project.id, key);
    await store.encryptProject(made.project.id, key, info);
    const next = await newEncryption('a brand new passphrase');
    await store.rekeyProject(made.project.id, next.key, next.info);
    const stored = (await db.projects.get(made.project.id))!.encryption!;
    await expect(unlockKey(PASSPHRASE, stored)).rejects.toThrow(/Wrong passphrase/);
    keys.set(made.project.id, await unlockKey('a brand new passphrase', stored));
    expect(cells(await store.loadTable(made.source))).toEqual(cells(table));
    expect((await store.listReports(made.project.id))[0].report).toMatchObject({ score: 0.9 });
    expect(Object.keys((await store.loadModel(made.model.id)).arrays).length).toBeGreaterThan(0);
    // The old key opens nothing any more.
    keys.set(made.project.id, key);
    await expect(store.loadTable(made.source)).rejects.toThrow(/could not be decrypted/);
  });
});

/** Every record of a project as stored (sealed payloads as they are), as comparable text. */
async function snapshot(store: ProjectStore, projectId: string): Promise<string> {
  const r = await store.readProjectRecords(projectId);
  return Buffer.from(pack(r)).toString('base64');
}

describe('backup', () => {
  it('restores a project on another machine (a fresh database) identical in content, encrypted too', async () => {
    for (const encrypted of [false, true]) {
      const a = new ProjectStore(fresh(), { key: () => key });
      const made = await makeProject(a);
      if (encrypted) await a.encryptProject(made.project.id, key, info);
      const { bytes, fileName } = await backupProject(a, made.project.id);
      expect(fileName).toBe('Penguins.facsimile.zip');
      if (encrypted) expect(Buffer.from(bytes).toString('latin1')).not.toContain('Adelie');
      const b = new ProjectStore(fresh());
      const restored = await restoreProject(b, bytes);
      expect(restored.id).toBe(made.project.id);
      expect(await snapshot(b, made.project.id)).toBe(await snapshot(a, made.project.id));
      if (encrypted) {
        const withKey = new ProjectStore(b.db, { key: () => key });
        expect(cells(await withKey.loadTable(made.source))).toEqual(cells(table));
      } else expect(cells(await b.loadTable(made.source))).toEqual(cells(table));
    }
  });

  it('restores beside the original as a copy under fresh ids', async () => {
    const store = new ProjectStore(fresh());
    const made = await makeProject(store);
    const bytes = (await backupProject(store, made.project.id)).bytes;
    const copy = await restoreProject(store, bytes);
    expect(copy.id).not.toBe(made.project.id);
    expect(copy.name).toBe('Penguins (restored)');
    const r = await store.readProjectRecords(copy.id);
    expect(r.datasets.map((d) => d.id)).not.toContain(made.source);
    const syn = r.datasets.find((d) => d.origin === 'synthetic')!;
    expect(r.datasets.map((d) => d.id)).toContain(syn.parentId);
    expect(r.models.map((m) => m.id)).toContain(syn.synthesis?.modelId ?? r.models[0].id);
    expect(r.reports[0].syntheticDatasetId).toBe(syn.id);
    expect(cells(await store.loadTable(copy.currentDatasetId))).toEqual(cells(table));
    expect((await store.listProjects()).length).toBe(2);
  });

  it('refuses other files, newer formats and damaged backups with clear messages', async () => {
    const store = new ProjectStore(fresh());
    const made = await makeProject(store);
    const bytes = (await backupProject(store, made.project.id)).bytes;
    await expect(readBackup(new TextEncoder().encode('a,b\n1,2\n'))).rejects.toThrow(/not a Facsimile project backup/);
    await expect(readBackup(zipSync({ 'hello.txt': new TextEncoder().encode('hi') }))).rejects.toThrow(/not a Facsimile project backup/);
    const newer = zipSync({ 'manifest.json': new TextEncoder().encode(JSON.stringify({ format: 'facsimile-project-backup', formatVersion: 99, appVersion: '9.0.0', arrays: [], records: {} })) });
    await expect(readBackup(newer)).rejects.toThrow(/newer Facsimile/);
    const cut = bytes.slice(0, Math.floor(bytes.length / 2));
    await expect(readBackup(cut)).rejects.toThrow(/damaged/);
    // One byte changed inside a stored (not deflated) array entry: its checksum says so.
    const flipped = bytes.slice();
    flipped[200] ^= 0xff;
    await expect(readBackup(flipped)).rejects.toThrow(/damaged/);
    // Records that claim another project are refused.
    const stray = await readBackup(bytes);
    stray.datasets[0] = { ...stray.datasets[0], projectId: 'someone-else' };
    await expect(readBackup(await backupRecords(stray))).rejects.toThrow(/do not all belong/);
    expect((await store.listProjects()).length).toBe(1);
  });
});

describe('delete real data', () => {
  it('removes the original and cleaned data and the models fitted on them, and says what remains', async () => {
    for (const encrypted of [false, true]) {
      const db = fresh();
      const store = new ProjectStore(db, { key: () => key });
      const made = await makeProject(store);
      const cleaned = await store.addDataset(made.project.id, { name: 'Cleaned', table, schema, warnings: [] }, 'cleaned', made.source);
      // A model fitted on synthetic data holds synthetic values only: it stays whole.
      const copula = await loadSynthesizer('copula');
      const synModel = await copula.fit(made.synthetic, schema, {}, { rng: new Rng(1) });
      const synRec = await store.saveModel({ projectId: made.project.id, datasetId: made.syn.id, synthesizer: 'copula', options: {}, seed: 1, fitSeconds: 0 }, synModel.serialize());
      if (encrypted) await store.encryptProject(made.project.id, key, info);

      const result = await store.deleteRealData(made.project.id);
      expect(result.removedDatasets.sort()).toEqual(['Cleaned', 'penguins.csv']);
      expect(result.removedModelData).toBe(1);
      expect(result.remainingDatasets).toEqual(['CART sample']);
      expect(result.remainingModels).toBe(2);
      expect(result.remainingReports).toBe(1);
      expect(result.bytesFreed).toBeGreaterThan(0);

      // Read IndexedDB afterwards: no column data, preview or split of a real dataset; no donors.
      for (const id of [made.source, cleaned.id]) {
        expect(await db.columnData.where('datasetId').equals(id).count()).toBe(0);
        expect(await db.splits.get(id)).toBeUndefined();
        const rec = await db.datasets.get(id);
        expect(rec?.dataDeletedAt).toBeGreaterThan(0);
        expect(rec?.preview).toBeUndefined();
        expect(rec?.sealedPreview).toBeUndefined();
      }
      expect(await db.modelData.get(made.model.id)).toBeUndefined();
      expect((await db.models.get(made.model.id))?.dataDeletedAt).toBeGreaterThan(0);
      expect(await db.modelData.get(synRec.id)).toBeDefined();
      expect(await db.columnData.where('datasetId').equals(made.syn.id).count()).toBe(table.columns.length);
      expect((await db.projects.get(made.project.id))?.realDataDeletedAt).toBeGreaterThan(0);
      if (!encrypted) {
        // Only synthetic rows remain: no training row's numbers are left in storage.
        const raw = await rawDump(db);
        const first = table.columns.filter((c) => c.type === 'numeric').map((c) => (c.type === 'numeric' ? c.values : new Float64Array()));
        const row0 = Buffer.from(new Float64Array(first.map((v) => v[0])).buffer);
        expect(raw.bytes.includes(row0)).toBe(false);
      }

      // The synthetic data, the report and the sample's model still open; the real data says why not.
      expect(cells(await store.loadTable(made.syn.id))).toEqual(cells(made.synthetic));
      expect((await store.listReports(made.project.id))[0].report).toMatchObject({ score: 0.9 });
      await expect(store.loadTable(made.source)).rejects.toThrow(/deleted with the project's real data/);
      await expect(store.loadModel(made.model.id)).rejects.toThrow(/deleted with the real data/);
      await store.loadModel(synRec.id);
    }
  });

  it('keeps an imported Facsimile export (generation 1 or more): it is synthetic already', async () => {
    const store = new ProjectStore(fresh());
    const p = await store.createProject('Gen', { name: 'synthetic.csv', table, schema, warnings: [], generation: 1 });
    const result = await store.deleteRealData(p.id);
    expect(result.removedDatasets).toEqual([]);
    expect(result.remainingDatasets).toEqual(['synthetic.csv']);
    expect(cells(await store.loadTable(p.currentDatasetId))).toEqual(cells(table));
  });
});

describe('quota', () => {
  /** Make one table's writes fail as a full disk does. */
  function exceedQuotaOn(db: FacsimileDb, table: 'columnData' | 'modelData' | 'reports' | 'datasets' | 'projects') {
    const t = db[table] as unknown as Record<string, unknown>;
    const fail = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    for (const m of ['add', 'put', 'bulkAdd', 'bulkPut', 'update']) t[m] = fail;
  }

  it('a write that would exceed the quota fails cleanly and leaves the project as it was', async () => {
    const db = fresh();
    const store = new ProjectStore(db, { key: () => key });
    const made = await makeProject(store);
    const before = await snapshot(store, made.project.id);
    type Tables = 'columnData' | 'modelData' | 'reports' | 'datasets' | 'projects';
    const cases: [string, Tables, (s: ProjectStore) => Promise<unknown>][] = [
      ['addDataset', 'columnData', (s) => s.addDataset(made.project.id, { name: 'big', table, schema, warnings: [] }, 'cleaned', made.source)],
      ['saveModel', 'modelData', (s) => s.saveModel({ projectId: made.project.id, datasetId: made.source, synthesizer: 'cart', options: {}, seed: 1, fitSeconds: 0 }, made.serialized)],
      ['saveReport', 'reports', (s) => s.saveReport({ projectId: made.project.id, modelId: made.model.id, syntheticDatasetId: made.syn.id, report: {} })],
      ['encryptProject', 'reports', (s) => s.encryptProject(made.project.id, key, info)],
      ['deleteRealData', 'projects', (s) => s.deleteRealData(made.project.id)],
      ['setPreview', 'datasets', (s) => s.setPreview(made.source, { header: [], rows: [], levels: {} } as never)],
      ['duplicateProject', 'reports', (s) => s.duplicateProject(made.project.id, 'copy')],
      ['renameProject', 'projects', (s) => s.renameProject(made.project.id, 'new name')],
      ['keepDataset', 'datasets', (s) => s.keepDataset(made.syn.id)],
    ];
    for (const [name, tableName, write] of cases) {
      // The write runs on a second connection whose table fails as a full disk does.
      const scratch = new ProjectStore(openDb(db.name), { key: () => key });
      exceedQuotaOn(scratch.db, tableName);
      await expect(write(scratch), name).rejects.toThrow(/Not enough browser storage .* Nothing was saved/);
      scratch.db.close();
      expect(await snapshot(store, made.project.id), name).toBe(before);
      expect((await store.listProjects()).length, name).toBe(1);
    }
    // A restore that does not fit writes nothing either.
    const bytes = (await backupProject(store, made.project.id)).bytes;
    const target = fresh();
    exceedQuotaOn(target, 'columnData');
    await expect(restoreProject(new ProjectStore(target), bytes)).rejects.toThrow(/Not enough browser storage/);
    expect(await new ProjectStore(openDb(target.name)).listProjects()).toEqual([]);
  });
});
