import type { ProfileApi } from '../../../workers/profile.worker';
import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { Fix, Profile } from '../../core/profile/types';
import type { FixPreview } from '../../core/profile/fixPreview';
import { isNumericKind, type ColumnKind, type Schema } from '../../core/schema/schema';
import type { DatasetRecord } from '../../db';

/**
 * Owns the profile worker: profiles the open dataset and applies fixes, off the main thread. The worker
 * reads and writes the stored dataset itself, so the page never copies a big table across.
 * Newest profile wins: a profile still computing for another dataset is dropped (the worker is ended, so
 * a 1 M-row profile nobody wants does not hold up the next one).
 */
export class ProfileRun extends WorkerRun<ProfileApi, Progress> {
  #profile = $state.raw<Profile | undefined>(undefined);
  #profileOf = $state<string | undefined>(undefined);
  /** What is being fixed: a finding id, or 'kind:<column>' for a conversion. */
  #fixing = $state<string | undefined>(undefined);
  #runningFor: string | undefined;
  /** The dataset and schema of the profile shown or computing: the same request is not run twice. */
  #key = '';

  constructor() {
    super(() => new Worker(new URL('../../../workers/profile.worker.ts', import.meta.url), { type: 'module' }));
  }

  /** The latest finished profile; kept on screen while a newer one computes. */
  get profile(): Profile | undefined {
    return this.#profile;
  }
  /** The dataset the shown profile is of. */
  get profileOf(): string | undefined {
    return this.#profileOf;
  }
  get fixing(): string | undefined {
    return this.#fixing;
  }

  /** Profile a stored dataset. `schema` must be a plain object ($state.snapshot): it is cloned to the worker. */
  async start(datasetId: string, schema: Schema): Promise<void> {
    const key = `${datasetId} ${JSON.stringify(schema)}`;
    if (key === this.#key && (this.running || (this.phase === 'done' && this.#profile))) return;
    this.#key = key;
    if (this.running && this.#runningFor !== datasetId && !this.#fixing) this.client.terminate();
    this.#runningFor = datasetId;
    const profile = await this.run({ phase: 'profiling', fraction: 0 }, (api, onProgress) => api.profileDataset(datasetId, schema, onProgress));
    if (profile) {
      this.#profile = profile;
      this.#profileOf = datasetId;
    } else if (this.#key === key) this.#key = ''; // failed or cancelled: the same request may be tried again
  }

  /** Some rows of the dataset as the export writes them (the rows a finding points at). */
  rows(datasetId: string, rows: number[], firstColumn?: string) {
    return this.call((api) => api.rows(datasetId, rows, firstColumn));
  }

  /** What `fix` would change in the stored dataset, worked out in the worker (nothing saved, no table sent here). */
  previewFix(datasetId: string, schema: Schema, fix: Fix): Promise<FixPreview> {
    return this.call((api) => api.previewFix(datasetId, schema, fix));
  }

  /** The dataset's record with its preview (made and stored now for datasets saved without one). */
  withPreview(datasetId: string): Promise<DatasetRecord> {
    return this.call((api) => api.withPreview(datasetId));
  }

  /**
   * Apply fixes (in turn) to `parent` and save the result as a new cleaned version, made current; the
   * parent stays. `key` says what is busy. Resolves to the new version's record.
   */
  async fix(parent: DatasetRecord, schema: Schema, fixes: Fix[], step: string, key: string): Promise<DatasetRecord> {
    if (this.#fixing) throw new Error('Another fix is still being applied; wait for it to finish.');
    this.#fixing = key;
    try {
      return await this.call((api) => api.fixDataset(parent.id, schema, fixes, step));
    } finally {
      this.#fixing = undefined;
    }
  }

  /**
   * Change a column's kind where its storage changes (text <-> numbers), converting its values into a new
   * version. The engine's 'set-kind' fix converts where it can; where it refuses to relabel, text becomes
   * numbers through 'coerce-numeric' (values that are not numbers become missing) and dates through
   * 'coerce-datetime' with the date format the profile detected.
   */
  async convertKind(parent: DatasetRecord, schema: Schema, column: string, kind: ColumnKind, stored: 'numeric' | 'categorical', dateFormat?: string): Promise<DatasetRecord> {
    const step = `"${column}" as ${kind}`;
    const key = `kind:${column}`;
    try {
      return await this.fix(parent, schema, [{ type: 'set-kind', column, kind }], step, key);
    } catch (e) {
      if (stored !== 'categorical' || !isNumericKind(kind)) throw e;
      if (kind === 'datetime') {
        if (!dateFormat) throw new Error(`No date format was recognised in "${column}", so it cannot be converted to dates.`);
        return this.fix(parent, schema, [{ type: 'coerce-datetime', column, format: dateFormat }], step, key);
      }
      // coerce-numeric picks integer or numeric from the values; the user's choice then relabels it.
      return this.fix(parent, schema, [{ type: 'coerce-numeric', column }, { type: 'set-kind', column, kind }], step, key);
    }
  }
}

/** The app's one profile worker (it also fills in previews of datasets stored before previews were). */
export const profileRun = new ProfileRun();
