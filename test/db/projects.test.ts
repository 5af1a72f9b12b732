import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { openDb, ProjectStore } from '../../src/db';
import { columnBytes, MAX_COLUMN_BYTES } from '../../src/db/tableStore';
import { categoricalFromStrings, makeTable, numericColumn } from '../../src/core/table/table';
import type { Schema } from '../../src/core/schema/schema';

const schema: Schema = {
  columns: [
    { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] },
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
  ],
};
const table = makeTable([
  numericColumn('x', new Float64Array([1.5, NaN, 3])),
  categoricalFromStrings('species', ['Adelie', null, 'Gentoo']),
]);

let n = 0;
const fresh = () => openDb(`test-${++n}-${Date.now()}`);
const dbs: Dexie[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

describe('ProjectStore', () => {
  it('saves a project and its column data, and loads the table back exactly', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    const p = await store.createProject('Penguins', { name: 'penguins.csv', table, schema, warnings: [] });
    const list = await store.listProjects();
    expect(list.map((x) => x.name)).toEqual(['Penguins']);
    const back = await store.loadTable(p.currentDatasetId);
    expect(back.nRows).toBe(3);
    const x = back.columns[0];
    expect(x.type === 'numeric' && Array.from(x.values)).toEqual([1.5, NaN, 3]);
    const s = back.columns[1];
    expect(s.type === 'categorical' && [Array.from(s.codes), s.levels]).toEqual([[0, -1, 1], ['Adelie', 'Gentoo']]);
  });

  it('listing projects does not read column data', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    await store.createProject('A', { name: 'a.csv', table, schema, warnings: [] });
    let columnReads = 0;
    db.columnData.hook('reading', (r) => {
      columnReads++;
      return r;
    });
    await store.listProjects();
    await store.listDatasets((await store.listProjects())[0].id);
    expect(columnReads).toBe(0);
  });

  it('writes nothing when a write fails half way (quota), and says so clearly', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    db.columnData.hook('creating', () => {
      const e = new Error('quota');
      e.name = 'QuotaExceededError';
      throw e;
    });
    await expect(store.createProject('Big', { name: 'big.csv', table, schema, warnings: [] })).rejects.toThrow(
      /Not enough browser storage.*Nothing was saved/,
    );
    expect(await db.projects.count()).toBe(0);
    expect(await db.datasets.count()).toBe(0);
  });

  it('refuses a column too big for one stored record before writing anything (a 1 GB text column hangs Chromium\'s write)', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    // 14,000 distinct texts of 10 kB: 140 MB, over MAX_COLUMN_BYTES.
    const cell = 'x'.repeat(10_000);
    const texts = Array.from({ length: 14_000 }, (_, i) => `${i} ${cell}`);
    const big = makeTable([categoricalFromStrings('notes', texts)]);
    expect(columnBytes(big.columns[0])).toBeGreaterThan(MAX_COLUMN_BYTES);
    const bigSchema: Schema = { columns: [{ name: 'notes', kind: 'text', role: 'keep-out', pii: [] }] };
    await expect(store.createProject('Huge', { name: 'huge.csv', table: big, schema: bigSchema, warnings: [] })).rejects.toThrow(
      /Column "notes" holds about 140 MB, more than this browser can store in one column \(130 MB\)\. Nothing was saved\./,
    );
    expect(await db.projects.count()).toBe(0);
    expect(await db.columnData.count()).toBe(0);
    // A derived dataset is refused the same way, and the project keeps what it had.
    const p = await store.createProject('A', { name: 'a.csv', table, schema, warnings: [] });
    await expect(store.addDataset(p.id, { name: 'huge', table: big, schema: bigSchema, warnings: [] }, 'cleaned', p.currentDatasetId)).rejects.toThrow(/holds about 140 MB/);
    expect(await db.datasets.count()).toBe(1);
    // Characters beyond Latin-1 take 2 bytes: 70 M of them count as 140 MB.
    const wide = makeTable([categoricalFromStrings('notes', Array.from({ length: 7_000 }, (_, i) => `${i} ${'é€'.repeat(5_000)}`))]);
    expect(columnBytes(wide.columns[0])).toBeGreaterThan(MAX_COLUMN_BYTES);
  });

  it('refuses a model too big for one stored record, with what to do instead', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    const p = await store.createProject('A', { name: 'a.csv', table, schema, warnings: [] });
    const huge = { synthesizer: 'cart' as const, version: 1, meta: {}, arrays: { donors: new Float64Array(17_000_000) } };
    await expect(store.saveModel({ projectId: p.id, datasetId: p.currentDatasetId, synthesizer: 'cart', options: {}, seed: 1, fitSeconds: 0 }, huge)).rejects.toThrow(
      /This model takes about 136 MB, more than this browser can store in one record \(130 MB\)\. Nothing was saved\./,
    );
    expect(await db.models.count()).toBe(0);
  });

  it('stores each checkpoint in place of the last, and none once the last was discarded; the final model still lands', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    const p = await store.createProject('A', { name: 'a.csv', table, schema, warnings: [] });
    const base = { projectId: p.id, datasetId: p.currentDatasetId, synthesizer: 'transformer' as const, options: {}, seed: 1, fitSeconds: 0 };
    const arrays = (epoch: number) => ({ synthesizer: 'transformer' as const, version: 0, meta: { epoch }, arrays: { w: new Float32Array([epoch]) } });
    const at = (epoch: number) => ({ ...base, training: { epoch, savedAt: epoch } });
    const first = (await store.saveCheckpoint(at(1), arrays(1)))!;
    const second = (await store.saveCheckpoint(at(2), arrays(2), first.id))!;
    expect((await store.listModels(p.id)).map((m) => m.training?.epoch)).toEqual([2]);
    // The page discards epoch 2's checkpoint while epoch 3's save is on its way: it is not stored.
    await store.deleteModel(second.id);
    expect(await store.saveCheckpoint(at(3), arrays(3), second.id)).toBeNull();
    expect(await store.saveCheckpoint(at(4), arrays(4), second.id)).toBeNull();
    expect(await db.models.count()).toBe(0);
    expect(await db.modelData.count()).toBe(0);
    // The run's final model replaces the (gone) checkpoint all the same.
    const final = await store.saveModel(base, arrays(5), second.id);
    expect((await store.listModels(p.id)).map((m) => m.id)).toEqual([final.id]);
  });

  it('deletes a project with all its data', async () => {
    const db = fresh();
    dbs.push(db);
    const store = new ProjectStore(db);
    const p = await store.createProject('A', { name: 'a.csv', table, schema, warnings: [] });
    await store.addDataset(p.id, { name: 'clean', table, schema, warnings: [] }, 'cleaned', p.currentDatasetId);
    expect(await db.columnData.count()).toBe(4);
    await store.deleteProject(p.id);
    expect(await db.columnData.count()).toBe(0);
    expect(await db.datasets.count()).toBe(0);
  });
});
