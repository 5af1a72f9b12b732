/**
 * The synthesizers as the Synthesize tab shows them, read from the engine descriptors in the
 * registry: the picker's cards, the options form's fields and their defaults. Nothing here is
 * specific to one engine: a new engine in the registry appears in the app as it is.
 */
import { descriptorOf, registry, type PickerEntry } from '../../core/synth/registry';
import { COMMON_OPTIONS, type OptionField } from '../../core/synth/descriptor';
import type { SynthesizerId } from '../../core/synth/types';

export type { OptionField };

export function engineCards(): PickerEntry<SynthesizerId>[] {
  return registry.pickerEntries();
}

export function engineLabel(id: SynthesizerId): string {
  return descriptorOf(id).label;
}

/** The pipeline's options every engine shares. */
export function commonFields(): OptionField[] {
  return [...COMMON_OPTIONS];
}

/** The engine's own options. */
export function engineFields(id: SynthesizerId): OptionField[] {
  return [...descriptorOf(id).options];
}

/** A field's starting value: its default; a column order starts empty (= schema order). */
export function initialValue(f: OptionField): unknown {
  return f.kind === 'column-order' ? [] : f.default;
}
