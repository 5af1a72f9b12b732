/**
 * Training worker: fits synthesizers and draws synthetic rows off the main thread.
 * A thin comlink wrapper around src/core/synth; one run at a time, cancellable.
 */
import { expose, transfer } from 'comlink';
import { CancelledError, UserError } from '../src/core/context';
import { Rng } from '../src/core/random/rng';
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import type { Table } from '../src/core/table/table';
import type { Conditions, SerializedModel, SynthesisStats, SynthesizerId } from '../src/core/synth/types';
import { synthesizers } from '../src/core/synth/registry';
import { csvChunks } from '../src/core/export';
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
  /** The output schema (the input's, less keep-out columns): names, kinds and value formats. */
  schema: Schema;
  stats: SynthesisStats;
  seconds: number;
}

/**
 * How an error crosses to the page. comlink keeps only name and message of an Error instance, so a
 * UserError travels as a plain object to keep its hint; the page reads `name`, `message`, `hint`.
 */
export interface PortableError {
  name: string;
  message: string;
  hint?: string;
}

let controller: AbortController | undefined;

function begin(): AbortSignal {
  controller?.abort(); // newest run wins
  controller = new AbortController();
  return controller.signal;
}

function portable(e: unknown): unknown {
  if (e instanceof CancelledError) return e;
  if (e instanceof UserError) return { name: 'UserError', message: e.message, hint: e.hint } satisfies PortableError;
  return e;
}

/** The buffers of a model's arrays, each once (two arrays may share one). */
function modelBuffers(s: SerializedModel): ArrayBuffer[] {
  return [...new Set(Object.values(s.arrays).map((a) => a.buffer as ArrayBuffer))];
}

const api = {
  async fit(req: FitRequest, onProgress: (p: Progress) => void): Promise<FitResult> {
    const signal = begin();
    const t0 = performance.now();
    try {
      const model = await synthesizers[req.synthesizer].fit(req.train, req.schema, req.options, {
        rng: new Rng(req.seed),
        // A comlink proxy call: not awaited, the page answers when it can.
        onProgress: (p) => void onProgress(p),
        signal,
      });
      const serialized = model.serialize();
      const result = { serialized, stats: model.stats, seconds: (performance.now() - t0) / 1000 };
      return transfer(result, modelBuffers(serialized));
    } catch (e) {
      throw portable(e);
    }
  },

  async sample(req: SampleRequest, onProgress?: (p: Progress) => void): Promise<SampleResult> {
    const signal = begin();
    const t0 = performance.now();
    try {
      const model = synthesizers[req.serialized.synthesizer].deserialize(req.serialized);
      const table = model.sample(req.n, {
        seed: req.seed,
        conditions: req.conditions,
        onProgress: onProgress && ((p) => void onProgress(p)),
        signal,
      });
      const result = { table, schema: model.schema, stats: { ...model.stats }, seconds: (performance.now() - t0) / 1000 };
      return transfer(result, tableBuffers(table));
    } catch (e) {
      throw portable(e);
    }
  },

  /** The table as CSV with the input's header and value formats, as a Blob ready to download. */
  csv(table: Table, schema: Schema): Blob {
    return new Blob([...csvChunks(table, schema)], { type: 'text/csv;charset=utf-8' });
  },

  cancel(): void {
    controller?.abort();
  },
};

export type TrainApi = typeof api;
expose(api);
