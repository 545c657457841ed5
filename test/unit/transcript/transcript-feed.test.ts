import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ChannelManager } from '../../../lib/genesys/channel-manager';
import type { Envelope } from '../../../lib/genesys/schemas';
import { queueConversationsTopic, transcriptionTopic, userSummariesTopic } from '../../../lib/genesys/topics';
import { shardOf } from '../../../lib/transcript/shard';
import { TranscriptFeed, type LifecycleEvent, type TranscriptFeedOptions, type UtteranceBatch } from '../../../lib/transcript/transcript-feed';
import { ManualClock } from '../../support/manual-clock';

/** Stands in for the channel manager: records the topic set, lets the test push envelopes. */
class FakeManager extends EventEmitter {
  readonly topicSet = new Set<string>();
  subscribe(topics: Iterable<string>): void {
    for (const t of topics) this.topicSet.add(t);
  }
  unsubscribe(topics: Iterable<string>): void {
    for (const t of topics) this.topicSet.delete(t);
  }
  start(): void {}
  async stop(): Promise<void> {}
  push(topicName: string, eventBody: Record<string, unknown>): void {
    const env: Envelope = { topicName, eventBody };
    this.emit('event', env, { channelId: 'ch', raw: JSON.stringify(env), receivedAt: 1 });
  }
}

function result(id: string, isFinal: boolean, text: string) {
  return { utteranceId: id, isFinal, channel: 'EXTERNAL', alternatives: [{ offsetMs: 100, durationMs: 500, transcript: text }] };
}
function body(conv: string, results: unknown[], status = 'SESSION_ONGOING') {
  return { conversationId: conv, transcriptionStartTimeMs: 1000, transcripts: results, status: { status, offsetMs: 0 } };
}
function conversation(id: string, state: string, agent = 'agent-1') {
  return {
    id,
    participants: [
      { id: `${id}-c`, purpose: 'customer', calls: [{ id: `${id}-cc`, state }] },
      { id: `${id}-a`, purpose: 'agent', userId: agent, calls: [{ id: `${id}-ac`, state }] },
    ],
  };
}

