import { getToken } from '../auth/token';
import type { Problem } from './types';

/** An answer other than 2xx, with the problem+json body when the service sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The API is not there (yet) or not serving: the page says so instead of showing anything made up. */
  get unavailable(): boolean {
    return this.status === 404 || this.status === 501 || this.status === 502 || this.status === 503;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
  accept?: string;
  /** a JSON body; sent as application/json, the only type the gateway lets through to /api/v1 */
  body?: unknown;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers, signal: options.signal, cache: 'no-store' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { status: 0, title: 'Network error', detail: 'The gateway could not be reached.' });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response;
}

async function problemOf(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  try {
    const body = await response.json();
    return typeof body === 'object' && body ? { ...fallback, ...body } : fallback;
  } catch {
    return fallback;
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await send(path, { signal })).json() as Promise<T>;
}

/** POST, with a JSON body when the endpoint takes one (the services' @Consumes(JSON) endpoints refuse anything else). */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  return (await send(path, { method: 'POST', body })).json() as Promise<T>;
}

export async function getText(path: string, signal?: AbortSignal): Promise<{ text: string; total?: number }> {
  const response = await send(path, { signal, accept: 'text/plain' });
  const total = response.headers.get('X-Log-Total-Bytes');
  return { text: await response.text(), total: total === null ? undefined : Number(total) };
}

/** A sentence for a person, from any error a request can end with: the problem's title and detail, as the service said them. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const { title, detail } = error.problem;
    const said = title && detail && title !== detail ? `${title}: ${detail}` : error.message;
    if (error.status === 401) return `${said} (set a token the gateway accepts under "Token")`;
    if (error.status === 403) return `Your token may not do this: ${said}`;
    if (error.status === 429) return 'Too many requests from here; wait a moment and try again.';
    return said;
  }
  return error instanceof Error ? error.message : String(error);
}
