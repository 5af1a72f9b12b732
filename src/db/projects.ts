import type { Schema } from '../core/schema/schema';
import type { Table } from '../core/table/table';
import { tablePreview } from '../core/table/preview';
import type { SerializedModel } from '../core/synth/types';
import type { FacsimileDb } from './db';
import { storageError } from './errors';
import { recordsToTable, tableBytes, tableToRecords } from './tableStore';
import type { DatasetRecord, ModelRecord, ProjectRecord, ReportRecord, SplitRecord } from './types';

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
}

const newId = () => crypto.randomUUID();

/** A readable project name from a file name: "txhousing.csv" -> "Txhousing". */
export function projectNameForFile(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  return base ? base[0].toUpperCase() + base.slice(1) : 'Untitled';
}

/** Storage operations on projects. All writes are single transactions: all or nothing. */
export class ProjectStore {
  constructor(readonly db: FacsimileDb) {}

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
    try {
      await this.db.transaction('rw', [this.db.projects, this.db.datasets, this.db.columnData, this.db.splits, this.db.reports], async () => {
        if (data.draft) {
          const drafts = await this.db.datasets.where('projectId').equals(projectId).filter((d) => d.draft === true).primaryKeys();
          for (const d of drafts as string[]) await this.#deleteDataset(d);
        }
        rec = await this.#addDataset(id, projectId, data, origin, parentId, now);
        const changes: Partial<ProjectRecord> = { updatedAt: now };
        if (origin === 'cleaned') changes.currentDatasetId = id;
        await this.db.projects.update(projectId, changes);
      });
    } catch (e) {
      throw storageError(e, `save "${data.name}"`);
    }
    return rec!;
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
    await this.db.transaction('rw', [this.db.projects, this.db.datasets, this.db.columnData, this.db.splits, this.db.reports], async () => {
      const d = await this.db.datasets.get(id);
      if (!d) return;
      const p = await this.db.projects.get(d.projectId);
      if (p?.currentDatasetId === id) throw new Error('This is the version in use; switch to another version before deleting it.');
      await this.#deleteDataset(id);
    });
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
      await this.db.datasets.update(id, { preview });
    } catch (e) {
      throw storageError(e, 'save the preview');
    }
  }

  async #addDataset(id: string, projectId: string, data: NewDataset, origin: DatasetRecord['origin'], parentId: string | undefined, now: number) {
    const rec: DatasetRecord = {
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
      createdAt: now,
    };
    await this.db.datasets.add(rec);
    await this.db.columnData.bulkAdd(tableToRecords(id, data.table));
    return rec;
  }

  listDatasets(projectId: string): Promise<DatasetRecord[]> {
    return this.db.datasets.where('projectId').equals(projectId).sortBy('createdAt');
  }

  getDataset(id: string): Promise<DatasetRecord | undefined> {
    return this.db.datasets.get(id);
  }

  async loadTable(datasetId: string): Promise<Table> {
    const records = await this.db.columnData.where('datasetId').equals(datasetId).toArray();
    if (records.length === 0) throw new Error('This dataset has no stored data (it may have been deleted).');
    return recordsToTable(records);
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

  /** Store a fitted model: its metadata and, apart, its arrays (one transaction). */
  async saveModel(model: Omit<ModelRecord, 'id' | 'createdAt'>, serialized: SerializedModel): Promise<ModelRecord> {
    const bytes = Object.values(serialized.arrays).reduce((n, a) => n + a.byteLength, 0) + 2 * JSON.stringify(serialized.meta ?? null).length;
    const rec: ModelRecord = { ...model, id: newId(), createdAt: Date.now(), bytes };
    try {
      await this.db.transaction('rw', [this.db.models, this.db.modelData], async () => {
        await this.db.models.add(rec);
        await this.db.modelData.add({ modelId: rec.id, serialized });
      });
    } catch (e) {
      throw storageError(e, 'save the model');
    }
    return rec;
  }

  getModel(id: string): Promise<ModelRecord | undefined> {
    return this.db.models.get(id);
  }

  async loadModel(id: string): Promise<SerializedModel> {
    const rec = await this.db.modelData.get(id);
    if (!rec) throw new Error('This model is no longer stored (it may have been deleted); train it again.');
    return rec.serialized;
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
      await this.db.reports.add(rec);
    } catch (e) {
      throw storageError(e, 'save the report');
    }
    return rec;
  }

  listReports(projectId: string): Promise<ReportRecord[]> {
    return this.db.reports.where('projectId').equals(projectId).sortBy('createdAt');
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
          if (data) await this.db.modelData.add({ modelId: nid, serialized: data.serialized });
        }
        for (const r of await this.db.reports.where('projectId').equals(id).toArray()) {
          await this.db.reports.add({ ...r, id: newId(), projectId: newProjectId, modelId: modelIds.get(r.modelId) ?? r.modelId, syntheticDatasetId: dsId(r.syntheticDatasetId)! });
        }
        copy = { id: newProjectId, name, createdAt: now, updatedAt: now, currentDatasetId: dsId(project.currentDatasetId)! };
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
  }
}
