import type { Schema } from '../core/schema/schema';
import type { Table } from '../core/table/table';
import { tablePreview } from '../core/table/preview';
import type { SerializedModel } from '../core/synth/types';
import type { FacsimileDb } from './db';
import { storageError } from './errors';
import { assertStorable, recordsToTable, tableBytes, tableToRecords } from './tableStore';
import { MAX_RECORD_BYTES, megabytes } from './recordLimit';
import type { ColumnDataRecord, DatasetRecord, ModelDataRecord, ModelRecord, ProjectRecord, ReportRecord, SplitRecord } from './types';
import { openValue, sealValue, type EncryptionInfo, type Sealed } from '../core/crypto';
import { UserError } from '../core/context';

export interface NewDataset {
  name: string;
  table: Table;
  schema: Schema;
  warnings: { code: string; message: string }[];
  sourceFile?: DatasetRecord['sourceFile'];
  holdoutFraction?: number;
  holdoutSeed?: number;
  synthesis?: DatasetRecord['synthesis'];
  /** A synthetic sample not kept yet (see DatasetRecord.draft). */
  draft?: boolean;
  /** Generations of synthesis behind it (see DatasetRecord.generation); derived datasets default to their parent's (+ 1 if synthetic). */
  generation?: number;
}

const newId = () => crypto.randomUUID();

/**
 * Where a store finds the keys of unlocked encrypted projects: the workers' keyring (in memory only).
 * The page's store has none, so it never opens sealed data.
 */
export interface KeySource {
  key(projectId: string): Promise<CryptoKey | undefined> | CryptoKey | undefined;
}

export class LockedError extends UserError {
  constructor() {
    super('This project is encrypted and locked.', 'Unlock it with its passphrase to read or change its data.');
    this.name = 'LockedError';
  }
}

/** What "Delete real data" removed and what the project still holds. */
export interface RealDataDeletion {
  removedDatasets: string[];
  /** Models whose stored arrays were removed (fitted on real data: they held values taken from it). */
  removedModelData: number;
  bytesFreed: number;
  remainingDatasets: string[];
  /** Models whose records stay (settings, seed, figures) and, if fitted on synthetic data, their arrays. */
  remainingModels: number;
  remainingReports: number;
}

/** Every record of one project as stored (sealed payloads as they are): what a backup holds. */
export interface ProjectRecords {
  project: ProjectRecord;
  datasets: DatasetRecord[];
  columns: ColumnDataRecord[];
  models: ModelRecord[];
  modelData: ModelDataRecord[];
  splits: SplitRecord[];
  reports: ReportRecord[];
}

type ColumnPayload = Pick<ColumnDataRecord, 'values' | 'codes' | 'levels'>;

/** A readable project name from a file name: "txhousing.csv" -> "Txhousing". */
export function projectNameForFile(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  return base ? base[0].toUpperCase() + base.slice(1) : 'Untitled';
}

/** Storage operations on projects. All writes are single transactions: all or nothing. */
export class ProjectStore {
  constructor(
    readonly db: FacsimileDb,
    readonly keys?: KeySource,
  ) {}

