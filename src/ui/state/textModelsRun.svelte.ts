import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { TextModelRecord } from '../../db/textModels';
import type { ImportFile, TextApi, TryResult } from '../../../workers/text.worker';
import type { TextPiiColumnScan } from '../../core/text/piiText';

export type { TextModelRecord, TryResult };

/**
 * Owns the text worker: the stored models (list, import, delete) and the runs of a model (try, PII scan),
 * one at a time, with progress and cancel. Files go to the worker as Blobs; nothing is read on the page.
 */
export class TextModelsRun extends WorkerRun<TextApi, Progress> {
  #models = $state.raw<TextModelRecord[]>([]);
  lastTry = $state.raw<TryResult | undefined>(undefined);
  lastScan = $state.raw<{ scans: TextPiiColumnScan[]; device?: string } | undefined>(undefined);

  constructor() {
    super(() => new Worker(new URL('../../../workers/text.worker.ts', import.meta.url), { type: 'module' }));
  }

  get models(): TextModelRecord[] {
    return this.#models;
  }

  get fraction(): number {
    return this.progress?.fraction ?? 0;
  }

  async refresh(): Promise<void> {
    this.#models = await this.call((api) => api.listModels());
  }

  /** A picked folder (files with their relative paths) or a zip; resolves to the stored record, or undefined. */
  async importFiles(name: string, files: ImportFile[] | Blob): Promise<TextModelRecord | undefined> {
    const record = await this.run({ phase: 'checking', fraction: 0 }, (api, onProgress) =>
      files instanceof Blob ? api.importZip(name, files, onProgress) : api.importModel(name, files, onProgress),
    );
    await this.refresh();
    return record;
  }

  async remove(id: string): Promise<void> {
    await this.call((api) => api.deleteModel(id));
    await this.refresh();
  }

  async tryModel(id: string, texts: string[], seed = 42): Promise<void> {
    this.lastTry = undefined;
    this.lastTry = await this.run({ phase: 'loading', fraction: 0 }, (api, onProgress) => api.tryModel(id, texts, seed, onProgress));
  }

  /** Saves the cleaned version (placeholders for the findings); resolves to whether it was saved. */
  async clean(datasetId: string, modelId?: string): Promise<boolean> {
    const rec = await this.run({ phase: 'cleaning', fraction: 0 }, (api, onProgress) => api.cleanDataset(datasetId, modelId, onProgress));
    return rec !== undefined;
  }

  async scan(datasetId: string, modelId?: string): Promise<void> {
    this.lastScan = undefined;
    this.lastScan = await this.run({ phase: 'reading', fraction: 0 }, (api, onProgress) => api.scanDataset(datasetId, modelId, onProgress));
  }
}
