/**
 * JSON over fetch for the web apps. Every error answer of the network is RFC 9457 problem JSON;
 * it becomes an ApiError carrying its status, title and detail, so views can show what went wrong.
 */

export interface ProblemField {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly errors: ProblemField[];
  /** Seconds to wait, from Retry-After (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: { title?: string; detail?: string; type?: string; errors?: ProblemField[] }, retryAfter?: number) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = retryAfter;
  }
}

export interface ApiOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Query parameters; undefined values are left out, arrays repeat the key. */
  query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
}

function withQuery(path: string, query: ApiOptions['query']) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** The response when it is 2xx; otherwise throws ApiError (status 0 when the network could not be reached). */
export async function apiResponse(path: string, options: ApiOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const init: RequestInit = { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'Network error', detail: (error as Error)?.message });
  }
  if (response.ok) return response;
  let problem: Record<string, unknown> = {};
  try {
    problem = (await response.json()) as Record<string, unknown>;
  } catch {
    problem = { title: response.statusText };
  }
  const retry = Number(response.headers.get('retry-after'));
  throw new ApiError(response.status, problem as ConstructorParameters<typeof ApiError>[1], Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/** The answer's JSON (undefined for 204). */
export async function api<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

/** An api() with headers every call carries (an Authorization, a CSRF marker). */
export function apiWith(defaults: { headers?: Record<string, string> | (() => Record<string, string>) }) {
  const base = () => (typeof defaults.headers === 'function' ? defaults.headers() : (defaults.headers ?? {}));
  return <T = unknown>(path: string, options: ApiOptions = {}) => api<T>(path, { ...options, headers: { ...base(), ...options.headers } });
}
