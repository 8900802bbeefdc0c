// A database read bound to Svelte state for as long as the component that made it lives: the
// effect starts observing when the component mounts and its cleanup stops it. Call it during
// component initialisation (it uses $effect). The result is $state.raw: rows are replaced, never
// deeply proxied, which keeps a list of thousands of events cheap.
import type { Observe } from '../data/live';

export class LiveState<T> {
  /** The latest result; undefined until the first one arrives. */
  current = $state.raw<T | undefined>(undefined);
  /** The last failed read, cleared by the next result. */
  error = $state.raw<unknown>(undefined);
}

export function liveState<T>(observe: () => Observe<T> | undefined): LiveState<T> {
  const live = new LiveState<T>();
  $effect(() => {
    // reading observe() here makes the effect restart when what it depends on changes
    const start = observe();
    if (!start) return;
    return start(
      (value) => {
        live.current = value;
        live.error = undefined;
      },
      (error) => (live.error = error),
    );
  });
  return live;
}
