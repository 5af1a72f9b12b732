import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';

/**
 * A worker run whose results arrive one by one while it goes on (the generations of a model-collapse run,
 * the points of an ε curve), so a plot can grow. Only the newest run may add points: a cancelled or
 * replaced run's late points are dropped.
 */
export class StreamedRun<Api extends { cancel(): void }, T> extends WorkerRun<Api, Progress> {
  /** What the newest run has delivered so far. */
  points = $state<T[]>([]);
  #token = 0;

  get fraction(): number {
    return this.progress?.fraction ?? 0;
  }

  /** Starts a new stream (points cleared); the returned function applies an update only while it is the newest. */
  protected beginStream(): (update: (points: T[]) => T[]) => void {
    const token = ++this.#token;
    this.points = [];
    return (update) => {
      if (token === this.#token) this.points = update(this.points);
    };
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
