import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../../lib/genesys/errors';

describe('lib/genesys/errors parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1);

  it('reads delta seconds and the three HTTP-date forms', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 2.5 ', now), 2500);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    const at = Date.UTC(2025, 0, 1, 0, 0, 30);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), at - now);
    assert.equal(parseRetryAfter('Wednesday, 01-Jan-25 00:00:30 GMT', now), at - now);
    assert.equal(parseRetryAfter('Wed Jan  1 00:00:30 2025', now), at - now);
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now), 0, 'a date in the past means retry now');
    assert.equal(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now), 0, 'a two-digit year 50+ years ahead is in the past');
  });

  it('gives undefined for what RFC 9110 does not allow (V8 Date.parse reads these as past dates)', () => {
    for (const bad of ['-1', '5, 5', 'soon 1', 'May 5', '1.', '', 'later', '2025-01-01T00:00:30Z', 'Wed, 31 Feb 2025 00:00:30 GMT', 'Wed, 01 Jan 2025 25:00:00 GMT', 'Wed, 01 Jan 2025 00:00:30 UTC', 'wed, 01 jan 2025 00:00:30 GMT']) {
      assert.equal(parseRetryAfter(bad, now), undefined, JSON.stringify(bad));
    }
  });
});
