/**
 * Errors from the Genesys platform: login (token) failures and REST API failures. Both carry what
 * support needs (HTTP status, the platform's error code and message, ININ-Correlation-ID) and
 * never a client secret or access token: messages are built from safe parts only and scrubbed.
 */

/** The platform's ErrorBody (reference §8) and the OAuth error body (§1.2), both optional. */
export interface PlatformErrorBody {
  message?: string;
  code?: string;
  status?: number;
  contextId?: string;
  error?: string;
  error_description?: string;
  description?: string;
  [key: string]: unknown;
}

export type GenesysAuthErrorCode =
  | 'AUTH_FAILED' // 400/401 from /oauth/token: wrong client id, secret or region
  | 'LOGIN_RATE_LIMITED' // 429 from /oauth/token
  | 'LOGIN_UNAVAILABLE' // 5xx / unexpected status from /oauth/token
  | 'LOGIN_UNREACHABLE' // network error or timeout
  | 'BAD_TOKEN_RESPONSE' // 200 without a usable access_token / expires_in
  | 'NOT_CONFIGURED' // no client id / secret, bad region settings
  | 'CLOSED'; // the provider was closed while waiting

export class GenesysAuthError extends Error {
  override readonly name = 'GenesysAuthError';
  constructor(
    message: string,
    readonly code: GenesysAuthErrorCode,
    readonly details: {
      status?: number;
      loginHost?: string;
      platformCode?: string;
      correlationId?: string;
      retryable?: boolean;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
}

export class GenesysApiError extends Error {
  override readonly name = 'GenesysApiError';
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** Platform error code, e.g. "not.found", "too.many.requests.retry.after". */
  readonly code?: string;
  /** The platform's human message from the error body. */
  readonly platformMessage?: string;
  /** ININ-Correlation-ID response header: quote it in Genesys support cases. */
  readonly correlationId?: string;
  /** ErrorBody.contextId. */
  readonly contextId?: string;
  readonly method: string;
  readonly path: string;
  /** Retry-After of a 429, in ms. */
  readonly retryAfterMs?: number;
  /** The parsed error body (platform JSON), when there was one. */
  readonly body?: PlatformErrorBody;

  constructor(init: {
    method: string;
    path: string;
    status: number;
    reason?: string;
    body?: PlatformErrorBody;
    correlationId?: string;
    retryAfterMs?: number;
  }) {
    const code = typeof init.body?.code === 'string' ? init.body.code : undefined;
    const platformMessage = typeof init.body?.message === 'string' ? init.body.message : undefined;
    const what = init.status ? `HTTP ${init.status}` : (init.reason ?? 'no response');
    const parts = [`Genesys API ${init.method} ${init.path} failed: ${what}`];
    if (code) parts.push(code);
    if (platformMessage) parts.push(`"${platformMessage}"`);
    if (init.status && init.reason) parts.push(`(${init.reason})`);
    if (init.correlationId) parts.push(`[correlation id ${init.correlationId}]`);
    super(parts.join(' '));
    this.status = init.status;
    this.code = code;
    this.platformMessage = platformMessage;
    this.correlationId = init.correlationId;
    this.contextId = typeof init.body?.contextId === 'string' ? init.body.contextId : undefined;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
  }
}

/** Parses a body that should be a platform error object; anything else gives undefined. */
export function parsePlatformErrorBody(text: string): PlatformErrorBody | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PlatformErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Default wait when a 429 has no usable Retry-After (the Java SDK's fallback). */
export const DEFAULT_RETRY_AFTER_MS = 3000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms of RFC 9110 5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** RFC 850's two-digit year: one more than 50 years ahead is the latest such year in the past (RFC 9110). */
function rfc850Year(yy: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = thisYear - (thisYear % 100) + yy;
  return year > thisYear + 50 ? year - 100 : year;
}

/**
 * Epoch ms of an HTTP-date, or undefined. Not Date.parse: V8 reads almost anything as a date
 * ('-1', 'May 5', 'soon 1'), and a garbage Retry-After must not mean "retry now".
 */
function parseHttpDate(text: string, now: number): number | undefined {
  let m: RegExpExecArray | null;
  let d: { day: string; month: string; year: number; time: string[] };
  if ((m = IMF_FIXDATE.exec(text))) d = { day: m[1]!, month: m[2]!, year: Number(m[3]), time: m.slice(4, 7) };
  else if ((m = RFC850_DATE.exec(text))) d = { day: m[1]!, month: m[2]!, year: rfc850Year(Number(m[3]), now), time: m.slice(4, 7) };
  else if ((m = ASCTIME_DATE.exec(text))) d = { day: m[2]!, month: m[1]!, year: Number(m[6]), time: m.slice(3, 6) };
  else return undefined;
  const [h, min, sec] = d.time.map(Number) as [number, number, number];
  const day = Number(d.day); // asctime pads with a space: ' 6'
  const date = new Date(0);
  date.setUTCFullYear(d.year, MONTHS.indexOf(d.month), day);
  if (date.getUTCDate() !== day || h > 23 || min > 59 || sec > 60) return undefined; // 31 Feb, 25:00 (60: leap second)
  return date.getTime() + ((h * 60 + min) * 60 + sec) * 1000;
}

/** Retry-After in ms: delta seconds (what Genesys sends) or an HTTP date; undefined if absent/bad. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

/** Replaces every occurrence of the given secrets (non-empty, length >= 4) with [redacted]. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}
