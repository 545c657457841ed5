/**
 * Time source for everything in lib/ that waits or measures. Production code gets `systemClock`;
 * tests inject a manual clock (test/support/manual-clock.ts) so timing rules are deterministic.
 */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/**
 * The longest wait a Node.js timer takes (2^31 - 1 ms, 24.8 days). Node runs a longer one after 1 ms,
 * so a week-long setting read as a month turned an idle check into a loop firing every millisecond.
 */
export const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    // Waits past the longest end early, at MAX_TIMER_MS: callers that wait that long re-check the time.
    const t = setTimeout(fn, Math.min(ms, MAX_TIMER_MS));
    // A pending retry or watchdog must never keep a stopped runtime alive.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
