import { wrap, releaseProxy, type Remote } from 'comlink';
import type { ProfileApi } from '../../../workers/profile.worker';
import type { Fix, Profile } from '../../core/profile/types';
import { isNumericKind, type ColumnKind, type Schema } from '../../core/schema/schema';
import type { Table } from '../../core/table/table';

export type ProfilePhase = 'idle' | 'running' | 'done' | 'failed';

/** A fixed (or converted) table and its schema, ready to be saved as a new cleaned version. */
export interface FixedData {
  table: Table;
  schema: Schema;
}

/**
 * Owns the profile worker: profiles the open dataset and applies fixes, off the main thread.
 * Newest profile wins: a profile still computing for an older table is dropped (the worker is ended, so a
 * 1 M-row profile nobody wants does not hold up the next one).
 */
export class ProfileRun {
  #phase = $state<ProfilePhase>('idle');
  #profile = $state.raw<Profile | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  /** The finding id (or 'kind:<column>') whose fix is being applied. */
  #fixing = $state<string | undefined>(undefined);
  #worker: Worker | undefined;
  #api: Remote<ProfileApi> | undefined;
  #runId = 0;

  get phase(): ProfilePhase {
    return this.#phase;
  }
  /** The latest finished profile; kept on screen while a newer one computes. */
  get profile(): Profile | undefined {
    return this.#profile;
  }
  get error(): string | undefined {
    return this.#error;
  }
  get fixing(): string | undefined {
    return this.#fixing;
  }

  /** Profile a table. `schema` must be a plain object ($state.snapshot), as it is cloned to the worker. */
  async run(table: Table, schema: Schema): Promise<void> {
    const runId = ++this.#runId;
    if (this.#phase === 'running' && !this.#fixing) this.#terminate();
    this.#phase = 'running';
    this.#error = undefined;
    try {
      const profile = await this.#ensureWorker().profile(table, schema);
      if (runId !== this.#runId) return;
      this.#profile = profile;
      this.#phase = 'done';
    } catch (e) {
      if (runId !== this.#runId) return;
      this.#phase = 'failed';
      this.#error = (e as Error)?.message ?? String(e);
    }
  }

  /** Apply one fix in the worker; resolves to the new data (the input is untouched). `key` marks what is busy. */
  async applyFix(table: Table, schema: Schema, fix: Fix, key: string): Promise<FixedData> {
    if (this.#fixing) throw new Error('Another fix is still being applied; wait for it to finish.');
    this.#fixing = key;
    try {
      return await this.#ensureWorker().applyFix(table, schema, fix);
    } finally {
      this.#fixing = undefined;
    }
  }

  /**
   * Change a column's kind where its storage changes (text <-> numbers): the values are converted into a
   * new table. The engine's 'set-kind' fix converts where it can; where it refuses a relabelling, text goes
   * to numbers through 'coerce-numeric' (values that are not numbers become missing) and to dates through
   * 'coerce-datetime' with the date format the profile detected.
   */
  async convertKind(table: Table, schema: Schema, column: string, kind: ColumnKind, dateFormat?: string): Promise<FixedData> {
    const key = `kind:${column}`;
    try {
      return await this.applyFix(table, schema, { type: 'set-kind', column, kind }, key);
    } catch (e) {
      const col = table.columns.find((c) => c.name === column);
      if (!col || col.type !== 'categorical' || !isNumericKind(kind)) throw e;
      if (kind === 'datetime') {
        if (!dateFormat) throw new Error(`No date format was recognised in "${column}", so it cannot be converted to dates.`);
        return this.applyFix(table, schema, { type: 'coerce-datetime', column, format: dateFormat }, key);
      }
      const converted = await this.applyFix(table, schema, { type: 'coerce-numeric', column }, key);
      const sc = converted.schema.columns.find((c) => c.name === column);
      // coerce-numeric picks integer or numeric from the values; the user's choice wins (same storage).
      if (sc && sc.kind !== kind) sc.kind = kind;
      return converted;
    }
  }

  dispose() {
    this.#runId++;
    this.#terminate();
  }

  #ensureWorker(): Remote<ProfileApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../../workers/profile.worker.ts', import.meta.url), { type: 'module' });
      this.#api = wrap<ProfileApi>(this.#worker);
    }
    return this.#api;
  }

  #terminate() {
    this.#api?.[releaseProxy]();
    this.#worker?.terminate();
    this.#api = undefined;
    this.#worker = undefined;
  }
}
