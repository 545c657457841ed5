import assert from 'node:assert/strict';
import redactorNode from '../../nodes/genesys-redactor/genesys-redactor';
import { helper } from '../support/node-red';
import { messageText } from '../support/message-text';
import { MessageSink } from '../support/sink';

const T0 = Date.UTC(2026, 0, 1);

interface Msg {
  topic?: string;
  payload?: unknown;
  [k: string]: unknown;
}

class Sink extends MessageSink<Msg> {}

function utt(id: string, speaker: 'agent' | 'customer', text: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const startMs = T0 + n * 3000;
  const words = text.split(' ').map((w, i) => ({ text: w, startMs: startMs + i * 100, endMs: startMs + i * 100 + 80 }));
  return {
    conversationId: 'c1',
    utteranceId: id,
    channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL',
    isFinal: true,
    text,
    startMs,
    endMs: startMs + 2500,
    words,
    ...extra,
  };
}

interface Loaded {
  red: { receive(msg: Record<string, unknown>): void };
  out: Sink;
  caught: Sink;
  completed: Sink;
}

async function load(config: Record<string, unknown> = {}, creds: Record<string, unknown> = {}): Promise<Loaded> {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'red', z: 'tab', type: 'genesys-redactor', name: 'redactor', properties: ['payload'], ...config, wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['red'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
    { id: 'completer', z: 'tab', type: 'complete', scope: ['red'], uncaught: false, wires: [['completed']] },
    { id: 'completed', z: 'tab', type: 'helper' },
  ];
  await helper.load(redactorNode, flow, { red: creds });
  return {
    red: helper.getNode('red'),
    out: new Sink(helper.getNode('out')),
    caught: new Sink(helper.getNode('caught')),
    completed: new Sink(helper.getNode('completed')),
  };
}