  get #allTables() {
    return [this.db.projects, this.db.datasets, this.db.columnData, this.db.models, this.db.modelData, this.db.splits, this.db.reports];
  }

  /**
   * The key to seal or open a project's data with: undefined for a project stored in clear; a locked
   * encrypted project throws LockedError (or, with `orUndefined`, gives undefined).
   */
  async #keyOf(projectId: string, orUndefined = false): Promise<CryptoKey | undefined> {
    const p = await this.db.projects.get(projectId);
    if (!p?.encryption) return undefined;
    const key = await this.keys?.key(projectId);
    if (!key && !orUndefined) throw new LockedError();
    return key;
  }

  /** The key to seal a write with, and the salt it belongs to (checked again inside the write). */
  async #writeKey(projectId: string): Promise<{ key: CryptoKey; salt: Uint8Array } | undefined> {
    const p = await this.db.projects.get(projectId);
    if (!p?.encryption) return undefined;
    const key = await this.keys?.key(projectId);
    if (!key) throw new LockedError();
    return { key, salt: p.encryption.salt };
  }

  /**
   * Inside a write: the project's encryption must still be what the data was sealed for (in clear, or
   * the same key: a passphrase changed meanwhile is refused, not written under the old key).
   */
  async #sameEncryption(projectId: string, sealedFor: { salt: Uint8Array } | undefined) {
    const p = await this.db.projects.get(projectId);
    if (!p) return;
    const same = p.encryption && sealedFor ? sameBytes(p.encryption.salt, sealedFor.salt) : !p.encryption === !sealedFor;
    if (!same) throw new UserError('The project\'s encryption changed meanwhile; nothing was saved.', 'Try again.');
  }

  async #sealColumns(key: CryptoKey | undefined, records: ColumnDataRecord[]): Promise<ColumnDataRecord[]> {
    if (!key) return records;
    return Promise.all(
      records.map(async ({ values, codes, levels, ...rest }) => ({ ...rest, sealed: await sealValue(key, { values, codes, levels } satisfies ColumnPayload) })),
    );
  }

  async #openDataset(d: DatasetRecord | undefined, key?: CryptoKey): Promise<DatasetRecord | undefined> {
    if (!d?.sealedPreview) return d;
    const k = key ?? (await this.#keyOf(d.projectId, true));
    if (!k) return d;
    const { sealedPreview, ...rest } = d;
    return { ...rest, preview: await openValue(k, sealedPreview) };
  }

  listProjects(): Promise<ProjectRecord[]> {
    return this.db.projects.orderBy('updatedAt').reverse().toArray();
  }

  getProject(id: string): Promise<ProjectRecord | undefined> {
    return this.db.projects.get(id);
  }

  /** Create a project with its first (imported) dataset. */
  async createProject(projectName: string, data: NewDataset): Promise<ProjectRecord> {
    const now = Date.now();
    const datasetId = newId();
    const project: ProjectRecord = { id: newId(), name: projectName, createdAt: now, updatedAt: now, currentDatasetId: datasetId };
    // Before any write: a column too big for one record would otherwise hang the write (tableStore.ts).
    assertStorable(data.table);
    try {
      await this.db.transaction('rw', [this.db.projects, this.db.datasets, this.db.columnData], async () => {
        await this.db.projects.add(project);
        await this.#addDataset(datasetId, project.id, data, 'import', undefined, now);
      });
    } catch (e) {
      throw storageError(e, `save "${projectName}"`);
    }
    return project;
  }

  /**
   * Add a derived dataset (a cleaned version or a synthetic output); the parent stays untouched. A
   * draft replaces the project's earlier drafts, so unkept samples never pile up.
   */
  async addDataset(projectId: string, data: NewDataset, origin: 'cleaned' | 'synthetic', parentId: string): Promise<DatasetRecord> {
    const now = Date.now();
    const id = newId();
    let rec: DatasetRecord | undefined;
    assertStorable(data.table);
    try {
      if (data.generation === undefined) data = { ...data, generation: await this.#derivedGeneration(origin, parentId) };
      // Sealed before the transaction: an IndexedDB transaction does not survive awaiting WebCrypto.
      const wk = await this.#writeKey(projectId);
      const sealed = wk ? await this.#sealDataset(wk.key, id, projectId, data, origin, parentId, now) : undefined;
      await this.db.transaction('rw', [this.db.projects, this.db.datasets, this.db.columnData, this.db.splits, this.db.reports], async () => {
        await this.#sameEncryption(projectId, wk);
        if (data.draft) {
          const drafts = await this.db.datasets.where('projectId').equals(projectId).filter((d) => d.draft === true).primaryKeys();
          for (const d of drafts as string[]) await this.#deleteDataset(d);
        }
        if (sealed) {
          await this.db.datasets.add(sealed.record);
          await this.db.columnData.bulkAdd(sealed.columns);
          rec = sealed.clear;
        } else rec = await this.#addDataset(id, projectId, data, origin, parentId, now);
        const changes: Partial<ProjectRecord> = { updatedAt: now };
        if (origin === 'cleaned') changes.currentDatasetId = id;
        await this.db.projects.update(projectId, changes);
      });
    } catch (e) {
      throw storageError(e, `save "${data.name}"`);
    }
    return rec!;
  }

  /** A derived dataset's generation: its parent's, plus one for a synthetic dataset. */
  async #derivedGeneration(origin: 'cleaned' | 'synthetic', parentId: string): Promise<number> {
    const parent = await this.db.datasets.get(parentId);
    return (parent?.generation ?? 0) + (origin === 'synthetic' ? 1 : 0);
  }

  /** Keep a draft sample: it joins the project's saved synthetic datasets. */
  async keepDataset(id: string): Promise<DatasetRecord> {
    try {
      await this.db.datasets.update(id, { draft: false });
    } catch (e) {
      throw storageError(e, 'keep the synthetic dataset');
    }
    const rec = await this.db.datasets.get(id);
    if (!rec) throw new Error('This synthetic dataset no longer exists (it may have been deleted in another tab).');
    return rec;
  }

  /** Delete one derived dataset with its data, split and reports. The current dataset cannot go. */
  async deleteDataset(id: string): Promise<void> {
    try {
      await this.db.transaction('rw', [this.db.projects, this.db.datasets, this.db.columnData, this.db.splits, this.db.reports], async () => {
        const d = await this.db.datasets.get(id);
        if (!d) return;
        const p = await this.db.projects.get(d.projectId);
        if (p?.currentDatasetId === id) throw new UserError('This is the version in use; switch to another version before deleting it.');
        await this.#deleteDataset(id);
      });
    } catch (e) {
      throw e instanceof UserError ? e : storageError(e, 'delete the dataset');
    }
  }

  async #deleteDataset(id: string) {
    await this.db.columnData.where('datasetId').equals(id).delete();
    await this.db.splits.delete(id);
    await this.db.reports.where('syntheticDatasetId').equals(id).delete();
    await this.db.datasets.delete(id);
  }

  /** Fill in the preview of a dataset saved before previews were stored. */
  async setPreview(id: string, preview: NonNullable<DatasetRecord['preview']>): Promise<void> {
    try {
      const d = await this.db.datasets.get(id);
      if (!d) return;
      const wk = await this.#writeKey(d.projectId);
      const change: Partial<DatasetRecord> = wk ? { sealedPreview: await sealValue(wk.key, preview) } : { preview };
      await this.db.transaction('rw', [this.db.projects, this.db.datasets], async () => {
        await this.#sameEncryption(d.projectId, wk);
        await this.db.datasets.update(id, change);
      });
    } catch (e) {
      throw storageError(e, 'save the preview');
    }
  }

  /** The records of a new dataset sealed (preview and column data), and the record as the caller sees it. */
  async #sealDataset(key: CryptoKey, id: string, projectId: string, data: NewDataset, origin: DatasetRecord['origin'], parentId: string | undefined, now: number) {
    const clear = this.#datasetRecord(id, projectId, data, origin, parentId, now);
    const { preview, ...rest } = clear;
    const record: DatasetRecord = { ...rest, sealedPreview: await sealValue(key, preview) };
    return { clear, record, columns: await this.#sealColumns(key, tableToRecords(id, data.table)) };
  }

  async #addDataset(id: string, projectId: string, data: NewDataset, origin: DatasetRecord['origin'], parentId: string | undefined, now: number) {
    const rec = this.#datasetRecord(id, projectId, data, origin, parentId, now);
    await this.db.datasets.add(rec);
    await this.db.columnData.bulkAdd(tableToRecords(id, data.table));
    return rec;
  }

  #datasetRecord(id: string, projectId: string, data: NewDataset, origin: DatasetRecord['origin'], parentId: string | undefined, now: number): DatasetRecord {
    return {
      id,
      projectId,
      name: data.name,
      origin,
      parentId,
      nRows: data.table.nRows,
      columnNames: data.table.columns.map((c) => c.name),
      schema: data.schema,
      sourceFile: data.sourceFile,
      warnings: data.warnings,
      holdoutFraction: data.holdoutFraction,
      holdoutSeed: data.holdoutSeed,
      ...(data.synthesis ? { synthesis: data.synthesis } : {}),
      preview: tablePreview(data.table, data.schema),
      bytes: tableBytes(data.table),
      ...(data.draft ? { draft: true } : {}),
      ...(data.generation ? { generation: data.generation } : {}),
      createdAt: now,
    };
  }

  /** A project's datasets; sealed previews are opened when this store holds the project's key. */
  async listDatasets(projectId: string): Promise<DatasetRecord[]> {
    const list = await this.db.datasets.where('projectId').equals(projectId).sortBy('createdAt');
    if (!list.some((d) => d.sealedPreview)) return list;
    const key = await this.#keyOf(projectId, true);
    return key ? Promise.all(list.map(async (d) => (await this.#openDataset(d, key))!)) : list;
  }

  /** A dataset's record; a sealed preview is opened when this store holds the project's key. */
  async getDataset(id: string): Promise<DatasetRecord | undefined> {
    return this.#openDataset(await this.db.datasets.get(id));
  }

  async loadTable(datasetId: string): Promise<Table> {
    const records = await this.db.columnData.where('datasetId').equals(datasetId).toArray();
    if (records.length === 0) {
      const d = await this.db.datasets.get(datasetId);
      if (d?.dataDeletedAt) throw new UserError(`The data of "${d.name}" was deleted with the project's real data; only the synthetic datasets remain.`);
      throw new Error('This dataset has no stored data (it may have been deleted).');
    }
    if (!records.some((r) => r.sealed)) return recordsToTable(records);
    const d = await this.db.datasets.get(datasetId);
    const key = d ? await this.#keyOf(d.projectId) : undefined;
    if (!key) throw new LockedError();
    const opened = await Promise.all(
      records.map(async ({ sealed, ...r }) => (sealed ? { ...r, ...(await openValue<ColumnPayload>(key, sealed)) } : r)),
    );
    return recordsToTable(opened);
  }

  async updateSchema(datasetId: string, schema: Schema): Promise<void> {
    await this.editSchema(datasetId, () => schema);
  }

  /**
   * Apply a field-level edit (one column's kind, role or PII mark) to the schema as stored now, in one
   * transaction: two tabs editing different columns never undo each other's edits.
   */
  async editSchema(datasetId: string, edit: (schema: Schema) => Schema): Promise<Schema> {
    try {
      return await this.db.transaction('rw', this.db.datasets, async () => {
        const d = await this.db.datasets.get(datasetId);
        if (!d) throw new Error('This dataset no longer exists (it may have been deleted in another tab).');
        const schema = edit(d.schema);
        await this.db.datasets.update(datasetId, { schema });
        return schema;
      });
    } catch (e) {
      throw storageError(e, 'save the schema');
    }
  }

  /** Make another dataset of the project the current one (e.g. back to the original after a fix). */
  async setCurrentDataset(projectId: string, datasetId: string): Promise<void> {
    try {
      await this.db.transaction('rw', [this.db.projects, this.db.datasets], async () => {
        const d = await this.db.datasets.get(datasetId);
        if (!d || d.projectId !== projectId) throw new Error('That version does not belong to this project (it may have been deleted).');
        await this.db.projects.update(projectId, { currentDatasetId: datasetId, updatedAt: Date.now() });
      });
    } catch (e) {
      throw storageError(e, 'switch the dataset version');
    }
  }

  async renameProject(id: string, name: string): Promise<void> {
    try {
      await this.db.projects.update(id, { name, updatedAt: Date.now() });
    } catch (e) {
      throw storageError(e, 'rename the project');
    }
  }

  async renameDataset(id: string, name: string): Promise<void> {
    try {
      await this.db.datasets.update(id, { name });
    } catch (e) {
      throw storageError(e, 'rename the dataset');
    }
  }

  /**
   * Store a fitted model: its metadata and, apart, its arrays (one transaction). `replaces` names a model
   * removed in the same transaction: the final model replaces the training's last checkpoint.
   */
  async saveModel(model: Omit<ModelRecord, 'id' | 'createdAt'>, serialized: SerializedModel, replaces?: string): Promise<ModelRecord> {
    return (await this.#saveModel(model, serialized, replaces, false))!;
  }

  /**
   * Store a training checkpoint (`training` set), replacing the run's last one (`replaces`). Once that one
   * is gone (the user discarded it while this save was on its way: Cancel, then Discard at once), nothing
   * is stored and null comes back, so that a discarded training does not come back; the run's later
   * checkpoints, replacing the same discarded one, are not stored either.
   */
  saveCheckpoint(model: Omit<ModelRecord, 'id' | 'createdAt'>, serialized: SerializedModel, replaces?: string): Promise<ModelRecord | null> {
    return this.#saveModel(model, serialized, replaces, true);
  }

  async #saveModel(model: Omit<ModelRecord, 'id' | 'createdAt'>, serialized: SerializedModel, replaces: string | undefined, onlyIfReplacedStored: boolean): Promise<ModelRecord | null> {
    const bytes = Object.values(serialized.arrays).reduce((n, a) => n + a.byteLength, 0) + 2 * JSON.stringify(serialized.meta ?? null).length;
    const rec: ModelRecord = { ...model, id: newId(), createdAt: Date.now(), bytes };
    if (bytes > MAX_RECORD_BYTES) {
      throw new UserError(
        `This model takes about ${megabytes(bytes)}, more than this browser can store in one record (${megabytes(MAX_RECORD_BYTES)}). Nothing was saved.`,
        'Train on fewer rows or columns, or choose the Gaussian copula or the Bayesian network: they keep summaries, not training values.',
      );
    }
    try {
      const wk = await this.#writeKey(model.projectId);
      const data: ModelDataRecord = wk ? { modelId: rec.id, sealed: await sealValue(wk.key, serialized) } : { modelId: rec.id, serialized };
      let stored = true;
      await this.db.transaction('rw', [this.db.projects, this.db.models, this.db.modelData], async () => {
        await this.#sameEncryption(model.projectId, wk);
        if (onlyIfReplacedStored && replaces && !(await this.db.models.get(replaces))) {
          stored = false;
          return;
        }
        await this.db.models.add(rec);
        await this.db.modelData.add(data);
        if (replaces) {
          await this.db.models.delete(replaces);
          await this.db.modelData.delete(replaces);
        }
      });
      if (!stored) return null;
    } catch (e) {
      throw storageError(e, 'save the model');
    }
    return rec;
  }

  /** Remove a model and its arrays (a discarded training checkpoint). */
  async deleteModel(id: string): Promise<void> {
    try {
      await this.db.transaction('rw', [this.db.models, this.db.modelData], async () => {
        await this.db.models.delete(id);
        await this.db.modelData.delete(id);
      });
    } catch (e) {
      throw storageError(e, 'delete the model');
    }
  }

  getModel(id: string): Promise<ModelRecord | undefined> {
    return this.db.models.get(id);
  }

  async loadModel(id: string): Promise<SerializedModel> {
    const rec = await this.db.modelData.get(id);
    if (!rec) {
      const m = await this.db.models.get(id);
      if (m?.dataDeletedAt) throw new UserError('This model was deleted with the real data (it held values taken from it), so it cannot draw new samples.');
      throw new Error('This model is no longer stored (it may have been deleted); train it again.');
    }
    if (rec.serialized) return rec.serialized;
    const m = await this.db.models.get(id);
    const key = m ? await this.#keyOf(m.projectId) : undefined;
    if (!key || !rec.sealed) throw new LockedError();
    return openValue<SerializedModel>(key, rec.sealed);
  }

  getSplit(datasetId: string): Promise<SplitRecord | undefined> {
    return this.db.splits.get(datasetId);
  }

  async saveSplit(split: SplitRecord): Promise<void> {
    try {
      await this.db.splits.put(split);
    } catch (e) {
      throw storageError(e, 'save the train/holdout split');
    }
  }

  listModels(projectId: string): Promise<ModelRecord[]> {
    return this.db.models.where('projectId').equals(projectId).sortBy('createdAt');
  }

  async saveReport(report: Omit<ReportRecord, 'id' | 'createdAt'>): Promise<ReportRecord> {
    const rec: ReportRecord = { ...report, id: newId(), createdAt: Date.now() };
    try {
      const wk = await this.#writeKey(report.projectId);
      const stored: ReportRecord = wk ? { ...rec, report: undefined, sealed: await sealValue(wk.key, rec.report) } : rec;
      await this.db.transaction('rw', [this.db.projects, this.db.reports], async () => {
        await this.#sameEncryption(report.projectId, wk);
        await this.db.reports.add(stored);
      });
    } catch (e) {
      throw storageError(e, 'save the report');
    }
    return rec;
  }

  /** One report; a sealed body is opened when this store holds the key (else `report` is undefined). */
  async getReport(id: string): Promise<ReportRecord | undefined> {
    const r = await this.db.reports.get(id);
    if (!r?.sealed) return r;
    const key = await this.#keyOf(r.projectId, true);
    if (!key) return r;
    const { sealed, ...rest } = r;
    return { ...rest, report: await openValue(key, sealed) };
  }

  /**
   * Set one field of a saved report's body (e.g. the ε curve computed later), sealed again in an
   * encrypted project (locked: LockedError). The write checks that the report still exists and that the
   * project's encryption did not change meanwhile. Resolves to the record as the caller sees it.
   */
  async setReportField(reportId: string, field: string, value: unknown): Promise<ReportRecord> {
    try {
      const current = await this.db.reports.get(reportId);
      if (!current) throw new UserError('This report no longer exists (it may have been deleted in another tab).', 'Evaluate the synthetic table again.');
      const wk = await this.#writeKey(current.projectId);
      if (current.sealed && !wk) throw new UserError('The project\'s encryption changed meanwhile; nothing was saved.', 'Try again.');
      const { sealed, report, ...rest } = current;
      const body = sealed ? await openValue(wk!.key, sealed) : report;
      if (!body || typeof body !== 'object') throw new Error('This report has no body to add to.');
      const next = { ...(body as Record<string, unknown>), [field]: value };
      const stored: ReportRecord = wk ? { ...rest, report: undefined, sealed: await sealValue(wk.key, next) } : { ...rest, report: next };
      await this.db.transaction('rw', [this.db.projects, this.db.reports], async () => {
        await this.#sameEncryption(current.projectId, wk);
        if (!(await this.db.reports.get(reportId))) throw new UserError('This report no longer exists (it may have been deleted in another tab).', 'Evaluate the synthetic table again.');
        await this.db.reports.put(stored);
      });
      return { ...rest, report: next };
    } catch (e) {
      throw storageError(e, 'save to the report');
    }
  }

  /** A project's reports; sealed bodies are opened when this store holds the key (else `report` is undefined). */
  async listReports(projectId: string): Promise<ReportRecord[]> {
    const list = await this.db.reports.where('projectId').equals(projectId).sortBy('createdAt');
    if (!list.some((r) => r.sealed)) return list;
    const key = await this.#keyOf(projectId, true);
    if (!key) return list;
    return Promise.all(list.map(async ({ sealed, ...r }) => (sealed ? { ...r, report: await openValue(key, sealed) } : r)));
  }

  /**
   * Bytes a project takes in storage, from the sizes recorded with its datasets and models (no data is
   * read). Records written before sizes were recorded count as unknown.
   */
  async projectBytes(projectId: string): Promise<{ bytes: number; unknown: number }> {
    const [datasets, models] = await Promise.all([this.listDatasets(projectId), this.listModels(projectId)]);
    let bytes = 0, unknown = 0;
    for (const r of [...datasets, ...models]) {
      if (r.bytes === undefined) unknown++;
      else bytes += r.bytes;
    }
    return { bytes, unknown };
  }

  /**
   * A copy of a project under a new name: every dataset with its data and split, every model with its
   * arrays, every report, with fresh ids (links between them follow). One transaction: all or nothing.
   */
  async duplicateProject(id: string, name: string): Promise<ProjectRecord> {
    const tables = [this.db.projects, this.db.datasets, this.db.columnData, this.db.models, this.db.modelData, this.db.splits, this.db.reports];
    let copy: ProjectRecord | undefined;
    try {
      await this.db.transaction('rw', tables, async () => {
        const project = await this.db.projects.get(id);
        if (!project) throw new Error('This project no longer exists (it may have been deleted in another tab).');
        const now = Date.now();
        const newProjectId = newId();
        const datasets = await this.db.datasets.where('projectId').equals(id).toArray();
        const models = await this.db.models.where('projectId').equals(id).toArray();
        const datasetIds = new Map(datasets.map((d) => [d.id, newId()]));
        const modelIds = new Map(models.map((m) => [m.id, newId()]));
        const dsId = (old: string | undefined) => (old === undefined ? undefined : (datasetIds.get(old) ?? old));
        for (const d of datasets) {
          const nid = datasetIds.get(d.id)!;
          const synthesis = d.synthesis ? { ...d.synthesis, modelId: modelIds.get(d.synthesis.modelId) ?? d.synthesis.modelId } : undefined;
          await this.db.datasets.add({ ...d, id: nid, projectId: newProjectId, parentId: dsId(d.parentId), ...(synthesis ? { synthesis } : {}) });
          const columns = await this.db.columnData.where('datasetId').equals(d.id).toArray();
          await this.db.columnData.bulkAdd(columns.map((c) => ({ ...c, datasetId: nid })));
          const split = await this.db.splits.get(d.id);
          if (split) await this.db.splits.add({ ...split, datasetId: nid });
        }
        for (const m of models) {
          const nid = modelIds.get(m.id)!;
          await this.db.models.add({ ...m, id: nid, projectId: newProjectId, datasetId: dsId(m.datasetId)! });
          const data = await this.db.modelData.get(m.id);
          if (data) await this.db.modelData.add({ ...data, modelId: nid });
        }
        for (const r of await this.db.reports.where('projectId').equals(id).toArray()) {
          await this.db.reports.add({ ...r, id: newId(), projectId: newProjectId, modelId: modelIds.get(r.modelId) ?? r.modelId, syntheticDatasetId: dsId(r.syntheticDatasetId)! });
        }
        // Sealed payloads are copied as they are: the copy opens with the same passphrase.
        copy = {
          id: newProjectId, name, createdAt: now, updatedAt: now, currentDatasetId: dsId(project.currentDatasetId)!,
          ...(project.encryption ? { encryption: project.encryption } : {}),
          ...(project.realDataDeletedAt ? { realDataDeletedAt: project.realDataDeletedAt } : {}),
        };
        await this.db.projects.add(copy);
      });
    } catch (e) {
      throw storageError(e, `duplicate the project as "${name}"`);
    }
    return copy!;
  }

  /** Delete a project and everything derived from it (real data included). */
  async deleteProject(id: string): Promise<void> {
    const tables = [this.db.projects, this.db.datasets, this.db.columnData, this.db.models, this.db.modelData, this.db.splits, this.db.reports];
    try {
      await this.db.transaction('rw', tables, async () => {
        const datasetIds = (await this.db.datasets.where('projectId').equals(id).primaryKeys()) as string[];
        for (const d of datasetIds) {
          await this.db.columnData.where('datasetId').equals(d).delete();
          await this.db.splits.delete(d);
        }
        await this.db.datasets.where('projectId').equals(id).delete();
        const modelIds = (await this.db.models.where('projectId').equals(id).primaryKeys()) as string[];
        await this.db.modelData.bulkDelete(modelIds);
        await this.db.models.where('projectId').equals(id).delete();
        await this.db.reports.where('projectId').equals(id).delete();
        await this.db.projects.delete(id);
      });
    } catch (e) {
      throw storageError(e, 'delete the project');
    }
  }

  /**
   * Delete the project's real data in one transaction: the original and cleaned datasets' column data
   * (not those of an imported Facsimile export, generation 1 or more: they are synthetic already),
   * previews, warnings and splits, and the stored arrays of every model fitted on them (each engine
   * keeps values taken from its training rows: CART its donors, the copula its quantile knots, the
   * Bayesian network its bin edges and atoms, and the pipeline the columns' ranges and levels and the
   * fingerprints of unique training rows). What stays: the synthetic datasets, the reports (aggregate
   * figures, no rows), the models' records (settings, seeds, counts) and the real datasets' records
   * marked deleted (name, column names, schema, row count), so that synthetic datasets and reports
   * still name their source.
   */
  async deleteRealData(projectId: string): Promise<RealDataDeletion> {
    const result: RealDataDeletion = { removedDatasets: [], removedModelData: 0, bytesFreed: 0, remainingDatasets: [], remainingModels: 0, remainingReports: 0 };
    try {
      await this.db.transaction('rw', this.#allTables, async () => {
        const project = await this.db.projects.get(projectId);
        if (!project) throw new UserError('This project no longer exists (it may have been deleted in another tab).');
        const now = Date.now();
        const datasets = await this.db.datasets.where('projectId').equals(projectId).toArray();
        const real = new Set<string>();
        for (const d of datasets) {
          if (!holdsRealData(d)) {
            result.remainingDatasets.push(d.name);
            continue;
          }
          real.add(d.id);
          if (d.dataDeletedAt) continue;
          result.removedDatasets.push(d.name);
          result.bytesFreed += d.bytes ?? 0;
          await this.db.columnData.where('datasetId').equals(d.id).delete();
          await this.db.splits.delete(d.id);
          const { preview: _p, sealedPreview: _s, ...kept } = d;
          await this.db.datasets.put({ ...kept, warnings: [], bytes: 0, dataDeletedAt: now });
        }
        for (const m of await this.db.models.where('projectId').equals(projectId).toArray()) {
          result.remainingModels++;
          if (!real.has(m.datasetId) || m.dataDeletedAt) continue;
          result.removedModelData++;
          result.bytesFreed += m.bytes ?? 0;
          await this.db.modelData.delete(m.id);
          await this.db.models.put({ ...m, bytes: 0, dataDeletedAt: now });
        }
        result.remainingReports = await this.db.reports.where('projectId').equals(projectId).count();
        await this.db.projects.update(projectId, { realDataDeletedAt: now, updatedAt: now });
      });
    } catch (e) {
      throw e instanceof UserError ? e : storageError(e, 'delete the real data');
    }
    return result;
  }

  /** Every record of a project as stored (sealed payloads stay sealed), read in one transaction. */
  async readProjectRecords(projectId: string): Promise<ProjectRecords> {
    return this.db.transaction('r', this.#allTables, async () => {
      const project = await this.db.projects.get(projectId);
      if (!project) throw new UserError('This project no longer exists (it may have been deleted in another tab).');
      const datasets = await this.db.datasets.where('projectId').equals(projectId).sortBy('createdAt');
      const ids = datasets.map((d) => d.id);
      const models = await this.db.models.where('projectId').equals(projectId).sortBy('createdAt');
      return {
        project,
        datasets,
        columns: await this.db.columnData.where('datasetId').anyOf(ids).toArray(),
        models,
        modelData: (await this.db.modelData.bulkGet(models.map((m) => m.id))).filter((x): x is ModelDataRecord => !!x),
        splits: (await this.db.splits.bulkGet(ids)).filter((x): x is SplitRecord => !!x),
        reports: await this.db.reports.where('projectId').equals(projectId).sortBy('createdAt'),
      };
    });
  }

  /**
   * Write a project's records (from a backup) in one transaction. When its id, or any of its records'
   * ids, is taken here, it is written as a copy under fresh ids (links follow), as duplicateProject does.
   */
  async writeProjectRecords(r: ProjectRecords): Promise<ProjectRecord> {
    let written: ProjectRecord | undefined;
    try {
      await this.db.transaction('rw', this.#allTables, async () => {
        const taken =
          !!(await this.db.projects.get(r.project.id)) ||
          (await this.db.datasets.bulkGet(r.datasets.map((d) => d.id))).some(Boolean) ||
          (await this.db.models.bulkGet(r.models.map((m) => m.id))).some(Boolean) ||
          (await this.db.reports.bulkGet(r.reports.map((x) => x.id))).some(Boolean);
        const recs = taken ? withFreshIds(r) : r;
        await this.db.projects.add(recs.project);
        await this.db.datasets.bulkAdd(recs.datasets);
        await this.db.columnData.bulkAdd(recs.columns);
        await this.db.models.bulkAdd(recs.models);
        await this.db.modelData.bulkAdd(recs.modelData);
        await this.db.splits.bulkAdd(recs.splits);
        await this.db.reports.bulkAdd(recs.reports);
        written = recs.project;
      });
    } catch (e) {
      throw e instanceof UserError ? e : storageError(e, `restore "${r.project.name}"`);
    }
    return written!;
  }

  /**
   * Encrypt a project stored in clear: column data, previews, model arrays and report bodies are
   * rewritten sealed with `key`, and `info` (salt, iterations, verifier) is stored, in one transaction:
   * all or nothing. Names, column names, schemas, row counts and settings stay in clear.
   */
  async encryptProject(projectId: string, key: CryptoKey, info: EncryptionInfo): Promise<void> {
    const r = await this.readProjectRecords(projectId);
    if (r.project.encryption) throw new UserError('This project is already encrypted.');
    const datasets = await Promise.all(
      r.datasets.map(async (d) => ({ id: d.id, sealedPreview: d.preview ? await sealValue(key, d.preview) : undefined })),
    );
    const columns = await this.#sealColumns(key, r.columns.filter((c) => !c.sealed));
    const modelData = await Promise.all(r.modelData.map(async (m) => (m.serialized ? { modelId: m.modelId, sealed: await sealValue(key, m.serialized) } : m)));
    const reports = await Promise.all(r.reports.map(async (x) => (x.sealed ? x : { ...x, report: undefined, sealed: await sealValue(key, x.report) })));
    await this.#rewrite(r, { encryption: info }, datasets, columns, modelData, reports, 'encrypt the project');
  }

  /** Store an encrypted project in clear again (it must be unlocked), in one transaction. */
  async decryptProject(projectId: string): Promise<void> {
    const r = await this.readProjectRecords(projectId);
    if (!r.project.encryption) return;
    const key = await this.#keyOf(projectId);
    const k = key!;
    const datasets = await Promise.all(r.datasets.map(async (d) => ({ id: d.id, preview: d.sealedPreview ? await openValue(k, d.sealedPreview) : d.preview })));
    const columns = await Promise.all(r.columns.map(async ({ sealed, ...c }) => (sealed ? { ...c, ...(await openValue<ColumnPayload>(k, sealed)) } : c)));
    const modelData = await Promise.all(r.modelData.map(async (m) => (m.sealed ? { modelId: m.modelId, serialized: await openValue<SerializedModel>(k, m.sealed) } : m)));
    const reports = await Promise.all(r.reports.map(async ({ sealed, ...x }) => (sealed ? { ...x, report: await openValue(k, sealed) } : x)));
    await this.#rewrite(r, { encryption: undefined }, datasets, columns, modelData, reports, 'decrypt the project');
  }

  /**
   * Re-seal an unlocked encrypted project under a new key (a new passphrase), in one transaction: the
   * old passphrase no longer opens it.
   */
  async rekeyProject(projectId: string, key: CryptoKey, info: EncryptionInfo): Promise<void> {
    const r = await this.readProjectRecords(projectId);
    if (!r.project.encryption) throw new UserError('This project is not encrypted.');
    const old = (await this.#keyOf(projectId))!;
    const reseal = async (s: Sealed) => sealValue(key, await openValue(old, s));
    const datasets = await Promise.all(r.datasets.map(async (d) => ({ id: d.id, sealedPreview: d.sealedPreview ? await reseal(d.sealedPreview) : undefined })));
    const columns = await Promise.all(r.columns.map(async (c) => (c.sealed ? { ...c, sealed: await reseal(c.sealed) } : c)));
    const modelData = await Promise.all(r.modelData.map(async (m) => (m.sealed ? { ...m, sealed: await reseal(m.sealed) } : m)));
    const reports = await Promise.all(r.reports.map(async (x) => (x.sealed ? { ...x, sealed: await reseal(x.sealed) } : x)));
    await this.#rewrite(r, { encryption: info }, datasets, columns, modelData, reports, 'change the passphrase');
  }

  async #rewrite(
    before: ProjectRecords,
    changes: Partial<ProjectRecord>,
    datasets: { id: string; preview?: unknown; sealedPreview?: unknown }[],
    columns: ColumnDataRecord[],
    modelData: ModelDataRecord[],
    reports: ReportRecord[],
    action: string,
  ): Promise<void> {
    const id = before.project.id;
    try {
      await this.db.transaction('rw', this.#allTables, async () => {
        // Read, sealed and written apart (WebCrypto cannot run inside a transaction): refuse if the
        // project gained or lost records meanwhile.
        const now = await this.db.projects.get(id);
        const ids = async () => [
          ...((await this.db.datasets.where('projectId').equals(id).primaryKeys()) as string[]),
          ...((await this.db.models.where('projectId').equals(id).primaryKeys()) as string[]),
          ...((await this.db.reports.where('projectId').equals(id).primaryKeys()) as string[]),
        ].sort().join();
        const was = [...before.datasets, ...before.models, ...before.reports].map((x) => x.id).sort().join();
        const sameKey = !now?.encryption || !before.project.encryption ? !now?.encryption === !before.project.encryption : sameBytes(now.encryption.salt, before.project.encryption.salt);
        if (!now || !sameKey || (await ids()) !== was) {
          throw new UserError('The project changed while it was being rewritten; nothing was changed.', 'Try again once other tabs have finished.');
        }
        for (const d of datasets) {
          const rec = await this.db.datasets.get(d.id);
          if (!rec) continue;
          const { preview: _p, sealedPreview: _s, ...rest } = rec;
          await this.db.datasets.put({ ...rest, ...(d.preview ? { preview: d.preview } : {}), ...(d.sealedPreview ? { sealedPreview: d.sealedPreview } : {}) } as DatasetRecord);
        }
        await this.db.columnData.bulkPut(columns);
        await this.db.modelData.bulkPut(modelData);
        await this.db.reports.bulkPut(reports);
        const { encryption: _e, ...project } = now;
        await this.db.projects.put({ ...project, ...(changes.encryption ? { encryption: changes.encryption } : {}) });
      });
    } catch (e) {
      throw e instanceof UserError ? e : storageError(e, action);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}

