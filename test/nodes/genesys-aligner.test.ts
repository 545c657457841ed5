import assert from 'node:assert/strict';
import alignerNode from '../../nodes/genesys-aligner/genesys-aligner';
import type { AlignedSegment, AlignerAlert, ConversationTranscript } from '../../lib/align';
import { helper } from '../support/node-red';
import { MessageSink } from '../support/sink';

const T0 = Date.UTC(2026, 0, 1);

function utt(id: string, startMs: number, endMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { conversationId: 'c1', utteranceId: id, channel: 'EXTERNAL', isFinal: true, text: `text of ${id}`, startMs: T0 + startMs, endMs: T0 + endMs, words: [], ...extra };
}

interface Msg {
  topic?: string;
  payload: unknown;
  [k: string]: unknown;
}

class Sink extends MessageSink<Msg> {}

function flow(config: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    {
      id: 'al',
      z: 'tab',
      type: 'genesys-aligner',
      name: 'aligner',
      property: 'payload',
      holdBackMs: 60_000,
      emit: 'segment',
      batchSize: 10,
      batchIntervalMs: 0,
      emitPartials: true,
      latencyThresholdMs: 0,
      driftThresholdMs: 0,
      gapThresholdMs: 0,
      idleTimeoutS: 600,
      maxConversations: 100,
      maxSegmentsPerConversation: 1000,
      ...config,
      wires: [['out1'], ['out2'], ['out3']],
    },
    { id: 'out1', z: 'tab', type: 'helper' },
    { id: 'out2', z: 'tab', type: 'helper' },
    { id: 'out3', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['al'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
    { id: 'completer', z: 'tab', type: 'complete', scope: ['al'], uncaught: false, wires: [['completed']] },
    { id: 'completed', z: 'tab', type: 'helper' },
    { id: 'watcher', z: 'tab', type: 'status', scope: ['al'], wires: [['statuses']] },
    { id: 'statuses', z: 'tab', type: 'helper' },
  ];
}

interface Loaded {
  al: { receive(msg: Record<string, unknown>): void; close(removed: boolean): Promise<void> };
  out1: Sink;
  out2: Sink;
  out3: Sink;
  caught: Sink;
  completed: Sink;
  statuses: Sink;
}

async function load(config: Record<string, unknown> = {}): Promise<Loaded> {
  await helper.load(alignerNode, flow(config));
  const sink = (id: string): Sink => new Sink(helper.getNode(id));
  return {
    al: helper.getNode('al'),
    out1: sink('out1'),
    out2: sink('out2'),
    out3: sink('out3'),
    caught: sink('caught'),
    completed: sink('completed'),
    statuses: sink('statuses'),
  };
}

describe('genesys-aligner node', () => {
  afterEach(async () => {
    await helper.unload();
  });

  it('sends segments in speech order on output 1, reusing the incoming message, and the transcript on end', async () => {
    const n = await load();
    n.al.receive({ payload: utt('b', 2000, 3000, { channel: 'INTERNAL' }), genesys: { raw: 'b' } });
    n.al.receive({ payload: utt('a', 0, 1000), genesys: { raw: 'a' } });
    n.al.receive({ payload: { event: 'conversation-ended', conversationId: 'c1' }, lifecycle: true });
    const out = await n.out1.until(3);
    const [a, b, t] = out;
    assert.equal(a!.topic, 'c1');
    assert.equal((a!.payload as AlignedSegment).utteranceId, 'a');
    assert.deepEqual(a!.genesys, { raw: 'a' });
    assert.equal((a!.payload as AlignedSegment).seq, 1);
    assert.equal((b!.payload as AlignedSegment).utteranceId, 'b');
    assert.equal((b!.payload as AlignedSegment).speaker, 'agent');
    const transcript = t!.payload as ConversationTranscript;
    assert.equal(transcript.type, 'transcript');
    assert.equal(t!.topic, 'c1');
    assert.equal(t!.lifecycle, true, 'the end message is reused');
    assert.deepEqual(
      transcript.segments.map((s) => s.utteranceId),
      ['a', 'b'],
    );
    assert.equal(transcript.reason, 'ended');
    assert.equal(transcript.speakers.length, 2);
    await n.completed.until(3);
  });

  it('drops upstream msg.parts, which no longer describe a sequence after reordering', async () => {
    const n = await load();
    const parts = { id: 'p1', index: 0, count: 2, type: 'array', len: 1 };
    n.al.receive({ payload: utt('b', 2000, 3000), parts: { ...parts, index: 0 } });
    n.al.receive({ payload: utt('a', 0, 1000), parts: { ...parts, index: 1 } });
    n.al.receive({ payload: utt('p', 3000, 3500, { isFinal: false }), parts: { ...parts, index: 0 } });
    n.al.receive({ payload: { action: 'end', conversationId: 'c1' } });
    const out = await n.out1.until(3);
    const [partial] = await n.out3.until(1);
    for (const m of [...out, partial!]) assert.equal(m.parts, undefined);
  });

  it('sends alerts on output 2 with the numbers and the conversation id', async () => {
    const n = await load({ holdBackMs: 0, latencyThresholdMs: 1000 });
    n.al.receive({ payload: utt('a', 0, 1000, { receivedAt: T0 + 4000 }) });
    const [alertMsg] = await n.out2.until(1);
    const alert = alertMsg!.payload as AlignerAlert;
    assert.equal(alertMsg!.topic, 'c1');
    assert.ok(alert.type === 'latency');
    assert.equal(alert.latencyMs, 3000);
    assert.equal(alert.thresholdMs, 1000);
    assert.equal(alert.conversationId, 'c1');
    const [seg] = await n.out1.until(1);
    assert.equal((seg!.payload as AlignedSegment).latencyMs, 3000);
  });

  it('sends partials on output 3 and never on output 1', async () => {
    const n = await load({ holdBackMs: 0 });
    n.al.receive({ topic: 'c9', payload: { ...utt('p', 0, 500, { isFinal: false, text: 'hel' }), conversationId: undefined } });
    n.al.receive({ topic: 'c9', payload: { ...utt('p', 0, 1000, { text: 'hello' }), conversationId: undefined } });
    const [partial] = await n.out3.until(1);
    assert.equal(partial!.topic, 'c9');
    assert.equal((partial!.payload as AlignedSegment).isFinal, false);
    const [final] = await n.out1.until(1);
    assert.equal((final!.payload as AlignedSegment).text, 'hello');
    assert.equal((final!.payload as AlignedSegment).conversationId, 'c9');
    await n.completed.until(2);
    assert.equal(n.out1.messages.length, 1);
    assert.equal(n.out3.messages.length, 1);
  });

  it('releases held-back segments when the window runs out (real clock)', async () => {
    const n = await load({ holdBackMs: 30 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    const [seg] = await n.out1.until(1);
    assert.equal((seg!.payload as AlignedSegment).utteranceId, 'a');
  });

  it('sends batches as one message each, never split, and the last batch before the transcript', async () => {
    const n = await load({ holdBackMs: 0, emit: 'batch', batchSize: 2, batchIntervalMs: 0 });
    for (const id of ['a', 'b', 'c']) n.al.receive({ payload: utt(id, id.charCodeAt(0) * 100, id.charCodeAt(0) * 100 + 50) });
    n.al.receive({ topic: 'c1', payload: { action: 'end' } });
    const [first, second, third] = await n.out1.until(3);
    assert.deepEqual(
      (first!.payload as AlignedSegment[]).map((s) => s.utteranceId),
      ['a', 'b'],
    );
    assert.deepEqual(first!.batch, { reason: 'size', count: 2 });
    assert.equal(first!.topic, 'c1');
    assert.deepEqual(
      (second!.payload as AlignedSegment[]).map((s) => s.utteranceId),
      ['c'],
    );
    assert.deepEqual(second!.batch, { reason: 'end', count: 1 });
    assert.equal((third!.payload as ConversationTranscript).type, 'transcript');
    assert.equal((third!.payload as ConversationTranscript).segments.length, 3);
  });

  it('sends pending batches and held-back segments when it closes', async () => {
    const n = await load({ holdBackMs: 60_000, emit: 'batch', batchSize: 100, batchIntervalMs: 60_000 });
    n.al.receive({ payload: utt('b', 1000, 1500) });
    n.al.receive({ payload: utt('a', 0, 500) });
    n.al.receive({ payload: utt('x', 0, 500, { conversationId: 'c2' }) });
    await n.completed.until(3);
    assert.equal(n.out1.messages.length, 0);
    await n.al.close(false);
    const out = await n.out1.until(2);
    const byTopic = Object.fromEntries(out.map((m) => [m.topic, m]));
    assert.deepEqual(
      (byTopic.c1!.payload as AlignedSegment[]).map((s) => s.utteranceId),
      ['a', 'b'],
    );
    assert.deepEqual(byTopic.c1!.batch, { reason: 'close', count: 2 });
    assert.deepEqual(
      (byTopic.c2!.payload as AlignedSegment[]).map((s) => s.utteranceId),
      ['x'],
    );
  });

  it('reports bad input with done(err) to a Catch node and keeps the conversation intact', async () => {
    const n = await load({ holdBackMs: 0 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    n.al.receive({ payload: utt('bad', 0, 1000, { startMs: 'later' }), tag: 'bad-one' });
    n.al.receive({ payload: utt('bad2', 0, 1000, { channel: 'LEFT' }) });
    n.al.receive({ payload: 'not an utterance' });
    const caught = await n.caught.until(3);
    assert.equal(caught[0]!.tag, 'bad-one');
    assert.match((caught[0]!.error as { message: string }).message, /startMs must be a finite number/);
    assert.match((caught[1]!.error as { message: string }).message, /channel must be one of/);
    assert.match((caught[2]!.error as { message: string }).message, /utterance must be an object/);
    n.al.receive({ payload: { action: 'end', conversationId: 'c1' } });
    const out = await n.out1.until(2);
    const t = out[1]!.payload as ConversationTranscript;
    assert.deepEqual(
      t.segments.map((s) => s.utteranceId),
      ['a'],
    );
    assert.equal(t.counts.finals, 1);
    // Good inputs complete; the bad ones went to Catch only.
    await n.completed.until(2);
    assert.equal(n.completed.messages.length, 2);
  });

  it('shows open conversations and segments sent in its status', async () => {
    const n = await load({ holdBackMs: 0 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    n.al.receive({ payload: utt('b', 0, 1000, { conversationId: 'c2' }) });
    for (;;) {
      const msgs = await n.statuses.until(n.statuses.messages.length + 1);
      const text = (msgs.at(-1)!.status as { text: string }).text;
      if (text === '2 conv · 2 seg') break;
    }
  });

  it('rejects an invalid configuration on every input', async () => {
    const n = await load({ emit: 'batch', batchSize: 0, batchIntervalMs: 0 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    const [c] = await n.caught.until(1);
    assert.match((c!.error as { message: string }).message, /invalid configuration: batch mode needs/);
  });

  it('refuses an idle time past a week (a month was a timer Node fires after 1 ms)', async () => {
    const n = await load({ idleTimeoutS: 30 * 24 * 3600 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    const [c] = await n.caught.until(1);
    assert.match((c!.error as { message: string }).message, /idleTimeoutS must be a number from 0 to 604800/);
  });

  it('ends a conversation after the idle time (real clock, 1 s)', async () => {
    const n = await load({ holdBackMs: 0, idleTimeoutS: 1 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    const [, t] = await n.out1.until(2);
    assert.equal((t!.payload as ConversationTranscript).reason, 'idle');
  });
  it('on redeploy the old node sends what it held and the new one starts with no conversation', async () => {
    const n = await load({ holdBackMs: 60_000 });
    n.al.receive({ payload: utt('a', 0, 1000) });
    await n.completed.until(1);
    assert.equal(n.out1.messages.length, 0);
    const changed = flow({ holdBackMs: 0, name: 'aligner v2' });
    // Same helper sink nodes stay (unchanged); only the aligner is replaced.
    await helper.setFlows(changed, 'nodes');
    const [held] = await n.out1.until(1);
    assert.equal((held!.payload as AlignedSegment).utteranceId, 'a');
    const fresh = helper.getNode('al');
    fresh.receive({ payload: { action: 'end', conversationId: 'c1' } });
    fresh.receive({ payload: utt('b', 0, 1000) });
    const out = await n.out1.until(2);
    assert.equal((out[1]!.payload as AlignedSegment).utteranceId, 'b', 'no transcript: the new node never saw c1');
  });
});
