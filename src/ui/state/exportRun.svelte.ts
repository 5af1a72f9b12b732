import { WorkerRun } from './workerRun.svelte';
import type { Progress } from '../../core/context';
import type { ExportApi, ExportedFile, ExportOptions } from '../../../workers/export.worker';
import type { ExportFormat } from '../../core/provenance/provenance';

export type { ExportOptions, ExportedFile } from '../../../workers/export.worker';

/**
 * Owns the export worker: it reads the stored dataset, writes the file (and the zip with provenance
 * and report) and remembers its fingerprint; only the finished file comes back to the page.
 */
export class ExportRun extends WorkerRun<ExportApi, Progress> {
  /** The dataset being exported (the button that started it shows the work). */
  datasetId = $state<string | undefined>(undefined);

  constructor() {
    super(() => new Worker(new URL('../../../workers/export.worker.ts', import.meta.url), { type: 'module' }));
  }

  /** The file, or undefined when cancelled or failed (see phase and error). */
  exportDataset(datasetId: string, options: ExportOptions): Promise<ExportedFile | undefined> {
    this.datasetId = datasetId;
    return this.run({ phase: 'exporting', fraction: 0, message: 'Writing the file' }, (api) => api.exportDataset(datasetId, { ...options }));
  }
}

/** How downloads are written, kept while the app is open (across tabs and projects). */
export const exportSettings = $state<{ format: ExportFormat; bundle: boolean; formulaGuard: boolean }>({ format: 'csv', bundle: false, formulaGuard: true });

/** The app's one export worker. */
export const exportRun = new ExportRun();
