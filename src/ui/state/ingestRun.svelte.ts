import { WorkerRun, type RunPhase } from './workerRun.svelte';
import type { HoldoutSettings, IngestWorkerApi, SavedImport } from '../../../workers/ingest.worker';
import type { IngestOptions, IngestProgress } from '../../core/ingest/types';

export type IngestPhase = RunPhase;

/**
 * Owns the ingest worker: one import at a time, with progress, a streamed preview and cancel.
 * Components read the state and call start()/cancel(); they never post messages themselves.
 */
export class IngestRun extends WorkerRun<IngestWorkerApi, IngestProgress> {
  preview = $state.raw<IngestProgress['preview']>(undefined);
  fileName = $state('');

  constructor() {
    super(() => new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module' }));
  }

  get percent(): number {
    return Math.round(100 * (this.progress?.fraction ?? 0));
  }

  /**
   * Read the file and save it as a new project, both in the worker: the table never crosses to the
   * page, so even a million-row import leaves the page free. `companions`: files dropped with it (its
   * provenance sidecar, NAME.provenance.json), by which a Facsimile export is recognised.
   */
  start(file: File, options: IngestOptions, holdout: HoldoutSettings, companions: File[] = []): Promise<SavedImport | undefined> {
    this.preview = undefined;
    this.fileName = options.fileName;
    return this.run(
      { phase: 'reading', fraction: 0, rowsSoFar: 0 },
      (api, onProgress) => api.ingestToProject(file, options, holdout, onProgress, companions),
      (p) => {
        // The preview comes once; keep it apart so progress updates do not carry the rows.
        if (p.preview) this.preview = p.preview;
        this.progress = { ...p, preview: undefined };
      },
    );
  }

  override reset(): boolean {
    if (!super.reset()) return false;
    this.preview = undefined;
    return true;
  }
}