/** Real rows: an import or a cleaned version of one, unless it is a Facsimile export (generation >= 1). */
export function holdsRealData(d: Pick<DatasetRecord, 'origin' | 'generation'>): boolean {
  return d.origin !== 'synthetic' && !(d.generation && d.generation > 0);
}

/** The same project under fresh ids (a restored copy beside the original). */
function withFreshIds(r: ProjectRecords): ProjectRecords {
  const projectId = newId();
  const ds = new Map(r.datasets.map((d) => [d.id, newId()]));
  const ms = new Map(r.models.map((m) => [m.id, newId()]));
  const d = (id: string) => ds.get(id) ?? id;
  const m = (id: string) => ms.get(id) ?? id;
  return {
    project: { ...r.project, id: projectId, name: `${r.project.name} (restored)`.slice(0, 120), currentDatasetId: d(r.project.currentDatasetId) },
    datasets: r.datasets.map((x) => ({
      ...x,
      id: d(x.id),
      projectId,
      ...(x.parentId ? { parentId: d(x.parentId) } : {}),
      ...(x.synthesis ? { synthesis: { ...x.synthesis, modelId: m(x.synthesis.modelId) } } : {}),
    })),
    columns: r.columns.map((c) => ({ ...c, datasetId: d(c.datasetId) })),
    models: r.models.map((x) => ({ ...x, id: m(x.id), projectId, datasetId: d(x.datasetId) })),
    modelData: r.modelData.map((x) => ({ ...x, modelId: m(x.modelId) })),
    splits: r.splits.map((x) => ({ ...x, datasetId: d(x.datasetId) })),
    reports: r.reports.map((x) => ({ ...x, id: newId(), projectId, modelId: m(x.modelId), syntheticDatasetId: d(x.syntheticDatasetId) })),
  };
}
