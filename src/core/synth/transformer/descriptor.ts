import { defineEngine } from '../descriptor';

export const transformerDescriptor = defineEngine({
  id: 'transformer',
  label: 'Tabular transformer',
  description: 'A small neural network trained on this device; any columns can be fixed exactly when generating.',
  differentialPrivacy: false,
  seedAffectsFit: true,
  options: [
    {
      kind: 'integer',
      key: 'epochs',
      label: 'Epochs (at most)',
      help: 'Most passes over the training rows; training stops sooner once the validation loss stops improving.',
      default: 100,
      min: 1,
      max: 1000,
      step: 1,
      flag: 'epochs',
    },
    {
      kind: 'number',
      key: 'timeBudget',
      label: 'Time budget (seconds)',
      help: 'Longest training time; the best model found by then is kept.',
      default: 150,
      min: 1,
      max: 36_000,
      step: 10,
      flag: 'time-budget',
    },
    {
      kind: 'choice',
      key: 'size',
      label: 'Network size',
      help: 'small or medium network; auto picks from the table’s shape.',
      default: 'auto',
      choices: ['auto', 'small', 'medium'],
      flag: 'size',
    },
    {
      kind: 'choice',
      key: 'backend',
      label: 'Compute backend',
      help: 'Where TensorFlow.js runs: auto (a short probe picks the fastest), wasm (one thread), wasm-threads (one per core, in a browser), webgpu, webgl or cpu.',
      default: 'auto',
      choices: ['auto', 'wasm', 'wasm-threads', 'webgpu', 'webgl', 'cpu'],
      flag: 'backend',
      advanced: true,
    },
  ],
  // Training runs until early stopping or the time budget: bounded by the budget (default 150 s).
  estimateFitSeconds: ({ rows, numericColumns, categoricalColumns }) => {
    const d = numericColumns + categoricalColumns;
    return Math.min(150, TRANSFORMER_COST.base + TRANSFORMER_COST.cell * rows * d);
  },
  load: () => import('./index').then((m) => m.transformerEngine),
});

/**
 * Fit seconds ~ base + cell·n·d, capped by the default time budget. Calibrated on the bench (WASM in
 * Node, shared 2-core machine): see bench/transformer.ts.
 */
const TRANSFORMER_COST = { base: 3, cell: 2.5e-4 };
