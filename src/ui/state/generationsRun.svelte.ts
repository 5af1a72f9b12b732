import { proxy } from 'comlink';
import { StreamedRun } from './streamedRun.svelte';
import type { GenerationPoint, GenerationsApi, GenerationsRequest } from '../../../workers/generations.worker';

export type { GenerationPoint, GenerationsRequest };

/**
 * Owns the generations worker (model collapse): one run at a time, with progress, an ETA and cancel.
 * Each generation's figures arrive as soon as they are scored, so the plot grows while the run goes on.
 */
export class GenerationsRun extends StreamedRun<GenerationsApi, GenerationPoint> {
  /** How many generations the newest run asked for. */
  requested = $state(0);

  constructor() {
    super(() => new Worker(new URL('../../../workers/generations.worker.ts', import.meta.url), { type: 'module' }));
  }

  get label(): string {
    const p = this.progress;
    if (!p) return 'Starting';
    return p.message ? `${p.message}: ${p.phase}` : p.phase;
  }

  /** Run the generations; resolves to every generation's figures, or undefined when cancelled or failed. */
  start(request: GenerationsRequest): Promise<GenerationPoint[] | undefined> {
    const update = this.beginStream();
    this.requested = request.generations;
    const onGeneration = proxy((g: GenerationPoint) => update((points) => [...points, g]));
    return this.run({ phase: 'starting', fraction: 0 }, (api, onProgress) => api.runGenerations(request, onProgress, onGeneration));
  }

  override reset(): boolean {
    if (!super.reset()) return false;
    this.requested = 0;
    return true;
  }
}
