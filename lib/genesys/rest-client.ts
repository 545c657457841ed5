/**
 * JSON REST client for the Genesys Cloud platform API on the built-in fetch (Node 20).
 * Retry rules follow the official Java SDK (reference §8): 429 waits Retry-After seconds
 * (3 s if absent); 502/503/504 and network errors of idempotent calls retry with backoff;
 * a 401 invalidates the token and retries once with a fresh one. Every failure is a
 * GenesysApiError with status, platform code/message and ININ-Correlation-ID; no token in it.
 */
import { Backoff, type BackoffOptions } from '../util/backoff';
import { type Clock, systemClock } from '../util/clock';
import { DEFAULT_RETRY_AFTER_MS, GenesysApiError, parsePlatformErrorBody, parseRetryAfter, scrubSecrets } from './errors';
import { describeNetworkError } from './token-provider';
import type { RestClient, RestRequest, RestResponse, TokenSource } from './types';

export interface RestClientOptions {
  /** e.g. https://api.mypurecloud.com (see regions.ts). */
  apiBase: string;
  tokens: TokenSource;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Default per-request timeout in ms. Default 15 000. */
  timeoutMs?: number;
  /** Retries after 429 / 502 / 503 / 504 / network errors (not counting the 401 refresh). Default 3. */
  maxRetries?: number;
  /** Delays between 5xx / network retries. */
  backoff?: Partial<BackoffOptions>;
  /** Upper bound for an honoured Retry-After. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Called before each retry wait (diagnostics; never given a token). */
  onRetry?: (info: { method: string; path: string; status: number; attempt: number; delayMs: number }) => void;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export class GenesysRestClient implements RestClient {
  readonly apiBase: string;
  private readonly tokens: TokenSource;
  private readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffOptions: BackoffOptions;
  private readonly maxRetryAfterMs: number;
  private readonly onRetry?: RestClientOptions['onRetry'];

  constructor(opts: RestClientOptions) {
    this.apiBase = opts.apiBase.replace(/\/+$/, '');
    this.tokens = opts.tokens;
    this.clock = opts.clock ?? systemClock;
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxRetries = Math.max(0, opts.maxRetries ?? 3);
    this.backoffOptions = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0.5, ...opts.backoff };
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.onRetry = opts.onRetry;
  }

  toString(): string {
    return `GenesysRestClient(${this.apiBase})`;
  }

  async request<T = unknown>(req: RestRequest): Promise<RestResponse<T>> {
    const method = req.method;
    const path = req.path;
    if (typeof path !== 'string' || !path.startsWith('/api/v2/')) {
      throw new GenesysApiError({ method, path: String(path), status: 0, reason: 'path must start with /api/v2/' });
    }
    const url = this.apiBase + path + queryString(req.query);
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const backoff = new Backoff(this.backoffOptions);
    let refreshedAfter401 = false;
    let retries = 0;

    const cancelled = () => new GenesysApiError({ method, path, status: 0, reason: 'cancelled' });
    for (;;) {
      if (req.signal?.aborted) throw cancelled();
      const token = await this.tokens.getToken();
      if (req.signal?.aborted) throw cancelled();
      const controller = new AbortController();
      const timer = this.clock.setTimeout(() => controller.abort(), timeoutMs);
      const onCancel = () => controller.abort();
      req.signal?.addEventListener('abort', onCancel, { once: true });
      let response: Response | undefined;
      let text = '';
      let networkReason: string | undefined;
      try {
        response = await this.fetchFn(url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          signal: controller.signal,
        });
        text = method === 'HEAD' ? '' : await response.text();
      } catch (err) {
        if (req.signal?.aborted) throw cancelled();
        networkReason = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : describeNetworkError(err);
        networkReason = scrubSecrets(networkReason, [token]);
      } finally {
        this.clock.clearTimeout(timer);
        req.signal?.removeEventListener('abort', onCancel);
      }

      if (!response || networkReason !== undefined) {
        if (IDEMPOTENT.has(method) && retries < this.maxRetries) {
          retries++;
          await this.wait(method, path, 0, retries, backoff.next(), req.signal);
          continue;
        }
        throw new GenesysApiError({ method, path, status: 0, reason: networkReason });
      }

      const status = response.status;
      const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
      if (status >= 200 && status < 300) {
        return { status, body: parseJson(text) as T, correlationId, headers: response.headers };
      }
      if (status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        this.tokens.invalidate(token);
        continue;
      }
      const retryAfterMs = status === 429 ? parseRetryAfter(response.headers.get('retry-after'), this.clock.now()) : undefined;
      if ((status === 429 || RETRYABLE_STATUS.has(status)) && retries < this.maxRetries) {
        retries++;
        const delay = status === 429 ? Math.min(this.maxRetryAfterMs, retryAfterMs ?? DEFAULT_RETRY_AFTER_MS) : backoff.next();
        await this.wait(method, path, status, retries, delay, req.signal);
        continue;
      }
      throw new GenesysApiError({
        method,
        path,
        status,
        body: parsePlatformErrorBody(scrubSecrets(text, [token])),
        correlationId,
        retryAfterMs,
        reason: status === 401 ? 'the token was refused even after a refresh' : undefined,
      });
    }
  }

  private async wait(method: string, path: string, status: number, attempt: number, delayMs: number, signal?: AbortSignal): Promise<void> {
    this.onRetry?.({ method, path, status, attempt, delayMs });
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const timer = this.clock.setTimeout(done, delayMs);
      const onAbort = () => {
        this.clock.clearTimeout(timer);
        reject(new GenesysApiError({ method, path, status: 0, reason: 'cancelled' }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function queryString(query: RestRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
