import type { Table } from '../table/table';
import type { Schema } from '../schema/schema';
import type { TaskContext } from '../context';

export type SynthesizerId = 'copula' | 'bayesnet' | 'cart';

/**
 * Conditions for conditional sampling, by column name: equality (or a set) on categorical,
 * boolean values; a closed range on numeric/integer/datetime (datetime as epoch ms).
 */
export type Condition =
  | { equals: string | number }
  | { oneOf: (string | number)[] }
  | { min?: number; max?: number };

export type Conditions = Record<string, Condition>;

export interface CommonOptions {
  /** Categories seen fewer than this many times are pooled into one protected label. Default 5. */
  rareCategoryThreshold?: number;
  /** Redraw synthetic rows identical to a training row unique in training. Default true. */
  redrawLeakedRows?: boolean;
  /** Allow values outside the real min/max. Default false. */
  allowOutOfBounds?: boolean;
}

export interface SampleOptions {
  seed: number;
  conditions?: Conditions;
  onProgress?: TaskContext['onProgress'];
  signal?: AbortSignal;
}

/** What a synthesizer tells the report about a fit or a sample. */
export interface SynthesisStats {
  /** Categories pooled per column (count of distinct real values pooled). */
  pooledCategories: Record<string, number>;
  /** Label used for pooled rare categories. */
  pooledLabel: string;
  /** Rows redrawn because they copied a training row unique in training (last sample). */
  redrawnLeakedRows: number;
  /** Differential privacy budget, when used. */
  epsilon?: number;
}

export interface SerializedModel {
  synthesizer: SynthesizerId;
  version: number;
  /** JSON-able header. */
  meta: unknown;
  /** Bulk numbers kept as typed arrays (stored as-is in IndexedDB, transferable to workers). */
  arrays: Record<string, Float64Array | Int32Array | Uint8Array>;
}

export interface Model {
  readonly synthesizer: SynthesizerId;
  readonly schema: Schema;
  readonly stats: SynthesisStats;
  sample(n: number, options: SampleOptions): Table;
  serialize(): SerializedModel;
}

export interface Synthesizer<O extends CommonOptions = CommonOptions> {
  readonly id: SynthesizerId;
  fit(train: Table, schema: Schema, options: O, ctx: TaskContext): Promise<Model>;
  deserialize(s: SerializedModel): Model;
}
