// Dexie's liveQuery as Svelte 5 state: components read `.current` and re-render whenever
// the rows behind the query change, whether this tab, the worker or another tab wrote them.
import { liveQuery } from 'dexie';

export class LiveQueryState<T> {
  /** The latest result; `initial` until the first query finishes. */
  current = $state.raw<T>(undefined as T);
  /** The last query error, cleared by the next successful result. */
  error = $state.raw<unknown>(undefined);

  constructor(
    private readonly querier: () => T | Promise<T>,
    initial: T,
  ) {
    this.current = initial;
  }

  /** Subscribe; returns the function that unsubscribes (the shape $effect expects). */
  start(): () => void {
    const subscription = liveQuery(this.querier).subscribe({
      next: (value) => {
        this.current = value;
        this.error = undefined;
      },
      error: (error: unknown) => {
        this.error = error;
      },
    });
    return () => subscription.unsubscribe();
  }
}

/**
 * Call during component initialisation (or inside $effect.root): subscribes while the
 * component is mounted and unsubscribes when it is destroyed. Outside a component, use
 * `new LiveQueryState(...)` and call start()/the returned stop yourself.
 */
export function liveQueryState<T>(querier: () => T | Promise<T>, initial: T): LiveQueryState<T> {
  const state = new LiveQueryState(querier, initial);
  $effect(() => state.start());
  return state;
}
