import type { Model, SerializedModel, Synthesizer, SynthesizerId } from './types';
import { createSynthesizer } from './pipeline';
import { copulaEngine } from './copula';
import { bayesNetEngine } from './bayesnet';
import { cartEngine } from './cart';

/**
 * Every synthesizer Facsimile offers: each engine wrapped in the shared pipeline (roles, rare
 * categories, bounds, keys, leaked-row redraws, conditions, serialization).
 */
export const synthesizers = {
  copula: createSynthesizer(copulaEngine),
  bayesnet: createSynthesizer(bayesNetEngine),
  cart: createSynthesizer(cartEngine),
} satisfies Record<SynthesizerId, Synthesizer>;

export const SYNTHESIZER_IDS = Object.keys(synthesizers) as SynthesizerId[];

export function isSynthesizerId(id: string): id is SynthesizerId {
  return Object.hasOwn(synthesizers, id);
}

/** A stored model back as a Model, whichever synthesizer made it. */
export function deserializeModel(s: SerializedModel): Model {
  if (!isSynthesizerId(s.synthesizer)) throw new Error(`Unknown synthesizer "${String(s.synthesizer)}"`);
  return synthesizers[s.synthesizer].deserialize(s);
}
