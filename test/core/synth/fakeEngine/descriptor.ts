import { defineEngine } from '../../../../src/core/synth/descriptor';

/**
 * A fake engine, one folder's worth, to show that the registry takes any engine: its descriptor
 * (light: the code loads through load()), with one option of each kind.
 */
export const fakeDescriptor = defineEngine({
  id: 'fake',
  label: 'Fake engine',
  description: 'Draws each column from its own training values (a test double).',
  differentialPrivacy: false,
  seedAffectsFit: false,
  options: [
    { kind: 'number', key: 'wobble', label: 'Wobble', help: 'Noise added to numeric values.', default: 0.5, min: 0, max: 10, flag: 'wobble' },
    { kind: 'boolean', key: 'shuffleFirst', label: 'Shuffle first', help: 'Shuffle the first column.', default: false },
  ],
  estimateFitSeconds: ({ rows, numericColumns, categoricalColumns }) => 1e-3 * rows * (numericColumns + categoricalColumns),
  load: () => import('./index').then((m) => m.fakeEngine),
});
