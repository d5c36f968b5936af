export type { Clock } from '../clock';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** POST and PATCH are retried only when this is true (the call is safe to repeat). */
  retryNonIdempotent?: boolean;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  /** Cancels the request, its queueing and its retries. */
  signal?: AbortSignal;
}

/** A completed HTTP exchange; the body is read inside the concurrency slot. */
export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  /** How many requests were sent, retries included. */
  attempts: number;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
