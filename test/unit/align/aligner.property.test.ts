import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareSpeechOrder } from '../../../lib/align';
import { Harness, utt } from './harness';

const HOLD_BACK_MS = 1500;

interface Spoken {
  id: string;
  startMs: number;
  endMs: number;
  channel: 'INTERNAL' | 'EXTERNAL';
}

/** A conversation: utterances on both channels, overlapping freely, with unique ids. */
const conversation = fc
  .array(
    fc.record({
      startMs: fc.integer({ min: 0, max: 60_000 }),
      durationMs: fc.integer({ min: 0, max: 5000 }),
      internal: fc.boolean(),
    }),
    { minLength: 1, maxLength: 20 },
  )
  .map((list) =>
    list
      .map<Spoken>((x, i) => ({ id: `u${i}`, startMs: x.startMs, endMs: x.startMs + x.durationMs, channel: x.internal ? 'INTERNAL' : 'EXTERNAL' }))
      .sort((a, b) => compareSpeechOrder({ ...a, utteranceId: a.id }, { ...b, utteranceId: b.id })),
  );

interface Delivery {
  at: number;
  order: number;
  payload: Record<string, unknown>;
}

/** Feeds deliveries in arrival order on the manual clock, then lets every window run out and ends. */
function run(deliveries: Delivery[]): Harness {
  const h = new Harness({ holdBackMs: HOLD_BACK_MS });
  const start = h.clock.now();
  deliveries.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const d of deliveries) {
    h.clock.advance(start + d.at - h.clock.now());
    h.send(d.payload);
  }
  h.clock.advance(HOLD_BACK_MS);
  h.aligner.end('c1');
  return h;
}

function payloadOf(s: Spoken, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return utt(s.id, s.startMs, s.endMs, { channel: s.channel, text: `said ${s.id}`, ...extra });
}

describe('lib/align Aligner properties', () => {
  it('any delivery order and duplication within the window: output order = speech order, each final once', () => {
    fc.assert(
      fc.property(
        conversation,
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.nat({ max: HOLD_BACK_MS - 1 }), { minLength: 20, maxLength: 20 }),
        fc.array(fc.record({ index: fc.nat(), afterMs: fc.nat({ max: 3 * HOLD_BACK_MS }) }), { maxLength: 15 }),
        fc.array(fc.record({ index: fc.nat(), beforeMs: fc.nat({ max: 2000 }) }), { maxLength: 10 }),
        fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
        (spoken, stepMs, delays, copies, partials, tieBreak) => {
          // Nominal arrival grows with speech order; each result is delayed by less than the window,
          // so anything spoken earlier arrives less than the window after anything spoken later.
          const arrival = spoken.map((_, i) => i * stepMs + delays[i]!);
          const deliveries: Delivery[] = spoken.map((s, i) => ({ at: arrival[i]!, order: tieBreak[i]!, payload: payloadOf(s) }));
          copies.forEach((c, k) => {
            const i = c.index % spoken.length;
            deliveries.push({ at: arrival[i]! + c.afterMs, order: tieBreak[20 + k]!, payload: payloadOf(spoken[i]!) });
          });
          partials.forEach((p, k) => {
            const i = p.index % spoken.length;
            const s = spoken[i]!;
            deliveries.push({
              at: Math.max(0, arrival[i]! - p.beforeMs),
              order: tieBreak[40 + k]!,
              payload: payloadOf(s, { isFinal: false, text: `partial ${k}` }),
            });
          });
          const h = run(deliveries);
          const segments = h.segments();
          assert.deepEqual(
            segments.map((s) => s.utteranceId),
            spoken.map((s) => s.id),
          );
          assert.ok(segments.every((s) => !s.late && s.revision === 0));
          assert.deepEqual(
            segments.map((s) => s.seq),
            spoken.map((_, i) => i + 1),
          );
          assert.deepEqual(
            h.alerts().filter((a) => a.type === 'out-of-order'),
            [],
          );
          const transcript = h.outputs.at(-1)!;
          assert.ok(transcript.kind === 'transcript');
          assert.deepEqual(
            transcript.transcript.segments.map((s) => s.utteranceId),
            spoken.map((s) => s.id),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any delivery at all: each final once, in-order ones sorted, every late one flagged and alerted', () => {
    fc.assert(
      fc.property(
        conversation,
        fc.array(fc.nat({ max: 20_000 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.nat({ max: 19 }), { maxLength: 20 }),
        (spoken, times, dupIdx) => {
          const deliveries: Delivery[] = spoken.map((s, i) => ({ at: times[i]!, order: i, payload: payloadOf(s) }));
          dupIdx.forEach((i, k) => {
            const s = spoken[i % spoken.length]!;
            deliveries.push({ at: times[20 + k]!, order: 100 + k, payload: payloadOf(s) });
          });
          const h = run(deliveries);
          const segments = h.segments();
          assert.deepEqual(
            segments.map((s) => s.utteranceId).sort(),
            spoken.map((s) => s.id).sort(),
          );
          const inOrder = segments.filter((s) => !s.late);
          for (let i = 1; i < inOrder.length; i++) assert.ok(compareSpeechOrder(inOrder[i - 1]!, inOrder[i]!) < 0);
          const late = segments.filter((s) => s.late).map((s) => s.utteranceId);
          const alerted = h.alerts().flatMap((a) => (a.type === 'out-of-order' ? [a.utteranceId] : []));
          assert.deepEqual(alerted, late);
          const transcript = h.outputs.at(-1)!;
          assert.ok(transcript.kind === 'transcript');
          assert.deepEqual(
            transcript.transcript.segments.map((s) => s.utteranceId),
            spoken.map((s) => s.id),
          );
          assert.equal(transcript.transcript.counts.late, late.length);
          assert.equal(h.clock.pending, 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('corrections: every distinct final text is emitted once, revisions count up, the last one wins', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 12 }), fc.array(fc.nat({ max: 3000 }), { minLength: 12, maxLength: 12 }), (texts, gaps) => {
        const h = new Harness({ holdBackMs: HOLD_BACK_MS });
        texts.forEach((text, i) => {
          h.clock.advance(gaps[i]!);
          h.send(utt('u1', 0, 1000, { text }));
        });
        h.aligner.end('c1');
        const segments = h.segments();
        const distinctSeen: string[] = [];
        // Expected: a text is emitted when it differs from everything emitted before, except that
        // changes inside the first window only replace the held-back content.
        for (const s of segments) {
          assert.ok(!distinctSeen.includes(s.text), `text ${s.text} emitted twice`);
          distinctSeen.push(s.text);
        }
        assert.deepEqual(
          segments.map((s) => s.revision),
          segments.map((_, i) => i),
        );
        const t = h.outputs.at(-1)!;
        assert.ok(t.kind === 'transcript');
        assert.equal(t.transcript.segments.length, 1);
        assert.equal(t.transcript.segments[0]!.text, segments.at(-1)!.text);
        assert.ok((texts as string[]).includes(segments.at(-1)!.text));
      }),
      { numRuns: 200 },
    );
  });
});
