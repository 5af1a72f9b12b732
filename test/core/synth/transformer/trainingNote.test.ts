import { describe, expect, it } from 'vitest';
import type { TrainingSummary } from '../../../../src/core/synth/transformer/model';
import { trainingNote } from '../../../../src/core/synth/transformer/trainingNote';

const summary = (s: Partial<TrainingSummary>): TrainingSummary => ({
  epochs: 40, bestEpoch: 40, trainLoss: 19.5, validationLoss: 20.4, seconds: 150, backend: 'wasm', stoppedBy: 'time-budget', preset: 'medium', ...s,
});

describe('trainingNote', () => {
  it('says a budget-cut fit whose last epoch was its best had not converged, and what to raise', () => {
    expect(trainingNote(summary({}))).toBe('trained 40 epochs on wasm (best 40), stopped by the time budget with the validation loss still falling (a larger time budget should fit closer)');
    expect(trainingNote(summary({ stoppedBy: 'epochs' }))).toContain('ran its epochs with the validation loss still falling (more epochs should fit closer)');
  });

  it('says nothing more when the best epoch lies behind the last', () => {
    expect(trainingNote(summary({ bestEpoch: 37 }))).toBe('trained 40 epochs on wasm (best 37), stopped by the time budget');
    expect(trainingNote(summary({ stoppedBy: 'epochs', bestEpoch: 12 }))).toBe('trained 40 epochs on wasm (best 12), ran its epochs');
    expect(trainingNote(summary({ stoppedBy: 'early-stop', bestEpoch: 36 }))).toBe('trained 40 epochs on wasm (best 36), stopped early (validation loss no longer improving)');
  });

  it('keeps the reproducibility clause after a dropped unfinished epoch', () => {
    expect(trainingNote(summary({ bestEpoch: 31, partialEpochDropped: true }))).toBe(
      'trained 40 epochs on wasm (best 31), stopped by the time budget; the unfinished epoch was dropped, so 40 epochs with this seed give this model on any machine',
    );
  });
});
