import { proxy, type Remote } from 'comlink';
import { failureOf, WorkerClient } from './workerClient';

export type RunPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/**
 * One long task at a time in a worker: phase, progress, a clear error, and a Cancel that stops in
 * time. The newest run owns the state: results and progress of a cancelled or replaced run are dropped.
 */
export class WorkerRun<Api extends { cancel(): void }, P> {
  phase = $state<RunPhase>('idle');
  progress = $state<P | undefined>(undefined);
  error = $state<{ message: string; hint?: string } | undefined>(undefined);
  #client: WorkerClient<Api>;
  #runId = 0;

  constructor(createWorker: () => Worker) {
    this.#client = new WorkerClient<Api>(createWorker);
  }

  /** Run `call` in the worker; resolves to its result, or undefined when cancelled or failed (see phase/error). */
  protected async run<T>(initial: P, call: (api: Remote<Api>, onProgress: (p: P) => void) => Promise<T>, onProgress?: (p: P) => void): Promise<T | undefined> {
    const runId = ++this.#runId;
    this.phase = 'running';
    this.progress = initial;
    this.error = undefined;
    const report = proxy((p: P) => {
      if (runId !== this.#runId) return; // a newer run owns the screen
      if (onProgress) onProgress(p);
      else this.progress = p;
    });
    try {
      const result = await call(this.#client.api, report);
      if (runId !== this.#runId) return undefined;
      this.phase = 'done';
      return result;
    } catch (e) {
      if (runId !== this.#runId) return undefined;
      const failure = failureOf(e);
      // cancel() may have changed the phase while we awaited.
      if (failure.cancelled || (this.phase as RunPhase) === 'cancelled') {
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

  /** Back to idle (not while running). Returns whether it did. */
  reset(): boolean {
    if (this.phase === 'running') return false;
    this.phase = 'idle';
    this.progress = undefined;
    this.error = undefined;
    return true;
  }

  dispose() {
    this.#runId++;
    this.#client.terminate();
  }
}
