import { proxy } from 'comlink';
import { failureOf, WorkerClient } from './workerClient';
import type { HoldoutSettings, IngestWorkerApi, SavedImport } from '../../../workers/ingest.worker';
import type { IngestOptions, IngestProgress } from '../../core/ingest/types';

export type IngestPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/**
 * Owns the ingest worker: one import at a time, with progress, a streamed preview and cancel.
 * Components read the state and call start()/cancel(); they never post messages themselves.
 */
export class IngestRun {
  phase = $state<IngestPhase>('idle');
  progress = $state<IngestProgress | undefined>(undefined);
  preview = $state.raw<IngestProgress['preview']>(undefined);
  fileName = $state('');
  error = $state<{ message: string; hint?: string } | undefined>(undefined);
  #client = new WorkerClient<IngestWorkerApi>(
    () => new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module' }),
  );
  #runId = 0;

  get percent(): number {
    return Math.round(100 * (this.progress?.fraction ?? 0));
  }

  /**
   * Read the file and save it as a new project, both in the worker: the table never crosses to the
   * page, so even a million-row import leaves the page free.
   */
  async start(file: File, options: IngestOptions, holdout: HoldoutSettings): Promise<SavedImport | undefined> {
    const runId = ++this.#runId;
    this.phase = 'running';
    this.progress = { phase: 'reading', fraction: 0, rowsSoFar: 0 };
    this.preview = undefined;
    this.error = undefined;
    this.fileName = options.fileName;
    const api = this.#client.api;
    try {
      const result = await api.ingestToProject(
        file,
        options,
        holdout,
        proxy((p: IngestProgress) => {
          if (runId !== this.#runId) return; // a newer run owns the screen
          if (p.preview) this.preview = p.preview;
          this.progress = { ...p, preview: undefined };
        }),
      );
      if (runId !== this.#runId) return undefined;
      this.phase = 'done';
      return result;
    } catch (e) {
      if (runId !== this.#runId) return undefined;
      const failure = failureOf(e);
      // cancel() may have changed the phase while we awaited.
      if (failure.cancelled || (this.phase as IngestPhase) === 'cancelled') {
        this.phase = 'cancelled';
        return undefined;
      }
      this.phase = 'failed';
      this.error = { message: failure.message, hint: failure.hint };
      return undefined;
    }
  }

  /** Stop the import now: ask the worker, and end it outright if it does not answer within a second. */
  cancel() {
    if (this.phase !== 'running') return;
    this.phase = 'cancelled';
    this.#runId++;
    this.#client.stop();
  }

  reset() {
    if (this.phase !== 'running') {
      this.phase = 'idle';
      this.preview = undefined;
      this.progress = undefined;
      this.error = undefined;
    }
  }

  dispose() {
    this.#client.terminate();
  }


}
