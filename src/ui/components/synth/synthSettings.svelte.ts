import { DEFAULT_SEED } from '../../../core/random/rng';
import type { SynthesizerId } from '../../../core/synth/types';
import type { ConditionDraft, SynthChoice } from '../../services/synthesis';
import { commonFields, engineCards, engineFields, initialValue, type OptionField } from '../../services/engineOptions';

/**
 * The Synthesize tab's form: which synthesizer, its options (one value per descriptor field), and how
 * to sample. Inputs bind to these fields; `choice` is the plain snapshot handed to the services.
 */
export class SynthSettings {
  synthesizer = $state<SynthesizerId>('copula');
  seed = $state<number | null>(DEFAULT_SEED);
  /** Option values by key: the common ones and every engine's (kept when switching engines). */
  values = $state<Record<string, unknown>>(initialValues());
  /** Optional fields (e.g. epsilon) the user turned on. */
  enabled = $state<Record<string, boolean>>({});
  /** Rows to generate; null = as many as the train part. */
  rows = $state<number | null>(null);
  sampleSeed = $state<number | null>(DEFAULT_SEED);
  conditions = $state<ConditionDraft[]>([]);
  /** The stored text-generation model that writes synthesize-text columns; '' = the built-in word model. */
  textModelId = $state('');
  /** Cleaned real texts shown in each prompt (with a text model only). */
  fewShot = $state<number | null>(0);
  /**
   * The stored NER model whose entities of one training row the leak guard keeps out of the texts; '' =
   * none, undefined = not chosen yet (the picker sets the first stored one).
   */
  nerModelId = $state<string | undefined>(undefined);
  #columns: string[] = [];

  /** Follow the model's columns: keep the user's order, drop columns gone, append new ones. */
  syncColumns(columns: string[]) {
    this.#columns = columns;
    for (const f of allFields()) {
      if (f.kind !== 'column-order') continue;
      const order = (this.values[f.key] as string[] | undefined) ?? [];
      const kept = order.filter((c) => columns.includes(c));
      const added = columns.filter((c) => !kept.includes(c));
      if (added.length || kept.length !== order.length) this.values[f.key] = [...kept, ...added];
    }
    this.conditions = this.conditions.filter((d) => columns.includes(d.column));
  }

  /** Move a column of an order field up (-1) or down (+1). */
  move(key: string, index: number, delta: -1 | 1) {
    const order = [...((this.values[key] as string[]) ?? [])];
    const j = index + delta;
    if (j < 0 || j >= order.length) return;
    [order[index], order[j]] = [order[j], order[index]];
    this.values[key] = order;
  }

  resetOrder(key: string) {
    this.values[key] = [...this.#columns];
  }

  addCondition(column: string) {
    this.conditions.push({ column, equals: '', min: '', max: '' });
  }

  removeCondition(index: number) {
    this.conditions.splice(index, 1);
  }

  /** The form as plain values: the chosen engine's fields only; empty numbers fall back to defaults. */
  get choice(): SynthChoice {
    const options: Record<string, unknown> = {};
    for (const f of [...commonFields(), ...engineFields(this.synthesizer)]) {
      const v = $state.snapshot(this.values[f.key]) as unknown;
      if ((f.kind === 'number' || f.kind === 'integer') && f.optional && !this.enabled[f.key]) continue;
      if (f.kind === 'column-order') {
        if (Array.isArray(v) && v.length) options[f.key] = v;
        continue;
      }
      options[f.key] = v === null || v === undefined || v === '' ? initialValue(f) : v;
    }
    return { synthesizer: this.synthesizer, seed: this.seed ?? DEFAULT_SEED, options };
  }

  /**
   * Who writes the sample's texts (nothing for the built-in word model) and which NER model feeds the leak
   * guard (nothing for none), as the sample request takes them.
   */
  get textChoice(): { textModelId?: string; fewShot?: number; nerModelId?: string } {
    return {
      ...(this.textModelId ? { textModelId: this.textModelId, fewShot: this.fewShot ?? 0 } : {}),
      ...(this.nerModelId ? { nerModelId: this.nerModelId } : {}),
    };
  }

  /** The condition drafts as plain objects. */
  get conditionDrafts(): ConditionDraft[] {
    return this.conditions.map((d) => ({ ...d }));
  }
}

function allFields(): OptionField[] {
  return [...commonFields(), ...engineCards().flatMap((d) => engineFields(d.id))];
}

function initialValues(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of allFields()) if (!(f.key in out)) out[f.key] = initialValue(f);
  return out;
}
