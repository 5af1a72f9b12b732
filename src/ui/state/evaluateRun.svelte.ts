import { WorkerRun, type RunPhase } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { ReportRecord } from '../../db';
import type { EvaluateApi, EvaluateRequest } from '../../../workers/evaluate.worker';

export type { EvaluateRequest };
export type EvaluatePhase = RunPhase;

/**
 * Owns the evaluate worker: one evaluation at a time, with progress and cancel. The worker reads the
 * synthetic dataset and the source's split itself and saves the report; only the record comes back.
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

  /** Evaluate one stored synthetic dataset; resolves to the saved report, or undefined when cancelled or failed. */
  start(request: EvaluateRequest): Promise<ReportRecord | undefined> {
    return this.run({ phase: 'starting', fraction: 0 }, (api, onProgress) => api.evaluateDataset(request, onProgress));
  }

  override reset(): boolean {
    if (!super.reset()) return false;
    this.step = undefined;
    return true;
  }
}
