import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { findExportFingerprint, openDb, ProjectStore, saveExportFingerprints } from '../../src/db';
import { categoricalFromStrings, makeTable, numericColumn } from '../../src/core/table/table';
import type { Schema } from '../../src/core/schema/schema';

const schema: Schema = {
  columns: [
    { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] },
    { name: 'species', kind: 'categorical', role: 'synthesize', pii: [] },
  ],
};
const table = makeTable([numericColumn('x', new Float64Array([1.5, NaN, 3])), categoricalFromStrings('species', ['Adelie', null, 'Gentoo'])]);

let n = 0;
const names: string[] = [];
const fresh = () => {
  const name = `v3-${++n}-${Date.now()}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('database version 3: generations and export fingerprints', () => {
  it('upgrades a version-2 database without losing anything, and adds the fingerprint table', async () => {
    const name = fresh();
    const v2 = new Dexie(name);
    v2.version(1).stores({ projects: 'id, updatedAt', datasets: 'id, projectId, createdAt', columnData: '[datasetId+index], datasetId', models: 'id, projectId, datasetId, createdAt', reports: 'id, projectId, modelId, createdAt' });
    v2.version(2).stores({ modelData: 'modelId', splits: 'datasetId', reports: 'id, projectId, modelId, syntheticDatasetId, createdAt' });
    await v2.table('projects').add({ id: 'p', name: 'Old', createdAt: 1, updatedAt: 1, currentDatasetId: 'd' });
    v2.close();
    const db = openDb(name);
    expect(db.verno).toBe(3);
    expect((await db.projects.get('p'))?.name).toBe('Old');
    expect(await db.exportFingerprints.count()).toBe(0);
    db.close();
  });

  it('stores and finds an export’s fingerprint by its hash', async () => {
    const db = openDb(fresh());
    const rec = { hash: 'a'.repeat(64), projectId: 'p', datasetId: 'd', generation: 2, fileName: 'syn.csv', createdAt: 5 };
    await saveExportFingerprints(db, [rec, { ...rec, hash: 'b'.repeat(64), fileName: 'syn.zip' }]);
    expect(await findExportFingerprint(db, 'a'.repeat(64))).toEqual(rec);
    expect((await findExportFingerprint(db, 'b'.repeat(64)))?.fileName).toBe('syn.zip');
    expect(await findExportFingerprint(db, 'c'.repeat(64))).toBeUndefined();
    // Saving the same file again keeps one record.
    await saveExportFingerprints(db, [{ ...rec, createdAt: 6 }]);
    expect(await db.exportFingerprints.count()).toBe(2);
    db.close();
  });

  it('real data has no generation; an imported export keeps its own; a synthetic dataset is its parent’s + 1, a cleaned one its parent’s', async () => {
    const db = openDb(fresh());
    const store = new ProjectStore(db);
    const real = await store.createProject('Real', { name: 'real.csv', table, schema, warnings: [] });
    const realSet = (await store.getDataset(real.currentDatasetId))!;
    expect(realSet.generation).toBeUndefined();
    const syn = await store.addDataset(real.id, { name: 's', table, schema, warnings: [] }, 'synthetic', realSet.id);
    expect(syn.generation).toBe(1);

    const exp = await store.createProject('Export', { name: 'syn.csv', table, schema, warnings: [], generation: 2 });
    const expSet = (await store.getDataset(exp.currentDatasetId))!;
    expect(expSet.generation).toBe(2);
    const cleaned = await store.addDataset(exp.id, { name: 'c', table, schema, warnings: [] }, 'cleaned', expSet.id);
    expect(cleaned.generation).toBe(2);
    const syn3 = await store.addDataset(exp.id, { name: 's3', table, schema, warnings: [], draft: true }, 'synthetic', cleaned.id);
    expect(syn3.generation).toBe(3);
    expect((await store.getDataset(syn3.id))?.generation).toBe(3);
    db.close();
  });
});