function setup(opts: Partial<TranscriptFeedOptions> = {}) {
  const manager = new FakeManager();
  const clock = new ManualClock();
  const feed = new TranscriptFeed({ manager: manager as unknown as ChannelManager, clock, ...opts });
  const batches: UtteranceBatch[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const bad: string[] = [];
  feed.on('utterances', (b) => batches.push(b));
  feed.on('lifecycle', (e) => lifecycle.push(e));
  feed.on('bad-frame', (b) => bad.push(b.error.message));
  const texts = () => batches.flatMap((b) => b.utterances.map((u) => `${u.utteranceId}:${u.isFinal ? 'F' : 'P'}:${u.text}`));
  return { manager, clock, feed, batches, lifecycle, bad, texts };
}

describe('lib/transcript/transcript-feed', () => {
  it('subscribes fixed ids (and their suggestion topics when asked)', () => {
    const { manager } = setup({ conversationIds: ['c1'], forwardSuggestions: true });
    assert.equal(manager.topicSet.size, 7);
    assert.ok(manager.topicSet.has(transcriptionTopic('c1')));
  });

  it('emits each result once: duplicates and partials after their final are dropped', () => {
    const { manager, texts, lifecycle } = setup({ conversationIds: ['c1'] });
    manager.push(transcriptionTopic('c1'), body('c1', []));
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', false, 'hel')]));
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', false, 'hel')]));
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', true, 'hello')]));
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', false, 'hello')]));
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', true, 'hello')]));
    assert.deepEqual(texts(), ['u1:P:hel', 'u1:F:hello']);
    assert.deepEqual(lifecycle.map((e) => e.event), ['session-started']);
  });

  it('drops partials when they are turned off, and ignores events of conversations it does not hold', () => {
    const { manager, texts } = setup({ conversationIds: ['c1'], includePartials: false });
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', false, 'hel'), result('u2', true, 'yes')]));
    manager.push(transcriptionTopic('other'), body('other', [result('u9', true, 'no')]));
    assert.deepEqual(texts(), ['u2:F:yes']);
  });

  it('reports a schema-invalid body as a bad frame and goes on', () => {
    const { manager, bad, texts } = setup({ conversationIds: ['c1'] });
    manager.push(transcriptionTopic('c1'), { conversationId: 'c1', transcripts: [{ utteranceId: 'u', isFinal: 'yes', channel: 'INTERNAL' }] });
    manager.push(transcriptionTopic('c1'), body('c1', [result('u1', true, 'ok')]));
    assert.equal(bad.length, 1);
    assert.match(bad[0]!, /transcripts\[0\]\.isFinal must be boolean/);
    assert.deepEqual(texts(), ['u1:F:ok']);
  });

  it('reports an event whose times add up to Infinity as a bad frame, sending no utterance', () => {
    const { manager, bad, texts, lifecycle } = setup({ conversationIds: ['c1'] });
    const huge = { ...result('u1', true, 'x'), alternatives: [{ offsetMs: 1e308, durationMs: 0, transcript: 'x' }] };
    manager.push(transcriptionTopic('c1'), { ...body('c1', [huge]), transcriptionStartTimeMs: 1e308 });
    assert.equal(bad.length, 1);
    assert.match(bad[0]!, /transcripts\[0\]\.alternatives\[0\] times are out of range/);
    assert.deepEqual(texts(), []);
    assert.deepEqual(lifecycle, []);
  });

  it('discovers from a queue, follows the agent summaries topic, and lets it go after the grace time', async () => {
    const { manager, clock, lifecycle } = setup({ queueIds: ['q1'], forwardSummaries: true, summaryGraceMs: 1000 });
    assert.ok(manager.topicSet.has(queueConversationsTopic('q1')));
    manager.push(queueConversationsTopic('q1'), conversation('c7', 'connected'));
    assert.ok(manager.topicSet.has(transcriptionTopic('c7')));
    assert.ok(manager.topicSet.has(userSummariesTopic('agent-1')));
    manager.push(transcriptionTopic('c7'), body('c7', [], 'SESSION_ENDED'));
    assert.ok(!manager.topicSet.has(transcriptionTopic('c7')));
    manager.push(queueConversationsTopic('q1'), conversation('c7', 'disconnected'));
    assert.deepEqual(lifecycle.map((e) => e.event), ['conversation-discovered', 'session-ended', 'conversation-ended']);
    // The summary comes after the call: the topic stays for the grace time.
    await clock.tick(999);
    assert.ok(manager.topicSet.has(userSummariesTopic('agent-1')));
    await clock.tick(1);
    assert.ok(!manager.topicSet.has(userSummariesTopic('agent-1')));
  });

  it('turns a rejected transcription topic into subscription-rejected and conversation-ended', () => {
    const { manager, lifecycle, feed } = setup({ conversationIds: ['c1'] });
    manager.emit('rejected', [{ topic: transcriptionTopic('c1'), reason: 'no permission', missingPermissions: ['conversation:transcription:view'] }]);
    assert.deepEqual(lifecycle, [
      { event: 'subscription-rejected', topic: transcriptionTopic('c1'), conversationId: 'c1', reason: 'no permission', missingPermissions: ['conversation:transcription:view'] },
      { event: 'conversation-ended', conversationId: 'c1', reason: 'rejected' },
    ]);
    assert.equal(feed.liveCount, 0);
  });

  it('keeps only its shard, for discovered and requested conversations', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `conv-${i}`);
    const { manager, feed } = setup({ queueIds: ['q1'], shard: { index: 1, count: 2 } });
    for (const id of ids) manager.push(queueConversationsTopic('q1'), conversation(id, 'connected'));
    const mine = ids.filter((id) => shardOf(id, 2) === 1);
    assert.ok(mine.length > 0 && mine.length < ids.length);
    assert.deepEqual(feed.liveConversationIds.sort(), mine.sort());
    const other = ids.find((id) => shardOf(id, 2) === 2)!;
    assert.equal(feed.subscribe(`${other}`), false);
  });

  it('rejects ids that cannot be placed in a topic', () => {
    assert.throws(() => setup({ conversationIds: ['a.b'] }), /conversation id must be a non-empty id/);
    const { feed } = setup();
    assert.throws(() => feed.subscribe(''), /conversationId must be a non-empty id/);
    assert.equal(feed.unsubscribe('never'), false);
  });
});
