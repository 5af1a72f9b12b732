import type { Table } from '../table/table';
import type { Schema } from '../schema/schema';
import type { TaskContext } from '../context';
import type { ModelArrays } from './engine';

/** The id of an engine Facsimile ships: derived from the registry's descriptors. */
export type { SynthesizerId } from './registry';
import type { SynthesizerId } from './registry';

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
  /**
   * Redraw synthetic rows whose quasi-identifiers (age, sex, postcode... by column name) match a training
   * row unique on them, beyond the rate a fresh sample of the population would match by chance. Default false.
   */
  redrawQuasiIdentifierMatches?: boolean;
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
  /** Fake values drawn again because they matched a real value of their column (last sample; models with fake columns). */
  redrawnFakeValues?: number;
  /** Rows redrawn as excess quasi-identifier matches (last sample; when redrawQuasiIdentifierMatches is on). */
  redrawnQuasiIdentifierRows?: number;
  /** Differential privacy budget, when used. */
  epsilon?: number;
}

export interface SerializedModel {
  synthesizer: SynthesizerId;
  version: number;
  /** JSON-able header. */
  meta: unknown;
  /** Bulk numbers kept as typed arrays (stored as-is in IndexedDB, transferable to workers). */
  arrays: ModelArrays;
}

export interface Model {
  readonly synthesizer: SynthesizerId;
  readonly schema: Schema;
  readonly stats: SynthesisStats;
  /**
   * Draw n rows, in chunks: between chunks it reports progress, yields to the event loop and stops
   * with CancelledError once `options.signal` is aborted. The same seed gives the same rows.
   */
  sample(n: number, options: SampleOptions): Promise<Table>;
  serialize(): SerializedModel;
}

export interface Synthesizer<O extends CommonOptions = CommonOptions> {
  /** The engine's id (a SynthesizerId for the shipped engines). */
  readonly id: SynthesizerId;
  fit(train: Table, schema: Schema, options: O, ctx: TaskContext): Promise<Model>;
  deserialize(s: SerializedModel): Model;
}
