import assert from 'node:assert/strict';
import { applyControlRequest, parseControlRequest, type ControllableSession } from '../../../lib/audiohook/control';
import type { DisconnectReason } from '../../../lib/audiohook/messages';
import type { SessionState } from '../../../lib/audiohook/session';
import { InputError } from '../../../lib/util/errors';

/** Records what control asked of it; `accepts` says whether the session could act. */
class FakeSession implements ControllableSession {
  calls: string[] = [];
  constructor(
    readonly sessionId: string,
    readonly conversationId: string | undefined,
    readonly state: SessionState = 'active',
    private readonly accepts = true,
  ) {}
  pause(): boolean {
    this.calls.push('pause');
    return this.accepts;
  }
  resume(): boolean {
    this.calls.push('resume');
    return this.accepts;
  }
  disconnect(reason: DisconnectReason, info?: string): boolean {
    this.calls.push(`disconnect ${reason}${info ? ` ${info}` : ''}`);
    return this.accepts;
  }
}

function inputError(fn: () => unknown, code: string): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected InputError ${code}`);
}

describe('audiohook control requests', () => {
  describe('parseControlRequest', () => {
    it('reads the request from msg or from an object payload, msg first', () => {
      assert.deepEqual(parseControlRequest({ action: 'pause', conversationId: 'c1' }), { action: 'pause', target: { conversationId: 'c1' }, reason: 'completed' });
      assert.deepEqual(parseControlRequest({ payload: { action: 'resume', sessionId: 's1' } }), { action: 'resume', target: { sessionId: 's1' }, reason: 'completed' });
      assert.deepEqual(parseControlRequest({ action: 'disconnect', payload: { action: 'pause', sessionId: 's1', reason: 'error' }, info: 'bye' }), {
        action: 'disconnect',
        target: { sessionId: 's1' },
        reason: 'error',
        info: 'bye',
      });
    });

    it('reads info from msg.payload too', () => {
      assert.equal(parseControlRequest({ payload: { action: 'disconnect', sessionId: 's1', info: 'agent left' } }).info, 'agent left');
    });

    it('prefers a sessionId over a conversationId', () => {
      assert.deepEqual(parseControlRequest({ action: 'pause', sessionId: 's1', conversationId: 'c1' }).target, { sessionId: 's1' });
      assert.deepEqual(parseControlRequest({ action: 'pause', sessionId: 42, conversationId: 'c1' }).target, { conversationId: 'c1' });
    });

    it('ignores a Buffer or string payload as the request source', () => {
      assert.deepEqual(parseControlRequest({ payload: Buffer.from('{"action":"pause"}'), action: 'pause', sessionId: 's1' }).target, { sessionId: 's1' });
      inputError(() => parseControlRequest({ payload: 'pause', sessionId: 's1' }), 'BAD_ACTION');
    });

    it('rejects a missing or unknown action', () => {
      const err = inputError(() => parseControlRequest({ sessionId: 's1' }), 'BAD_ACTION');
      assert.equal(err.message, 'msg.action must be one of pause, resume, disconnect');
      assert.equal(err.path, 'action');
      inputError(() => parseControlRequest({ action: 'PAUSE', sessionId: 's1' }), 'BAD_ACTION');
      inputError(() => parseControlRequest({ action: ['pause'], sessionId: 's1' }), 'BAD_ACTION');
      inputError(() => parseControlRequest({ payload: null, action: 'toString', sessionId: 's1' }), 'BAD_ACTION');
    });

    it('rejects a request without a string session or conversation id', () => {
      inputError(() => parseControlRequest({ action: 'pause' }), 'NO_TARGET');
      inputError(() => parseControlRequest({ action: 'pause', sessionId: 7, conversationId: { id: 'c1' } }), 'NO_TARGET');
      inputError(() => parseControlRequest({ action: 'pause', sessionId: '', conversationId: '' }), 'NO_TARGET');
      assert.deepEqual(parseControlRequest({ action: 'pause', sessionId: '', conversationId: 'c1' }).target, { conversationId: 'c1' });
    });

    it('checks the reason of a disconnect only', () => {
      const err = inputError(() => parseControlRequest({ action: 'disconnect', sessionId: 's1', reason: 'bored' }), 'BAD_REASON');
      assert.equal(err.message, 'msg.reason must be one of completed, unauthorized, error');
      assert.equal(parseControlRequest({ action: 'pause', sessionId: 's1', reason: 'bored' }).action, 'pause');
      assert.equal(parseControlRequest({ action: 'disconnect', sessionId: 's1', reason: 'unauthorized' }).reason, 'unauthorized');
    });

    it('keeps info only when it is a string', () => {
      assert.equal(parseControlRequest({ action: 'disconnect', sessionId: 's1', info: 12 }).info, undefined);
    });
  });

  describe('applyControlRequest', () => {
    it('acts on every session of a conversation and returns the first', () => {
      const a = new FakeSession('s1', 'c1');
      const b = new FakeSession('s2', 'c1');
      const other = new FakeSession('s3', 'c2');
      const first = applyControlRequest(parseControlRequest({ action: 'pause', conversationId: 'c1' }), new Set([a, other, b]));
      assert.equal(first, a);
      assert.deepEqual([a.calls, b.calls, other.calls], [['pause'], ['pause'], []]);
    });

    it('passes the reason and info to a disconnect, and targets one session by id', () => {
      const a = new FakeSession('s1', 'c1');
      const b = new FakeSession('s2', 'c1');
      applyControlRequest(parseControlRequest({ action: 'disconnect', sessionId: 's2', reason: 'error', info: 'agent left' }), [a, b]);
      assert.deepEqual([a.calls, b.calls], [[], ['disconnect error agent left']]);
    });

    it('says which session or conversation has no live session', () => {
      const s = [new FakeSession('s1', undefined)];
      assert.equal(inputError(() => applyControlRequest(parseControlRequest({ action: 'resume', sessionId: 'nope' }), s), 'NO_SESSION').message, 'no live AudioHook session for session nope');
      assert.equal(inputError(() => applyControlRequest(parseControlRequest({ action: 'resume', conversationId: 'c9' }), s), 'NO_SESSION').message, 'no live AudioHook session for conversation c9');
      inputError(() => applyControlRequest(parseControlRequest({ action: 'resume', sessionId: 's1' }), []), 'NO_SESSION');
    });

    it('fails with the state when no matching session can act now', () => {
      const closing = new FakeSession('s1', 'c1', 'closing', false);
      const err = inputError(() => applyControlRequest(parseControlRequest({ action: 'pause', conversationId: 'c1' }), [closing]), 'BAD_STATE');
      assert.equal(err.message, 'session is closing: cannot pause it now');
      // One of two acting is enough.
      const ok = new FakeSession('s2', 'c1');
      assert.equal(applyControlRequest(parseControlRequest({ action: 'pause', conversationId: 'c1' }), [closing, ok]), closing);
      assert.deepEqual(ok.calls, ['pause']);
    });
  });
});
