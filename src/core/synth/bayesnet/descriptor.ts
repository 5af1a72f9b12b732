import { defineEngine } from '../descriptor';

export const bayesNetDescriptor = defineEngine({
  id: 'bayesnet',
  label: 'Bayesian network',
  description: 'Learns which columns depend on which; optional differential privacy (epsilon).',
  differentialPrivacy: true,
  seedAffectsFit: true,
  options: [
    {
      kind: 'number',
      key: 'epsilon',
      label: 'Differential privacy (epsilon)',
      help: 'Privacy budget: smaller is more private and less faithful; e.g. 1. Off when not given.',
      default: 1,
      min: 0.01,
      step: 0.1,
      optional: true,
    },
  ],
  estimateFitSeconds: ({ rows, numericColumns, categoricalColumns }) => {
    const d = numericColumns + categoricalColumns;
    return BAYESNET_COST.base + BAYESNET_COST.cell * rows * d + BAYESNET_COST.pair * rows * d * d + BAYESNET_COST.cube * d * d * d;
  },
  load: () => import('./index').then((m) => m.bayesNetEngine),
});

const BAYESNET_COST = { base: 0.05, cell: 2e-6, pair: 5e-9, cube: 1e-7 };
