import { systemClock, type Clock, type TimerHandle } from './clock';

/**
 * Counts events in the last `windowMs` (e.g. "3 alerts in the last minute"). An event recorded at
 * t counts while now - t <= windowMs. With `onExpire`, the counter calls it when an event leaves
 * the window, so a status showing the count can be redrawn then instead of polled.
 */
export class SlidingWindowCounter {
  // Event times in order; old ones are dropped from the front.
  private readonly times: number[] = [];
  private expiryTimer: TimerHandle | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly onExpire?: () => void,
    private readonly clock: Clock = systemClock,
  ) {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`window must be a positive number of ms (got ${windowMs})`);
  }

  /** Records one event now. */
  record(): void {
    this.times.push(this.clock.now());
    this.armExpiry();
  }

  /** Events within the window, as of now. */
  count(): number {
    this.prune();
    return this.times.length;
  }

  /** Forgets every event and drops the pending expiry callback (on close). */
  clear(): void {
    this.times.length = 0;
    this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private prune(): void {
    const oldest = this.clock.now() - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop] < oldest) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }

  // One timer at a time, set for the oldest event's expiry; it re-arms for the next one.
  private armExpiry(): void {
    if (!this.onExpire || this.expiryTimer !== undefined) return;
    this.prune();
    if (this.times.length === 0) return;
    const wait = this.times[0] + this.windowMs + 1 - this.clock.now();
    this.expiryTimer = this.clock.setTimeout(() => {
      this.expiryTimer = undefined;
      this.prune();
      this.armExpiry();
      this.onExpire?.();
    }, wait);
  }
}
