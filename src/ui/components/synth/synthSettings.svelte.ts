import type { SynthesizerId } from '../../../core/synth/types';
import type { ConditionDraft, SynthChoice } from '../../services/synthesis';

/** Defaults that match the engines' own (k = 5 as the pipeline, min leaf 5 as synthpop). */
export const DEFAULTS = {
  seed: 42,
  rareCategoryThreshold: 5,
  epsilon: 1,
  minLeafSize: 5,
} as const;

/**
 * The Synthesize tab's form: which synthesizer, its options, and how to sample. Inputs bind to
 * these fields; `choice` is the plain snapshot handed to the services.
 */
export class SynthSettings {
  synthesizer = $state<SynthesizerId>('copula');
  seed = $state<number | null>(DEFAULTS.seed);
  rareCategoryThreshold = $state<number | null>(DEFAULTS.rareCategoryThreshold);
  redrawLeakedRows = $state(true);
  useEpsilon = $state(false);
  epsilon = $state<number | null>(DEFAULTS.epsilon);
  cartOrder = $state<string[]>([]);
  minLeafSize = $state<number | null>(DEFAULTS.minLeafSize);
  smoothing = $state(true);
  /** Rows to generate; null = as many as the train part. */
  rows = $state<number | null>(null);
  sampleSeed = $state<number | null>(DEFAULTS.seed);
  conditions = $state<ConditionDraft[]>([]);

  /** Follow the model's columns: keep the user's order, drop columns gone, append new ones. */
  syncColumns(columns: string[]) {
    const kept = this.cartOrder.filter((c) => columns.includes(c));
    const added = columns.filter((c) => !kept.includes(c));
    if (added.length || kept.length !== this.cartOrder.length) this.cartOrder = [...kept, ...added];
    this.conditions = this.conditions.filter((d) => columns.includes(d.column));
  }

  /** Move a column of the CART order up (-1) or down (+1). */
  move(index: number, delta: -1 | 1) {
    const j = index + delta;
    if (j < 0 || j >= this.cartOrder.length) return;
    const order = [...this.cartOrder];
    [order[index], order[j]] = [order[j], order[index]];
    this.cartOrder = order;
  }

  resetOrder(columns: string[]) {
    this.cartOrder = [...columns];
  }

  addCondition(column: string) {
    this.conditions.push({ column, equals: '', min: '', max: '' });
  }

  removeCondition(index: number) {
    this.conditions.splice(index, 1);
  }

  /** The form as plain values (empty numeric fields fall back to the defaults). */
  get choice(): SynthChoice {
    return {
      synthesizer: this.synthesizer,
      seed: this.seed ?? DEFAULTS.seed,
      rareCategoryThreshold: this.rareCategoryThreshold ?? DEFAULTS.rareCategoryThreshold,
      redrawLeakedRows: this.redrawLeakedRows,
      epsilon: this.synthesizer === 'bayesnet' && this.useEpsilon ? (this.epsilon ?? DEFAULTS.epsilon) : undefined,
      cartOrder: [...this.cartOrder],
      minLeafSize: this.minLeafSize ?? DEFAULTS.minLeafSize,
      smoothing: this.smoothing,
    };
  }

  /** The condition drafts as plain objects. */
  get conditionDrafts(): ConditionDraft[] {
    return this.conditions.map((d) => ({ ...d }));
  }
}
