import type { ModelArrays } from '../engine';
import type { PredictorBinning } from './binning';
import type { ColumnModel } from './columnModel';
import type { CartState } from './model';
import type { Tree } from './tree';

/**
 * CART model storage: a small JSON header (order, per-column scalars) and every bulk number as a typed
 * array under a key "<column>.<field>" (trees, donors, quantiles), stored as-is in IndexedDB.
 */
type Arrays = ModelArrays;

export const CART_FORMAT_VERSION = 1;

interface ColumnMeta {
  type: 'numeric' | 'categorical';
  ordered: boolean;
  nBins: number;
  missingBin: number;
  nLeaves: number;
  /** Numeric only. */
  min?: number;
  max?: number;
  spikes?: number[];
  smooth?: boolean;
  missLeaves?: number;
  /** Categorical only. */
  nLevels?: number;
}

interface CartMeta {
  version: number;
  order: number[];
  columns: ColumnMeta[];
}

export function serializeCart(state: CartState): { meta: CartMeta; arrays: Arrays } {
  const arrays: Arrays = {};
  const columns = state.columns.map((m, j): ColumnMeta => {
    const b = state.binnings[j];
    arrays[`${j}.cuts`] = b.cuts;
    putTree(arrays, `${j}.tree`, m.tree);
    arrays[`${j}.leafStart`] = m.leafStart;
    arrays[`${j}.donors`] = m.donors;
    const base = { ordered: b.ordered, nBins: b.nBins, missingBin: b.missingBin, nLeaves: m.tree.nLeaves };
    if (m.type === 'categorical') {
      arrays[`${j}.marginal`] = m.marginal;
      return { type: 'categorical', ...base, nLevels: m.nLevels };
    }
    arrays[`${j}.quantiles`] = m.quantiles;
    if (m.missTree && m.missShare) {
      putTree(arrays, `${j}.miss`, m.missTree);
      arrays[`${j}.missShare`] = m.missShare;
    }
    return { type: 'numeric', ...base, min: m.min, max: m.max, spikes: m.spikes, smooth: m.smooth, missLeaves: m.missTree?.nLeaves };
  });
  return { meta: { version: CART_FORMAT_VERSION, order: state.order, columns }, arrays };
}

export function deserializeCart(metaIn: unknown, arrays: Arrays): CartState {
  const meta = metaIn as CartMeta;
  if (!meta || meta.version !== CART_FORMAT_VERSION || !Array.isArray(meta.columns)) {
    throw new Error(`Unsupported CART model format (version ${String((meta as CartMeta | undefined)?.version)})`);
  }
  const binnings: PredictorBinning[] = [];
  const columns: ColumnModel[] = meta.columns.map((c, j): ColumnModel => {
    binnings.push({ ordered: c.ordered, nBins: c.nBins, missingBin: c.missingBin, cuts: get(arrays, `${j}.cuts`, Float64Array) });
    const tree = getTree(arrays, `${j}.tree`, c.nLeaves);
    const leafStart = get(arrays, `${j}.leafStart`, Int32Array);
    if (c.type === 'categorical') {
      return {
        type: 'categorical',
        col: j,
        nLevels: c.nLevels ?? 0,
        tree,
        leafStart,
        donors: get(arrays, `${j}.donors`, Int32Array),
        marginal: get(arrays, `${j}.marginal`, Float64Array),
      };
    }
    const hasMiss = c.missLeaves !== undefined && c.missLeaves !== null;
    return {
      type: 'numeric',
      col: j,
      missTree: hasMiss ? getTree(arrays, `${j}.miss`, c.missLeaves as number) : undefined,
      missShare: hasMiss ? get(arrays, `${j}.missShare`, Float64Array) : undefined,
      tree,
      leafStart,
      donors: get(arrays, `${j}.donors`, Float64Array),
      smooth: c.smooth ?? false,
      // JSON turns NaN (a never-observed column) into null
      min: c.min ?? NaN,
      max: c.max ?? NaN,
      spikes: c.spikes ?? [],
      quantiles: get(arrays, `${j}.quantiles`, Float64Array),
    };
  });
  return { order: meta.order, binnings, columns };
}

function putTree(arrays: Arrays, prefix: string, t: Tree): void {
  arrays[`${prefix}.feature`] = t.feature;
  arrays[`${prefix}.threshold`] = t.threshold;
  arrays[`${prefix}.missingLeft`] = t.missingLeft;
  arrays[`${prefix}.left`] = t.left;
  arrays[`${prefix}.right`] = t.right;
  arrays[`${prefix}.masks`] = t.masks;
}

function getTree(arrays: Arrays, prefix: string, nLeaves: number): Tree {
  return {
    feature: get(arrays, `${prefix}.feature`, Int32Array),
    threshold: get(arrays, `${prefix}.threshold`, Int32Array),
    missingLeft: get(arrays, `${prefix}.missingLeft`, Uint8Array),
    left: get(arrays, `${prefix}.left`, Int32Array),
    right: get(arrays, `${prefix}.right`, Int32Array),
    masks: get(arrays, `${prefix}.masks`, Uint8Array),
    nLeaves,
  };
}

function get<T extends ModelArrays[string]>(
  arrays: Arrays,
  key: string,
  ctor: { new (...args: never[]): T; name: string },
): T {
  const a = arrays[key];
  if (!(a instanceof ctor)) throw new Error(`CART model is missing the array "${key}" (${ctor.name})`);
  return a;
}
