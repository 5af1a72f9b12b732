import type { Rng } from '../../random/rng';
import type { EngineColumns, EngineModel, PreparedCondition } from '../engine';
import type { ColumnStates } from './discretize';
import { cumulativeTables, sampleNetwork, type NetworkParts } from './sampler';

/** Settings the fit resolved, kept in the serialized meta so the report can state them. */
export interface BayesNetSettings {
  /** Differential privacy budget; undefined when the model was fitted without privacy. */
  epsilon?: number;
  maxParents: number;
  maxDomain: number;
  bins: number;
  smoothing: number;
  nTrainingRows: number;
}

const FORMAT_VERSION = 1;

type ArrayBag = Record<string, Float64Array | Int32Array | Uint8Array>;

interface ColumnMeta {
  type: 'numeric' | 'categorical';
  nStates: number;
  hasMissing: boolean;
  nLevels?: number;
  sketched?: boolean;
}

export interface BayesNetMeta {
  engine: 'bayesnet';
  version: number;
  settings: BayesNetSettings;
  order: number[];
  parents: number[][];
  columns: ColumnMeta[];
}

export class BayesNetModel implements EngineModel {
  readonly #net: NetworkParts;
  readonly #cumulative: Float64Array[];
  readonly settings: BayesNetSettings;

  constructor(net: NetworkParts, settings: BayesNetSettings) {
    this.#net = net;
    this.#cumulative = cumulativeTables(net);
    this.settings = settings;
  }

  /** Sampling order and parents, for explanations in the report. */
  get network(): { order: readonly number[]; parents: readonly (readonly number[])[] } {
    return { order: this.#net.order, parents: this.#net.parents };
  }

  sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): EngineColumns {
    return sampleNetwork(this.#net, this.#cumulative, n, rng, conditions);
  }

  serialize(): { meta: BayesNetMeta; arrays: ArrayBag } {
    const arrays: ArrayBag = {};
    const columns: ColumnMeta[] = this.#net.columns.map((c, i) => {
      arrays[`table.${i}`] = this.#net.tables[i];
      if (c.type === 'categorical') return { type: 'categorical', nStates: c.nStates, hasMissing: c.hasMissing, nLevels: c.nLevels };
      arrays[`atoms.${i}`] = c.atoms;
      arrays[`edges.${i}`] = c.edges;
      if (c.sketch) arrays[`sketch.${i}`] = c.sketch;
      return { type: 'numeric', nStates: c.nStates, hasMissing: c.hasMissing, sketched: c.sketch !== null };
    });
    const meta: BayesNetMeta = {
      engine: 'bayesnet',
      version: FORMAT_VERSION,
      settings: { ...this.settings },
      order: this.#net.order.slice(),
      parents: this.#net.parents.map((p) => p.slice()),
      columns,
    };
    return { meta, arrays };
  }

  static deserialize(metaIn: unknown, arrays: ArrayBag): BayesNetModel {
    const meta = metaIn as BayesNetMeta; // shape checked below
    if (!meta || meta.engine !== 'bayesnet' || meta.version !== FORMAT_VERSION) {
      throw new Error('Not a serialized Bayesian network model of a version this build reads');
    }
    const f64 = (key: string): Float64Array => {
      const a = arrays[key];
      if (!(a instanceof Float64Array)) throw new Error(`Serialized Bayesian network lacks ${key}`);
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
          },
    );
    const tables = columns.map((_, i) => f64(`table.${i}`));
    return new BayesNetModel({ columns, order: meta.order, parents: meta.parents, tables }, meta.settings);
  }
}
