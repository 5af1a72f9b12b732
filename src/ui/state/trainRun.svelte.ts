import { proxy, transfer, type Remote } from 'comlink';
import { WorkerClient } from './workerClient';
import type { Progress } from '../../core/context';
import type { Schema } from '../../core/schema/schema';
import type { Table } from '../../core/table/table';
import type { Conditions } from '../../core/synth/types';
import type { FitRequest, FitResult, SampleResult, TrainApi } from '../../../workers/train.worker';

export type TrainPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
export type TrainTask = 'fit' | 'sample';

/** A fitted model as the page keeps it, with the settings that made it. */
export interface FittedModel extends FitResult {
  projectId: string;
  datasetId: string;
  synthesizer: FitRequest['synthesizer'];
  options: Record<string, unknown>;
  seed: number;
  /** Set once the model is stored, so that several saved samples share one ModelRecord. */
  savedModelId?: string;
}

/** A drawn sample, with the request that drew it. */
export interface DrawnSample extends SampleResult {
  n: number;
  seed: number;
  conditions?: Conditions;
  savedDatasetId?: string;
}

/** How long a cancelled run may take to stop by itself before its worker is ended. */
const STOP_GRACE_MS = 1000;

/**
 * Owns the training worker: one fit or sample at a time, with run ids (the newest run wins),
 * progress, errors with hints, and a cancel that stops within a second: the worker is asked to
 * abort, and terminated (then respawned on the next run) if it has not stopped after a second.
 */
export class TrainRun {
  phase = $state<TrainPhase>('idle');
  task = $state<TrainTask>('fit');
  progress = $state<Progress | undefined>(undefined);
  error = $state<{ message: string; hint?: string } | undefined>(undefined);
  fitted = $state.raw<FittedModel | undefined>(undefined);
  sample = $state.raw<DrawnSample | undefined>(undefined);
  /** The project whose fit this is (the run and its results show on that project only). */
  projectId = $state<string | undefined>(undefined);
  #client = new WorkerClient<TrainApi>(
    () => new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), { type: 'module' }),
  );
  #runId = 0;
  /** A cancelled run still winding down: its worker and the timer that ends it. */
  #stopping: { worker: Worker; timer: ReturnType<typeof setTimeout> } | undefined;

  get running(): boolean {
    return this.phase === 'running';
  }

  /** Whether the fitted model (and sample) shown belong to this project. */
  belongsTo(projectId: string | undefined): boolean {
    return projectId !== undefined && this.projectId === projectId;
  }

  /**
   * Fit a synthesizer on the train part in the worker. The train table's buffers are transferred
   * (not copied): pass a table made for this call, e.g. from trainHoldout().
   */
  async fit(req: FitRequest, owner: { projectId: string; datasetId: string }): Promise<FittedModel | undefined> {
    if (this.projectId !== owner.projectId) {
      this.fitted = undefined;
      this.sample = undefined;
    }
    this.projectId = owner.projectId;
    const result = await this.#run('fit', (api, onProgress) => api.fit(transfer(req, tableBuffersOf(req.train)), onProgress));
    if (!result) return undefined;
    const fitted: FittedModel = { ...result, ...owner, synthesizer: req.synthesizer, options: req.options, seed: req.seed };
    this.fitted = fitted;
    this.sample = undefined;
    return fitted;
  }

  /** Draw n rows from the fitted model in the worker. */
  async draw(n: number, seed: number, conditions?: Conditions): Promise<DrawnSample | undefined> {
    const fitted = this.fitted;
    if (!fitted) return undefined;
    const result = await this.#run('sample', (api, onProgress) => api.sample({ serialized: fitted.serialized, n, seed, conditions }, onProgress));
    if (!result || this.fitted !== fitted) return undefined;
    const drawn: DrawnSample = { ...result, n, seed, conditions };
    this.sample = drawn;
    return drawn;
  }

  /** The table as a CSV Blob, formatted in the worker (between runs only). */
  async csv(table: Table, schema: Schema): Promise<Blob> {
    return this.#client.api.csv(table, schema);
  }

  markSaved(modelId: string, datasetId: string) {
    if (this.fitted) this.fitted = { ...this.fitted, savedModelId: modelId };
    if (this.sample) this.sample = { ...this.sample, savedDatasetId: datasetId };
  }

  /** Stop the run now: the screen says "Cancelled" at once; the worker has a second to stop. */
  cancel() {
    if (this.phase !== 'running') return;
    this.phase = 'cancelled';
    this.progress = undefined;
    this.#runId++;
    const worker = this.#client.worker;
    const api = this.#client.current;
    if (!worker || !api) return;
    const timer = setTimeout(() => {
      if (this.#stopping?.worker === worker) this.#stopping = undefined;
      if (this.#client.worker === worker) this.#client.terminate();
    }, STOP_GRACE_MS);
    this.#stopping = { worker, timer };
    api.cancel().catch(() => undefined);
  }

  /** Forget the model and sample (e.g. another project opened); a running job is cancelled. */
  reset() {
    this.cancel();
    this.phase = 'idle';
    this.projectId = undefined;
    this.fitted = undefined;
    this.sample = undefined;
    this.error = undefined;
    this.progress = undefined;
  }

  dispose() {
    this.#runId++;
    this.#client.terminate();
  }

  async #run<T>(task: TrainTask, call: (api: Remote<TrainApi>, onProgress: (p: Progress) => void) => Promise<T>): Promise<T | undefined> {
    const runId = ++this.#runId;
    this.#endStoppingWorker();
    this.task = task;
    this.phase = 'running';
    this.error = undefined;
    this.progress = { phase: task === 'fit' ? 'starting' : 'sampling', fraction: 0, message: task === 'fit' ? 'Starting the training worker' : 'Drawing rows' };
    const api = this.#client.api;
    const worker = this.#client.worker;
    const onProgress = proxy((p: Progress) => {
      if (runId === this.#runId) this.progress = p;
    });
    try {
      const result = await call(api, onProgress);
      if (runId !== this.#runId) return undefined; // cancelled or superseded
      this.phase = 'done';
      this.progress = undefined;
      return result;
    } catch (e) {
      if (runId !== this.#runId) return undefined;
      this.progress = undefined;
      const err = e as { name?: string; message?: string; hint?: string } | undefined;
      if (err?.name === 'CancelledError') {
        this.phase = 'cancelled';
        return undefined;
      }
      this.phase = 'failed';
      this.error = { message: err?.message ?? String(e), hint: err?.hint };
      return undefined;
    } finally {
      // The call came back, so its worker stopped by itself: it need not be ended.
      if (this.#stopping && this.#stopping.worker === worker) {
        clearTimeout(this.#stopping.timer);
        this.#stopping = undefined;
      }
    }
  }

  /**
   * A new run starts while a cancelled one may still be busy in the worker: end that worker now
   * rather than queue the new run behind it.
   */
  #endStoppingWorker() {
    const s = this.#stopping;
    if (!s) return;
    clearTimeout(s.timer);
    this.#stopping = undefined;
    if (this.#client.worker === s.worker) this.#client.terminate();
  }


}

function tableBuffersOf(t: Table): ArrayBuffer[] {
  return [...new Set(t.columns.map((c) => (c.type === 'numeric' ? c.values.buffer : c.codes.buffer) as ArrayBuffer))];
}

/** The app's one training worker: a model survives switching tabs, and a fit goes on meanwhile. */
export const trainRun = new TrainRun();
