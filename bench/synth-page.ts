/**
 * Page side of the synth benchmark: the app's path (a module worker built from workers/train.worker.ts,
 * comlink, progress proxy). The training table is stored in IndexedDB as the app stores an import; the
 * worker reads it by id, keeps the model resident and writes the sample itself, so only ids, settings
 * and records cross. Times fit and sample, the longest main-thread task meanwhile, and the bytes that
 * cross the worker boundary.
 */
import { proxy, wrap } from 'comlink';
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import type { SynthesizerId } from '../src/core/synth/types';
import { openDb, ProjectStore } from '../src/db';
import type { TrainApi } from '../workers/train.worker';
import { installWorkerMessageProbe, takeCrossingHere } from '../test/e2e/workerMessages';
import { fetchTable, LongTaskProbe } from './pageProbe';
import { tableDigest } from './tableWire';

export interface SynthBenchArgs {
  synthesizer: SynthesizerId;
  schema: Schema;
  rows: number;
  fitSeed: number;
  sampleSeed: number;
}

export interface SynthBenchResult {
  fitS: number;
  sampleS: number;
  /** The worker's own figures (no messaging, no structured clone). */
  workerFitS: number;
  workerSampleS: number;
  rows: number;
  digest: string;
  longTasks: number;
  maxLongTaskMs: number;
  progressMessages: number;
  fitBytesToWorker: number;
  sampleBytesToWorker: number;
  sampleBytesFromWorker: number;
  error?: string;
}

declare global {
  interface Window {
    __synthBench?: { prepare(schema: Schema): Promise<void>; run(args: SynthBenchArgs): Promise<SynthBenchResult> };
  }
}

installWorkerMessageProbe();
const status = document.getElementById('status') as HTMLElement;
const probe = new LongTaskProbe();
const api = wrap<TrainApi>(new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module' }));
const store = new ProjectStore(openDb());
let datasetId: string | undefined;

window.__synthBench = {
  /** Store the training table as the app stores an import, and load the worker's modules: neither is timed. */
  async prepare(schema) {
    const train = await fetchTable('train');
    // The whole table is the train part: the bench split its holdout off in Node already.
    const project = await store.createProject('bench', { name: 'train', table: train, schema, warnings: [], holdoutFraction: 0, holdoutSeed: 1 });
    datasetId = project.currentDatasetId;
    await api.cancel(); // the worker's first answer means its modules are loaded
  },

  async run(args) {
    const id = datasetId;
    if (!id) throw new Error('call prepare() first');
    let messages = 0;
    const onProgress = proxy((p: Progress) => {
      messages++;
      status.textContent = `${args.synthesizer} ${p.phase} ${(100 * p.fraction).toFixed(0)}%`;
    });
    try {
      let fitS = 0;
      let workerFitS = 0;
      let fitBytes = 0;
      takeCrossingHere();
      const run = await probe.measure(async () => {
        const t0 = performance.now();
        const fitted = await api.fit({ datasetId: id, synthesizer: args.synthesizer, options: {}, seed: args.fitSeed }, onProgress);
        fitS = (performance.now() - t0) / 1000;
        workerFitS = fitted.seconds;
        fitBytes = takeCrossingHere().toWorker;
        return api.sample({ modelId: fitted.model.id, n: args.rows, seed: args.sampleSeed }, onProgress);
      });
      const crossing = takeCrossingHere();
      const sampled = run.value;
      status.textContent = 'done';
      // Outside the timing: read the stored sample back to compare its rows with Node's.
      const table = await store.loadTable(sampled.dataset.id);
      return {
        fitS,
        sampleS: run.seconds - fitS,
        workerFitS,
        workerSampleS: sampled.seconds,
        rows: table.nRows,
        digest: tableDigest(table),
        longTasks: run.longTasks,
        maxLongTaskMs: run.maxLongTaskMs,
        progressMessages: messages,
        fitBytesToWorker: fitBytes,
        sampleBytesToWorker: crossing.toWorker,
        sampleBytesFromWorker: crossing.fromWorker,
      };
    } catch (e) {
      const err = e as { name?: string; message?: string; hint?: string };
      return {
        fitS: NaN, sampleS: NaN, workerFitS: NaN, workerSampleS: NaN, rows: 0, digest: '', longTasks: 0, maxLongTaskMs: 0, progressMessages: messages,
        fitBytesToWorker: 0, sampleBytesToWorker: 0, sampleBytesFromWorker: 0, error: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`,
      };
    }
  },
};
status.textContent = 'ready';
