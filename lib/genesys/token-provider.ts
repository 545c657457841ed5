/**
 * OAuth client-credentials token provider, as the platform does it (reference §1.1):
 * POST <loginBase>/oauth/token, `Authorization: Basic base64(id:secret)`, form body
 * `grant_type=client_credentials`. One provider per genesys-auth config node, shared by all its
 * user nodes: the token is cached, refreshed ahead of expiry, and fetched single-flight.
 *
 * The secret and the token live in private fields and never appear in an error, a status, a log
 * line, toString(), JSON or util.inspect output.
 */
import { inspect } from 'node:util';
import { Backoff, type BackoffOptions } from '../util/backoff';
import { type Clock, type TimerHandle, systemClock } from '../util/clock';
import {
  DEFAULT_RETRY_AFTER_MS,
  GenesysAuthError,
  parsePlatformErrorBody,
  parseRetryAfter,
  scrubSecrets,
} from './errors';
import type { TokenSource } from './types';

export type TokenState = 'idle' | 'fetching' | 'retrying' | 'ready' | 'error' | 'closed';

/** What the provider reports to its listener (the config node fans it out to user nodes). */
export interface TokenStatus {
  state: TokenState;
  /** Attempt number of the current fetch series (1-based). */
  attempt?: number;
  /** When retrying: the wait before the next attempt. */
  retryInMs?: number;
  /** The failure that caused "retrying" or "error" (safe to show: no secret in it). */
  error?: GenesysAuthError;
  /** When ready: epoch ms at which the token expires. */
  expiresAt?: number;
  /** Increments with every new token, so users can tell a token change without seeing it. */
  generation: number;
}

export type TokenStatusListener = (status: TokenStatus) => void;

export interface TokenProviderOptions {
  /** e.g. https://login.mypurecloud.com (see regions.ts). */
  loginBase: string;
  clientId: string;
  clientSecret: string;
  clock?: Clock;
  /** Injectable fetch (defaults to the built-in one). */
  fetch?: typeof fetch;
  /** Fraction of the token lifetime after which a new token is fetched. Default 0.8. */
  refreshAheadRatio?: number;
  /** Timeout of one token request in ms. Default 15 000. */
  timeoutMs?: number;
  /** Attempts per fetch (429, 5xx, network errors retried; 400/401 never). Default 5. */
  maxAttempts?: number;
  /** Delays between failed attempts other than 429 (jitter and cap from lib/util/backoff). */
  backoff?: Partial<BackoffOptions>;
  /** Upper bound for an honoured Retry-After. Default 120 000 ms. */
  maxRetryAfterMs?: number;
  /**
   * After the login refused the credentials (400/401), calls within this window fail at once
   * with the same error instead of asking again: wrong credentials do not get better by
   * retrying, and repeated failed logins can get a client locked out. Default 30 000 ms.
   */
  authFailureCooldownMs?: number;
}

/** A token is never handed out in its last seconds: the call using it would race the expiry. */
const EXPIRY_SAFETY_MS = 5000;

interface CachedToken {
  value: string;
  obtainedAt: number;
  refreshAt: number;
  expiresAt: number;
}

export class GenesysTokenProvider implements TokenSource {
  readonly loginBase: string;
  readonly loginHost: string;
  readonly clientId: string;
  #secret: string;
  #token: CachedToken | undefined;
  #inflight: Promise<string> | undefined;
  #generation = 0;
  #status: TokenStatus = { state: 'idle', generation: 0 };
  #listeners = new Set<TokenStatusListener>();
  #sleeps = new Set<{ timer: TimerHandle; reject: (err: Error) => void }>();
  #closed = false;
  #requests = 0;
  #authFailure: { error: GenesysAuthError; at: number } | undefined;
  private readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  private readonly refreshAheadRatio: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffOptions: BackoffOptions;
  private readonly maxRetryAfterMs: number;
  private readonly authFailureCooldownMs: number;

