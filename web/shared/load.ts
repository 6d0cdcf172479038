import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError, api } from './api.ts';

export interface Loaded<T, E = unknown> {
  data: T | undefined;
  error: E | undefined;
  loading: boolean;
  /** Loads again with the same inputs (after a change, or to retry a failure). */
  reload: () => void;
}

/**
 * Runs `load` when its inputs (`deps`) change; `null` loads nothing. When the inputs change again or
 * the view goes away, the request in flight is aborted through the signal and its answer dropped,
 * so an earlier, slower answer never overwrites a later one. The last data stays while reloading.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ data: undefined, error: undefined, loading: load !== null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (load === null) return;
    const controller = new AbortController();
    const { signal } = controller;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load(signal).then(
      (data) => signal.aborted || setState({ data, error: undefined, loading: false }),
      (error: unknown) => signal.aborted || setState({ data: undefined, error, loading: false }),
    );
    return () => controller.abort();
    // The caller names the inputs, as for useEffect: `load` is a new closure on every render.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, { detail: String(error) });
}

/** GETs JSON from the network API (`null`: nothing yet); a failure is always an ApiError. */
export function useApi<T>(path: string | null): Loaded<T, ApiError> {
  const load =
    path === null
      ? null
      : (signal: AbortSignal) =>
          api<T>(path, { signal }).catch((error: unknown) => {
            throw asApiError(error);
          });
  return useLoad(load, [path]) as Loaded<T, ApiError>;
}
