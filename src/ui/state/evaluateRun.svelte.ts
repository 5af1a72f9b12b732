import { proxy, transfer } from 'comlink';
import { failureOf, WorkerClient } from './workerClient';
import type { Progress } from '../../core/context';
import type { Report } from '../../core/report/types';
import type { EvaluateApi, EvaluateWorkerInput } from '../../../workers/evaluate.worker';
import { tableBuffers } from '../../../workers/transferables';

/** What the evaluate worker is given: the engine's input plus the seed of its samples. */
export type EvaluateRequest = EvaluateWorkerInput;

export type EvaluatePhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/**
 * Owns the evaluate worker: one evaluation at a time, with progress and cancel. Components read the
 * state and call start()/cancel(); they never post messages themselves.
 */
export class EvaluateRun {
  phase = $state<EvaluatePhase>('idle');
  progress = $state<Progress | undefined>(undefined);
  error = $state<{ message: string; hint?: string } | undefined>(undefined);
  /** Which of several queued evaluations is running (set by the caller). */
  step = $state<{ index: number; count: number; name: string } | undefined>(undefined);
  #client = new WorkerClient<EvaluateApi>(
    () => new Worker(new URL('../../../workers/evaluate.worker.ts', import.meta.url), { type: 'module' }),
  );
  #runId = 0;

  get fraction(): number {
    return this.progress?.fraction ?? 0;
  }

  get label(): string {
    const s = this.step;
    const what = s ? (s.count > 1 ? `Evaluating ${s.index} of ${s.count}: ${s.name}` : `Evaluating ${s.name}`) : 'Evaluating';
    return this.progress?.phase ? `${what} — ${this.progress.phase}` : what;
  }

  /** Run one evaluation; resolves to the report, or undefined when cancelled or failed (see phase/error). */
  async start(request: EvaluateRequest): Promise<Report | undefined> {
    const runId = ++this.#runId;
    this.phase = 'running';
    this.progress = { phase: 'starting', fraction: 0 };
    this.error = undefined;
    const api = this.#client.api;
    // The tables were loaded for this run only: hand their buffers over instead of copying them.
    const buffers = [...new Set([...tableBuffers(request.train), ...tableBuffers(request.holdout), ...tableBuffers(request.synthetic)])];
    try {
      const report = await api.evaluate(
        transfer(request, buffers),
        proxy((p: Progress) => {
          if (runId === this.#runId) this.progress = p;
        }),
      );
      if (runId !== this.#runId) return undefined;
      this.phase = 'done';
      return report;
    } catch (e) {
      if (runId !== this.#runId) return undefined;
      const failure = failureOf(e);
      // cancel() may have changed the phase while we awaited.
      if (failure.cancelled || (this.phase as EvaluatePhase) === 'cancelled') {
        this.phase = 'cancelled';
        return undefined;
      }
      this.phase = 'failed';
      this.error = { message: failure.message, hint: failure.hint };
      return undefined;
    }
  }

  /** Stop now: ask the worker, and end it outright if it does not answer within a second. */
  cancel() {
    if (this.phase !== 'running') return;
    this.phase = 'cancelled';
    this.#runId++;
    this.#client.stop();
  }

  reset() {
    if (this.phase === 'running') return;
    this.phase = 'idle';
    this.progress = undefined;
    this.error = undefined;
    this.step = undefined;
  }

  dispose() {
    this.#runId++;
    this.#client.terminate();
  }


}
