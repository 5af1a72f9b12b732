import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { openDb, ProjectStore } from '../../src/db';
import { categoricalFromStrings, makeTable, numericColumn } from '../../src/core/table/table';
import type { Schema } from '../../src/core/schema/schema';
import type { SerializedModel } from '../../src/core/synth/types';

const schema: Schema = {
  columns: [
    { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] },
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
  ],
};
const table = makeTable([numericColumn('x', new Float64Array([1.5, NaN, 3])), categoricalFromStrings('species', ['Gentoo', null, 'Adelie'])]);
const serialized: SerializedModel = { synthesizer: 'copula', version: 1, meta: { a: 1 }, arrays: { donors: new Float64Array([1, 2, 3]) } };

let n = 0;
const names: string[] = [];
const fresh = () => {
  const name = `v2-${++n}-${Date.now()}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('database version 2 (workers own the data)', () => {
  it('upgrades a version-1 database: model arrays move out of the model records, nothing is lost', async () => {
    const name = fresh();
    // A database as version 1 of the app wrote it.
    const v1 = new Dexie(name);
    v1.version(1).stores({
      projects: 'id, updatedAt',
      datasets: 'id, projectId, createdAt',
      columnData: '[datasetId+index], datasetId',
      models: 'id, projectId, datasetId, createdAt',
      reports: 'id, projectId, modelId, createdAt',
    });
    await v1.table('projects').add({ id: 'p', name: 'P', createdAt: 1, updatedAt: 1, currentDatasetId: 'd' });
    await v1.table('datasets').add({ id: 'd', projectId: 'p', name: 'd.csv', origin: 'import', nRows: 3, columnNames: ['x', 'species'], schema, warnings: [], createdAt: 1 });
    await v1.table('models').add({ id: 'm', projectId: 'p', datasetId: 'd', synthesizer: 'copula', options: {}, seed: 42, createdAt: 2, fitSeconds: 0.1, serialized });
    await v1.table('reports').add({ id: 'r', projectId: 'p', modelId: 'm', syntheticDatasetId: 's', createdAt: 3, report: { version: 1 } });
    v1.close();

    const db = openDb(name);
    const store = new ProjectStore(db);
    const model = await store.getModel('m');
    expect(model).toMatchObject({ id: 'm', seed: 42 });
    expect(model).not.toHaveProperty('serialized');
    const back = await store.loadModel('m');
    expect(Array.from(back.arrays.donors)).toEqual([1, 2, 3]);
    expect((await store.listReports('p')).map((r) => r.id)).toEqual(['r']);
    expect((await store.getDataset('d'))?.preview).toBeUndefined(); // filled in later by a worker
    db.close();
  });

  it('stores previews with the data, replaces draft samples, keeps and deletes datasets', async () => {
    const db = openDb(fresh());
    const store = new ProjectStore(db);
    const p = await store.createProject('P', { name: 'd.csv', table, schema, warnings: [] });
    const source = (await store.getDataset(p.currentDatasetId))!;
    expect(source.preview?.rows[0]).toEqual([1.5, 'Gentoo']);
    expect(source.preview?.levels.species).toEqual({ values: ['Adelie', 'Gentoo'], count: 2 });

    const draft1 = await store.addDataset(p.id, { name: 's1', table, schema, warnings: [], draft: true }, 'synthetic', source.id);
    const draft2 = await store.addDataset(p.id, { name: 's2', table, schema, warnings: [], draft: true }, 'synthetic', source.id);
    let ids = (await store.listDatasets(p.id)).map((d) => d.id);
    expect(ids).toEqual([source.id, draft2.id]); // the first draft was replaced
    expect(await db.columnData.where('datasetId').equals(draft1.id).count()).toBe(0);

    const kept = await store.keepDataset(draft2.id);
    expect(kept.draft).toBe(false);
    const draft3 = await store.addDataset(p.id, { name: 's3', table, schema, warnings: [], draft: true }, 'synthetic', source.id);
    ids = (await store.listDatasets(p.id)).map((d) => d.id);
    expect(ids).toEqual([source.id, draft2.id, draft3.id]); // a kept sample stays

    await store.deleteDataset(draft2.id);
    expect((await store.listDatasets(p.id)).map((d) => d.id)).toEqual([source.id, draft3.id]);
    await expect(store.deleteDataset(source.id)).rejects.toThrow(/in use/);
    db.close();
  });

  it('saves a model with its arrays apart, and a split once; deleting the project removes both', async () => {
    const db = openDb(fresh());
    const store = new ProjectStore(db);
    const p = await store.createProject('P', { name: 'd.csv', table, schema, warnings: [] });
    const m = await store.saveModel({ projectId: p.id, datasetId: p.currentDatasetId, synthesizer: 'copula', options: {}, seed: 1, fitSeconds: 0 }, serialized);
    expect((await store.listModels(p.id))[0]).not.toHaveProperty('serialized');
    expect(Array.from((await store.loadModel(m.id)).arrays.donors)).toEqual([1, 2, 3]);
    await store.saveSplit({ datasetId: p.currentDatasetId, seed: 1, fraction: 0.34, holdout: new Int32Array([2]) });
    expect(Array.from((await store.getSplit(p.currentDatasetId))!.holdout)).toEqual([2]);
    await store.deleteProject(p.id);
    expect(await db.modelData.count()).toBe(0);
    expect(await db.splits.count()).toBe(0);
    await expect(store.loadModel(m.id)).rejects.toThrow(/no longer stored/);
    db.close();
  });
});
