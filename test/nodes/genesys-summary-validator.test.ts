import assert from 'node:assert/strict';
import summaryNode from '../../nodes/genesys-summary-validator/genesys-summary-validator';
import { helper } from '../support/node-red';
import { MessageSink } from '../support/sink';

const T0 = Date.UTC(2026, 0, 1);

interface Msg {
  topic?: string;
  payload?: unknown;
  validation?: { valid: boolean; checks: Array<{ id: string; passed: boolean; detail: string }>; ungrounded: Array<{ kind: string; span: string }> };
  error?: { message: string };
  [k: string]: unknown;
}

class Sink extends MessageSink<Msg> {}

function utt(id: string, speaker: 'agent' | 'customer', text: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const startMs = T0 + n * 3000;
  return { conversationId: 'c1', utteranceId: id, channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL', isFinal: true, text, startMs, endMs: startMs + 2500, ...extra };
}

const CALL = [
  utt('u1', 'agent', 'Thanks for calling Acme Mobile, how can I help?', 0),
  utt('u2', 'customer', 'I was charged twice this month, eighty nine ninety nine on march third', 1),
  utt('u3', 'agent', 'I see the duplicate charge. I have refunded it, it takes five business days.', 2),
  utt('u4', 'customer', "great, and I don't want to cancel my unlimited plus plan", 3),
];

interface Loaded {
  node: { receive(msg: Record<string, unknown>): void };
  valid: Sink;
  rejected: Sink;
  caught: Sink;
  completed: Sink;
}

async function load(config: Record<string, unknown> = {}): Promise<Loaded> {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'sv', z: 'tab', type: 'genesys-summary-validator', name: 'summary check', ...config, wires: [['valid'], ['rejected']] },
    { id: 'valid', z: 'tab', type: 'helper' },
    { id: 'rejected', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['sv'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
    { id: 'completer', z: 'tab', type: 'complete', scope: ['sv'], uncaught: false, wires: [['completed']] },
    { id: 'completed', z: 'tab', type: 'helper' },
  ];
  await helper.load(summaryNode, flow);
  return {
    node: helper.getNode('sv'),
    valid: new Sink(helper.getNode('valid')),
    rejected: new Sink(helper.getNode('rejected')),
    caught: new Sink(helper.getNode('caught')),
    completed: new Sink(helper.getNode('completed')),
  };
}

describe('genesys-summary-validator node', function () {
  this.timeout(20_000);
  afterEach(async () => {
    await helper.unload();
  });

  it('builds the context from segments (no output, done) and routes summaries to valid / rejected', async () => {
    const n = await load();
    CALL.forEach((payload) => n.node.receive({ topic: 'c1', payload }));
    await n.completed.until(4);
    assert.equal(n.valid.messages.length + n.rejected.messages.length, 0, 'segments produce no output');
    n.node.receive({ topic: 'c1', payload: 'The customer was charged $89.99 twice, on March 3rd. The agent refunded the duplicate charge, which takes 5 business days.' });
    const [ok] = await n.valid.until(1);
    assert.equal(ok?.topic, 'c1');
    assert.equal(ok?.validation?.valid, true);
    n.node.receive({ topic: 'c1', payload: 'The customer was charged $98.99 twice, on March 3rd, and cancelled the Unlimited Plus plan. Reach them at (415) 555-2671.', _msgid: 'm-bad' });
    const [bad] = await n.rejected.until(1);
    assert.equal(bad?._msgid, 'm-bad', 'the incoming message is reused');
    const failed = bad?.validation?.checks.filter((c) => !c.passed).map((c) => c.id);
    assert.deepEqual(failed, ['personal-data', 'numbers', 'negation']);
    assert.ok(!JSON.stringify(bad?.validation).includes('2671'), 'no raw personal data in msg.validation');
    await n.completed.until(6);
  });

  it('validates a Copilot summary event as transcript-in forwards it', async () => {
    const n = await load({ requiredFields: 'summary.text, resolution.text' });
    CALL.forEach((payload) => n.node.receive({ topic: 'c1', payload }));
    n.node.receive({
      topic: 'c1',
      event: 'summary',
      payload: { event: 'summary', conversationId: 'c1', summaryId: 's1', mediaType: 'CALL', summary: { text: 'Duplicate charge of $89.99 on March 3rd was refunded.', score: 0.9 }, reason: { text: 'Duplicate charge' } },
    });
    const [msg] = await n.rejected.until(1);
    assert.deepEqual(msg?.validation?.checks.filter((c) => !c.passed).map((c) => [c.id, c.detail]), [['required-fields', 'missing or empty: resolution.text']]);
  });

  it('validates against msg.transcript and reads the chosen fields of an LLM object', async () => {
    const n = await load({ textFields: 'notes' });
    n.node.receive({ topic: 'x9', transcript: ['the router was replaced on friday', 'the new router works now'], payload: { notes: 'The router was replaced on Friday.' } });
    const [msg] = await n.valid.until(1);
    assert.equal(msg?.validation?.valid, true);
    assert.equal(msg?.validation?.checks[0]?.detail, 'no schema configured for these fields');
  });

  it('frees the context on conversation end and ignores other lifecycle events', async () => {
    const n = await load({ endGraceS: 0 });
    CALL.forEach((payload) => n.node.receive({ topic: 'c1', payload }));
    n.node.receive({ topic: 'c1', payload: { event: 'session-started', conversationId: 'c1' } });
    n.node.receive({ topic: 'c1', payload: { event: 'conversation-ended', conversationId: 'c1' } });
    await n.completed.until(6);
    n.node.receive({ topic: 'c1', payload: 'The customer was charged twice.' });
    const [err] = await n.caught.until(1);
    assert.match(err?.error?.message ?? '', /no source for conversation c1/);
    assert.equal(n.valid.messages.length + n.rejected.messages.length, 0);
  });

  it('gives Catch nodes a clear error for malformed input and keeps going', async () => {
    const n = await load();
    n.node.receive({ topic: 'c1', payload: { conversationId: 'c1', utteranceId: 'u1', text: 'x', isFinal: true, startMs: 5, endMs: 1 } });
    n.node.receive({ topic: 'c1', payload: '   ' });
    n.node.receive({ payload: 'A summary with no conversation.' });
    n.node.receive({ topic: 'c1', payload: 42 });
    const caught = await n.caught.until(4);
    assert.deepEqual(
      caught.map((m) => m.error?.message),
      [
        'InputError: endMs (1) is before startMs (5)',
        'InputError: summary text is empty',
        'InputError: summary has no conversation id (msg.topic) and no msg.transcript to check it against',
        'InputError: summary must be a string or an object (got number)',
      ],
    );
    CALL.forEach((payload) => n.node.receive({ topic: 'c1', payload }));
    n.node.receive({ topic: 'c1', payload: 'The customer was charged $89.99 twice on March 3rd.' });
    await n.valid.until(1);
  });

  it('reports an invalid schema in the dialog as a configuration error', async () => {
    const n = await load({ schema: '{"type": ' });
    n.node.receive({ topic: 'c1', payload: 'x' });
    const [err] = await n.caught.until(1);
    assert.match(err?.error?.message ?? '', /invalid configuration: summary schema is not valid JSON/);
  });

  it('serves the default schemas to the editor', async () => {
    await load();
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      helper
        .request()
        .get('/genesys-summary-validator/default-schemas')
        .end((err: Error | null, r: { status: number; text: string }) => (err ? reject(err) : resolve({ status: r.status, body: r.text })));
    });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body) as { copilot: { required: string[] }; llm: { required: string[] } };
    assert.deepEqual(body.copilot.required, ['conversationId', 'summary']);
    assert.deepEqual(body.llm.required, ['summary']);
  });
});
