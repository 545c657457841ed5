/**
 * Exponential backoff with full jitter and a cap: the one retry-delay policy of the pack
 * (token provider, REST client, channel reconnects, audit disk retries).
 */
export interface BackoffOptions {
  /** First delay in ms (before jitter). */
  initialMs: number;
  /** Upper bound for any delay in ms. */
  maxMs: number;
  /** Growth factor per attempt. Default 2. */
  factor?: number;
  /** 0 = no jitter, 1 = full jitter (delay drawn from [base*(1-jitter), base]). Default 0.5. */
  jitter?: number;
  /** Injectable randomness for deterministic tests. */
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const factor = opts.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  const random = opts.random ?? Math.random;
  const base = Math.min(opts.maxMs, opts.initialMs * Math.pow(factor, Math.max(0, attempt)));
  return Math.round(base * (1 - jitter * random()));
}

/** Stateful helper: next() gives the delay for the next attempt, reset() after a success. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions) {}
  next(): number {
    return backoffDelay(this.attempt++, this.opts);
  }
  reset(): void {
    this.attempt = 0;
  }
  get attempts(): number {
    return this.attempt;
  }
}
