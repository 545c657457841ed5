import assert from 'node:assert/strict';
import { Throttled } from '../../../lib/util/throttle';
import { backoffDelay, Backoff } from '../../../lib/util/backoff';
import { toError, truncate } from '../../../lib/util/errors';
import { seededRandom } from '../../../lib/util/random';
import { luhnValid, withLuhnDigit } from '../../../lib/redact/checksums';
import { ManualClock } from '../../support/manual-clock';

describe('lib/util', () => {
  describe('Throttled', () => {
    it('runs at once after a quiet interval and coalesces requests inside it into one trailing run', () => {
      const clock = new ManualClock();
      let runs = 0;
      const t = new Throttled(() => runs++, 1000, clock);
      t.request();
      assert.equal(runs, 1);
      t.request();
      t.request();
      clock.advance(999);
      assert.equal(runs, 1);
      clock.advance(1);
      assert.equal(runs, 2);
      clock.advance(5000);
      assert.equal(runs, 2, 'no run without a request');
      t.request();
      assert.equal(runs, 3);
    });

    it('cancel drops the pending trailing run', () => {
      const clock = new ManualClock();
      let runs = 0;
      const t = new Throttled(() => runs++, 1000, clock);
      t.request();
      t.request();
      t.cancel();
      clock.advance(2000);
      assert.equal(runs, 1);
      assert.equal(clock.pending, 0);
    });
  });

  describe('backoff', () => {
    it('grows by the factor, is capped, and jitter only shortens the delay', () => {
      const opts = { initialMs: 100, maxMs: 1000, jitter: 0 };
      assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts)), [100, 200, 400, 800, 1000, 1000]);
      assert.equal(backoffDelay(2, { ...opts, jitter: 0.5, random: () => 1 }), 200);
      assert.equal(backoffDelay(2, { ...opts, jitter: 0.5, random: () => 0 }), 400);
      const b = new Backoff(opts);
      b.next();
      b.next();
      assert.equal(b.attempts, 2);
      b.reset();
      assert.equal(b.next(), 100);
    });
  });

  describe('errors', () => {
    it('toError keeps Errors and wraps other thrown values', () => {
      const e = new Error('x');
      assert.equal(toError(e), e);
      assert.equal(toError('plain').message, 'plain');
      assert.equal(toError({ a: 1 }).message, '{"a":1}');
    });
    it('truncate cuts long text and says how much was cut', () => {
      assert.equal(truncate('abc', 5), 'abc');
      assert.match(truncate('x'.repeat(10), 4), /^xxxx… \(6 more chars\)$/);
    });
  });

  describe('seededRandom', () => {
    it('repeats its sequence for a seed, differs across seeds, stays in [0, 1)', () => {
      const a = seededRandom(42);
      const b = seededRandom(42);
      const xs = Array.from({ length: 1000 }, () => a());
      assert.deepEqual(Array.from({ length: 1000 }, () => b()), xs);
      assert.notEqual(seededRandom(43)(), xs[0]);
      assert.ok(xs.every((x) => x >= 0 && x < 1));
    });
  });

  describe('withLuhnDigit', () => {
    it('appends the check digit that makes the number Luhn-valid', () => {
      assert.equal(withLuhnDigit('411111111111111'), '4111111111111111');
      assert.ok(luhnValid(withLuhnDigit('7992739871')));
      assert.throws(() => withLuhnDigit('12a'));
    });
  });
});
