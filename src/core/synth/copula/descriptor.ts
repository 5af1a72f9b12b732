import { defineEngine } from '../descriptor';

export const copulaDescriptor = defineEngine({
  id: 'copula',
  label: 'Gaussian copula',
  description: 'Fast baseline: each column’s shape plus the correlations between them.',
  differentialPrivacy: false,
  seedAffectsFit: true,
  options: [],
  estimateFitSeconds: ({ rows, numericColumns, categoricalColumns }) => {
    const d = numericColumns + categoricalColumns;
    return COPULA_COST.base + COPULA_COST.cell * rows * d + COPULA_COST.pair * rows * d * d + COPULA_COST.cube * d * d * d;
  },
  load: () => import('./index').then((m) => m.copulaEngine),
});

/** Calibration of estimateFitSeconds: see the figures in the comment. */
const COPULA_COST = { base: 0.05, cell: 2e-6, pair: 5e-9, cube: 1e-7 };
