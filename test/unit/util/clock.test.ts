import { strict as assert } from 'node:assert';
import { MAX_TIMER_MS, systemClock } from '../../../lib/util/clock';

describe('systemClock', () => {
  it('waits at most a timer\'s longest wait (Node runs a longer one after 1 ms)', () => {
    const original = globalThis.setTimeout;
    const delays: Array<number | undefined> = [];
    // Records the delay Node is given, and arms nothing.
    globalThis.setTimeout = ((_fn: () => void, ms?: number) => {
      delays.push(ms);
      return original(() => undefined, 0);
    }) as typeof setTimeout;
    try {
      systemClock.setTimeout(() => undefined, 60 * 24 * 3600 * 1000);
      systemClock.setTimeout(() => undefined, 1500);
    } finally {
      globalThis.setTimeout = original;
    }
    assert.deepEqual(delays, [MAX_TIMER_MS, 1500]);
  });
});
