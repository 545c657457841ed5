import assert from 'node:assert/strict';
import { validateSchema, type TranscriptionEvent } from '../../../lib/genesys/schemas';
import { classifyTopic } from '../../../lib/genesys/topics';
import { FaultyPublisher, type EventSink } from '../../../lib/sim/faults';
import { ConversationPlayer, attachPlayer, parsePlayOptions } from '../../../lib/sim/player';
import { playCliOptions } from '../../../lib/sim/player-cli';
import { SimServer } from '../../../lib/sim/server';
import { ManualClock } from '../../support/manual-clock';

interface Sent {
  topic: string;
  body?: unknown;
  raw?: string;
}

function recorder(): EventSink & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    publish: (topic, body) => sent.push({ topic, body: structuredClone(body) }),
    sendRaw: (topic, raw) => sent.push({ topic, raw }),
  };
}

let seq = 0;
const ids = () => `id-${++seq}`;

describe('lib/sim/player', () => {
  it('plays a call as the platform publishes it: queue events, keep-alive, partials then finals, end, summaries', async () => {
    const sink = recorder();
    const player = new ConversationPlayer(sink);
    const handle = player.play({ scripts: ['billing-dispute'], speed: 0, newId: ids });
    await handle.finished;
    const conv = handle.conversations[0]!;
    const script = player.script('billing-dispute')!;
    const kinds = sink.sent.map((s) => classifyTopic(s.topic).kind);
    assert.deepEqual(kinds.slice(0, 2), ['queue-conversations', 'queue-conversations']);
    assert.ok(sink.sent.some((s) => s.topic.endsWith('.conversations.calls')));
    const transcription = sink.sent.filter((s) => classifyTopic(s.topic).kind === 'transcription').map((s) => validateSchema<TranscriptionEvent>('transcription', s.body));
    assert.equal(transcription[0]?.transcripts?.length, 0, 'session start keep-alive first');
    assert.equal(transcription.at(-1)?.status?.status, 'SESSION_ENDED');
    const results = transcription.flatMap((e) => e.transcripts ?? []);
    const finals = results.filter((r) => r.isFinal).map((r) => r.utteranceId);
    assert.deepEqual(finals, script.utterances.map((u) => u.utteranceId));
    assert.deepEqual(conv.finalsPublished, finals);
    // Every partial comes before its final, is a prefix of it and shares its utteranceId.
    for (const u of script.utterances) {
      const mine = results.filter((r) => r.utteranceId === u.utteranceId);
      assert.equal(mine.length, u.partials.length + 1);
      assert.equal(mine.at(-1)?.isFinal, true);
      for (const p of mine.slice(0, -1)) assert.ok(u.transcript.startsWith(p.alternatives![0]!.transcript));
    }
    // Word startTimeMs is absent and offsets are relative to transcriptionStartTimeMs.
    assert.equal(transcription[1]?.transcriptionStartTimeMs, conv.startedAt);
    const summaries = sink.sent.filter((s) => classifyTopic(s.topic).kind === 'summary');
    assert.deepEqual(summaries.map((s) => (s.body as { simVariant: string }).simVariant), ['faithful', 'swapped-number']);
    for (const s of summaries) validateSchema('summary', s.body);
    const queue = sink.sent.filter((s) => classifyTopic(s.topic).kind === 'queue-conversations');
    for (const q of queue) validateSchema('conversation', q.body);
    assert.ok(sink.sent.some((s) => classifyTopic(s.topic).kind === 'suggestion'));
  });

  it('plays many conversations at once with distinct ids, batching and without partials', async () => {
    const sink = recorder();
    const player = new ConversationPlayer(sink);
    const handle = player.play({ scripts: ['travel-change', 'address-change'], copies: 3, speed: 0, partials: false, batchMs: 5000, summaries: 'none', suggestions: false });
    await handle.finished;
    assert.equal(new Set(handle.conversations.map((c) => c.conversationId)).size, 6);
    const events = sink.sent.filter((s) => classifyTopic(s.topic).kind === 'transcription').map((s) => s.body as TranscriptionEvent);
    const results = events.flatMap((e) => e.transcripts ?? []);
    assert.ok(results.every((r) => r.isFinal));
    assert.ok(events.some((e) => (e.transcripts?.length ?? 0) > 1), 'batching puts several results in one event');
    assert.equal(sink.sent.filter((s) => classifyTopic(s.topic).kind === 'summary').length, 0);
  });

  it('keeps real time (scaled by speed) on the injected clock', async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const player = new ConversationPlayer(sink, clock);
    const script = player.script('address-change')!;
    const handle = player.play({ scripts: ['address-change'], speed: 10, leadMs: 1000, latencyMs: 300, partials: false, summaries: 'none', suggestions: false });
    const first = script.utterances[0]!;
    const finalAt = (1000 + first.offsetMs + first.durationMs + 300) / 10;
    await clock.tick(finalAt - 1);
    const finalsBefore = handle.conversations[0]!.finalsPublished.length;
    await clock.tick(2);
    assert.equal(finalsBefore, 0);
    assert.equal(handle.conversations[0]!.finalsPublished.length, 1);
    player.stop();
    await handle.finished;
  });

  it('waits for a subscriber before the first transcription event', async () => {
    const sink = recorder();
    const player = new ConversationPlayer(sink);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handle = player.play({ scripts: ['travel-change'], speed: 0, waitForSubscriber: () => gate, summaries: 'none' });
    await new Promise<void>((r) => setImmediate(r));
    assert.ok(sink.sent.every((s) => classifyTopic(s.topic).kind === 'queue-conversations'));
    release();
    await handle.finished;
    assert.ok(sink.sent.some((s) => classifyTopic(s.topic).kind === 'transcription'));
  });

  it('validates POST /sim/play bodies', () => {
    assert.deepEqual(parsePlayOptions({ speed: 0, copies: 2, scripts: ['a'] }), { speed: 0, copies: 2, scripts: ['a'] });
    assert.equal(parsePlayOptions({ speed: -1 }), 'speed must be a number >= 0');
    assert.equal(parsePlayOptions({ scripts: 'a' }), 'scripts must be an array of script ids');
    assert.equal(parsePlayOptions({ summaries: 'some' }), 'summaries must be all, faithful, flawed or none');
    assert.equal(parsePlayOptions([]), 'body must be a JSON object');
  });
});

