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

describe('duplicating a project, and what it takes in storage', () => {
  it('copies every dataset, split, model and report under fresh ids, links included; the original is untouched', async () => {
    const db = openDb(fresh());
    const store = new ProjectStore(db);
    const p = await store.createProject('P', { name: 'd.csv', table, schema, warnings: [] });
    const source = p.currentDatasetId;
    await store.saveSplit({ datasetId: source, seed: 1, fraction: 0.34, holdout: new Int32Array([2]) });
    const m = await store.saveModel({ projectId: p.id, datasetId: source, synthesizer: 'copula', options: {}, seed: 1, fitSeconds: 0 }, serialized);
    const syn = await store.addDataset(p.id, { name: 's', table, schema, warnings: [], synthesis: { modelId: m.id, synthesizer: 'copula', options: {}, fitSeed: 1, sampleSeed: 2, stats: { pooledCategories: {}, pooledLabel: '(rare)', redrawnLeakedRows: 0 }, fitSeconds: 0, sampleSeconds: 0 } }, 'synthetic', source);
    await store.saveReport({ projectId: p.id, modelId: m.id, syntheticDatasetId: syn.id, report: { version: 1 } });

    const copy = await store.duplicateProject(p.id, 'P (copy)');
    expect(copy.id).not.toBe(p.id);
    const datasets = await store.listDatasets(copy.id);
    expect(datasets.map((d) => d.name)).toEqual(['d.csv', 's']);
    const [cSource, cSyn] = datasets;
    expect(copy.currentDatasetId).toBe(cSource.id);
    expect(cSource.id).not.toBe(source);
    expect(cSyn.parentId).toBe(cSource.id);
    const [cModel] = await store.listModels(copy.id);
    expect(cModel.datasetId).toBe(cSource.id);
    expect(cSyn.synthesis?.modelId).toBe(cModel.id);
    expect(Array.from((await store.loadModel(cModel.id)).arrays.donors)).toEqual([1, 2, 3]);
    expect(Array.from((await store.getSplit(cSource.id))!.holdout)).toEqual([2]);
    const [cReport] = await store.listReports(copy.id);
    expect([cReport.modelId, cReport.syntheticDatasetId]).toEqual([cModel.id, cSyn.id]);
    const back = await store.loadTable(cSource.id);
    expect(back.columns[1].type === 'categorical' && back.columns[1].levels).toEqual(['Gentoo', 'Adelie']);

    // Deleting the copy leaves the original whole.
    await store.deleteProject(copy.id);
    expect((await store.listDatasets(p.id)).length).toBe(2);
    expect((await store.loadTable(source)).nRows).toBe(3);

    // Sizes are recorded as data is written, so the page can show them without reading any table.
    const usage = await store.projectBytes(p.id);
    expect(usage.unknown).toBe(0);
    // 2 tables of (3 doubles + 3 int32 codes + 2 labels) and the model's 3 doubles + meta.
    expect(usage.bytes).toBeGreaterThan(2 * (24 + 12) + 24);
    db.close();
  });
});
