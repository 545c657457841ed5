import assert from 'node:assert/strict';
import { validateSchema, type TranscriptionEvent } from '../../../lib/genesys/schemas';
import { normalizeTranscription } from '../../../lib/transcript/normalizer';
import { parseUtterance } from '../../../lib/transcript/utterance';
import { InputError } from '../../../lib/util/errors';
import { referenceEvent } from '../genesys/transcript-schemas.test';

const body = (): TranscriptionEvent => validateSchema<TranscriptionEvent>('transcription', structuredClone(referenceEvent().eventBody));

describe('lib/transcript/normalizer', () => {
  it('maps the reference event to one Utterance with the default offset assumption', () => {
    const n = normalizeTranscription(body(), { receivedAt: 1742421899999 });
    assert.equal(n.utterances.length, 1);
    const u = n.utterances[0]!;
    assert.deepEqual(
      { ...u, words: undefined },
      {
        conversationId: '1a2b3c4d-0000-4000-8000-000000000001',
        communicationId: '7dd90000-0000-4000-8000-000000000002',
        utteranceId: 'u-17',
        channel: 'EXTERNAL',
        speaker: 'customer',
        isFinal: true,
        text: 'i want to cancel my plan',
        confidence: 0.91,
        startMs: 1742421871200 + 23460,
        endMs: 1742421871200 + 23460 + 1040,
        language: 'en-US',
        engine: 'GENESYS/r2d2',
        receivedAt: 1742421899999,
        words: undefined,
      },
    );
    assert.deepEqual(u.words, [{ text: 'cancel', startMs: 1742421871200 + 23800, endMs: 1742421871200 + 24100, confidence: 0.95 }]);
    // The result satisfies the shared contract (what the aligner and redactor validate).
    assert.doesNotThrow(() => parseUtterance(u));
    assert.equal(n.keepAlive, false);
    assert.equal(n.status, 'SESSION_ONGOING');
  });

  it('refuses integers whose sum is not a finite time with an InputError naming the result or word', () => {
    const huge = body();
    huge.transcriptionStartTimeMs = 1e308;
    huge.transcripts![0]!.alternatives![0]!.offsetMs = 1e308;
    assert.throws(
      () => normalizeTranscription(huge, { receivedAt: 0 }),
      (e: unknown) => e instanceof InputError && e.code === 'INVALID_EVENT' && e.path === 'eventBody.transcripts[0].alternatives[0]' && /times are out of range/.test(e.message),
    );
    const hugeWord = body();
    hugeWord.transcripts![0]!.alternatives![0]!.words![0]!.offsetMs = 1.7e308;
    hugeWord.transcripts![0]!.alternatives![0]!.words![0]!.durationMs = 1.7e308;
    assert.throws(
      () => normalizeTranscription(hugeWord, { receivedAt: 0 }),
      (e: unknown) => e instanceof InputError && e.path === 'eventBody.transcripts[0].alternatives[0].words[0]',
    );
  });

  it('uses sessionStartTimeMs as the base when told to', () => {
    const u = normalizeTranscription(body(), { receivedAt: 0, offsetReference: 'sessionStart' }).utterances[0]!;
    assert.equal(u.startMs, 1742421870000 + 23460);
    assert.equal(u.words[0]?.startMs, 1742421870000 + 23800);
  });

  it('derives the base from word startTimeMs when told to, and falls back without it', () => {
    const b = body();
    const w = b.transcripts![0]!.alternatives![0]!.words![0]!;
    w.startTimeMs = 1742421900000; // absolute; offsetMs 23800 -> base 1742421876200
    const u = normalizeTranscription(b, { receivedAt: 0, offsetReference: 'wordStartTime' }).utterances[0]!;
    assert.equal(u.startMs, 1742421876200 + 23460);
    assert.equal(u.words[0]?.startMs, 1742421900000);
    const fallback = normalizeTranscription(body(), { receivedAt: 0, offsetReference: 'wordStartTime' }).utterances[0]!;
    assert.equal(fallback.startMs, 1742421871200 + 23460);
  });

  it('falls back to the arrival time when the event carries no start time', () => {
    const b = body();
    delete b.transcriptionStartTimeMs;
    delete b.sessionStartTimeMs;
    assert.equal(normalizeTranscription(b, { receivedAt: 1000 }).utterances[0]?.startMs, 1000 + 23460);
  });

  it('maps channels to speakers and keeps several results of one event in order', () => {
    const b = body();
    const first = b.transcripts![0]!;
    b.transcripts = [
      { ...first, utteranceId: 'a', channel: 'INTERNAL' },
      { ...first, utteranceId: 'b', channel: 'BOTH', isFinal: false },
      { ...first, utteranceId: 'c', channel: 'UNKNOWN', alternatives: [] },
    ];
    const n = normalizeTranscription(b, { receivedAt: 0 });
    assert.deepEqual(n.utterances.map((u) => [u.utteranceId, u.speaker, u.isFinal]), [
      ['a', 'agent', true],
      ['b', 'unknown', false],
    ]);
  });

  it('spreads words without timings over the utterance', () => {
    const b = body();
    b.transcripts![0]!.alternatives![0]!.words = [{ word: 'a' }, { word: 'b' }];
    const u = normalizeTranscription(b, { receivedAt: 0 }).utterances[0]!;
    assert.equal(u.words[0]?.startMs, u.startMs);
    assert.equal(u.words[1]?.startMs, u.startMs + 520);
    assert.doesNotThrow(() => parseUtterance(u));
  });

  it('turns the keep-alive and SESSION_ENDED into lifecycle flags, not utterances', () => {
    const keep = normalizeTranscription({ conversationId: 'c', transcripts: [], status: { status: 'SESSION_ONGOING', offsetMs: 0 } }, { receivedAt: 0 });
    assert.deepEqual([keep.utterances.length, keep.keepAlive, keep.sessionEnded], [0, true, false]);
    const end = normalizeTranscription({ conversationId: 'c', status: { status: 'SESSION_ENDED', offsetMs: 9 } }, { receivedAt: 0 });
    assert.deepEqual([end.utterances.length, end.keepAlive, end.sessionEnded], [0, false, true]);
  });
});
