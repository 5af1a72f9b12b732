import { liveQuery } from 'dexie';

/**
 * A Dexie live query as runes: `current` follows the database, across tabs too.
 * Subscribe inside a component (an $effect owns the subscription and ends it on teardown).
 */
export class LiveQuery<T> {
  current = $state<T | undefined>(undefined);
  error = $state<Error | undefined>(undefined);
  isLoading = $state(true);

  constructor(query: () => Promise<T>) {
    $effect(() => {
      const sub = liveQuery(query).subscribe({
        next: (v) => {
          this.current = v;
          this.isLoading = false;
          this.error = undefined;
        },
        error: (e: unknown) => {
          this.error = e instanceof Error ? e : new Error(String(e));
          this.isLoading = false;
        },
      });
      return () => sub.unsubscribe();
    });
  }
}
