import { transfer } from 'comlink';
import { WorkerRun, type RunPhase } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { Report } from '../../core/report/types';
import type { EvaluateApi, EvaluateWorkerInput } from '../../../workers/evaluate.worker';
import { tableBuffers } from '../../../workers/transferables';

/** What the evaluate worker is given: the engine's input plus the seed of its samples. */
export type EvaluateRequest = EvaluateWorkerInput;

export type EvaluatePhase = RunPhase;

/**
 * Owns the evaluate worker: one evaluation at a time, with progress and cancel. Components read the
 * state and call start()/cancel(); they never post messages themselves.
 */
export class EvaluateRun extends WorkerRun<EvaluateApi, Progress> {
  /** Which of several queued evaluations is running (set by the caller). */
  step = $state<{ index: number; count: number; name: string } | undefined>(undefined);

  constructor() {
    super(() => new Worker(new URL('../../../workers/evaluate.worker.ts', import.meta.url), { type: 'module' }));
  }

  get fraction(): number {
    return this.progress?.fraction ?? 0;
  }

  get label(): string {
    const s = this.step;
    const what = s ? (s.count > 1 ? `Evaluating ${s.index} of ${s.count}: ${s.name}` : `Evaluating ${s.name}`) : 'Evaluating';
    return this.progress?.phase ? `${what} — ${this.progress.phase}` : what;
  }

  /** Run one evaluation; resolves to the report, or undefined when cancelled or failed (see phase/error). */
  start(request: EvaluateRequest): Promise<Report | undefined> {
    // The tables were loaded for this run only: hand their buffers over instead of copying them.
    const buffers = [...new Set([...tableBuffers(request.train), ...tableBuffers(request.holdout), ...tableBuffers(request.synthetic)])];
    return this.run({ phase: 'starting', fraction: 0 }, (api, onProgress) => api.evaluate(transfer(request, buffers), onProgress));
  }

  override reset(): boolean {
    if (!super.reset()) return false;
    this.step = undefined;
    return true;
  }
}
