/** The one way the web app talks to the API: JSON in, JSON or problem+json out, token refresh on expiry. */
import type { FieldError, Problem } from '@pillar/shared';
import { accessToken, authHeaders, endSession, refreshSession } from './session.js';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = status;
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Row version for optimistic concurrency; sent as If-Match: "version". */
  version?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Auth endpoints: ask for the refresh token as a cookie only. */
  auth?: boolean;
  /** Raw body (FormData, Blob, text) instead of JSON. */
  rawBody?: BodyInit;
  contentType?: string;
}

export function buildUrl(path: string, query?: Query): string {
  const url = `/api/v1${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((item) => params.append(k, item));
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function headersFor(opts: RequestOptions): Headers {
  const h = new Headers(opts.auth ? authHeaders : {});
  if (opts.body !== undefined) h.set('content-type', 'application/json');
  if (opts.contentType) h.set('content-type', opts.contentType);
  const token = accessToken();
  if (token) h.set('authorization', `Bearer ${token}`);
  if (opts.version !== undefined) h.set('if-match', `"${opts.version}"`);
  if (opts.idempotencyKey) h.set('idempotency-key', opts.idempotencyKey);
  return h;
}

async function toProblem(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Partial<Problem>;
    if (body && typeof body === 'object' && 'title' in body) return body as Problem;
  } catch {
    // not JSON: fall through
  }
  const detail = res.status >= 500 ? 'The server had a problem. Try again in a moment.' : `The request failed (${res.status}).`;
  return { type: 'about:blank', title: res.statusText || 'Error', status: res.status, detail, code: res.status >= 500 ? 'internal' : 'bad_request' };
}

function send(path: string, opts: RequestOptions): Promise<Response> {
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return fetch(buildUrl(path, opts.query), { method: opts.method ?? 'GET', headers: headersFor(opts), body, signal: opts.signal });
}

/** Sends a request, refreshing the access token once when it has expired. Throws ApiError on any non-2xx. */
export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  let res: Response;
  try {
    res = await send(path, opts);
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, { type: 'about:blank', title: 'Offline', status: 0, code: 'unavailable', detail: 'The server cannot be reached. Check your connection and try again.' });
  }
  if (res.status === 401 && !opts.auth) {
    // An expired (or otherwise refused) access token gets one refresh and one retry.
    if (await refreshSession()) res = await send(path, opts);
    else endSession('Your session has ended. Please sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, await toProblem(res));
  return res;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A message fit for a toast: the problem's detail, or a generic sentence. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.problem.title;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}
