import type { Rng } from '../../random/rng';
import type { PrivacyAccount } from '../privacy/budget';
import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import { cumulativeTables, sampleNetwork, type NetworkParts } from './sampler';
import { deserializeBayesNet, serializeBayesNet, type BayesNetMeta } from './serialize';

/** Settings the fit resolved, kept in the serialized meta so the report can state them. */
export interface BayesNetSettings {
  /** Differential privacy budget; undefined when the model was fitted without privacy. */
  epsilon?: number;
  /** The privacy ledger at the end of the fit (the pipeline's spends, then the engine's). */
  privacy?: PrivacyAccount;
  maxParents: number;
  maxDomain: number;
  bins: number;
  smoothing: number;
  nTrainingRows: number;
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

  async sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns> {
    return sampleNetwork(this.#net, this.#cumulative, n, rng, conditions);
  }

  serialize(): { meta: BayesNetMeta; arrays: ModelArrays } {
    return serializeBayesNet(this.#net, this.settings);
  }

  static deserialize(meta: unknown, arrays: ModelArrays): BayesNetModel {
    return deserializeBayesNet(meta, arrays);
  }
}
