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
      help: 'Fewest training rows per leaf of a tree: larger is smoother and copies less.',
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
  estimateFitSeconds: ({ rows, numericColumns, categoricalColumns }) => {
    const d = numericColumns + categoricalColumns;
    return CART_COST.base + CART_COST.pair * rows * d * d;
  },
  load: () => import('./index').then((m) => m.cartEngine),
});

const CART_COST = { base: 0.05, pair: 5e-8 };