describe('lib/sim/faults (delivery)', () => {
  it('duplicates, reorders and delays the next events', async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const f = new FaultyPublisher(sink, clock);
    f.arm({ kind: 'duplicate' });
    f.publish('t', 1);
    f.arm({ kind: 'out-of-order', count: 3 });
    f.publish('t', 2);
    f.publish('t', 3);
    f.publish('t', 4);
    f.arm({ kind: 'delay', delayMs: 500 });
    f.publish('t', 5);
    f.publish('t', 6);
    assert.deepEqual(sink.sent.map((s) => s.body), [1, 1, 4, 3, 2, 6]);
    await clock.tick(500);
    assert.deepEqual(sink.sent.map((s) => s.body), [1, 1, 4, 3, 2, 6, 5]);
    assert.equal(f.pending.length, 0);
  });

  it('injects malformed, schema-invalid and oversized frames beside the real event', () => {
    const sink = recorder();
    const f = new FaultyPublisher(sink);
    const body = { conversationId: 'c', transcripts: [{ utteranceId: 'u', isFinal: true, channel: 'INTERNAL' }] };
    f.arm({ kind: 'malformed-json' });
    f.arm({ kind: 'schema-invalid' });
    f.arm({ kind: 'oversized', bytes: 10_000 });
    f.publish('t', body);
    f.publish('t', body);
    f.publish('t', body);
    assert.throws(() => JSON.parse(sink.sent[0]!.raw!));
    assert.deepEqual(sink.sent[1]!.body, body);
    assert.throws(() => validateSchema('transcription', sink.sent[2]!.body), /channel must be one of/);
    assert.ok(sink.sent[4]!.raw!.length > 10_000);
    assert.equal(sink.sent.filter((s) => s.body !== undefined && JSON.stringify(s.body) === JSON.stringify(body)).length, 3);
  });
});

describe('lib/sim/player admin routes on the simulator', () => {
  let sim: SimServer;
  afterEach(async () => sim?.close());

  it('plays through POST /sim/play and arms faults through POST /sim/faults/delivery', async () => {
    sim = await SimServer.start({ port: 0, heartbeatIntervalMs: 0 });
    const attached = attachPlayer(sim);
    const post = (path: string, body: unknown) => fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post('/sim/play', { speed: 'fast' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /speed must be a number/);
    const unknown = await post('/sim/play', { scripts: ['nope'] });
    assert.equal(unknown.status, 400);
    const badFault = await post('/sim/faults/delivery', { kind: 'gremlins' });
    assert.equal(badFault.status, 400);
    const armed = await post('/sim/faults/delivery', { kind: 'duplicate', count: 2 });
    assert.deepEqual(((await armed.json()) as { pending: unknown[] }).pending, [{ kind: 'duplicate', count: 2 }]);
    const scripts = (await (await fetch(`${sim.baseUrl}/sim/scripts`)).json()) as Array<{ id: string; speechIntervals: unknown[] }>;
    assert.equal(scripts.length, 6);
    const ok = await post('/sim/play', { scripts: ['travel-change'], speed: 0 });
    const played = (await ok.json()) as { conversations: Array<{ conversationId: string }> };
    assert.equal(played.conversations.length, 1);
    await post('/sim/play/stop', {});
    attached.detach();
    assert.equal((await post('/sim/play', {})).status, 404);
  });
});

describe('lib/sim/player-cli (genesys-sim --play)', () => {
  it('parses --play, --speed and --queue', () => {
    assert.equal(playCliOptions({}), undefined);
    assert.deepEqual(playCliOptions({ play: 'all' }), { speed: 1 });
    assert.deepEqual(playCliOptions({ play: 'travel-change, billing-dispute', speed: '10', queue: 'q-7' }), { speed: 10, scripts: ['travel-change', 'billing-dispute'], queueId: 'q-7' });
    assert.throws(() => playCliOptions({ play: 'all', speed: 'fast' }), /--speed must be a number/);
    assert.throws(() => playCliOptions({ speed: '2' }), /need --play/);
    assert.throws(() => playCliOptions({ play: 'all', queue: 'a b' }), /--queue/);
  });
});
