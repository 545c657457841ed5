import assert from 'node:assert/strict';
import { SlidingWindowCounter } from '../../../lib/util/sliding-window';
import { ManualClock } from '../../support/manual-clock';

describe('lib/util SlidingWindowCounter', () => {
  it('counts events while they are at most windowMs old', () => {
    const clock = new ManualClock();
    const c = new SlidingWindowCounter(60_000, undefined, clock);
    assert.equal(c.count(), 0);
    c.record();
    clock.advance(30_000);
    c.record();
    c.record();
    assert.equal(c.count(), 3);
    clock.advance(30_000);
    assert.equal(c.count(), 3, 'exactly windowMs old still counts');
    clock.advance(1);
    assert.equal(c.count(), 2);
    clock.advance(30_000);
    assert.equal(c.count(), 0);
    assert.equal(clock.pending, 0, 'no timer without onExpire');
  });

  it('calls onExpire when events leave the window, one timer at a time', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const c = new SlidingWindowCounter(1000, () => seen.push(c.count()), clock);
    c.record();
    c.record();
    clock.advance(400);
    c.record();
    assert.equal(clock.pending, 1);
    clock.advance(601);
    assert.deepEqual(seen, [1], 'the two first events expire together');
    clock.advance(400);
    assert.deepEqual(seen, [1, 0]);
    assert.equal(clock.pending, 0);
  });

  it('clear forgets the events and the pending callback', () => {
    const clock = new ManualClock();
    let calls = 0;
    const c = new SlidingWindowCounter(1000, () => calls++, clock);
    c.record();
    c.clear();
    assert.equal(c.count(), 0);
    assert.equal(clock.pending, 0);
    clock.advance(5000);
    assert.equal(calls, 0);
  });

  it('refuses a window that is not a positive number', () => {
    for (const ms of [0, -5, Number.NaN, Infinity]) assert.throws(() => new SlidingWindowCounter(ms), RangeError);
  });
});
