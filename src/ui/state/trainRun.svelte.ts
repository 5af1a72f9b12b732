import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { Conditions } from '../../core/synth/types';
import type { DatasetRecord, ModelRecord } from '../../db';
import type { FitRequest, SampleResult, TrainApi } from '../../../workers/train.worker';

export type TrainTask = 'fit' | 'sample';

/** A fitted model as the page knows it: its stored record and how long the fit took. */
export interface FittedModel {
  record: ModelRecord;
  seconds: number;
}

/** A drawn sample: the stored (draft) dataset with its preview, and the request that drew it. */
export interface DrawnSample extends SampleResult {
  n: number;
  seed: number;
  conditions?: Conditions;
  /** Kept (Save), rather than a draft that the next sample replaces. */
  kept: boolean;
}

/**
 * Owns the training worker: one fit or sample at a time. The page sends ids and settings; the worker
 * reads the data, keeps the model resident and writes the samples, so only records come back.
 */
export class TrainRun extends WorkerRun<TrainApi, Progress> {
  task = $state<TrainTask>('fit');
  fitted = $state.raw<FittedModel | undefined>(undefined);
  sample = $state.raw<DrawnSample | undefined>(undefined);
  /** The project whose fit this is (the run and its results show on that project only). */
  projectId = $state<string | undefined>(undefined);

  constructor() {
    super(() => new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), { type: 'module' }));
  }

  /** Whether the fitted model (and sample) shown belong to this project. */
  belongsTo(projectId: string | undefined): boolean {
    return projectId !== undefined && this.projectId === projectId;
  }

  /**
   * Fit a synthesizer on the train part of a stored dataset, in the worker. A failed or cancelled
   * fit forgets the earlier model, so Generate never silently uses a model the user replaced.
   */
  async fit(req: FitRequest, projectId: string): Promise<FittedModel | undefined> {
    this.projectId = projectId;
    this.fitted = undefined;
    this.sample = undefined;
    this.task = 'fit';
    const result = await this.run({ phase: 'starting', fraction: 0, message: 'Starting the training worker' }, (api, onProgress) => api.fit(req, onProgress));
    if (!result) return undefined;
    this.fitted = { record: result.model, seconds: result.seconds };
    return this.fitted;
  }

  /** Forget the model shown (a new training was asked for and could not start): Generate must not use it. */
  clearModel() {
    this.fitted = undefined;
    this.sample = undefined;
  }

  /** Draw n rows from the fitted model; the worker stores them as a draft dataset. */
  async draw(n: number, seed: number, conditions?: Conditions): Promise<DrawnSample | undefined> {
    const fitted = this.fitted;
    if (!fitted) return undefined;
    this.task = 'sample';
    const result = await this.run({ phase: 'sampling', fraction: 0, message: 'Drawing rows' }, (api, onProgress) =>
      api.sample({ modelId: fitted.record.id, n, seed, conditions }, onProgress),
    );
    if (!result || this.fitted !== fitted) return undefined;
    this.sample = { ...result, n, seed, conditions, kept: false };
    return this.sample;
  }

  /** A stored dataset as a CSV Blob, written by the worker. */
  exportCsv(datasetId: string, formulaGuard = true): Promise<Blob> {
    return this.call((api) => api.exportCsv(datasetId, { formulaGuard }));
  }

  markKept(dataset: DatasetRecord) {
    if (this.sample?.dataset.id === dataset.id) this.sample = { ...this.sample, dataset, kept: true };
  }

}

/** The app's one training worker: a model survives switching tabs, and a fit goes on meanwhile. */
export const trainRun = new TrainRun();
