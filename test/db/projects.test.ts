import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { openDb, ProjectStore } from '../../src/db';
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
