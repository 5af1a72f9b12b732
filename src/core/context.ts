import type { Rng } from './random/rng';
import type { ModelArrays } from './synth/engine';

/** Progress of long engine work, streamed to the UI through the workers. */
export interface Progress {
  phase: string;
  /** 0..1 within the whole task. */
  fraction: number;
  message?: string;
  /**
   * Figures of this step for live charts (e.g. the transformer's epochs:
   * `{ epoch, trainLoss, validationLoss, backend }`). Absent for most tasks.
   */
  metrics?: Record<string, number | string>;
}

/** A training state saved after an epoch: enough to resume from it (engines that train in epochs). */
export interface CheckpointState {
  epoch: number;
  meta: unknown;
  arrays: ModelArrays;
}

/**
 * Checkpoints of an engine that trains in epochs (the transformer): `save` is awaited after each epoch;
 * with `resume`, the fit continues after that epoch instead of starting over. Engines without epochs
 * ignore it.
 */
export interface CheckpointHook {
  save?(state: CheckpointState): Promise<void>;
  resume?: CheckpointState;
}

/** What long engine work receives: randomness, a progress sink and a cancel signal. */
export interface TaskContext {
  rng: Rng;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  checkpoint?: CheckpointHook;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Yield to the event loop so that a worker can receive a cancel message while a long loop runs.
 * Cheap enough to call every ~50 ms of work.
 */
export function yieldToEventLoop(): Promise<void> {
  // Not setTimeout(0): browsers clamp nested timeouts to 4 ms, and the transformer yields after each
  // step (~100 an epoch on 30k rows). A MessageChannel message is a task with no clamp; Node has setImmediate.
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) port().postMessage(null);
  });
}

const waiting: (() => void)[] = [];
let channel: MessageChannel | undefined;
function port(): MessagePort {
  if (!channel) {
    channel = new MessageChannel();
    // One message releases everyone who was waiting when it was posted (they all asked for the same turn).
    channel.port1.onmessage = () => {
      for (const resolve of waiting.splice(0)) resolve();
    };
    // Node's ports keep a process alive; a pending yield should not.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  return channel.port2;
}

/** A clear, user-facing error (what is wrong and what to do), as opposed to a bug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
