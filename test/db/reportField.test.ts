/**
 * A field added to a saved report's body later (the ε curve): kept in clear or sealed as the project
 * is, refused while locked, and read back by getReport / listReports.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LockedError, openDb, ProjectStore, type FacsimileDb } from '../../src/db';
import { newEncryption, pack } from '../../src/core/crypto';
import { UserError } from '../../src/core/context';
import { categoricalFromStrings, makeTable } from '../../src/core/table/table';

let key: CryptoKey;
let info: Awaited<ReturnType<typeof newEncryption>>['info'];
beforeAll(async () => ({ key, info } = await newEncryption('a passphrase for the curve')));

let n = 0;
const dbs: FacsimileDb[] = [];
const fresh = () => {
  const db = openDb(`report-field-${++n}-${Date.now()}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

async function made(store: ProjectStore) {
  const table = makeTable([categoricalFromStrings('island', ['Torgersen', 'Biscoe'])]);
  const schema = { columns: [{ name: 'island', kind: 'categorical' as const, role: 'synthesize' as const, pii: [] }] };
  const project = await store.createProject('P', { name: 'p.csv', table, schema, warnings: [] });
  const report = await store.saveReport({ projectId: project.id, modelId: 'm', syntheticDatasetId: 's', report: { version: 1, label: 'Secret label' } });
  return { project, report };
}

const CURVE = { points: [{ epsilon: 1, twoWay: 0.5, refused: { message: 'Marker of the curve' } }, { epsilon: null, twoWay: 0.7 }] };

describe('setReportField', () => {
  it('adds the field to a report in clear, keeping the rest of the body', async () => {
    const store = new ProjectStore(fresh());
    const { project, report } = await made(store);
    const rec = await store.setReportField(report.id, 'epsilonCurve', CURVE);
    expect(rec.report).toEqual({ version: 1, label: 'Secret label', epsilonCurve: CURVE });
    expect((await store.getReport(report.id))?.report).toEqual({ version: 1, label: 'Secret label', epsilonCurve: CURVE });
    expect((await store.listReports(project.id))[0].report).toEqual({ version: 1, label: 'Secret label', epsilonCurve: CURVE });
    expect((await store.listReports(project.id))[0].createdAt).toBe(report.createdAt);
    await expect(store.setReportField('nope', 'epsilonCurve', CURVE)).rejects.toBeInstanceOf(UserError);
  });

  it('keeps the body sealed in an encrypted project, and refuses while locked', async () => {
    const db = fresh();
    const clear = new ProjectStore(db);
    const keys = new Map<string, CryptoKey>();
    const worker = new ProjectStore(db, { key: (id) => keys.get(id) });
    const { project, report } = await made(clear);
    keys.set(project.id, key);
    await worker.encryptProject(project.id, key, info);

    await worker.setReportField(report.id, 'epsilonCurve', CURVE);
    const raw = Buffer.from(pack(await db.reports.toArray())).toString('latin1');
    expect(raw).not.toContain('Marker of the curve');
    expect(raw).not.toContain('Secret label');
    expect((await db.reports.get(report.id))?.report).toBeUndefined();
    // The page's store sees no body; the key holder's reads it back.
    expect((await clear.getReport(report.id))?.report).toBeUndefined();
    expect((await worker.getReport(report.id))?.report).toEqual({ version: 1, label: 'Secret label', epsilonCurve: CURVE });
    expect((await worker.listReports(project.id))[0].report).toEqual({ version: 1, label: 'Secret label', epsilonCurve: CURVE });

    keys.delete(project.id);
    await expect(worker.setReportField(report.id, 'epsilonCurve', CURVE)).rejects.toBeInstanceOf(LockedError);
    await expect(clear.setReportField(report.id, 'epsilonCurve', CURVE)).rejects.toBeInstanceOf(LockedError);
  });
});