describe('genesys-redactor node', () => {
  afterEach(async () => {
    await helper.unload();
  });

  it('redacts an Utterance: text, words, msg.redaction, topic; the raw event is removed', async () => {
    const n = await load();
    const payload = utt('u1', 'customer', 'my card is 4111 1111 1111 1111 thanks', 1, { seq: 3, latencyMs: 40, revision: 0 });
    n.red.receive({ payload, genesys: { eventBody: { transcript: 'my card is 4111 1111 1111 1111 thanks' } } });
    const [msg] = await n.out.until(1);
    const p = msg.payload as Record<string, unknown> & { words: Array<{ text: string; startMs: number }> };
    assert.equal(p.text, 'my card is [CARD] thanks');
    assert.deepEqual(p.words.map((w) => w.text), ['my', 'card', 'is', '[CARD]', '[CARD]', '[CARD]', '[CARD]', 'thanks']);
    assert.equal(p.words[3].startMs, T0 + 3000 + 300);
    assert.deepEqual([p.seq, p.latencyMs, p.revision], [3, 40, 0]);
    assert.equal(msg.topic, 'c1');
    assert.equal(msg.genesys, undefined);
    const red = msg.redaction as { entities: Array<Record<string, unknown>>; policy: Record<string, unknown> };
    assert.deepEqual(red.entities, [{ type: 'CARD', start: 11, end: 30, replacement: '[CARD]', score: 1, form: 'written', path: 'payload.text' }]);
    assert.equal(red.policy.operator, 'tag');
    assert.equal(messageText(msg).includes('1111'), false);
    await n.completed.until(1);
  });

  it('redacts a spoken card split over finals with the other speaker between', async () => {
    const n = await load({ operator: 'pseudonym' });
    const msgs = [
      utt('a1', 'agent', 'what is the card number', 1),
      utt('c1', 'customer', 'four one one one one one', 2),
      utt('a2', 'agent', 'okay', 3),
      utt('c2', 'customer', 'one one one one one one', 4),
      utt('c3', 'customer', 'one one one one', 5),
    ];
    for (const payload of msgs) n.red.receive({ payload });
    const out = await n.out.until(5);
    const texts = out.map((m) => (m.payload as { text: string }).text);
    assert.deepEqual(texts, ['what is the card number', '[CARD_1]', 'okay', '[CARD_1]', '[CARD_1]']);
  });

  it('redacts plain strings and other listed properties, and scrubs msg.genesys when asked', async () => {
    const n = await load({ properties: ['payload', 'summary.text'], rawEvent: 'redact' });
    n.red.receive({ topic: 'c9', payload: 'mail me at jane.doe@example.com', summary: { text: 'customer ssn 536-22-9017' }, genesys: { words: ['jane.doe@example.com'], id: 'keep-me' } });
    const [msg] = await n.out.until(1);
    assert.equal(msg.payload, 'mail me at [EMAIL]');
    assert.deepEqual(msg.summary, { text: 'customer ssn [SSN]' });
    assert.deepEqual(msg.genesys, { words: ['[REDACTED]'], id: 'keep-me' });
    const paths = (msg.redaction as { entities: Array<{ path: string }> }).entities.map((e) => e.path);
    assert.deepEqual(paths, ['payload', 'summary.text']);
    assert.equal(msg.topic, 'c9');
  });

  it('redacts aligner batches (arrays) and end-of-call transcripts (objects with segments)', async () => {
    const n = await load();
    const a = utt('b1', 'customer', 'my ssn is 536-22-9017', 1, { seq: 1, latencyMs: 10, revision: 0 });
    const b = utt('b2', 'agent', 'thanks', 2, { seq: 2, latencyMs: 12, revision: 0 });
    n.red.receive({ topic: 'c1', payload: [a, b] });
    n.red.receive({ topic: 'c1', payload: { type: 'transcript', conversationId: 'c1', reason: 'ended', segments: [a, b], counts: { segments: 2 } } });
    const [batch, transcript] = await n.out.until(2);
    const items = batch.payload as Array<{ text: string; seq: number }>;
    assert.deepEqual(items.map((x) => [x.text, x.seq]), [['my ssn is [SSN]', 1], ['thanks', 2]]);
    const t = transcript.payload as { type: string; reason: string; segments: Array<{ text: string }>; counts: unknown };
    assert.equal(t.type, 'transcript');
    assert.equal(t.reason, 'ended');
    assert.deepEqual(t.segments.map((x) => x.text), ['my ssn is [SSN]', 'thanks']);
    assert.deepEqual(t.counts, { segments: 2 });
    assert.deepEqual((transcript.redaction as { entities: Array<{ path: string }> }).entities.map((e) => e.path), ['payload.segments[0].text']);
    assert.equal(messageText([batch, transcript]).includes('9017'), false);
  });

  it('masks every digit of partials', async () => {
    const n = await load();
    n.red.receive({ payload: utt('p1', 'customer', 'it is four one one one and 12', 1, { isFinal: false }) });
    const [msg] = await n.out.until(1);
    // (Two groups with a pause between them ending the text may be the start of a card: one number.)
    assert.equal((msg.payload as { text: string }).text, 'it is [NUMBER]');
  });

  it('reports bad input to Catch and sends nothing', async () => {
    const n = await load();
    n.red.receive({ payload: 42 });
    n.red.receive({ payload: { utteranceId: 'x', text: 'my ssn is 536-22-9017', conversationId: 'c1' } });
    n.red.receive({});
    const caught = await n.caught.until(3);
    assert.match(String((caught[0].error as { message: string }).message), /must be a string/);
    assert.match(String((caught[1].error as { message: string }).message), /isFinal/);
    assert.match(String((caught[2].error as { message: string }).message), /missing/);
    n.red.receive({ payload: 'fine' });
    await n.out.until(1);
    assert.equal(n.out.messages.length, 1);
    assert.equal(messageText(caught).includes('9017'), false, 'Catch gets the error, not the unredacted text');
  });

  it('frees conversation state on end events and passes them on', async () => {
    const n = await load();
    n.red.receive({ payload: utt('c1', 'customer', 'four one one one one one', 1) });
    n.red.receive({ topic: 'c1', payload: { event: 'conversation-ended' } });
    // After the end the pending digits are gone: a short run is not a continuation any more.
    n.red.receive({ payload: utt('c2', 'customer', 'two two', 2) });
    const out = await n.out.until(3);
    assert.deepEqual(out[1].payload, { event: 'conversation-ended' });
    assert.equal((out[2].payload as { text: string }).text, 'two two');
  });

  it('refuses an unsafe custom pattern and a hash operator without key, via Catch', async () => {
    const n = await load({ customPatterns: 'BAD=(a+)+$' });
    n.red.receive({ payload: 'x' });
    const [c] = await n.caught.until(1);
    assert.match(String((c.error as { message: string }).message), /invalid configuration.*nested quantifiers/);
    await helper.unload();
    const h = await load({ operator: 'hash' });
    h.red.receive({ payload: 'x' });
    const [c2] = await h.caught.until(1);
    assert.match(String((c2.error as { message: string }).message), /key/);
  });

  it('redacts every number of the set length when the numbers setting is on, and refuses a bad one via Catch', async () => {
    const n = await load({ numbersMinDigits: '4' });
    n.red.receive({ payload: 'room 4111 for 25 units', topic: 'c1' });
    const [msg] = await n.out.until(1);
    assert.equal(msg.payload, 'room [NUMBER] for 25 units');
    assert.equal((msg.redaction as { policy: { numbersMinDigits: number } }).policy.numbersMinDigits, 4);
    await helper.unload();
    const bad = await load({ numbersMinDigits: '2.5' });
    bad.red.receive({ payload: 'x' });
    const [c] = await bad.caught.until(1);
    assert.match(String((c.error as { message: string }).message), /invalid configuration.*numbersMinDigits must be a whole number/);
  });

  it('hashes with the credential key', async () => {
    const n = await load({ operator: 'hash' }, { hashKey: 'test-secret-not-real-0001' });
    n.red.receive({ payload: 'call 415 555 2671' });
    const [msg] = await n.out.until(1);
    assert.match(String(msg.payload), /^call \[PHONE:[a-p]{16}\]$/);
    assert.equal(JSON.stringify(msg).includes('test-secret'), false);
  });
});
