import assert from 'node:assert/strict';
import { subscriptionAction } from '../../../lib/transcript/feed-request';
import { InputError } from '../../../lib/util/errors';

describe('transcript feed requests', () => {
  it('reads the action from payload.action or a string payload', () => {
    assert.equal(subscriptionAction({ action: 'subscribe', conversationId: 'c1' }), 'subscribe');
    assert.equal(subscriptionAction('unsubscribe'), 'unsubscribe');
  });

  it('rejects anything else with INVALID_ACTION and says what it got', () => {
    const cases: Array<[unknown, string]> = [
      [{ action: 'Subscribe' }, '"Subscribe"'],
      [{}, 'nothing'],
      [undefined, 'nothing'],
      [['subscribe'], '["subscribe"]'],
      [null, 'null'],
      [7, '7'],
    ];
    for (const [payload, got] of cases) {
      assert.throws(
        () => subscriptionAction(payload),
        (err: unknown) => err instanceof InputError && err.code === 'INVALID_ACTION' && err.path === 'payload.action' && err.message.endsWith(`got ${got})`),
        JSON.stringify(payload) ?? 'undefined',
      );
    }
  });
});
