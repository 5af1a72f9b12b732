/**
 * Training worker: fits synthesizers and draws synthetic rows off the main thread.
 * A thin comlink wrapper around src/core/synth; one run at a time, cancellable.
 */
import { expose, transfer } from 'comlink';
import { Rng } from '../src/core/random/rng';
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import type { Table } from '../src/core/table/table';
import type { Conditions, SerializedModel, SynthesisStats, SynthesizerId } from '../src/core/synth/types';
import { synthesizers } from '../src/core/synth/registry';
import { tableBuffers } from './transferables';

export interface FitRequest {
  train: Table;
  schema: Schema;
  synthesizer: SynthesizerId;
  options: Record<string, unknown>;
  seed: number;
}

export interface FitResult {
  serialized: SerializedModel;
  stats: SynthesisStats;
  seconds: number;
}

export interface SampleRequest {
  serialized: SerializedModel;
  n: number;
  seed: number;
  conditions?: Conditions;
}

export interface SampleResult {
  table: Table;
  stats: SynthesisStats;
  seconds: number;
}

let controller: AbortController | undefined;

function begin(): AbortSignal {
  controller?.abort();
  controller = new AbortController();
  return controller.signal;
}

const api = {
  async fit(req: FitRequest, onProgress: (p: Progress) => void): Promise<FitResult> {
    const signal = begin();
    const t0 = performance.now();
    const model = await synthesizers[req.synthesizer].fit(req.train, req.schema, req.options, {
      rng: new Rng(req.seed),
      onProgress,
      signal,
    });
    const serialized = model.serialize();
    return { serialized, stats: model.stats, seconds: (performance.now() - t0) / 1000 };
  },

  async sample(req: SampleRequest, onProgress?: (p: Progress) => void): Promise<SampleResult> {
    const signal = begin();
    const t0 = performance.now();
    const model = synthesizers[req.serialized.synthesizer].deserialize(req.serialized);
    const table = model.sample(req.n, { seed: req.seed, conditions: req.conditions, onProgress, signal });
    const result = { table, stats: model.stats, seconds: (performance.now() - t0) / 1000 };
    return transfer(result, tableBuffers(table));
  },

  cancel(): void {
    controller?.abort();
  },
};

export type TrainApi = typeof api;
expose(api);
