import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../shared/api.ts';

/** Loads JSON for a view; reloads when the path changes. */
export function useApi<T>(path: string | null) {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: path !== null });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api<T>(path, { signal: controller.signal }).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if ((error as Error)?.name === 'AbortError') return;
        setState({ data: undefined, error: error instanceof ApiError ? error : new ApiError(0, { detail: String(error) }), loading: false });
      },
    );
    return () => controller.abort();
  }, [path, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}
