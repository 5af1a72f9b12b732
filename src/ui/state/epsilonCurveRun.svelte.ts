import { proxy } from 'comlink';
import { StreamedRun } from './streamedRun.svelte';
import type { StoredEpsilonCurve } from '../../core/report/types';
import type { EpsilonCurvePoint } from '../../core/synth/privacy/epsilonCurve';
import type { EpsilonCurveApi, EpsilonCurveRequest } from '../../../workers/epsilonCurve.worker';

export type { EpsilonCurveRequest };

/**
 * Owns the ε curve worker: one curve at a time, with progress, an ETA and cancel. The worker reads the
 * report's model and split itself and saves the curve into the report; the points scored so far are
 * kept here while it runs.
 */
export class EpsilonCurveRun extends StreamedRun<EpsilonCurveApi, EpsilonCurvePoint> {
  constructor() {
    super(() => new Worker(new URL('../../../workers/epsilonCurve.worker.ts', import.meta.url), { type: 'module' }));
  }

  get label(): string {
    const p = this.progress;
    if (!p) return 'Starting';
    return p.message ? `Fitting at ${p.message}: ${p.phase}` : p.phase;
  }

  /** Compute and save the curve; resolves to it, or undefined when cancelled or failed. Points are by index in the list asked for. */
  start(request: EpsilonCurveRequest): Promise<StoredEpsilonCurve | undefined> {
    const update = this.beginStream();
    const onPoint = proxy((p: EpsilonCurvePoint, i: number) =>
      update((points) => {
        const next = [...points];
        next[i] = p;
        return next;
      }),
    );
    return this.run({ phase: 'starting', fraction: 0 }, (api, onProgress) => api.computeCurve(request, onProgress, onPoint));
  }
}
