import type { ModelArrays } from '../engine';
import type { ColumnStates } from './discretize';
import { BayesNetModel, type BayesNetSettings } from './model';
import type { NetworkParts } from './sampler';

/**
 * Bayesian network storage: a JSON header (settings, order, parents, per-column state counts) and
 * per column its conditional table ("table.<i>") and, for numerics, its bins ("atoms.<i>",
 * "edges.<i>", "sketch.<i>", and "groups.<i>" when its children see it in groups).
 */
const FORMAT_VERSION = 1;

interface ColumnMeta {
  type: 'numeric' | 'categorical';
  nStates: number;
  hasMissing: boolean;
  nLevels?: number;
  sketched?: boolean;
  grouped?: boolean;
}

export interface BayesNetMeta {
  engine: 'bayesnet';
  version: number;
  settings: BayesNetSettings;
  order: number[];
  parents: number[][];
  columns: ColumnMeta[];
}

export function serializeBayesNet(net: NetworkParts, settings: BayesNetSettings): { meta: BayesNetMeta; arrays: ModelArrays } {
  const arrays: ModelArrays = {};
  const columns: ColumnMeta[] = net.columns.map((c, i) => {
    arrays[`table.${i}`] = net.tables[i];
    if (c.type === 'categorical') return { type: 'categorical', nStates: c.nStates, hasMissing: c.hasMissing, nLevels: c.nLevels };
    arrays[`atoms.${i}`] = c.atoms;
    arrays[`edges.${i}`] = c.edges;
    if (c.sketch) arrays[`sketch.${i}`] = c.sketch;
    if (c.groups) arrays[`groups.${i}`] = c.groups;
    return { type: 'numeric', nStates: c.nStates, hasMissing: c.hasMissing, sketched: c.sketch !== null, ...(c.groups ? { grouped: true } : {}) };
  });
  const meta: BayesNetMeta = {
    engine: 'bayesnet',
    version: FORMAT_VERSION,
    settings: { ...settings },
    order: net.order.slice(),
    parents: net.parents.map((p) => p.slice()),
    columns,
  };
  return { meta, arrays };
}

export function deserializeBayesNet(metaIn: unknown, arrays: ModelArrays): BayesNetModel {
  const meta = metaIn as BayesNetMeta; // shape checked below
  if (!meta || meta.engine !== 'bayesnet' || meta.version !== FORMAT_VERSION) {
    throw new Error('Not a serialized Bayesian network model of a version this build reads');
  }
  const f64 = (key: string): Float64Array => {
    const a = arrays[key];
    if (!(a instanceof Float64Array)) throw new Error(`Serialized Bayesian network lacks ${key}`);
    return a;
  };
  const i32 = (key: string): Int32Array => {
    const a = arrays[key];
    if (!(a instanceof Int32Array)) throw new Error(`Serialized Bayesian network lacks ${key}`);
    return a;
  };
  const columns: ColumnStates[] = meta.columns.map((c, i) =>
    c.type === 'categorical'
      ? { type: 'categorical', nLevels: c.nLevels ?? c.nStates, hasMissing: c.hasMissing, nStates: c.nStates }
      : {
          type: 'numeric',
          atoms: f64(`atoms.${i}`),
          edges: f64(`edges.${i}`),
          sketch: c.sketched ? f64(`sketch.${i}`) : null,
          hasMissing: c.hasMissing,
          nStates: c.nStates,
          ...(c.grouped ? { groups: i32(`groups.${i}`) } : {}),
        },
  );
  const tables = columns.map((_, i) => f64(`table.${i}`));
  return new BayesNetModel({ columns, order: meta.order, parents: meta.parents, tables }, meta.settings);
}
