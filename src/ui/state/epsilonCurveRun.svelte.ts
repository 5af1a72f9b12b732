import { proxy } from 'comlink';
import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { StoredEpsilonCurve } from '../../core/report/types';
import type { EpsilonCurvePoint } from '../../core/synth/privacy/epsilonCurve';
import type { EpsilonCurveApi, EpsilonCurveRequest } from '../../../workers/epsilonCurve.worker';

export type { EpsilonCurveRequest };

/**
 * Owns the ε curve worker: one curve at a time, with progress, an ETA and cancel. The worker reads the
 * report's model and split itself and saves the curve into the report; the points scored so far are
 * kept here while it runs.
 */
export class EpsilonCurveRun extends WorkerRun<EpsilonCurveApi, Progress> {
  /** Points of the newest run scored so far, by index in the list asked for. */
  points = $state<EpsilonCurvePoint[]>([]);
  #token = 0;

  constructor() {
    super(() => new Worker(new URL('../../../workers/epsilonCurve.worker.ts', import.meta.url), { type: 'module' }));
  }

  get fraction(): number {
    return this.progress?.fraction ?? 0;
  }

  get label(): string {
    const p = this.progress;
    if (!p) return 'Starting';
    return p.message ? `Fitting at ${p.message}: ${p.phase}` : p.phase;
  }

  /** Compute and save the curve; resolves to it, or undefined when cancelled or failed. */
  start(request: EpsilonCurveRequest): Promise<StoredEpsilonCurve | undefined> {
    const token = ++this.#token;
    this.points = [];
    const onPoint = proxy((p: EpsilonCurvePoint, i: number) => {
      if (token !== this.#token) return;
      const next = [...this.points];
      next[i] = p;
      this.points = next;
    });
    return this.run({ phase: 'starting', fraction: 0 }, (api, onProgress) => api.computeCurve(request, onProgress, onPoint));
  }

  override cancel() {
    this.#token++;
    super.cancel();
  }

  override reset(): boolean {
    if (!super.reset()) return false;
    this.#token++;
    this.points = [];
    return true;
  }
}
