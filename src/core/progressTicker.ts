import { throwIfAborted, yieldToEventLoop, type TaskContext } from './context';

/** Work between two yields: short enough that a worker's Cancel lands at once, long enough to cost nothing. */
const SLICE_MS = 40;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Keeps long synchronous loops responsive: every ~40 ms of work it reports progress, checks the
 * cancel signal and yields to the event loop, so a worker can receive Cancel while the loop runs.
 */
export class ProgressTicker {
  #last = now();
  readonly #ctx: Pick<TaskContext, 'signal' | 'onProgress'>;
  readonly #phases: Record<string, readonly [number, number]>;

  /**
   * `phases` maps each phase to its span of the whole task's progress, e.g. { fit: [0, 1] };
   * a phase it does not name spans [0, 1].
   */
  constructor(ctx: Pick<TaskContext, 'signal' | 'onProgress'>, phases: Record<string, readonly [number, number]> = {}) {
    this.#ctx = ctx;
    this.#phases = phases;
  }

  /** True when a slice of work is used up: then await `pause`. Cheap enough for inner loops. */
  get due(): boolean {
    return now() - this.#last >= SLICE_MS;
  }

  /** Reports progress (`fraction`: the share done of this phase), honours cancel and yields. */
  async pause(phase: string, fraction: number, message?: string): Promise<void> {
    throwIfAborted(this.#ctx.signal);
    const [a, b] = this.#phases[phase] ?? [0, 1];
    const f = Math.min(1, Math.max(0, fraction));
    this.#ctx.onProgress?.({ phase, fraction: a + (b - a) * f, message });
    await yieldToEventLoop();
    throwIfAborted(this.#ctx.signal);
    this.#last = now();
  }

  async maybePause(phase: string, fraction: number, message?: string): Promise<void> {
    if (this.due) await this.pause(phase, fraction, message);
  }
}
