import type { TrainingSummary } from './model';

/**
 * How training ended, in a line for the CLI and the app: epochs, the best one, why it stopped, and,
 * when the time budget cut it (machine-dependent), the epoch count that gives the same model anywhere.
 */
export function trainingNote(t: TrainingSummary): string {
  const why = t.stoppedBy === 'early-stop' ? 'stopped early (validation loss no longer improving)' : t.stoppedBy === 'time-budget' ? 'stopped by the time budget' : 'ran its epochs';
  const head = `trained ${t.epochs} epoch${t.epochs === 1 ? '' : 's'} on ${t.backend} (best ${t.bestEpoch}), ${why}`;
  return t.partialEpochDropped ? `${head}; the unfinished epoch was dropped, so ${t.epochs} epochs with this seed give this model on any machine` : head;
}
