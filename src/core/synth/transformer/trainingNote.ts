import type { TrainingSummary } from './model';

/**
 * How training ended, in a line for the CLI and the app: epochs, the best one, why it stopped, and,
 * when the time budget cut it (machine-dependent), the epoch count that gives the same model anywhere.
 * A fit cut by the budget or the epoch limit while its last epoch was still its best had not converged:
 * the line says so and what to raise (txhousing, seed 1, with the two layers it then had: 150 s gave 2-way
 * 0.892 with the validation loss still falling, 300 s gave 0.901 after 83 epochs, against a holdout
 * ceiling of 0.908).
 */
export function trainingNote(t: TrainingSummary): string {
  const stopped = t.stoppedBy === 'early-stop' ? 'stopped early (validation loss no longer improving)' : t.stoppedBy === 'time-budget' ? 'stopped by the time budget' : 'ran its epochs';
  const stillFalling = t.stoppedBy !== 'early-stop' && t.bestEpoch >= t.epochs && t.epochs > 0;
  const raise = t.stoppedBy === 'time-budget' ? 'a larger time budget' : 'more epochs';
  const why = stillFalling ? `${stopped} with the validation loss still falling (${raise} should fit closer)` : stopped;
  const head = `trained ${t.epochs} epoch${t.epochs === 1 ? '' : 's'} on ${t.backend} (best ${t.bestEpoch}), ${why}`;
  return t.partialEpochDropped ? `${head}; the unfinished epoch was dropped, so ${t.epochs} epochs with this seed give this model on any machine` : head;
}
