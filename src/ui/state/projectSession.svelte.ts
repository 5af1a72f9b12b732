import { liveQuery, type Subscription } from 'dexie';
import type { DatasetRecord, ProjectRecord } from '../../db';
import { store } from './storage';
import type { TablePreview } from '../../core/table/preview';

/** How the session reads an encrypted project: only workers hold keys, so they open its previews. */
export interface SealedReader {
  isUnlocked(projectId: string): Promise<boolean>;
  openPreviews(datasetIds: string[]): Promise<Record<string, TablePreview>>;
}

type Loaded = { project: ProjectRecord; dataset: DatasetRecord | undefined; datasets: DatasetRecord[] } | undefined;

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
  /** An encrypted project whose key this tab's workers do not hold: show the unlock form, not content. */
  locked = $state(false);
  #subscription: Subscription | undefined;
  /** Fills in the preview of a dataset stored before previews were (a worker reads the data). */
  #ensurePreview: ((datasetId: string) => Promise<DatasetRecord>) | undefined;
  #previewAsked = new Set<string>();

  #sealed: SealedReader | undefined;
  /** Previews opened by a worker (encrypted projects), by dataset id; dropped on lock. */
  #opened = new Map<string, TablePreview>();
  #latest: Loaded;
  #applied = 0;

  constructor(ensurePreview?: (datasetId: string) => Promise<DatasetRecord>, sealed?: SealedReader) {
    this.#ensurePreview = ensurePreview;
    this.#sealed = sealed;
  }

  /** After an unlock or a lock: read the lock state again (and drop opened previews when locked). */
  async refresh(): Promise<void> {
    this.#opened.clear();
    await this.#apply(this.#latest);
  }

  async #apply(v: Loaded): Promise<void> {
    const n = ++this.#applied;
    if (!v) {
      this.error = 'This project no longer exists (it may have been deleted in another tab).';
      this.project = this.dataset = undefined;
      this.datasets = [];
      return;
    }
    let { dataset, datasets } = v;
    let locked = false;
    if (v.project.encryption && this.#sealed) {
      try {
        locked = !(await this.#sealed.isUnlocked(v.project.id));
        const need = [...datasets, ...(dataset ? [dataset] : [])].filter((d) => d.sealedPreview && !this.#opened.has(d.id)).map((d) => d.id);
        if (!locked && need.length) for (const [id, p] of Object.entries(await this.#sealed.openPreviews([...new Set(need)]))) this.#opened.set(id, p);
      } catch (e) {
        if (n === this.#applied) this.error = `This encrypted project could not be opened: ${(e as Error)?.message ?? String(e)}`;
        return;
      }
      const open = (d: DatasetRecord): DatasetRecord => {
        const preview = locked ? undefined : this.#opened.get(d.id);
        return preview ? { ...d, preview } : d;
      };
      datasets = datasets.map(open);
      dataset = dataset && open(dataset);
    }
    if (n !== this.#applied) return; // a newer value is being shown
    this.error = undefined;
    this.locked = locked;
    this.project = v.project;
    this.dataset = dataset;
    this.datasets = datasets;
    if (!v.project.encryption) this.#fillPreview(dataset);
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
          this.#latest = v;
          void this.#apply(v).finally(() => {
            this.loading = false;
            resolve();
          });
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
    // Deleted real data has no preview to make (its rows are gone).
    if (!dataset || dataset.preview || dataset.dataDeletedAt || !this.#ensurePreview || this.#previewAsked.has(dataset.id)) return;
    this.#previewAsked.add(dataset.id);
    // The worker stores the preview; the live query then shows it.
    this.#ensurePreview(dataset.id).catch((e: Error) => (this.error = `The preview could not be made: ${e.message}`));
  }
}
