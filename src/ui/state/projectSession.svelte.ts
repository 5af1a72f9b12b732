import type { Table } from '../../core/table/table';
import type { DatasetRecord, ProjectRecord } from '../../db';
import { store } from './storage';

/**
 * The open project: its record, its current dataset's metadata and (loaded on demand) its table.
 * Newest load wins: switching projects while a table loads never shows the old one.
 */
export class ProjectSession {
  project = $state<ProjectRecord | undefined>(undefined);
  dataset = $state<DatasetRecord | undefined>(undefined);
  datasets = $state<DatasetRecord[]>([]);
  table = $state.raw<Table | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  loading = $state(false);
  #loadId = 0;

  async open(projectId: string) {
    const id = ++this.#loadId;
    this.loading = true;
    this.error = undefined;
    try {
      const project = await store.getProject(projectId);
      if (id !== this.#loadId) return;
      if (!project) {
        this.error = 'This project no longer exists (it may have been deleted in another tab).';
        this.project = this.dataset = this.table = undefined;
        return;
      }
      const [dataset, datasets] = await Promise.all([store.getDataset(project.currentDatasetId), store.listDatasets(projectId)]);
      // A stored dataset never changes (a fix saves a new version), so a refresh that keeps the current
      // dataset (a schema edit) keeps its table instead of reading a million rows again.
      const table = this.table && this.dataset?.id === project.currentDatasetId ? this.table : await store.loadTable(project.currentDatasetId);
      if (id !== this.#loadId) return;
      this.project = project;
      this.dataset = dataset;
      this.datasets = datasets;
      this.table = table;
    } catch (e) {
      if (id === this.#loadId) this.error = (e as Error).message;
    } finally {
      if (id === this.#loadId) this.loading = false;
    }
  }

  /** Reload after a change made elsewhere (a fix, a schema edit). */
  async refresh() {
    if (this.project) await this.open(this.project.id);
  }
}
