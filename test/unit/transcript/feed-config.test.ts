import assert from 'node:assert/strict';
import type { RestClient, TokenSource } from '../../../lib/genesys/types';
import { feedOptionsFromDialog, idList, type TranscriptInDialog } from '../../../lib/transcript/feed-config';
import { InputError } from '../../../lib/util/errors';

// Never called: the options only carry them to the channel manager.
const rest: RestClient = { request: () => Promise.reject(new Error('not used')) };
const tokens: TokenSource = { getToken: () => Promise.resolve('test-token-not-real'), invalidate: () => undefined };
const connection = { rest, tokens };

function configError(fn: () => unknown, path: string): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.equal(err.path, path);
    return err;
  }
  assert.fail(`expected a configuration error for ${path}`);
}

describe('transcript feed config (transcript-in dialog)', () => {
  it('fills the defaults for an empty dialog', () => {
    assert.deepEqual(feedOptionsFromDialog({}, connection), {
      channel: { rest, tokens, heartbeatTimeoutMs: 60_000, probeTimeoutMs: 10_000, backoff: { initialMs: 500, maxMs: 15_000, jitter: 0.5 } },
      conversationIds: [],
      queueIds: [],
      userIds: [],
      includePartials: true,
      forwardSummaries: false,
      forwardSuggestions: false,
      offsetReference: 'transcriptionStart',
      shard: { index: 1, count: 1 },
    });
  });

  it('takes every dialog field, numbers as strings, and the test tuning', () => {
    const o = feedOptionsFromDialog(
      {
        conversationIds: 'c1, c2;c1', queueIds: ' q1\nq2 ', userIds: 'u1', partials: false, summaries: true, suggestions: true,
        heartbeatTimeout: '5', offsetReference: 'sessionStart', shardIndex: '2', shardCount: '3',
        tuning: { backoffInitialMs: 10, backoffMaxMs: 50, maxFrameBytes: 4096, maintenanceIntervalMs: 100 },
      },
      { rest },
    );
    assert.deepEqual(o.channel, { rest, tokens: undefined, heartbeatTimeoutMs: 5000, probeTimeoutMs: 5000, backoff: { initialMs: 10, maxMs: 50, jitter: 0.5 }, maxFrameBytes: 4096, maintenanceIntervalMs: 100 });
    assert.deepEqual([o.conversationIds, o.queueIds, o.userIds], [['c1', 'c2'], ['q1', 'q2'], ['u1']]);
    assert.deepEqual([o.includePartials, o.forwardSummaries, o.forwardSuggestions], [false, true, true]);
    assert.equal(o.offsetReference, 'sessionStart');
    assert.deepEqual(o.shard, { index: 2, count: 3 });
  });

  it('probes after at most 10 s, sooner with a short heartbeat timeout; tuning overrides', () => {
    assert.equal(feedOptionsFromDialog({ heartbeatTimeout: 0.5 }, connection).channel?.probeTimeoutMs, 500);
    assert.equal(feedOptionsFromDialog({ heartbeatTimeout: 3600 }, connection).channel?.probeTimeoutMs, 10_000);
    assert.equal(feedOptionsFromDialog({ heartbeatTimeout: 3600, tuning: { probeTimeoutMs: 7 } }, connection).channel?.probeTimeoutMs, 7);
  });

  it('rejects an unknown offset reference', () => {
    const err = configError(() => feedOptionsFromDialog({ offsetReference: 'wallClock' }, connection), 'offsetReference');
    assert.equal(err.message, 'unknown offset reference "wallClock"');
  });

  it('rejects a heartbeat timeout that is not a number from 0.01 to 3600 s', () => {
    for (const bad of ['abc', '0', ' ', 0.001, 3601, '-1', Number.NaN, Infinity, true]) {
      const err = configError(() => feedOptionsFromDialog({ heartbeatTimeout: bad } as TranscriptInDialog, connection), 'heartbeatTimeout');
      assert.match(err.message, /^heartbeatTimeout must be a number from 0.01 to 3600 \(got /);
    }
  });

  it('rejects a bad shard, checked after the other fields', () => {
    configError(() => feedOptionsFromDialog({ shardIndex: 4, shardCount: 3 }, connection), 'shardIndex');
    configError(() => feedOptionsFromDialog({ shardIndex: 1, shardCount: '2000' }, connection), 'shardCount');
    configError(() => feedOptionsFromDialog({ shardIndex: 4, shardCount: 3, heartbeatTimeout: 'x' }, connection), 'heartbeatTimeout');
    // Blank dialog fields are "not sharded".
    assert.deepEqual(feedOptionsFromDialog({ shardIndex: '', shardCount: '' }, connection).shard, { index: 1, count: 1 });
  });

  it('idList splits on whitespace, commas and semicolons, drops blanks and repeats, keeps order', () => {
    assert.deepEqual(idList('b, a;b\t c,, ;'), ['b', 'a', 'c']);
    assert.deepEqual(idList('   '), []);
    assert.deepEqual(idList(undefined), []);
    assert.deepEqual(idList(['a', 'b']), [], 'only dialog text');
    assert.deepEqual(idList(42), []);
  });
});
