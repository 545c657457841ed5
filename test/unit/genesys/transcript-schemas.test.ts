import assert from 'node:assert/strict';
import { parseEnvelope, validateSchema, type TranscriptionEvent } from '../../../lib/genesys/schemas';
import { InputError } from '../../../lib/util/errors';

/** The reference's example event (genesys-api.md 3.1), as the platform would send it. */
export function referenceEvent(): Record<string, unknown> {
  return {
    topicName: 'v2.conversations.1a2b3c4d-0000-4000-8000-000000000001.transcription',
    version: '2',
    eventBody: {
      eventTime: '2025-03-19T22:04:48.128Z',
      organizationId: 'o-1',
      conversationId: '1a2b3c4d-0000-4000-8000-000000000001',
      communicationId: '7dd90000-0000-4000-8000-000000000002',
      sessionStartTimeMs: 1742421870000,
      transcriptionStartTimeMs: 1742421871200,
      transcripts: [
        {
          utteranceId: 'u-17',
          isFinal: true,
          channel: 'EXTERNAL',
          alternatives: [
            {
              confidence: 0.91,
              offsetMs: 23460,
              durationMs: 1040,
              transcript: 'i want to cancel my plan',
              decoratedTranscript: 'I want to cancel my plan.',
              words: [{ word: 'cancel', confidence: 0.95, offsetMs: 23800, durationMs: 300 }],
            },
          ],
          engineProvider: 'GENESYS',
          engineId: 'r2d2',
          dialect: 'en-US',
          agentAssistEnabled: true,
          voiceTranscriptionEnabled: true,
        },
      ],
      status: { offsetMs: 24500, status: 'SESSION_ONGOING' },
    },
    metadata: { CorrelationId: 'c0ffee00-0000-4000-8000-000000000003' },
  };
}

function body(): Record<string, unknown> {
  return structuredClone(referenceEvent().eventBody) as Record<string, unknown>;
}

function rejects(name: Parameters<typeof validateSchema>[0], value: unknown, message: RegExp): void {
  assert.throws(
    () => validateSchema(name, value),
    (err: unknown) => err instanceof InputError && err.code === 'INVALID_EVENT' && message.test(err.message),
  );
}

