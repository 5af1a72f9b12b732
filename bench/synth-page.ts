/**
 * Page side of the synth benchmark: the app's path (a module worker built from workers/train.worker.ts,
 * comlink, progress proxy; the training table transferred to fit, the serialized model sent back to
 * sample), timing fit and sample and the longest main-thread task meanwhile.
 */
import { proxy, transfer, wrap } from 'comlink';
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import type { SynthesizerId } from '../src/core/synth/types';
import type { TrainApi } from '../workers/train.worker';
import { tableBuffers } from '../workers/transferables';
import { fetchTableBytes, LongTaskProbe } from './pageProbe';
import { decodeTable, tableDigest } from './tableWire';

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
  error?: string;
}

declare global {
  interface Window {
    __synthBench?: { prepare(): Promise<void>; run(args: SynthBenchArgs): Promise<SynthBenchResult> };
  }
}

const status = document.getElementById('status') as HTMLElement;
const probe = new LongTaskProbe();
const api = wrap<TrainApi>(new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module' }));
let trainBytes: ArrayBuffer | undefined;

window.__synthBench = {
  /** Fetch the training table and load the worker's modules (from the dev server): neither is timed. */
  async prepare() {
    trainBytes = await fetchTableBytes('train');
    await api.cancel(); // the worker's first answer means its modules are loaded
  },

  async run(args) {
    if (!trainBytes) throw new Error('call prepare() first');
    // A fresh copy per run: fit transfers (detaches) its buffers, as the app's TrainRun does.
    const train = decodeTable(trainBytes);
    let messages = 0;
    const onProgress = proxy((p: Progress) => {
      messages++;
      status.textContent = `${args.synthesizer} ${p.phase} ${(100 * p.fraction).toFixed(0)}%`;
    });
    try {
      let fitS = 0;
      let workerFitS = 0;
      const run = await probe.measure(async () => {
        const t0 = performance.now();
        const fitted = await api.fit(
          transfer({ train, schema: args.schema, synthesizer: args.synthesizer, options: {}, seed: args.fitSeed }, tableBuffers(train)),
          onProgress,
        );
        fitS = (performance.now() - t0) / 1000;
        workerFitS = fitted.seconds;
        return api.sample({ serialized: fitted.serialized, n: args.rows, seed: args.sampleSeed }, onProgress);
      });
      const sampled = run.value;
      status.textContent = 'done';
      return {
        fitS,
        sampleS: run.seconds - fitS,
        workerFitS,
        workerSampleS: sampled.seconds,
        rows: sampled.table.nRows,
        digest: tableDigest(sampled.table),
        longTasks: run.longTasks,
        maxLongTaskMs: run.maxLongTaskMs,
        progressMessages: messages,
      };
    } catch (e) {
      const err = e as { name?: string; message?: string; hint?: string };
      return { fitS: NaN, sampleS: NaN, workerFitS: NaN, workerSampleS: NaN, rows: 0, digest: '', longTasks: 0, maxLongTaskMs: 0, progressMessages: messages, error: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}` };
    }
  },
};
status.textContent = 'ready';