  constructor(opts: TokenProviderOptions) {
    this.loginBase = opts.loginBase.replace(/\/+$/, '');
    this.loginHost = safeHost(this.loginBase);
    this.clientId = (opts.clientId ?? '').trim();
    this.#secret = opts.clientSecret ?? '';
    this.clock = opts.clock ?? systemClock;
    this.fetchFn = opts.fetch ?? fetch;
    this.refreshAheadRatio = clamp(opts.refreshAheadRatio ?? 0.8, 0.1, 0.95);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.backoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5, ...opts.backoff };
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
    this.authFailureCooldownMs = Math.max(0, opts.authFailureCooldownMs ?? 30_000);
  }

  /** The latest status (also delivered to listeners). */
  get status(): TokenStatus {
    return this.#status;
  }

  /** Number of token requests sent so far (for tests and diagnostics). */
  get requestCount(): number {
    return this.#requests;
  }

  /** Subscribe to status changes; returns the unsubscribe function. */
  onStatus(listener: TokenStatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async getToken(): Promise<string> {
    if (this.#closed) throw closedError();
    const token = this.#token;
    const now = this.clock.now();
    if (token && now < token.refreshAt) return token.value;
    if (token && now < token.expiresAt - EXPIRY_SAFETY_MS) {
      // Still valid: hand it out and refresh in the background (errors go to the status).
      this.refresh().catch(() => undefined);
      return token.value;
    }
    return this.refresh();
  }

  /**
   * Forget the cached token so the next getToken() fetches anew. With `token`, only when the
   * cache still holds that token: many requests failing with 401 at once cause one refetch.
   */
  invalidate(token?: string): void {
    if (token === undefined || this.#token?.value === token) this.#token = undefined;
  }

  /** Stops pending retries and refuses further calls. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#token = undefined;
    for (const s of this.#sleeps) {
      this.clock.clearTimeout(s.timer);
      s.reject(closedError());
    }
    this.#sleeps.clear();
    this.setStatus({ state: 'closed', generation: this.#generation });
    this.#listeners.clear();
  }

  toString(): string {
    return `GenesysTokenProvider(${this.loginHost}, client ${maskId(this.clientId)})`;
  }

  toJSON(): Record<string, unknown> {
    return { loginHost: this.loginHost, clientId: maskId(this.clientId), state: this.#status.state };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  private refresh(): Promise<string> {
    const failure = this.#authFailure;
    if (failure && this.clock.now() < failure.at + this.authFailureCooldownMs) return Promise.reject(failure.error);
    if (!this.#inflight) {
      this.#inflight = this.fetchWithRetries().finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  private async fetchWithRetries(): Promise<string> {
    const backoff = new Backoff(this.backoffOptions);
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw closedError();
      this.setStatus({ state: 'fetching', attempt, generation: this.#generation });
      try {
        const token = await this.requestToken();
        this.#token = token;
        this.#authFailure = undefined;
        this.#generation++;
        this.setStatus({ state: 'ready', expiresAt: token.expiresAt, generation: this.#generation });
        return token.value;
      } catch (err) {
        const error = err instanceof GenesysAuthError ? err : new GenesysAuthError('Token request failed', 'LOGIN_UNAVAILABLE');
        if (this.#closed || error.code === 'CLOSED') throw closedError();
        if (!error.retryable || attempt >= this.maxAttempts) {
          if (error.code === 'AUTH_FAILED') this.#authFailure = { error, at: this.clock.now() };
          this.setStatus({ state: 'error', attempt, error, generation: this.#generation });
          throw error;
        }
        const delay =
          error.code === 'LOGIN_RATE_LIMITED'
            ? Math.min(this.maxRetryAfterMs, error.details.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS)
            : backoff.next();
        this.setStatus({ state: 'retrying', attempt, retryInMs: delay, error, generation: this.#generation });
        await this.sleep(delay);
      }
    }
  }

  private async requestToken(): Promise<CachedToken> {
    if (!this.clientId || !this.#secret) {
      throw new GenesysAuthError('Genesys client id or client secret is not set: enter both in the genesys-auth config node', 'NOT_CONFIGURED', {
        loginHost: this.loginHost,
      });
    }
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), this.timeoutMs);
    const sentAt = this.clock.now();
    this.#requests++;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(`${this.loginBase}/oauth/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${this.clientId}:${this.#secret}`, 'utf8').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (err) {
      const reason = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(err);
      throw new GenesysAuthError(this.scrub(`Could not reach the Genesys login host ${this.loginHost}: ${reason}`), 'LOGIN_UNREACHABLE', {
        loginHost: this.loginHost,
        retryable: true,
      });
    } finally {
      this.clock.clearTimeout(timer);
    }

    const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
    const body = parsePlatformErrorBody(text);
    const status = response.status;
    const common = { status, loginHost: this.loginHost, correlationId };
    if (status === 200) {
      const accessToken = body?.access_token;
      const expiresIn = Number(body?.expires_in);
      if (typeof accessToken !== 'string' || !accessToken || !Number.isFinite(expiresIn) || expiresIn <= 0) {
        throw new GenesysAuthError(
          `Genesys login host ${this.loginHost} answered 200 without a usable access_token/expires_in`,
          'BAD_TOKEN_RESPONSE',
          common,
        );
      }
      const lifetime = expiresIn * 1000;
      const obtainedAt = sentAt;
      return {
        value: accessToken,
        obtainedAt,
        refreshAt: obtainedAt + lifetime * this.refreshAheadRatio,
        expiresAt: obtainedAt + lifetime,
      };
    }
    const platformCode = str(body?.error) ?? str(body?.code);
    const description = str(body?.error_description) ?? str(body?.description) ?? str(body?.message);
    const what = [`HTTP ${status}`, platformCode, description && `"${description}"`].filter(Boolean).join(' ');
    const suffix = correlationId ? ` [correlation id ${correlationId}]` : '';
    if (status === 400 || status === 401) {
      throw new GenesysAuthError(
        this.scrub(`Genesys login at ${this.loginHost} refused the client credentials (${what}): check client id, secret and region${suffix}`),
        'AUTH_FAILED',
        { ...common, platformCode },
      );
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
      throw new GenesysAuthError(this.scrub(`Genesys login at ${this.loginHost} is rate limiting token requests (${what})${suffix}`), 'LOGIN_RATE_LIMITED', {
        ...common,
        platformCode,
        retryable: true,
        retryAfterMs,
      });
    }
    throw new GenesysAuthError(this.scrub(`Genesys login at ${this.loginHost} failed (${what})${suffix}`), 'LOGIN_UNAVAILABLE', {
      ...common,
      platformCode,
      retryable: status >= 500 || status === 408,
    });
  }

  private scrub(text: string): string {
    return scrubSecrets(text, [this.#secret, this.#token?.value]);
  }

  private setStatus(status: TokenStatus): void {
    this.#status = status;
    for (const listener of [...this.#listeners]) {
      try {
        listener(status);
      } catch {
        // a listener's bug must not break token handling for every other user
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        timer: this.clock.setTimeout(() => {
          this.#sleeps.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.#sleeps.add(entry);
    });
  }
}

function closedError(): GenesysAuthError {
  return new GenesysAuthError('The Genesys token provider was closed', 'CLOSED');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function safeHost(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

/** Client ids are not secret, but logs only need enough to tell clients apart. */
export function maskId(id: string): string {
  return id.length <= 8 ? id : `${id.slice(0, 8)}…`;
}

/** fetch() wraps the real cause (ECONNREFUSED, ENOTFOUND...) in a generic "fetch failed". */
export function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code} (${cause.message})` : cause.message;
    }
    return err.message;
  }
  return String(err);
}
