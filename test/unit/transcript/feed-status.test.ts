import assert from 'node:assert/strict';
import { ERROR_AFTER_ATTEMPTS, feedNotStartedStatus, feedStatus, shortReason } from '../../../lib/transcript/feed-status';
import { InputError } from '../../../lib/util/errors';

describe('transcript feed status', () => {
  it('connecting, connected with live count and bad frames, stopped clears', () => {
    assert.deepEqual(feedStatus({ state: 'idle', live: 0 }, undefined, 0), { fill: 'yellow', shape: 'ring', text: 'connecting' });
    assert.deepEqual(feedStatus({ state: 'connecting', live: 0 }, undefined, 0), { fill: 'yellow', shape: 'ring', text: 'connecting' });
    assert.deepEqual(feedStatus({ state: 'connected', live: 2 }, undefined, 0), { fill: 'green', shape: 'dot', text: 'connected 2 live' });
    assert.deepEqual(feedStatus({ state: 'connected', live: 1 }, undefined, 3), { fill: 'green', shape: 'dot', text: 'connected 1 live (3 bad frames)' });
    assert.deepEqual(feedStatus({ state: 'stopped', live: 0 }, undefined, 3), {});
  });

  it('yellow for the first reconnect attempts, then red with the short reason', () => {
    const reason = 'connect ECONNREFUSED 127.0.0.1:4000';
    assert.deepEqual(feedStatus({ state: 'reconnecting', live: 0 }, undefined, 0), { fill: 'yellow', shape: 'ring', text: 'reconnecting (attempt 1)' });
    assert.deepEqual(feedStatus({ state: 'reconnecting', live: 1, attempt: ERROR_AFTER_ATTEMPTS - 1, reason }, undefined, 0), { fill: 'yellow', shape: 'ring', text: `reconnecting (attempt ${ERROR_AFTER_ATTEMPTS - 1})` });
    assert.deepEqual(feedStatus({ state: 'reconnecting', live: 1, attempt: ERROR_AFTER_ATTEMPTS, reason }, undefined, 0), { fill: 'red', shape: 'ring', text: `connection refused (attempt ${ERROR_AFTER_ATTEMPTS})` });
    // Without a reason there is nothing better to say than "reconnecting".
    assert.deepEqual(feedStatus({ state: 'reconnecting', live: 0, attempt: 9 }, undefined, 0), { fill: 'yellow', shape: 'ring', text: 'reconnecting (attempt 9)' });
  });

  it('an auth error wins unless the feed is connected anyway', () => {
    const authError = { state: 'error' as const, text: 'login failed' };
    assert.deepEqual(feedStatus({ state: 'reconnecting', live: 0, attempt: 1 }, authError, 0), { fill: 'red', shape: 'ring', text: 'login failed' });
    assert.deepEqual(feedStatus({ state: 'connecting', live: 0 }, { state: 'error', text: '' }, 0), { fill: 'red', shape: 'ring', text: 'auth error' });
    assert.deepEqual(feedStatus({ state: 'connected', live: 1 }, authError, 0), { fill: 'green', shape: 'dot', text: 'connected 1 live' });
    assert.deepEqual(feedStatus({ state: 'connecting', live: 0 }, { state: 'connected', text: 'ok' }, 0), { fill: 'yellow', shape: 'ring', text: 'connecting' });
  });

  it('shortReason keeps HTTP codes and names network failures, cuts the rest', () => {
    assert.equal(shortReason('Genesys API POST /api/v2/notifications/channels failed: HTTP 503 Service Unavailable'), 'HTTP 503');
    assert.equal(shortReason('socket hang up: connection refused'), 'connection refused');
    assert.equal(shortReason('connect ETIMEDOUT 10.0.0.1:443'), 'timed out');
    assert.equal(shortReason('handshake timed out'), 'timed out');
    assert.equal(shortReason('getaddrinfo ENOTFOUND api.example.invalid'), 'host not found');
    assert.equal(shortReason('getaddrinfo EAI_AGAIN api.example.invalid'), 'host not found');
    assert.equal(shortReason('closed 1006'), 'closed 1006');
    const long = 'x'.repeat(40);
    assert.equal(shortReason(long), `${'x'.repeat(31)}…`);
    assert.equal(shortReason('y'.repeat(32)), 'y'.repeat(32));
    assert.equal(shortReason(''), '');
  });

  it('a node that could not start: config error for bad settings, else not configured', () => {
    assert.deepEqual(feedNotStartedStatus(new InputError('bad', 'INVALID_CONFIG')), { fill: 'red', shape: 'ring', text: 'config error' });
    assert.deepEqual(feedNotStartedStatus(new Error('no client id')), { fill: 'red', shape: 'ring', text: 'not configured' });
    assert.deepEqual(feedNotStartedStatus('oops'), { fill: 'red', shape: 'ring', text: 'not configured' });
  });
});
