import type { DatasetRecord, ProjectRecord } from '../../db';
import { store } from './storage';

/**
 * The open project: its record and its datasets' records (metadata and the preview stored with each
 * dataset). It never holds a table: workers read the data by id.
 * Newest load wins: switching projects while one loads never shows the old one.
 */
export class ProjectSession {
  project = $state<ProjectRecord | undefined>(undefined);
  dataset = $state<DatasetRecord | undefined>(undefined);
  datasets = $state<DatasetRecord[]>([]);
  error = $state<string | undefined>(undefined);
  loading = $state(false);
  #loadId = 0;
  /** Fills in the preview of a dataset stored before previews were (a worker reads the data). */
  #ensurePreview: ((datasetId: string) => Promise<DatasetRecord>) | undefined;

  constructor(ensurePreview?: (datasetId: string) => Promise<DatasetRecord>) {
    this.#ensurePreview = ensurePreview;
  }

  async open(projectId: string) {
    const id = ++this.#loadId;
    this.loading = true;
    this.error = undefined;
    try {
      const project = await store.getProject(projectId);
      if (id !== this.#loadId) return;
      if (!project) {
        this.error = 'This project no longer exists (it may have been deleted in another tab).';
        this.project = this.dataset = undefined;
        return;
      }
      let [dataset, datasets] = await Promise.all([store.getDataset(project.currentDatasetId), store.listDatasets(projectId)]);
      if (dataset && !dataset.preview && this.#ensurePreview) dataset = await this.#ensurePreview(dataset.id);
      if (id !== this.#loadId) return;
      this.project = project;
      this.dataset = dataset;
      this.datasets = datasets;
    } catch (e) {
      if (id === this.#loadId) this.error = (e as Error).message;
    } finally {
      if (id === this.#loadId) this.loading = false;
    }
  }

  /** Reload after a change made elsewhere (a fix, a schema edit, a new sample). */
  async refresh() {
    if (this.project) await this.open(this.project.id);
  }
}