describe('lib/genesys/schemas', () => {
  it('accepts the reference transcription event and its envelope', () => {
    const env = parseEnvelope(JSON.stringify(referenceEvent()));
    const ev = validateSchema<TranscriptionEvent>('transcription', env.eventBody);
    assert.equal(ev.transcripts?.[0]?.channel, 'EXTERNAL');
    assert.equal(env.metadata?.CorrelationId, 'c0ffee00-0000-4000-8000-000000000003');
  });

  it('allows unknown extra fields everywhere (the platform adds fields)', () => {
    const b = body() as { transcripts: Array<Record<string, unknown>>; [k: string]: unknown };
    b.brandNewField = { x: 1 };
    b.transcripts[0]!.newResultField = 'y';
    assert.doesNotThrow(() => validateSchema('transcription', b));
    assert.doesNotThrow(() => parseEnvelope(JSON.stringify({ topicName: 't', eventBody: {}, extra: true })));
  });

  it('accepts the keep-alive event (no transcripts, SESSION_ONGOING)', () => {
    assert.doesNotThrow(() => validateSchema('transcription', { conversationId: 'c', transcripts: [], status: { offsetMs: 0, status: 'SESSION_ONGOING' } }));
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test patches reach into nested fields
  const patch = (fn: (b: any) => void) => {
    const b = body();
    fn(b);
    return b;
  };
  const cases: Array<[string, unknown, RegExp]> = [
    ['a missing conversationId', patch((b) => delete b.conversationId), /eventBody is missing required field "conversationId"/],
    ['a numeric conversationId', patch((b) => (b.conversationId = 42)), /eventBody\.conversationId must be string \(got number 42\)/],
    ['an unknown channel', patch((b) => (b.transcripts[0].channel = 'LEFT')), /eventBody\.transcripts\[0\]\.channel must be one of UNKNOWN, INTERNAL, EXTERNAL, BOTH \(got string "LEFT"\)/],
    ['isFinal as a string', patch((b) => (b.transcripts[0].isFinal = 'true')), /transcripts\[0\]\.isFinal must be boolean/],
    ['a missing utteranceId', patch((b) => delete b.transcripts[0].utteranceId), /transcripts\[0\] is missing required field "utteranceId"/],
    ['a fractional offsetMs', patch((b) => (b.transcripts[0].alternatives[0].offsetMs = 1.5)), /alternatives\[0\]\.offsetMs must be integer/],
    ['a negative durationMs', patch((b) => (b.transcripts[0].alternatives[0].durationMs = -1)), /durationMs must be >= 0/],
    ['a word without text', patch((b) => delete b.transcripts[0].alternatives[0].words[0].word), /words\[0\] is missing required field "word"/],
    ['an unknown session status', patch((b) => (b.status.status = 'DONE')), /status\.status must be one of UNKNOWN, SESSION_ONGOING, SESSION_ENDED/],
    ['a bad eventTime', patch((b) => (b.eventTime = 'yesterday')), /eventTime must be an ISO-8601 date-time/],
    ['transcripts as an object', patch((b) => (b.transcripts = {})), /eventBody\.transcripts must be array/],
  ];
  for (const [name, value, re] of cases) {
    it(`rejects ${name} with a precise message`, () => rejects('transcription', value, re));
  }

  it('rejects frames that are not JSON or not envelopes, with codes', () => {
    assert.throws(() => parseEnvelope('{"topicName":'), (e: unknown) => e instanceof InputError && e.code === 'INVALID_JSON');
    assert.throws(() => parseEnvelope('{"eventBody":{}}'), (e: unknown) => e instanceof InputError && /missing required field "topicName"/.test(e.message));
    assert.throws(() => parseEnvelope('{"topicName":"t","eventBody":[]}'), /eventBody must be object \(got array\)/);
  });

  it('validates queue conversation events, generic and .calls', () => {
    const generic = {
      id: 'conv-1',
      participants: [{ id: 'p1', purpose: 'customer', calls: [{ id: 'comm-1', state: 'connected', direction: 'inbound' }] }],
    };
    assert.doesNotThrow(() => validateSchema('conversation', generic));
    const calls = { id: 'conv-1', participants: [{ id: 'p1', purpose: 'agent', state: 'connected', user: { id: 'u1' }, queue: { id: 'q1' } }] };
    assert.doesNotThrow(() => validateSchema('conversation', calls));
    rejects('conversation', { id: 'c' }, /missing required field "participants"/);
    rejects('conversation', { id: 'c', participants: [{ id: 'p', calls: [{ state: 'connected' }] }] }, /participants\[0\]\.calls\[0\] is missing required field "id"/);
  });

  it('validates Copilot summary and suggestion events', () => {
    const summary = {
      conversationId: 'c1',
      summary: { text: 'The customer asked to cancel.', score: 0.9 },
      extractedEntities: [{ label: 'plan', value: 'gold' }],
      followupActions: [{ text: 'send letter', score: 0.5 }],
      mediaType: 'CALL',
    };
    assert.doesNotThrow(() => validateSchema('summary', summary));
    rejects('summary', { ...summary, summary: { text: 5 } }, /eventBody\.summary\.text must be string/);
    rejects('summary', { summary: { text: 'x' } }, /missing required field "conversationId"/);
    const suggestion = { conversationId: 'c1', suggestionId: 's1', state: 'Suggested', context: { utteranceId: 'u1' }, knowledgeSearch: { title: 'Cancel', confidence: 0.8 } };
    assert.doesNotThrow(() => validateSchema('suggestion', suggestion));
    rejects('suggestion', { ...suggestion, context: { utteranceId: 7 } }, /context\.utteranceId must be string/);
  });
});
