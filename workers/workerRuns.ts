import { toPortableError } from '../src/core/portableError';

/**
 * The worker side of every long run: the newest run wins (starting one aborts the one before), a
 * cancel message aborts the current one, and every failure leaves as a PortableError.
 */
export class RunSlot {
  #current: AbortController | undefined;

  /** Start a run: the previous one, if still going, is aborted. */
  begin(): AbortSignal {
    this.#current?.abort();
    this.#current = new AbortController();
    return this.#current.signal;
  }

  cancel(): void {
    this.#current?.abort();
  }

  /** Run `work` as the newest run; errors cross the boundary as PortableError. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.begin();
    try {
      return await work(signal);
    } catch (e) {
      throw toPortableError(e);
    } finally {
      if (this.#current?.signal === signal) this.#current = undefined;
    }
  }
}

/** A call that is not a long run still reports its failure the same way. */
export async function portable<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toPortableError(e);
  }
}
