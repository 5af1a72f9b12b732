import type { ColumnKind } from '../schema/schema';
import type { TaskContext } from '../context';
import type { Rng } from '../random/rng';

/**
 * The narrow contract between the shared synthesis pipeline (pipeline.ts: roles, rare-category
 * pooling, bounds, integers, datetimes, keys, leaked-row redraws, condition checks, serialization
 * envelope) and each model (copula, Bayesian network, CART), which only learns and draws rows.
 *
 * Engines see only columns whose role is `synthesize`, with rare categories already pooled into
 * one extra level, and never the column names' meaning.
 */
export interface PreparedNumeric {
  type: 'numeric';
  name: string;
  kind: ColumnKind; // numeric | integer | datetime
  values: Float64Array; // NaN = missing
  min: number; // over non-missing training values (under a privacy budget: a public or private range)
  max: number;
  /**
   * The column's values when it is to be modelled as discrete on them (sorted; every non-missing
   * value is one of them). Set under a privacy budget, where the values are public or privately chosen.
   */
  domain?: Float64Array;
}

export interface PreparedCategorical {
  type: 'categorical';
  name: string;
  kind: ColumnKind; // categorical | boolean | text | id
  codes: Int32Array; // -1 = missing; 0..nLevels-1 (the pooled level, if any, is one of them)
  nLevels: number;
}

export type PreparedColumn = PreparedNumeric | PreparedCategorical;

export interface PreparedTable {
  nRows: number;
  columns: PreparedColumn[];
}

/** A condition per prepared column (undefined = free). Ranges are closed; missing never satisfies. */
export type PreparedCondition =
  | { type: 'categorical'; codes: number[] }
  | { type: 'range'; min: number; max: number };

/** Engine output: one array per prepared column, same order (NaN / -1 = missing). */
export type EngineColumns = (Float64Array | Int32Array)[];

/**
 * Bulk numbers of a fitted model, stored as-is in IndexedDB and transferred to and from workers.
 * Float32Array is there for models whose weights are single precision (e.g. a neural network).
 */
export type ModelArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type ModelArrays = Record<string, ModelArray>;

export interface EngineModel {
  /**
   * Draw n rows. Engines should honour conditions natively where they can (e.g. the copula's
   * conditional normal); the pipeline checks every row and redraws the ones that miss.
   *
   * The pipeline calls this once per chunk of rows (a few thousand cells' worth at most) and yields
   * to the event loop between chunks, so an engine need not yield itself. The output must be a pure
   * function of (model, n, the rng's state, conditions): that is what makes a seed reproducible.
   */
  sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns>;
  serialize(): { meta: unknown; arrays: ModelArrays };
  /** How training ended, for engines that train in epochs (the transformer): SynthesisStats.training. */
  readonly trainingNote?: string;
}

export interface Engine<O = Record<string, unknown>> {
  /** The id of the engine's descriptor (e.g. 'copula'). */
  readonly id: string;
  fit(data: PreparedTable, options: O, ctx: TaskContext): Promise<EngineModel>;
  deserialize(meta: unknown, arrays: ModelArrays): EngineModel;
}
