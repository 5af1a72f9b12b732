import * as detMath from '../../math/detMath';
import { defineEngine } from '../descriptor';

export const cartDescriptor = defineEngine({
  id: 'cart',
  label: 'CART',
  description: 'Strongest fidelity on mixed data: each column drawn from a tree on the ones before it.',
  differentialPrivacy: false,
  seedAffectsFit: false,
  options: [
    {
      kind: 'integer',
      key: 'minLeafSize',
      label: 'Minimum leaf size',
      help: 'Fewest training rows per leaf of a tree: larger is smoother and copies less. Leaves keep at least a twentieth of the rows, up to 60 (down to 40 on tables of 3,000 to 6,750 rows and more).',
      default: 5,
      min: 1,
      step: 1,
      flag: 'min-leaf',
    },
    {
      kind: 'boolean',
      key: 'smoothing',
      label: 'Smooth numeric values',
      help: 'Blur numeric values drawn from a leaf (a Gaussian kernel), so that they are not copies of training values.',
      default: true,
    },
    {
      kind: 'column-order',
      key: 'order',
      label: 'Column order',
      help: 'The order in which columns are drawn, each from a tree on the ones before it; columns not named follow in table order.',
      flag: 'order',
    },
  ],
  estimateFitSeconds: ({ rows: n, numericColumns, categoricalColumns }) => {
    const d = numericColumns + categoricalColumns;
    return CART_COST.base + CART_COST.cell * n * d + CART_COST.tree * n * d * d * detMath.log2(n + 1);
  },
  load: () => import('./index').then((m) => m.cartEngine),
});

/**
 * Fit seconds ~ base + cell·n·d (binning) + tree·n·d²·log2(n) (column k's tree scans its rows over k
 * predictors at each of ~log n levels). Calibrated (non-negative least squares on relative error, generated
 * tables, a third categorical) on n × d = 60 × 200/800/1600, 1000 × 50/200, 2000 × 30, 5000 × 20/50,
 * 20000 × 10, in Node 20 on a shared 2-core machine: within about 2× (60 × 1600: 12.2 s measured, 13.7 s
 * estimated). 60 × 5000: ~2 minutes.
 */
const CART_COST = { base: 0.005, cell: 5.1e-6, tree: 1.45e-8 };
