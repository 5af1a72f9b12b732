import { proxy, type Remote } from 'comlink';
import { failureOf, WorkerClient, type Failure } from './workerClient';
import { etaSeconds } from './eta';

export type RunPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** Progress as every worker reports it; the rest of a worker's progress object is its own. */
interface FractionProgress {
  fraction?: number;
}

/**
 * The base of every class that owns a worker: one long task at a time, phase, progress with an ETA,
 * a clear error, and a Cancel that stops in time (the worker is asked, then ended after a grace
 * period). The newest run owns the state: results and progress of a cancelled or replaced run are
 * dropped.
 */
export class WorkerRun<Api extends { cancel(): void }, P extends FractionProgress> {
  phase = $state<RunPhase>('idle');
  progress = $state<P | undefined>(undefined);
  error = $state<Failure | undefined>(undefined);
  /** When the running task started (performance.now()), for the ETA. */
  startedAt = $state(0);
  protected readonly client: WorkerClient<Api>;
  #runId = 0;

  constructor(createWorker: () => Worker) {
    this.client = new WorkerClient<Api>(createWorker);
  }

  get running(): boolean {
    return this.phase === 'running';
  }

  /** Seconds left, extrapolated from the progress so far; undefined until there is enough to tell. */
  etaSeconds(now = performance.now()): number | undefined {
    if (this.phase !== 'running') return undefined;
    return etaSeconds(this.progress?.fraction ?? 0, (now - this.startedAt) / 1000);
  }

  /** Run `call` in the worker; resolves to its result, or undefined when cancelled or failed (see phase/error). */
  protected async run<T>(initial: P, call: (api: Remote<Api>, onProgress: (p: P) => void) => Promise<T>, onProgress?: (p: P) => void): Promise<T | undefined> {
    const runId = ++this.#runId;
    this.phase = 'running';
    this.progress = initial;
    this.error = undefined;
    this.startedAt = performance.now();
    const report = proxy((p: P) => {
      if (runId !== this.#runId) return; // a newer run owns the screen
      if (onProgress) onProgress(p);
      else this.progress = p;
    });
    try {
      const result = await call(this.client.api, report);
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

  /** A short call that is not a run (no phase change): its failure is thrown as a Failure. */
  protected async call<T>(call: (api: Remote<Api>) => Promise<T>): Promise<T> {
    try {
      return await call(this.client.api);
    } catch (e) {
      const f = failureOf(e);
      throw f.cancelled ? Object.assign(new Error('Cancelled'), { name: 'CancelledError' }) : Object.assign(new Error(f.message), { hint: f.hint });
    }
  }

  /** Stop now: the screen says "Cancelled" at once; the worker has a second to stop, then is ended. */
  cancel() {
    if (this.phase !== 'running') return;
    this.phase = 'cancelled';
    this.progress = undefined;
    this.#runId++;
    this.client.stop();
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
    this.client.terminate();
  }
}
