import assert from 'node:assert/strict';
import { alignerOptionsFromDialog, isConversationTranscript, resolveAlignerOptions, type ConversationTranscript } from '../../../lib/align';
import { InputError } from '../../../lib/util/errors';
import { Harness, T0, utt } from './harness';

function transcripts(h: Harness): ConversationTranscript[] {
  return h.outputs.flatMap((o) => (o.kind === 'transcript' ? [o.transcript] : []));
}

describe('lib/align Aligner', () => {
  describe('upsert by utteranceId', () => {
    it('sends partials on their own output and replaces them by the final', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('u1', 0, 500, { isFinal: false, text: 'hel' }), 'p1');
      h.send(utt('u1', 0, 900, { isFinal: false, text: 'hello th' }), 'p2');
      h.send(utt('u1', 0, 1000, { text: 'hello there' }), 'f');
      assert.deepEqual(h.kinds(), ['partial', 'partial', 'segment']);
      const seg = h.segments()[0]!;
      assert.equal(seg.text, 'hello there');
      assert.equal(seg.revision, 0);
      assert.equal(seg.seq, 1);
      assert.equal(h.outputs[2]!.kind === 'segment' && h.outputs[2]!.ctx, 'f');
      h.aligner.end('c1');
      const t = transcripts(h)[0]!;
      assert.equal(t.segments.length, 1);
      assert.equal(t.counts.partials, 2);
    });

    it('drops a partial that comes after its final and a repeated partial', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('u1', 0, 500, { isFinal: false, text: 'hel' }));
      h.send(utt('u1', 0, 500, { isFinal: false, text: 'hel' }));
      h.send(utt('u1', 0, 1000));
      h.send(utt('u1', 0, 800, { isFinal: false, text: 'stale' }));
      assert.deepEqual(h.kinds(), ['partial', 'segment']);
      assert.equal(h.aligner.end('c1')!.counts.duplicates, 2);
    });

    it('does not send partials when emitPartials is off, and partials never reach the timeline', () => {
      const h = new Harness({ holdBackMs: 0, emitPartials: false });
      h.send(utt('u1', 0, 500, { isFinal: false }));
      assert.deepEqual(h.kinds(), []);
      const t = h.aligner.end('c1')!;
      assert.equal(t.segments.length, 0);
      assert.equal(t.counts.partials, 1);
    });

    it('drops exact duplicates of a final, held back or already emitted, whatever their receivedAt', () => {
      const h = new Harness({ holdBackMs: 1000 });
      h.send(utt('u1', 0, 1000));
      h.clock.advance(10);
      h.send(utt('u1', 0, 1000));
      h.clock.advance(1000);
      h.send(utt('u1', 0, 1000, { receivedAt: T0 + 99 }));
      assert.deepEqual(h.ids(), ['u1']);
      assert.equal(h.aligner.end('c1')!.counts.duplicates, 2);
    });

    it('emits a final corrected after emission again with revision n+1 and a new seq', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('u1', 0, 1000, { text: 'my card is four' }));
      h.send(utt('u2', 1200, 2000));
      h.send(utt('u1', 0, 1000, { text: 'my card is for' }), 'fix1');
      h.send(utt('u1', 0, 1000, { text: 'my card is for' }));
      h.send(utt('u1', 0, 1000, { text: 'my card is for you' }));
      // A stale copy of an earlier revision arriving again is a duplicate, not revision 3.
      h.send(utt('u1', 0, 1000, { text: 'my card is four' }));
      const segs = h.segments();
      assert.deepEqual(
        segs.map((s) => [s.utteranceId, s.revision, s.seq]),
        [
          ['u1', 0, 1],
          ['u2', 0, 2],
          ['u1', 1, 3],
          ['u1', 2, 4],
        ],
      );
      assert.equal(h.outputs[2]!.kind === 'segment' && h.outputs[2]!.ctx, 'fix1');
      const t = h.aligner.end('c1')!;
      assert.deepEqual(
        t.segments.map((s) => [s.utteranceId, s.revision, s.text]),
        [
          ['u1', 2, 'my card is for you'],
          ['u2', 0, 'text of u2'],
        ],
      );
      assert.equal(t.counts.revisions, 2);
      assert.equal(t.counts.duplicates, 2);
    });

    it('hands out copies: a consumer editing its segment in place changes neither dedupe nor transcript', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('u1', 0, 1000, { text: 'card 4111', words: [{ text: '4111', startMs: T0, endMs: T0 + 900 }] }));
      const seg = h.segments()[0]!;
      seg.text = '[CARD]';
      seg.words[0]!.text = '[CARD]';
      h.send(utt('u1', 0, 1000, { text: 'card 4111', words: [{ text: '4111', startMs: T0, endMs: T0 + 900 }] }));
      assert.equal(h.segments().length, 1, 'the redelivery is still a duplicate');
      const t = h.aligner.end('c1')!;
      assert.equal(t.segments[0]!.text, 'card 4111');
      assert.equal(t.segments[0]!.words[0]!.text, '4111');
    });

    it('keeps every Utterance field on segments, partials and the transcript', () => {
      const h = new Harness({ holdBackMs: 0 });
      const full = { communicationId: 'comm-1', confidence: 0.8, language: 'en-US', engine: 'GENESYS', speaker: 'customer', receivedAt: T0 + 1500 };
      const words = [{ text: 'hi', startMs: T0, endMs: T0 + 400, confidence: 0.7 }, { text: 'there', startMs: T0 + 500, endMs: T0 + 1000 }];
      h.send(utt('u1', 0, 1000, { ...full, words, isFinal: false }));
      h.send(utt('u1', 0, 1000, { ...full, words }));
      const partial = h.outputs[0]!;
      assert.ok(partial.kind === 'partial');
      const expected = { ...utt('u1', 0, 1000, { ...full, words }) };
      assert.deepEqual(partial.utterance, { ...expected, isFinal: false });
      const seg = h.segments()[0]!;
      assert.deepEqual(seg, { ...expected, seq: 1, latencyMs: 500, driftMs: 0, revision: 0, late: false });
      assert.deepEqual(h.aligner.end('c1')!.segments[0], seg);
    });

    it('replaces a final corrected while still held back, without a revision', () => {
      const h = new Harness({ holdBackMs: 1000 });
      h.send(utt('u1', 0, 1000, { text: 'first' }), 'a');
      h.clock.advance(100);
      h.send(utt('u1', 0, 1000, { text: 'second' }), 'b');
      h.clock.advance(1000);
      assert.equal(h.segments().length, 1);
      assert.equal(h.segments()[0]!.text, 'second');
      assert.equal(h.segments()[0]!.revision, 0);
      assert.equal(h.outputs[0]!.kind === 'segment' && h.outputs[0]!.ctx, 'b');
    });
  });

  describe('ordering with the hold-back window', () => {
    it('holds finals for the window (arrival time) and emits them in speech order across channels', () => {
      const h = new Harness({ holdBackMs: 1500 });
      h.send(utt('b', 2000, 3000, { channel: 'INTERNAL' }));
      h.clock.advance(1000);
      h.send(utt('a', 1000, 1800, { channel: 'EXTERNAL' }));
      h.clock.advance(499);
      assert.deepEqual(h.ids(), []);
      h.clock.advance(1);
      // b's window ended; a was spoken earlier so it goes first, even though its own window has not.
      assert.deepEqual(h.ids(), ['a', 'b']);
      assert.deepEqual(
        h.segments().map((s) => [s.speaker, s.seq, s.late]),
        [
          ['customer', 1, false],
          ['agent', 2, false],
        ],
      );
    });

    it('keeps later speech held while releasing what is due', () => {
      const h = new Harness({ holdBackMs: 1000 });
      h.send(utt('a', 0, 500));
      h.clock.advance(600);
      h.send(utt('c', 3000, 3500));
      h.clock.advance(400);
      assert.deepEqual(h.ids(), ['a']);
      h.send(utt('b', 1000, 2000));
      h.clock.advance(599);
      assert.deepEqual(h.ids(), ['a']);
      h.clock.advance(1);
      assert.deepEqual(h.ids(), ['a', 'b', 'c']);
      assert.equal(h.clock.pending, 1, 'only the idle timer is left');
    });

    it('emits a result that arrives after its window at once, flagged late, with an out-of-order alert', () => {
      const h = new Harness({ holdBackMs: 1500 });
      h.send(utt('b', 2000, 3000));
      h.clock.advance(1500);
      assert.deepEqual(h.ids(), ['b']);
      h.send(utt('a', 500, 1500), 'late-msg');
      assert.deepEqual(h.ids(), ['b', 'a']);
      const a = h.segments()[1]!;
      assert.equal(a.late, true);
      assert.equal(a.seq, 2);
      const alert = h.alerts()[0]!;
      assert.equal(alert.type, 'out-of-order');
      assert.ok(alert.type === 'out-of-order' && alert.behindMs === 1500 && alert.holdBackMs === 1500 && alert.utteranceId === 'a');
      assert.equal(alert.conversationId, 'c1');
      const t = h.aligner.end('c1')!;
      assert.deepEqual(
        t.segments.map((s) => s.utteranceId),
        ['a', 'b'],
      );
      assert.equal(t.counts.late, 1);
    });

    it('flags and alerts a held-back result whose correction moved it before what was already sent', () => {
      const h = new Harness({ holdBackMs: 1000 });
      h.send(utt('a', 1000, 2000));
      h.clock.advance(1000);
      h.send(utt('b', 5000, 6000));
      h.send(utt('b', 500, 900));
      h.clock.advance(1000);
      assert.deepEqual(
        h.segments().map((s) => [s.utteranceId, s.late, s.revision]),
        [
          ['a', false, 0],
          ['b', true, 0],
        ],
      );
      const alert = h.alerts()[0]!;
      assert.ok(alert.type === 'out-of-order' && alert.utteranceId === 'b' && alert.behindMs === 500);
    });

    it('with holdBackMs 0 emits in arrival order and still flags what is out of order', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('b', 2000, 3000));
      h.send(utt('a', 0, 1000));
      assert.deepEqual(
        h.segments().map((s) => [s.utteranceId, s.late]),
        [
          ['b', false],
          ['a', true],
        ],
      );
      assert.equal(h.clock.pending, 1, 'no hold timer, only idle');
    });

    it('keeps conversations apart', () => {
      const h = new Harness({ holdBackMs: 1000 });
      h.send(utt('x2', 2000, 3000, { conversationId: 'c2' }));
      h.send(utt('a', 5000, 6000));
      h.send(utt('x1', 0, 1000, { conversationId: 'c2' }));
      h.clock.advance(1000);
      const byConv = h.outputs.flatMap((o) => (o.kind === 'segment' ? [`${o.conversationId}:${o.segment.utteranceId}:${o.segment.seq}`] : []));
      assert.deepEqual(byConv.sort(), ['c1:a:1', 'c2:x1:1', 'c2:x2:2']);
    });
  });

  describe('latency, drift and gaps', () => {
    it('measures latencyMs as receivedAt minus speech end and driftMs against the running baseline', () => {
      const h = new Harness({ holdBackMs: 0, baselineAlpha: 0.5 });
      h.send(utt('a', 0, 1000, { receivedAt: T0 + 2000 }));
      h.send(utt('b', 2000, 3000, { receivedAt: T0 + 4000 }));
      h.send(utt('c', 4000, 5000, { receivedAt: T0 + 9000 }));
      h.send(utt('d', 6000, 7000, { receivedAt: T0 + 9500 }));
      assert.deepEqual(
        h.segments().map((s) => [s.latencyMs, s.driftMs]),
        [
          [1000, 0],
          [1000, 0],
          [4000, 3000],
          [2500, 0], // baseline after c = 1000 + 0.5 * 3000 = 2500
        ],
      );
    });

    it('alerts once when latency goes over the threshold, and again only after it came back under', () => {
      const h = new Harness({ holdBackMs: 0, latencyThresholdMs: 3000 });
      const lat = [1000, 4000, 5000, 1000, 3500];
      lat.forEach((l, i) => h.send(utt(`u${i}`, i * 10_000, i * 10_000 + 1000, { receivedAt: T0 + i * 10_000 + 1000 + l })));
      const alerts = h.alerts();
      assert.deepEqual(
        alerts.map((a) => a.type === 'latency' && [a.utteranceId, a.latencyMs, a.thresholdMs]),
        [
          ['u1', 4000, 3000],
          ['u4', 3500, 3000],
        ],
      );
      assert.match(alerts[0]!.message, /4000 ms is over 3000 ms/);
    });

    it('alerts when latency drifts from the baseline by more than the threshold', () => {
      const h = new Harness({ holdBackMs: 0, driftThresholdMs: 1500, baselineAlpha: 0.2 });
      [1000, 1100, 900, 3000, 3100, 1000].forEach((l, i) => h.send(utt(`u${i}`, i * 5000, i * 5000 + 1000, { receivedAt: T0 + i * 5000 + 1000 + l })));
      const alerts = h.alerts();
      assert.equal(alerts.length, 1, JSON.stringify(alerts));
      const a = alerts[0]!;
      assert.ok(a.type === 'drift');
      assert.equal(a.utteranceId, 'u3');
      assert.equal(a.latencyMs, 3000);
      assert.equal(a.thresholdMs, 1500);
      assert.ok(a.driftMs > 1500 && a.baselineMs < 1100, JSON.stringify(a));
    });

    it('alerts when neither channel speaks for longer than the gap threshold', () => {
      const h = new Harness({ holdBackMs: 0, gapThresholdMs: 5000 });
      h.send(utt('a', 0, 4000, { channel: 'INTERNAL' }));
      h.send(utt('b', 2000, 8000, { channel: 'EXTERNAL' }));
      h.send(utt('c', 12_000, 13_000, { channel: 'INTERNAL' })); // 4 s after b ends: no alert
      h.send(utt('d', 19_000, 20_000, { channel: 'EXTERNAL' })); // 6 s after c: alert
      const alerts = h.alerts();
      assert.equal(alerts.length, 1);
      const a = alerts[0]!;
      assert.ok(a.type === 'gap');
      assert.deepEqual([a.gapMs, a.fromMs, a.toMs, a.utteranceId], [6000, T0 + 13_000, T0 + 19_000, 'd']);
    });
  });

  describe('batches', () => {
    it('sends one message per full batch, never split', () => {
      const h = new Harness({ holdBackMs: 0, emit: 'batch', batchSize: 3, batchIntervalMs: 0 });
      for (let i = 0; i < 7; i++) h.send(utt(`u${i}`, i * 1000, i * 1000 + 500));
      const batches = h.outputs.flatMap((o) => (o.kind === 'batch' ? [o.batch] : []));
      assert.deepEqual(
        batches.map((b) => [b.reason, b.segments.map((s) => s.seq)]),
        [
          ['size', [1, 2, 3]],
          ['size', [4, 5, 6]],
        ],
      );
      h.aligner.end('c1');
      assert.deepEqual(h.kinds().slice(-2), ['batch', 'transcript'], 'the last batch goes before the transcript');
      const last = h.outputs.at(-2)!;
      assert.ok(last.kind === 'batch' && last.batch.reason === 'end' && last.batch.segments.length === 1);
    });

    it('sends a batch when its interval runs out after the first segment', () => {
      const h = new Harness({ holdBackMs: 0, emit: 'batch', batchSize: 0, batchIntervalMs: 1000 });
      h.send(utt('a', 0, 500));
      h.clock.advance(600);
      h.send(utt('b', 1000, 1500));
      h.clock.advance(399);
      assert.deepEqual(h.kinds(), []);
      h.clock.advance(1);
      const b = h.outputs[0]!;
      assert.ok(b.kind === 'batch');
      assert.deepEqual(
        b.batch.segments.map((s) => s.utteranceId),
        ['a', 'b'],
      );
      assert.equal(b.batch.reason, 'interval');
      h.send(utt('c', 2000, 2500));
      h.clock.advance(1000);
      assert.equal(h.outputs.length, 2);
    });

    it('with count and time, whichever comes first; the count resets the timer', () => {
      const h = new Harness({ holdBackMs: 0, emit: 'batch', batchSize: 2, batchIntervalMs: 1000 });
      h.send(utt('a', 0, 500));
      h.send(utt('b', 1000, 1500));
      h.clock.advance(500);
      h.send(utt('c', 2000, 2500));
      h.clock.advance(999);
      assert.equal(h.outputs.length, 1);
      h.clock.advance(1);
      assert.deepEqual(
        h.outputs.map((o) => o.kind === 'batch' && o.batch.reason),
        ['size', 'interval'],
      );
    });

    it('batches what the hold-back window releases, in speech order', () => {
      const h = new Harness({ holdBackMs: 1000, emit: 'batch', batchSize: 10, batchIntervalMs: 0 });
      h.send(utt('b', 1000, 1500));
      h.send(utt('a', 0, 500));
      h.clock.advance(1000);
      assert.equal(h.outputs.length, 0);
      h.aligner.close();
      const b = h.outputs[0]!;
      assert.ok(b.kind === 'batch');
      assert.deepEqual(
        b.batch.segments.map((s) => s.utteranceId),
        ['a', 'b'],
      );
      assert.equal(b.batch.reason, 'close');
    });
  });

  describe('end of conversation', () => {
    it('sends the whole ordered transcript once, with speakers, span and counts, then frees the state', () => {
      const h = new Harness({ holdBackMs: 1500 });
      h.send(utt('a2', 3000, 4000, { channel: 'INTERNAL', words: [{ text: 'yes', startMs: T0 + 3000, endMs: T0 + 3500 }] }));
      h.send(utt('c1', 0, 2500, { channel: 'EXTERNAL', words: [{ text: 'hi', startMs: T0, endMs: T0 + 500 }, { text: 'there', startMs: T0 + 600, endMs: T0 + 2500 }] }));
      h.send(utt('c2', 5000, 6000, { channel: 'EXTERNAL' }));
      h.send(utt('x', 0, 10, { conversationId: 'other' }));
      h.clock.advance(100);
      h.aligner.ingest({ event: 'conversation-ended', conversationId: 'c1' }, 'end-msg');
      // Held-back segments go out in order before the transcript.
      assert.deepEqual(h.ids(), ['c1', 'a2', 'c2']);
      const out = h.outputs.at(-1)!;
      assert.ok(out.kind === 'transcript');
      assert.equal(out.ctx, 'end-msg');
      const t = out.transcript;
      assert.ok(isConversationTranscript(t));
      assert.equal(t.reason, 'ended');
      assert.deepEqual(
        t.segments.map((s) => s.utteranceId),
        ['c1', 'a2', 'c2'],
      );
      assert.equal(t.startMs, T0);
      assert.equal(t.endMs, T0 + 6000);
      assert.equal(t.openedAt, T0 + 100_000);
      assert.equal(t.endedAt, T0 + 100_100);
      assert.deepEqual(t.speakers, [
        { speaker: 'customer', channel: 'EXTERNAL', segments: 2, words: 2, speechMs: 3500 },
        { speaker: 'agent', channel: 'INTERNAL', segments: 1, words: 1, speechMs: 1000 },
      ]);
      assert.deepEqual(t.counts, { segments: 3, finals: 3, partials: 0, duplicates: 0, revisions: 0, late: 0, droppedByCap: 0 });
      assert.deepEqual(h.aligner.openConversationIds(), ['other']);
      assert.equal(h.aligner.stats.segments, 1);
      // A second end event (session-ended after conversation-ended) sends nothing.
      const before = h.outputs.length;
      h.aligner.ingest({ event: 'session-ended', conversationId: 'c1' });
      assert.equal(h.outputs.length, before);
    });

    it('ends on {action:"end"} with the id from the topic, and on session-ended', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('a', 0, 10));
      h.send(utt('b', 0, 10, { conversationId: 'c2' }));
      h.aligner.ingest({ action: 'end' }, undefined, 'c1');
      h.aligner.ingest({ event: 'session-ended', conversationId: 'c2' });
      assert.deepEqual(
        transcripts(h).map((t) => [t.conversationId, t.segments.length]),
        [
          ['c1', 1],
          ['c2', 1],
        ],
      );
    });

    it('ignores other lifecycle events and rejects unknown actions', () => {
      const h = new Harness({ holdBackMs: 0 });
      h.send(utt('a', 0, 10));
      assert.deepEqual(h.aligner.ingest({ event: 'session-started', conversationId: 'c1' }), { kind: 'ignored', event: 'session-started' });
      assert.throws(() => h.aligner.ingest({ action: 'pause', conversationId: 'c1' }), /unknown action "pause"/);
      // A value JSON.stringify cannot print (too deep, cyclic) still gives an InputError.
      const deep: unknown = JSON.parse(`${'['.repeat(10000)}${']'.repeat(10000)}`);
      assert.throws(() => h.aligner.ingest({ action: deep }), (err: unknown) => err instanceof InputError && /unknown action array/.test(err.message));
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      assert.throws(() => h.aligner.ingest({ action: cyclic }), (err: unknown) => err instanceof InputError && /unknown action object/.test(err.message));
      assert.throws(() => h.aligner.ingest({ action: 'end' }), /needs a conversationId/);
      assert.equal(transcripts(h).length, 0);
      assert.equal(h.aligner.stats.openConversations, 1);
    });

    it('ends an idle conversation after idleTimeoutMs without input; activity postpones it', () => {
      const h = new Harness({ holdBackMs: 0, idleTimeoutMs: 10_000 });
      h.send(utt('a', 0, 10));
      h.clock.advance(6000);
      h.send(utt('b', 20, 30));
      h.clock.advance(9999);
      assert.equal(transcripts(h).length, 0);
      h.clock.advance(1);
      const t = transcripts(h);
      assert.equal(t.length, 1);
      assert.equal(t[0]!.reason, 'idle');
      assert.equal(t[0]!.segments.length, 2);
      assert.equal(h.aligner.stats.openConversations, 0);
      assert.equal(h.clock.pending, 0);
    });
    it('ends each idle conversation at its own time (one timer for all)', () => {
      const h = new Harness({ holdBackMs: 0, idleTimeoutMs: 10_000 });
      h.send(utt('a', 0, 10, { conversationId: 'A' }));
      h.clock.advance(3000);
      h.send(utt('b', 0, 10, { conversationId: 'B' }));
      h.clock.advance(3000);
      h.send(utt('a2', 20, 30, { conversationId: 'A' }));
      h.clock.advance(6999);
      assert.deepEqual(transcripts(h), []);
      h.clock.advance(1);
      assert.deepEqual(
        transcripts(h).map((t) => [t.conversationId, t.endedAt - T0 - 100_000]),
        [['B', 13_000]],
      );
      h.clock.advance(3000);
      assert.deepEqual(
        transcripts(h).map((t) => [t.conversationId, t.endedAt - T0 - 100_000]),
        [
          ['B', 13_000],
          ['A', 16_000],
        ],
      );
      assert.equal(h.clock.pending, 0);
    });
  });

  describe('bounded memory', () => {
    it('ends the least recently active conversation with an alert when the cap is reached', () => {
      const h = new Harness({ holdBackMs: 0, maxConversations: 2 });
      h.send(utt('a', 0, 10, { conversationId: 'A' }));
      h.send(utt('b', 0, 10, { conversationId: 'B' }));
      h.send(utt('a2', 20, 30, { conversationId: 'A' })); // A is now the most recent
      h.send(utt('c', 0, 10, { conversationId: 'C' }));
      const alert = h.alerts()[0]!;
      assert.ok(alert.type === 'evicted');
      assert.equal(alert.conversationId, 'B');
      assert.equal(alert.maxConversations, 2);
      const t = transcripts(h);
      assert.deepEqual(
        t.map((x) => [x.conversationId, x.reason]),
        [['B', 'evicted']],
      );
      assert.deepEqual(h.aligner.openConversationIds(), ['A', 'C']);
    });

    it('forgets the oldest emitted segments beyond maxSegmentsPerConversation, alerting once', () => {
      const h = new Harness({ holdBackMs: 0, maxSegmentsPerConversation: 3 });
      for (let i = 0; i < 6; i++) h.send(utt(`u${i}`, i * 100, i * 100 + 50));
      assert.equal(h.segments().length, 6, 'every segment is still emitted');
      assert.deepEqual(
        h.alerts().map((a) => a.type),
        ['segment-cap'],
      );
      assert.equal(h.aligner.stats.segments, 3);
      const t = h.aligner.end('c1')!;
      assert.deepEqual(
        t.segments.map((s) => s.utteranceId),
        ['u3', 'u4', 'u5'],
      );
      assert.equal(t.counts.droppedByCap, 3);
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['missing conversation id', utt('z', 0, 10, { conversationId: undefined }), /conversationId must be a non-empty string/],
      ['non-numeric times', utt('z', 0, 10, { startMs: 'soon' }), /startMs must be a finite number/],
      ['words out of range', utt('z', 0, 10, { words: [{ text: 'x', startMs: T0 + 5000, endMs: T0 + 5100 }] }), /lies outside the utterance/],
      ['unknown channel', utt('z', 0, 10, { channel: 'LEFT' }), /channel must be one of/],
    ];
    for (const [name, payload, re] of cases) {
      it(`rejects ${name} with an InputError and leaves the conversation intact`, () => {
        const h = new Harness({ holdBackMs: 1000 });
        h.send(utt('a', 0, 500));
        h.send(utt('b', 1000, 1500, { isFinal: false }));
        const before = JSON.stringify(h.aligner.stats);
        assert.throws(
          () => h.aligner.ingest(payload),
          (err: unknown) => err instanceof InputError && re.test(err.message),
        );
        assert.equal(JSON.stringify(h.aligner.stats), before);
        h.clock.advance(1000);
        assert.deepEqual(h.ids(), ['a']);
        const t = h.aligner.end('c1')!;
        assert.deepEqual(t.counts, { segments: 1, finals: 1, partials: 1, duplicates: 0, revisions: 0, late: 0, droppedByCap: 0 });
      });
    }

    it('rejects bad settings with a message naming the setting', () => {
      assert.throws(() => resolveAlignerOptions({ holdBackMs: -1 }), /holdBackMs must be a whole number >= 0/);
      assert.throws(() => resolveAlignerOptions({ emit: 'batch', batchSize: 0, batchIntervalMs: 0 }), /batch mode needs/);
      assert.throws(() => resolveAlignerOptions({ emit: 'stream' }), /emit must be/);
      assert.throws(() => resolveAlignerOptions({ maxConversations: 0 }), /maxConversations must be at least 1/);
      assert.equal(resolveAlignerOptions({ holdBackMs: '250', emitPartials: 'false' }).holdBackMs, 250);
      // Text that reads as no number is refused with the text, not taken for 0 (Number(' ') is 0).
      assert.throws(() => resolveAlignerOptions({ holdBackMs: ' ' }), /holdBackMs must be a whole number >= 0 \(got " "\)/);
      assert.throws(() => resolveAlignerOptions({ batchSize: 'ten' }), /batchSize must be a whole number >= 0 \(got "ten"\)/);
      assert.equal(resolveAlignerOptions({ holdBackMs: ' 250 ' }).holdBackMs, 250);
      assert.equal(resolveAlignerOptions({ emitPartials: 'false' }).emitPartials, false);
      assert.equal(resolveAlignerOptions({}).holdBackMs, 1500);
    });

    it('reads the node dialog: the idle time in seconds, at most a week', () => {
      assert.equal(alignerOptionsFromDialog({ idleTimeoutS: '90' }).idleTimeoutMs, 90_000);
      assert.equal(alignerOptionsFromDialog({ idleTimeoutS: '' }).idleTimeoutMs, 600_000);
      assert.equal(alignerOptionsFromDialog({ idleTimeoutS: 0 }).idleTimeoutMs, 0);
      assert.throws(() => alignerOptionsFromDialog({ idleTimeoutS: 604_801 }), /idleTimeoutS must be a number from 0 to 604800 \(got 604801\)/);
      assert.throws(() => alignerOptionsFromDialog({ idleTimeoutS: 'soon' }), /idleTimeoutS must be a number/);
      // The other settings pass as they are, for the Aligner to check.
      assert.deepEqual(resolveAlignerOptions(alignerOptionsFromDialog({ holdBackMs: '250', emit: 'batch', batchSize: '5' })), {
        ...resolveAlignerOptions({}),
        holdBackMs: 250,
        emit: 'batch',
        batchSize: 5,
      });
    });
  });

  describe('close', () => {
    it('releases held-back segments in order, sends pending batches, clears every timer, sends no transcript', () => {
      const h = new Harness({ holdBackMs: 1500, emit: 'batch', batchSize: 100, batchIntervalMs: 5000, idleTimeoutMs: 60_000 });
      h.send(utt('a', 0, 10));
      h.clock.advance(1500);
      h.send(utt('c', 300, 310));
      h.send(utt('b', 200, 210));
      h.send(utt('x', 0, 10, { conversationId: 'c2' }));
      assert.equal(h.clock.pending, 3, "hold-back, idle and one batch timer");
      h.aligner.close();
      assert.equal(h.clock.pending, 0);
      assert.deepEqual(
        h.outputs.map((o) => o.kind === 'batch' && [o.conversationId, o.batch.reason, o.batch.segments.map((s) => s.utteranceId).join()]),
        [
          ['c1', 'close', 'a,b,c'],
          ['c2', 'close', 'x'],
        ],
      );
      assert.throws(() => h.aligner.ingest(utt('d', 0, 10)), /closed/);
      h.aligner.close();
      assert.equal(h.outputs.length, 2);
    });
  });
});
