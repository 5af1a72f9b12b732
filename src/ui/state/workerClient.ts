import { releaseProxy, wrap, type Remote } from 'comlink';

/**
 * One comlink worker, started on first use and ended on demand (a cancel that the worker does not
 * honour in time, or teardown). The factory must hold the literal `new Worker(new URL(...))` so that
 * Vite bundles the worker.
 */
export class WorkerClient<T> {
  #create: () => Worker;
  #worker: Worker | undefined;
  #api: Remote<T> | undefined;

  constructor(create: () => Worker) {
    this.#create = create;
  }

  /** The worker's API, starting the worker if none runs. */
  get api(): Remote<T> {
    if (!this.#api) {
      this.#worker = this.#create();
      this.#api = wrap<T>(this.#worker);
    }
    return this.#api;
  }

  /** The API of the running worker, without starting one. */
  get current(): Remote<T> | undefined {
    return this.#api;
  }

  /** The running worker, to tell later whether it is still the same one. */
  get worker(): Worker | undefined {
    return this.#worker;
  }

  terminate(): void {
    this.#api?.[releaseProxy]();
    this.#worker?.terminate();
    this.#api = undefined;
    this.#worker = undefined;
  }
}
