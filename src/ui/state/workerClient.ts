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

  /**
   * Ask the worker to cancel its run; end the worker outright if it has not answered within the grace
   * period (a long synchronous step cannot see the cancel message), so a Cancel always stops in time.
   */
  stop(graceMs = 1000): void {
    const api = this.#api as (Remote<T> & { cancel?: () => Promise<void> }) | undefined;
    const worker = this.#worker;
    if (!api?.cancel || !worker) return;
    const timer = setTimeout(() => {
      if (this.#worker === worker) this.terminate();
    }, graceMs);
    api.cancel().then(() => clearTimeout(timer), () => undefined);
  }

  terminate(): void {
    this.#api?.[releaseProxy]();
    this.#worker?.terminate();
    this.#api = undefined;
    this.#worker = undefined;
  }
}

/** What a failed worker call means for the UI: a cancel, or an error with its hint. */
export function failureOf(e: unknown): { cancelled: true } | { cancelled: false; message: string; hint?: string } {
  const err = e as { name?: string; message?: string; hint?: string } | undefined;
  if (err?.name === 'CancelledError') return { cancelled: true };
  return { cancelled: false, message: err?.message ?? String(e), hint: err?.hint };
}
