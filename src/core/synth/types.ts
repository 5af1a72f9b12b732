import type { Table } from '../table/table';
import type { Schema } from '../schema/schema';
import type { TaskContext } from '../context';
import type { ModelArrays } from './engine';
import type { TextGenerator } from '../text/generator';
import type { PrivacyAccount } from './privacy/budget';

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
  /**
   * Which rules found in the training rows (src/core/rules) every output row keeps: 'found' (default) keeps
   * the exact ones (and the almost ones the schema turns on, minus those it turns off); 'none' keeps only the
   * rules the schema declares.
   */
  rules?: 'found' | 'none';
}

export interface SampleOptions {
  seed: number;
  conditions?: Conditions;
  onProgress?: TaskContext['onProgress'];
  signal?: AbortSignal;
  /** Writes the columns with role synthesize-text (a local model); without one, the word-level fallback. */
  textGenerator?: TextGenerator;
  /** Few-shot examples per text column (real texts; placeholder-cleaned before any prompt). Off by default. */
  fewShotTexts?: Record<string, string[]>;
  /**
   * Per text column, the named entities (person, location, organisation) a NER model found that occur in
   * exactly one training row (scanTextPii's uniqueEntities): the leak guard rewrites a synthetic text that
   * holds one (whole word, case aside), counted in SynthesisStats.entityLeaks. Real values: never stored.
   */
  uniqueTextEntities?: Record<string, readonly string[]>;
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
  /** The rules every output row keeps (src/core/rules syntax), found and declared. */
  keptRules?: { rule: string; source: 'found' | 'declared' }[];
  /** Rows drawn again because they broke a kept rule the model could not build in (last sample). */
  redrawnRuleRows?: number;
  /** Texts written again by the text leak guard (last sample; models with synthesize-text columns). */
  redrawnTexts?: number;
  /**
   * Of redrawnTexts: rewrites because a text held a named entity a NER model found in exactly one training
   * row (last sample; SampleOptions.uniqueTextEntities).
   */
  entityLeaks?: number;
  /**
   * The NER model whose entities of one training row the leak guard kept out (last sample), as the user
   * knows it ("tiny-ner (WASM)"); absent when no NER model was given (8-token sequences only).
   */
  entityGuard?: string;
  /** Texts still leaking after every retry, cut before the leak (last sample). */
  cutTexts?: number;
  /** What wrote the text columns (last sample): a model's name and device, or the word-level fallback. */
  textWriter?: string;
  /** How an epoch-trained model's training ended (EngineModel.trainingNote; transformer/trainingNote.ts), from the fit. */
  training?: string;
  /** Under epsilon: the ledger of the fit (total ε and δ, each spend, the steps switched off). */
  privacy?: PrivacyAccount;
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
