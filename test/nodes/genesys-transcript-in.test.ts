import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queueConversationsTopic } from '../../lib/genesys/topics';
import type { AttachedPlayer } from '../../lib/sim/player';
import type { SimServer } from '../../lib/sim/server';
import { inShard } from '../../lib/transcript/shard';
import { parseUtterance } from '../../lib/transcript/utterance';
import { helper } from '../support/node-red';
import { load, startSim, subscribed, transcription, transcriptionTopic, unsubscribed, type Msg } from './transcript-in-kit';

describe('genesys-transcript-in node', function () {
  this.timeout(20_000);
  let sim: SimServer;
  let attached: AttachedPlayer;

  beforeEach(async () => {
    ({ sim, attached } = await startSim());
  });
  afterEach(async () => {
    await helper.unload();
    attached.detach();
    await sim.close();
  });

  it('subscribes fixed conversation ids and sends one msg per result, msg.parts for several', async () => {
    const t = await load(sim, { conversationIds: 'conv-a\nconv-b' });
    await subscribed(sim, [transcriptionTopic('conv-a'), transcriptionTopic('conv-b')]);
    await t.statuses.wait((m) => m.some((s) => s.status && (s.status as { text: string }).text === 'connected 2 live'));
    sim.publish(transcriptionTopic('conv-a'), { ...transcription('conv-a', []), transcripts: [] });
    sim.publish(transcriptionTopic('conv-a'), transcription('conv-a', [1]));
    sim.publish(transcriptionTopic('conv-a'), transcription('conv-a', [2, 3]));
    const got = await t.utterances.count(3);
    const [one, two, three] = got as [Msg, Msg, Msg];
    assert.equal(one.topic, 'conv-a');
    assert.equal(one.payload.utteranceId, 'u-1');
    assert.equal(one.payload.speaker, 'customer');
    assert.equal(one.payload.startMs, Date.UTC(2026, 0, 1, 12) + 1000);
    assert.doesNotThrow(() => parseUtterance(one.payload));
    assert.equal((one.genesys as { topicName: string }).topicName, transcriptionTopic('conv-a'));
    assert.equal(one.parts, undefined);
    assert.deepEqual([two.parts, three.parts].map((p) => ({ ...(p as object), id: undefined })), [
      { id: undefined, index: 0, count: 2, type: 'array', len: 1 },
      { id: undefined, index: 1, count: 2, type: 'array', len: 1 },
    ]);
    assert.equal((two.parts as { id: string }).id, (three.parts as { id: string }).id);
    const started = await t.lifecycle.wait((m) => m.some((x) => x.payload.event === 'session-started'));
    assert.deepEqual(
      { ...started[0]!.payload },
      { event: 'session-started', conversationId: 'conv-a', communicationId: 'conv-a-comm', sessionStartTimeMs: Date.UTC(2026, 0, 1, 12) - 1200, transcriptionStartTimeMs: Date.UTC(2026, 0, 1, 12) },
    );
    assert.equal(started[0]!.event, 'session-started');
    // SESSION_ENDED: lifecycle event and the topic is given up.
    const gone = unsubscribed(sim, transcriptionTopic('conv-a'));
    sim.publish(transcriptionTopic('conv-a'), transcription('conv-a', [], { status: 'SESSION_ENDED' }));
    await t.lifecycle.wait((m) => m.some((x) => x.payload.event === 'session-ended' && x.topic === 'conv-a'));
    await gone;
    await t.statuses.wait((m) => m.some((s) => (s.status as { text: string }).text === 'connected 1 live'));
  });

  it('subscribes and unsubscribes at run time from input messages, done() after each', async () => {
    const t = await load(sim);
    await t.statuses.wait((m) => m.some((s) => (s.status as { text: string }).text === 'connected 0 live'));
    t.node.receive({ payload: { action: 'subscribe', conversationId: 'conv-x' } });
    await t.completed.count(1);
    await subscribed(sim, [transcriptionTopic('conv-x')]);
    sim.publish(transcriptionTopic('conv-x'), transcription('conv-x', [1]));
    await t.utterances.count(1);
    // The action string in msg.payload and the id in msg.topic work too.
    t.node.receive({ payload: 'unsubscribe', topic: 'conv-x' });
    await t.completed.count(2);
    await unsubscribed(sim, transcriptionTopic('conv-x'));
    const all = await t.lifecycle.wait((m) => m.some((x) => x.payload.event === 'conversation-ended'));
    const ended = all.find((x) => x.payload.event === 'conversation-ended');
    assert.deepEqual(ended?.payload, { event: 'conversation-ended', conversationId: 'conv-x', reason: 'unsubscribed' });
    assert.equal(t.caught.messages.length, 0);
  });

  it('ends bad requests with done(err) that a Catch node sees, and keeps running', async () => {
    const t = await load(sim);
    t.node.receive({ payload: { action: 'listen', conversationId: 'c' } });
    t.node.receive({ payload: { action: 'subscribe' } });
    t.node.receive({ payload: { action: 'subscribe', conversationId: 'has.dot' } });
    const caught = await t.caught.count(3);
    assert.match((caught[0]!.error as { message: string }).message, /action must be "subscribe" or "unsubscribe"/);
    assert.match((caught[1]!.error as { message: string }).message, /no conversation id in msg\.payload\.conversationId or msg\.topic/);
    assert.match((caught[2]!.error as { message: string }).message, /conversationId must be a non-empty id without dots/);
    t.node.receive({ payload: { action: 'subscribe', conversationId: 'conv-ok' } });
    await subscribed(sim, [transcriptionTopic('conv-ok')]);
  });

  async function playQueue(config: Record<string, unknown>, playOpts: Parameters<AttachedPlayer['play']>[0] = {}) {
    const t = await load(sim, { queueIds: 'q-test', ...config });
    await subscribed(sim, [queueConversationsTopic('q-test')]);
    const handle = attached.play({ scripts: ['travel-change'], speed: 0, queueId: 'q-test', ...playOpts });
    await handle.finished;
    const conv = handle.conversations[0]!;
    const script = attached.player.script('travel-change')!;
    await t.lifecycle.wait((m) => m.some((x) => x.payload.event === 'conversation-ended'));
    return { t, conv, script };
  }

  it('discovers calls on a queue and delivers every final exactly once, partials first', async () => {
    const { t, conv, script } = await playQueue({ summaries: true, suggestions: true });
    const finals = t.utterances.messages.filter((m) => m.payload.isFinal);
    assert.deepEqual(finals.map((m) => m.payload.utteranceId), script.utterances.map((u) => u.utteranceId));
    assert.deepEqual(finals.map((m) => m.payload.text), script.utterances.map((u) => u.transcript));
    const partials = t.utterances.messages.filter((m) => !m.payload.isFinal);
    assert.equal(partials.length, script.utterances.reduce((a, u) => a + u.partials.length, 0));
    for (const m of t.utterances.messages) assert.equal(m.topic, conv.conversationId);
    const events = t.lifecycle.messages.map((m) => m.payload.event);
    assert.deepEqual(events.filter((e) => e !== 'summary' && e !== 'suggestion'), ['conversation-discovered', 'session-started', 'session-ended', 'conversation-ended']);
    const discovered = t.lifecycle.messages[0]!.payload;
    assert.deepEqual(discovered.communicationIds.slice().sort(), [conv.customerCommunicationId, `${conv.conversationId}-acd`, conv.agentCommunicationId].sort());
    // Copilot: the knowledge suggestion during the call, both summaries after it.
    const suggestion = t.lifecycle.messages.find((m) => m.event === 'suggestion');
    assert.equal(suggestion?.payload.event, 'suggestion');
    assert.equal(suggestion?.topic, conv.conversationId);
    const summaries = await t.lifecycle.wait((m) => m.filter((x) => x.event === 'summary').length === 2);
    const s = summaries.filter((x) => x.event === 'summary');
    assert.equal(s[0]!.topic, conv.conversationId);
    assert.equal(s[0]!.payload.event, 'summary');
    assert.match(s[0]!.payload.summary.text, /March 25/);
    assert.equal((s[0]!.genesys as { topicName: string }).topicName, `v2.users.${conv.agentUserId}.conversations.summaries`);
    await unsubscribed(sim, transcriptionTopic(conv.conversationId));
  });

  it('sends finals only with partials off', async () => {
    const { t, script } = await playQueue({ partials: false }, { summaries: 'none' });
    assert.ok(t.utterances.messages.every((m) => m.payload.isFinal));
    assert.equal(t.utterances.messages.length, script.utterances.length);
  });

  it('takes only its shard of the discovered conversations', async () => {
    const t = await load(sim, { queueIds: 'q-test', shardIndex: 2, shardCount: 2 });
    await subscribed(sim, [queueConversationsTopic('q-test')]);
    const handle = attached.play({ scripts: ['travel-change', 'address-change'], copies: 4, speed: 0, queueId: 'q-test', summaries: 'none', subscriberTimeoutMs: 300 });
    await handle.finished;
    const mine = handle.conversations.filter((c) => inShard(c.conversationId, { index: 2, count: 2 }));
    const expected = mine.flatMap((c) => attached.player.script(c.scriptId)!.utterances.map((u) => `${c.conversationId}/${u.utteranceId}`)).sort();
    await t.utterances.wait((m) => m.filter((x) => x.payload.isFinal).length >= expected.length);
    const got = t.utterances.messages.filter((m) => m.payload.isFinal).map((m) => `${m.topic}/${m.payload.utteranceId}`).sort();
    assert.deepEqual(got, expected);
    const discovered = new Set(t.lifecycle.messages.filter((m) => m.payload.event === 'conversation-discovered').map((m) => m.topic));
    assert.deepEqual([...discovered].sort(), mine.map((c) => c.conversationId).sort());
  });

  it('reports subscription rejections with the missing permissions', async () => {
    await sim.close();
    ({ sim, attached } = await startSim({ clients: [{ id: 'tin-client', secret: 'tin-secret-not-real', permissions: ['conversation:communication:view'] }] }));
    const t = await load(sim, { conversationIds: 'conv-r' });
    const [rej] = await t.lifecycle.wait((m) => m.some((x) => x.payload.event === 'subscription-rejected'));
    assert.deepEqual(rej?.payload.missingPermissions, ['conversation:transcription:view']);
    assert.equal(rej?.topic, 'conv-r');
    await t.statuses.wait((m) => m.some((s) => (s.status as { text: string }).text === 'connected 0 live'));
  });

  it('shows a clear error for a missing genesys-auth node and refuses input', async () => {
    const t = await load(sim, { auth: '' });
    // Set while the node is constructed (before a Status node can listen): read the node's spy.
    const spy = helper.getNode('tin').status as { args: unknown[][] };
    assert.deepEqual(spy.args.at(-1)?.[0], { fill: 'red', shape: 'ring', text: 'config error' });
    t.node.receive({ payload: { action: 'subscribe', conversationId: 'c' } });
    const [c] = await t.caught.count(1);
    assert.match((c?.error as { message: string }).message, /not running/);
  });

  it('has a literal registerType, category genesys and help sections', () => {
    const html = readFileSync(join(__dirname, '../../nodes/genesys-transcript-in/genesys-transcript-in.html'), 'utf8');
    assert.match(html, /RED\.nodes\.registerType\('genesys-transcript-in'/);
    assert.match(html, /category: 'genesys'/);
    for (const h of ['### Inputs', '### Outputs', '### Details']) assert.ok(html.includes(h), h);
  });
});

describe('genesys-transcript-in status when the platform is gone', function () {
  this.timeout(20_000);
  afterEach(() => helper.unload());

  it('turns red with a short reason after a few reconnect attempts, and recovers', async () => {
    const first = await startSim();
    const port = first.sim.port;
    const t = await load(first.sim, { conversationIds: 'conv-s' });
    await subscribed(first.sim, [transcriptionTopic('conv-s')]);
    first.attached.detach();
    await first.sim.close();
    const [red] = (await t.statuses.wait((m) => m.some((s) => (s.status as { fill: string }).fill === 'red'))).filter((s) => (s.status as { fill: string }).fill === 'red');
    assert.match((red!.status as { text: string }).text, /^connection refused \(attempt \d+\)$/);
    // The simulator comes back on the same port (a fresh one: the old channel is gone).
    const again = await startSim({ port });
    const back = Date.now();
    try {
      await subscribed(again.sim, [transcriptionTopic('conv-s')]);
      await t.statuses.wait((m) => (m.at(-1)?.status as { text: string }).text === 'connected 1 live');
      assert.ok(Date.now() - back < 2000, `reconnected ${Date.now() - back} ms after the simulator answered again`);
    } finally {
      again.attached.detach();
      await again.sim.close();
    }
  });
});
