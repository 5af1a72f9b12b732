import { TextModelsRun } from './textModelsRun.svelte';
import type { TextModelRecord } from '../../db/textModels';

/**
 * The text models stored on the Models page, listed by the text worker (Cache Storage) for a picker: the
 * worker starts only while `active()` holds (the data has text columns) and stops when the component goes.
 * Call during a component's initialisation (it registers an effect).
 */
export function storedTextModels(active: () => boolean) {
  let store = $state.raw<TextModelsRun | undefined>(undefined);
  let loaded = $state(false);
  let error = $state<string | undefined>(undefined);
  $effect(() => {
    if (!active()) return;
    const s = new TextModelsRun();
    store = s;
    s.refresh()
      .catch((e: Error) => (error = e.message))
      .finally(() => (loaded = store === s));
    return () => {
      s.dispose();
      store = undefined;
      loaded = false;
    };
  });
  return {
    /** Stored models of one job ('feature-extraction', 'token-classification', 'text-generation'). */
    of: (task: TextModelRecord['task']): TextModelRecord[] => store?.models.filter((m) => m.task === task) ?? [],
    get loaded() {
      return loaded;
    },
    /** Why the list could not be read. */
    get error() {
      return error;
    },
  };
}
