import { liveQuery, type Subscription } from 'dexie';
import type { DatasetRecord, ProjectRecord } from '../../db';
import { store } from './storage';

/**
 * The open project: its record and its datasets' records (metadata and the preview stored with each
 * dataset). It never holds a table: workers read the data by id. It follows the database live, so a
 * schema edit, a fix or a new version made in another tab shows here too (and the next edit here
 * builds on it instead of undoing it). Newest open wins.
 */
export class ProjectSession {
  project = $state<ProjectRecord | undefined>(undefined);
  dataset = $state<DatasetRecord | undefined>(undefined);
  datasets = $state<DatasetRecord[]>([]);
  error = $state<string | undefined>(undefined);
  loading = $state(false);
  #subscription: Subscription | undefined;
  /** Fills in the preview of a dataset stored before previews were (a worker reads the data). */
  #ensurePreview: ((datasetId: string) => Promise<DatasetRecord>) | undefined;
  #previewAsked = new Set<string>();

  constructor(ensurePreview?: (datasetId: string) => Promise<DatasetRecord>) {
    this.#ensurePreview = ensurePreview;
  }

  /** Follow a project; resolves once its records are shown (or an error is). */
  open(projectId: string): Promise<void> {
    this.close();
    this.loading = true;
    this.error = undefined;
    return new Promise((resolve) => {
      const query = liveQuery(async () => {
        const project = await store.getProject(projectId);
        if (!project) return undefined;
        const [dataset, datasets] = await Promise.all([store.getDataset(project.currentDatasetId), store.listDatasets(projectId)]);
        return { project, dataset, datasets };
      });
      this.#subscription = query.subscribe({
        next: (v) => {
          this.loading = false;
          if (!v) {
            this.error = 'This project no longer exists (it may have been deleted in another tab).';
            this.project = this.dataset = undefined;
            this.datasets = [];
          } else {
            this.error = undefined;
            this.project = v.project;
            this.dataset = v.dataset;
            this.datasets = v.datasets;
            this.#fillPreview(v.dataset);
          }
          resolve();
        },
        error: (e: unknown) => {
          this.loading = false;
          this.error = (e as Error)?.message ?? String(e);
          resolve();
        },
      });
    });
  }

  close() {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  #fillPreview(dataset: DatasetRecord | undefined) {
    if (!dataset || dataset.preview || !this.#ensurePreview || this.#previewAsked.has(dataset.id)) return;
    this.#previewAsked.add(dataset.id);
    // The worker stores the preview; the live query then shows it.
    this.#ensurePreview(dataset.id).catch((e: Error) => (this.error = `The preview could not be made: ${e.message}`));
  }
}
