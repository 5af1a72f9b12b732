import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { Conditions } from '../../core/synth/types';
import type { DatasetRecord, ModelRecord } from '../../db';
import type { FitRequest, SampleRequest, SampleResult, TrainApi } from '../../../workers/train.worker';

/**
 * Who writes a sample's texts: a stored text-generation model and its few-shot count, or (empty) the
 * fallback; and the stored NER model that feeds the leak guard, if any.
 */
export type SampleTextOptions = Pick<SampleRequest, 'textModelId' | 'fewShot' | 'nerModelId'>;

export type TrainTask = 'fit' | 'sample';

/** A fitted model as the page knows it: its stored record and how long the fit took. */
export interface FittedModel {
  record: ModelRecord;
  seconds: number;
}

/** One epoch of a neural fit as its progress reports it: the losses the training curve plots. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  validationLoss?: number;
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
  /** Losses per epoch of the running (or last) fit, for engines that train by epochs. */
  curve = $state.raw<EpochPoint[]>([]);
  /** The compute backend the fit runs on, when the engine reports one (the transformer's tfjs backend). */
  backend = $state<string | undefined>(undefined);
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
    this.curve = [];
    this.backend = undefined;
    const result = await this.run(
      { phase: 'starting', fraction: 0, message: 'Starting the training worker' },
      (api, onProgress) => api.fit(req, onProgress),
      (p) => this.#noteProgress(p),
    );
    if (!result) return undefined;
    this.fitted = { record: result.model, seconds: result.seconds };
    return this.fitted;
  }

  /**
   * Continue an interrupted training from its stored checkpoint (the worker reads its settings). The
   * curve restarts at the checkpoint's epoch.
   */
  async resume(record: ModelRecord): Promise<FittedModel | undefined> {
    // A record from a live query may be a reactive proxy, which cannot cross to the worker.
    const checkpoint = $state.snapshot(record);
    return this.fit(
      { datasetId: checkpoint.datasetId, synthesizer: checkpoint.synthesizer, options: checkpoint.options, seed: checkpoint.seed, resumeFrom: checkpoint.id },
      checkpoint.projectId,
    );
  }

  /** Progress, plus the epoch's losses and the backend when the engine reports them. */
  #noteProgress(p: Progress) {
    this.progress = p;
    const m = p.metrics;
    if (!m) return;
    if (typeof m.backend === 'string') this.backend = m.backend;
    if (typeof m.epoch === 'number' && typeof m.trainLoss === 'number' && this.curve.at(-1)?.epoch !== m.epoch) {
      const point: EpochPoint = { epoch: m.epoch, trainLoss: m.trainLoss };
      if (typeof m.validationLoss === 'number') point.validationLoss = m.validationLoss;
      this.curve = [...this.curve, point];
    }
  }

  /** Forget the model shown (a new training was asked for and could not start): Generate must not use it. */
  clearModel() {
    this.fitted = undefined;
    this.sample = undefined;
  }

  /**
   * Draw n rows from the fitted model; the worker stores them as a draft dataset. `text` names the stored
   * text-generation model that writes the synthesize-text columns (and its few-shot examples); without
   * it, the word-level fallback writes them. With a NER model named, the leak guard also keeps out the
   * names of one training row.
   */
  async draw(n: number, seed: number, conditions?: Conditions, text: SampleTextOptions = {}): Promise<DrawnSample | undefined> {
    const fitted = this.fitted;
    if (!fitted) return undefined;
    this.task = 'sample';
    const result = await this.run({ phase: 'sampling', fraction: 0, message: 'Drawing rows' }, (api, onProgress) =>
      api.sample({ modelId: fitted.record.id, n, seed, conditions, ...text }, onProgress),
    );
    if (!result || this.fitted !== fitted) return undefined;
    this.sample = { ...result, n, seed, conditions, kept: false };
    return this.sample;
  }

  markKept(dataset: DatasetRecord) {
    if (this.sample?.dataset.id === dataset.id) this.sample = { ...this.sample, dataset, kept: true };
  }

}

/** The app's one training worker: a model survives switching tabs, and a fit goes on meanwhile. */
export const trainRun = new TrainRun();
