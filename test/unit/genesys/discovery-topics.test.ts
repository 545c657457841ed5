import assert from 'node:assert/strict';
import { ConversationDiscovery } from '../../../lib/genesys/discovery';
import type { ConversationEvent } from '../../../lib/genesys/schemas';
import {
  classifyTopic,
  isTopicSafeId,
  queueConversationsTopic,
  suggestionTopics,
  transcriptionTopic,
  userConversationsTopic,
  userSummariesTopic,
} from '../../../lib/genesys/topics';

function generic(id: string, states: Array<[string, string, string?]>): ConversationEvent {
  return {
    id,
    participants: states.map(([pid, state, userId], i) => ({
      id: pid,
      purpose: i === 0 ? 'customer' : 'agent',
      ...(userId ? { userId } : {}),
      calls: [{ id: `${pid}-comm`, state }],
    })),
  };
}

describe('lib/genesys/topics', () => {
  it('builds and classifies every topic the pack uses', () => {
    assert.deepEqual(classifyTopic(transcriptionTopic('c-1')), { kind: 'transcription', conversationId: 'c-1' });
    assert.deepEqual(classifyTopic(queueConversationsTopic('q-1')), { kind: 'queue-conversations', queueId: 'q-1', calls: false });
    assert.deepEqual(classifyTopic(queueConversationsTopic('q-1', true)), { kind: 'queue-conversations', queueId: 'q-1', calls: true });
    assert.deepEqual(classifyTopic(userConversationsTopic('u-1')), { kind: 'user-conversations', userId: 'u-1', calls: false });
    assert.deepEqual(classifyTopic(userSummariesTopic('u-1')), { kind: 'summary', userId: 'u-1' });
    assert.deepEqual(
      suggestionTopics('c-1').map((t) => classifyTopic(t)),
      ['knowledge.search', 'knowledge.article', 'response', 'script', 'intent', 'thirdpartyaction'].map((s) => ({ kind: 'suggestion', conversationId: 'c-1', suggestion: s })),
    );
    assert.deepEqual(classifyTopic('channel.metadata'), { kind: 'heartbeat' });
    assert.deepEqual(classifyTopic('v2.system.socket_closing'), { kind: 'socket-closing' });
    assert.equal(classifyTopic('v2.system.token_revoked.x').kind, 'system');
    assert.equal(classifyTopic('v2.users.u.presence').kind, 'other');
  });

  it('refuses ids that would break a topic name', () => {
    assert.ok(isTopicSafeId('6f1c0a8e-1111-4222-8333-944455556666'));
    for (const bad of ['', 'a.b', 'a b', 'a?b', 'a&b']) assert.equal(isTopicSafeId(bad), false, bad);
  });
});

describe('lib/genesys/discovery', () => {
  it('discovers a conversation with participants and communication ids, then ends it when all left', () => {
    const d = new ConversationDiscovery();
    const [first] = d.update(generic('c1', [['p1', 'connected'], ['p2', 'alerting', 'agent-1']]), 'queue:q1');
    assert.equal(first?.type, 'discovered');
    assert.deepEqual(first?.conversation.communicationIds, ['p1-comm', 'p2-comm']);
    assert.deepEqual(first?.conversation.agentUserIds, ['agent-1']);
    assert.equal(first?.conversation.source, 'queue:q1');
    assert.equal(d.update(generic('c1', [['p1', 'connected'], ['p2', 'disconnected', 'agent-1']]), 'queue:q1')[0]?.type, 'updated');
    const [end] = d.update(generic('c1', [['p1', 'terminated'], ['p2', 'disconnected', 'agent-1']]), 'queue:q1');
    assert.equal(end?.type, 'ended');
    assert.equal(d.size, 0);
    // A late event of an ended conversation does not rediscover it.
    assert.deepEqual(d.update(generic('c1', [['p1', 'connected']]), 'queue:q1'), []);
  });

  it('reads the .calls variant (participant state, user.id) and keeps ids learned from the generic topic', () => {
    const d = new ConversationDiscovery();
    d.update(generic('c2', [['p1', 'connected'], ['p2', 'connected', 'agent-2']]), 'queue:q1');
    const [u] = d.update(
      { id: 'c2', participants: [{ id: 'p1', purpose: 'customer', state: 'connected' }, { id: 'p2', purpose: 'agent', state: 'connected', user: { id: 'agent-2' } }] },
      'queue:q1',
    );
    assert.deepEqual(u?.conversation.communicationIds, ['p1-comm', 'p2-comm']);
    const [end] = d.update({ id: 'c2', participants: [{ id: 'p1', state: 'disconnected' }, { id: 'p2', state: 'terminated' }] }, 'queue:q1');
    assert.equal(end?.type, 'ended');
  });

  it('ignores a conversation first seen already over, and end() forgets one', () => {
    const d = new ConversationDiscovery({ endedMemory: 2 });
    assert.deepEqual(d.update(generic('c3', [['p1', 'disconnected']]), 'user:u'), []);
    d.update(generic('c4', [['p1', 'connected']]), 'user:u');
    assert.equal(d.end('c4')?.conversationId, 'c4');
    assert.equal(d.size, 0);
  });
});
