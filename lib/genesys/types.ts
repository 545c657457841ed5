/**
 * Contracts between the Genesys platform pieces of lib/genesys: the token provider and REST
 * client (foundation) and their users (notification channel manager, discovery, test button).
 */

/** Supplies bearer tokens for API calls. Implemented by the OAuth client-credentials provider. */
export interface TokenSource {
  /** A valid access token (cached; single-flight fetch when none is cached or it is near expiry). */
  getToken(): Promise<string>;
  /**
   * Forget the cached token (after a 401 from an API call) so the next getToken() fetches anew.
   * With `token`: only if the cache still holds that token (many concurrent 401s, one refetch).
   */
  invalidate(token?: string): void;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';
  /** Path under the API base, starting with /api/v2/ */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Per-request timeout in ms (default from the client). */
  timeoutMs?: number;
  /** Cancels the request, including retry waits (e.g. a node's close handler). */
  signal?: AbortSignal;
}

export interface RestResponse<T> {
  status: number;
  body: T;
  correlationId?: string;
  headers: Headers;
}

/** JSON REST client over the platform API (retries, 429 Retry-After, one token refresh on 401). */
export interface RestClient {
  request<T = unknown>(req: RestRequest): Promise<RestResponse<T>>;
}
