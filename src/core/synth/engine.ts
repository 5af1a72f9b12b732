import type { ColumnKind } from '../schema/schema';
import type { TaskContext } from '../context';
import type { Rng } from '../random/rng';
import type { SynthesizerId } from './types';

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
  min: number; // over non-missing training values
  max: number;
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

export interface EngineModel {
  /**
   * Draw n rows. Engines should honour conditions natively where they can (e.g. the copula's
   * conditional normal); the pipeline checks every row and redraws the ones that miss.
   */
  sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): EngineColumns;
  serialize(): { meta: unknown; arrays: Record<string, Float64Array | Int32Array | Uint8Array> };
}

export interface Engine<O = Record<string, unknown>> {
  readonly id: SynthesizerId;
  fit(data: PreparedTable, options: O, ctx: TaskContext): Promise<EngineModel>;
  deserialize(meta: unknown, arrays: Record<string, Float64Array | Int32Array | Uint8Array>): EngineModel;
}
