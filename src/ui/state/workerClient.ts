import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { ProjectWorkerApi } from '../../../workers/project.worker';
import { KEY_PORT_MESSAGE } from '../../../workers/keyPort';

/**
 * One comlink worker, started on first use and ended on demand (a cancel that the worker does not
 * honour in time, or teardown). The factory must hold the literal `new Worker(new URL(...))` so that
 * Vite bundles the worker.
 */
export class WorkerClient<T> {
  #create: () => Worker;
  #worker: Worker | undefined;
  #api: Remote<T> | undefined;
  /** A cancel still waiting for the worker to answer: the timer that ends the worker. */
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  #linkKeys: boolean;

  /** `linkKeys`: connect the worker to the key holder (every worker but the key holder itself). */
  constructor(create: () => Worker, linkKeys = true) {
    this.#create = create;
    this.#linkKeys = linkKeys;
  }

  /**
   * The worker's API, starting the worker if none runs. A worker still winding down a cancelled run
   * is ended first, so that a new run never queues behind it.
   */
  get api(): Remote<T> {
    if (this.#stopTimer !== undefined) this.terminate();
    if (!this.#api) {
      this.#worker = this.#create();
      this.#api = wrap<T>(this.#worker);
      if (this.#linkKeys) linkToKeyHolder(this.#worker);
    }
    return this.#api;
  }

  /**
   * Ask the worker to cancel its run; end the worker outright if it has not answered within the grace
   * period (a long synchronous step cannot see the cancel message), so a Cancel always stops in time.
   */
  stop(graceMs = 1000): void {
    const api = this.#api as (Remote<T> & { cancel?: () => Promise<void> }) | undefined;
    const worker = this.#worker;
    if (!api?.cancel || !worker) return;
    clearTimeout(this.#stopTimer);
    const timer = setTimeout(() => {
      if (this.#worker === worker) this.terminate();
    }, graceMs);
    this.#stopTimer = timer;
    api.cancel().then(
      () => {
        clearTimeout(timer);
        if (this.#stopTimer === timer) this.#stopTimer = undefined;
      },
      () => undefined,
    );
  }

  terminate(): void {
    clearTimeout(this.#stopTimer);
    this.#stopTimer = undefined;
    this.#api?.[releaseProxy]();
    this.#worker?.terminate();
    this.#api = undefined;
    this.#worker = undefined;
  }
}

export interface Failure {
  message: string;
  hint?: string;
}

/**
 * What a failed worker call means for the UI: a cancel, or an error with its hint. Workers send a
 * PortableError (src/core/portableError.ts); anything else (a crashed worker) is read the same way.
 */
export function failureOf(e: unknown): { cancelled: true } | ({ cancelled: false } & Failure) {
  const err = e as { name?: string; message?: string; hint?: string } | undefined;
  if (err?.name === 'CancelledError') return { cancelled: true };
  return { cancelled: false, message: err?.message ?? String(e), ...(err?.hint ? { hint: err.hint } : {}) };
}

let holder: WorkerClient<ProjectWorkerApi> | undefined;

/**
 * The project worker: the key holder of encrypted projects (it derives keys from passphrases) and the
 * project-wide jobs (encrypt, backup, restore, delete real data). Started once, never ended before the
 * tab: its keys last until the project is locked or the tab closes.
 */
export function keyHolder(): Remote<ProjectWorkerApi> {
  holder ??= new WorkerClient<ProjectWorkerApi>(() => new Worker(new URL('../../../workers/project.worker.ts', import.meta.url), { type: 'module' }), false);
  return holder.api;
}

/**
 * Give a new worker the keys of unlocked projects: a MessageChannel whose ends go one to the key holder
 * and one to the worker, which then talk directly. The page passes ports, never a key.
 */
function linkToKeyHolder(worker: Worker): void {
  if (typeof MessageChannel === 'undefined') return;
  const { port1, port2 } = new MessageChannel();
  // A plain message, before any comlink call: every worker that reads storage (workerStore) takes it.
  worker.postMessage({ [KEY_PORT_MESSAGE]: true }, [port2]);
  void keyHolder().shareKeys(transfer(port1, [port1])).catch(() => undefined);
}
