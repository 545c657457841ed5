/**
 * The live page's function-node code (demo/live-page/events.js and state.js) run the way the
 * function node runs it (a function body with msg, flow and node), on the message shapes the
 * pack's nodes send. The browser test covers the page itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { repoRoot } from './support/demo-process';

interface Sent {
  topic: string;
  payload: string;
}

function functionNode(file: string) {
  const code = readFileSync(join(repoRoot, 'demo', 'live-page', file), 'utf8');
  const store = new Map<string, unknown>();
  const flow = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => void store.set(k, v) };
  return {
    store,
    run(msg: Record<string, unknown>): unknown[] {
      const sent: unknown[] = [];
      const node = { send: (m: unknown) => void sent.push(m) };
      runInNewContext(`(function () {\n${code}\n})()`, { msg, flow, node });
      return sent;
    },
  };
}

function events(sent: unknown[]): Array<Record<string, unknown>> {
  // node.send([msgs]): one array of messages on the single output
  const [[out]] = sent as [[Sent[]]];
  // spread: arrays made inside the vm context have the other realm's prototype
  return [...out].map((m) => JSON.parse(m.payload) as Record<string, unknown>);
}

const segment = (utteranceId: string, speaker: string, text: string, isFinal = true) => ({
  conversationId: 'c-1',
  utteranceId,
  channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL',
  speaker,
  isFinal,
  text,
  startMs: 1000,
  endMs: 2000,
  seq: 1,
  revision: 0,
});

describe('live page function nodes', function () {
  it('turns redacted segments, partials and batches into segment and partial events', function () {
    const fn = functionNode('events.js');
    assert.deepEqual(
      events(fn.run({ assistKind: 'segment', topic: 'c-1', payload: segment('u1', 'customer', 'it is [CARD]') })).map((e) => [e.kind, e.speaker, e.text]),
      [['segment', 'customer', 'it is [CARD]']],
    );
    assert.deepEqual(events(fn.run({ assistKind: 'segment', topic: 'c-1', payload: segment('u2', 'agent', 'thanks', false) }))[0].kind, 'partial');
    const batch = [segment('u3', 'agent', 'one'), segment('u4', 'customer', 'two')];
    assert.deepEqual(events(fn.run({ assistKind: 'segment', topic: 'c-1', payload: batch })).map((e) => e.utteranceId), ['u3', 'u4']);
  });

  it('ends the conversation on the aligner transcript instead of repeating its segments', function () {
    const fn = functionNode('events.js');
    const out = events(fn.run({ assistKind: 'segment', topic: 'c-1', payload: { type: 'transcript', conversationId: 'c-1', segments: [segment('u1', 'agent', 'x')] } }));
    assert.deepEqual(out, [{ kind: 'ended', conversationId: 'c-1' }]);
  });

  it('shows a rejected summary with the failed checks and ungrounded spans as reasons', function () {
    const fn = functionNode('events.js');
    const [ev] = events(
      fn.run({
        assistKind: 'summary',
        topic: 'c-1',
        payload: { event: 'summary', headline: { text: 'Refund' }, summary: { text: 'Refunded 55 dollars.' }, resolution: { text: 'Done' } },
        validation: {
          valid: false,
          checks: [
            { id: 'schema', passed: true, detail: 'ok' },
            { id: 'numbers', passed: false, detail: '1 number not found in the source' },
          ],
          ungrounded: [{ sentence: 'Refunded 55 dollars.', span: '55 dollars', kind: 'amount' }],
        },
      }),
    );
    assert.equal(ev.valid, false);
    assert.equal(ev.headline, 'Refund');
    assert.equal(ev.text, 'Refunded 55 dollars. Resolution: Done');
    assert.deepEqual(ev.reasons, ['numbers: 1 number not found in the source', 'not supported by the call (amount): "55 dollars"']);
  });

  it('maps AudioHook session events, QA alerts and the session summary', function () {
    const fn = functionNode('events.js');
    const audiohook = { conversationId: 'c-1', sessionId: 's-1' };
    assert.equal(events(fn.run({ assistKind: 'audio', payload: 'opened', audiohook }))[0].text, 'streaming');
    assert.equal(events(fn.run({ assistKind: 'audio', payload: 'closed', audiohook }))[0].text, 'ended');
    const [alert] = events(fn.run({ assistKind: 'qa', payload: { metric: 'rtt', value: 812.4, threshold: 500, channel: 'external' }, audiohook }));
    assert.deepEqual([alert.kind, alert.text], ['qa', 'rtt 812 ms over 500 ms (external)']);
    const [summary] = events(fn.run({ assistKind: 'qa', event: 'summary', payload: { audioSeconds: 127.8, lossRatio: 0, rtt: { meanMs: 3.3 } }, audiohook }));
    assert.deepEqual([summary.kind, summary.text], ['audio-summary', '128 s of audio, 0.0% lost, round trip 3 ms']);
  });

  it('keeps a bounded replay log without partials, which the state endpoint returns', function () {
    const fn = functionNode('events.js');
    fn.run({ assistKind: 'segment', topic: 'c-1', payload: segment('u1', 'agent', 'hello') });
    fn.run({ assistKind: 'segment', topic: 'c-1', payload: segment('u2', 'agent', 'hel', false) });
    for (let i = 0; i < 10; i++) fn.run({ assistKind: 'segment', payload: { ...segment(`x${i}`, 'agent', 'hi'), conversationId: `other-${i}` } });
    const log = fn.store.get('agentAssistLog') as { order: string[] };
    assert.equal(log.order.length, 8, 'at most 8 conversations are kept');
    assert.ok(!log.order.includes('c-1'), 'the oldest conversation was dropped');

    const state = functionNode('state.js');
    state.store.set('agentAssistLog', { order: ['c-2'], events: { 'c-2': [{ kind: 'segment', conversationId: 'c-2' }] } });
    const [res] = state.run({}) as Array<{ payload: unknown[] }>;
    assert.deepEqual(JSON.parse(JSON.stringify(res.payload)), [{ kind: 'segment', conversationId: 'c-2' }]);
  });
});
