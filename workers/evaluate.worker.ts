/**
 * Evaluate worker: builds the evaluation report (fidelity, privacy, utility) off the main thread,
 * streaming progress and honouring cancel. A thin comlink wrapper around src/core/metrics.
 */
import { expose } from 'comlink';
import { CancelledError, UserError, type Progress } from '../src/core/context';
import { evaluate, type EvaluateInput } from '../src/core/metrics';
import type { Report } from '../src/core/report/types';
import { Rng } from '../src/core/random/rng';

export interface EvaluateWorkerInput extends EvaluateInput {
  /** Seed of the report's samples (DCR rows, combinations, model bootstraps). Default 1. */
  seed?: number;
}

export interface EvaluateApi {
  evaluate(input: EvaluateWorkerInput, onProgress: (p: Progress) => void): Promise<Report>;
  /** Aborts the running evaluation; evaluate() then rejects with CancelledError (name 'CancelledError'). */
  cancel(): void;
}

let current: AbortController | null = null;

const api: EvaluateApi = {
  async evaluate(input, onProgress) {
    current?.abort(); // newest run wins
    const controller = new AbortController();
    current = controller;
    try {
      return await evaluate(input, {
        rng: new Rng(input.seed ?? 1),
        signal: controller.signal,
        // Progress goes through a comlink proxy; do not await it.
        onProgress: (p) => void onProgress(p),
      });
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      // comlink keeps an Error's name and message only: fold the hint into the message.
      if (e instanceof UserError && e.hint) throw new UserError(`${e.message} ${e.hint}`);
      throw e;
    } finally {
      if (current === controller) current = null;
    }
  },
  cancel() {
    current?.abort();
  },
};

expose(api);
