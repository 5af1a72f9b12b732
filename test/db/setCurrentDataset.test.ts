import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type Dexie from 'dexie';
import { openDb, ProjectStore } from '../../src/db';
import { makeTable, numericColumn } from '../../src/core/table/table';
import type { Schema } from '../../src/core/schema/schema';

const schema: Schema = { columns: [{ name: 'x', kind: 'numeric', role: 'synthesize', pii: [] }] };
const table = (values: number[]) => makeTable([numericColumn('x', new Float64Array(values))]);

const dbs: Dexie[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});
function freshStore(): ProjectStore {
  const db = openDb(`versions-${dbs.length}-${Date.now()}`);
  dbs.push(db);
  return new ProjectStore(db);
}

describe('ProjectStore.setCurrentDataset', () => {
  it('switches back to the original after a cleaned version, leaving both stored', async () => {
    const store = freshStore();
    const p = await store.createProject('P', { name: 'p.csv', table: table([1, 1, 2]), schema, warnings: [] });
    const original = p.currentDatasetId;
    const cleaned = await store.addDataset(p.id, { name: 'p.csv — Drop duplicate rows', table: table([1, 2]), schema, warnings: [] }, 'cleaned', original);
    expect((await store.getProject(p.id))?.currentDatasetId).toBe(cleaned.id);

    await store.setCurrentDataset(p.id, original);
    expect((await store.getProject(p.id))?.currentDatasetId).toBe(original);
    expect((await store.loadTable(original)).nRows).toBe(3);
    expect((await store.loadTable(cleaned.id)).nRows).toBe(2);
    expect((await store.listDatasets(p.id)).map((d) => d.origin)).toEqual(['import', 'cleaned']);
  });

  it("refuses another project's dataset and changes nothing", async () => {
    const store = freshStore();
    const a = await store.createProject('A', { name: 'a.csv', table: table([1]), schema, warnings: [] });
    const b = await store.createProject('B', { name: 'b.csv', table: table([2]), schema, warnings: [] });
    await expect(store.setCurrentDataset(a.id, b.currentDatasetId)).rejects.toThrow(/does not belong to this project/);
    expect((await store.getProject(a.id))?.currentDatasetId).toBe(a.currentDatasetId);
  });
});
