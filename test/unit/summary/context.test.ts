import assert from 'node:assert/strict';
import { SourceContexts, SummaryValidator, parseSummaryInput, redactorDetectors, routeMessage, transcriptTexts, validatorOptions } from '../../../lib/summary';
import { ManualClock } from '../../support/manual-clock';

const validator = new SummaryValidator(validatorOptions());

function contexts(clock: ManualClock, over: Partial<ConstructorParameters<typeof SourceContexts>[0]> = {}): SourceContexts {
  return new SourceContexts({ clock, countTokens: validator.countTokens, idleTimeoutMs: 60_000, endGraceMs: 10_000, maxConversations: 3, maxCharsPerConversation: 10_000, ...over });
}

describe('SourceContexts', () => {
  it('indexes segments as they arrive and lets a revision replace the earlier text', () => {
    const clock = new ManualClock();
    const ctx = contexts(clock);
    ctx.upsert('c1', { utteranceId: 'u1', text: 'the refund is twenty dollars', speaker: 'agent' });
    const before = ctx.get('c1');
    assert.ok(before?.index.has('a:20'));
    const tokens = before?.tokens ?? 0;
    ctx.upsert('c1', { utteranceId: 'u1', text: 'the refund is thirty dollars', speaker: 'agent' });
    const after = ctx.get('c1');
    assert.equal(after?.segmentCount, 1);
    assert.equal(after?.index.has('a:20'), false, 'the revised text replaced the old one');
    assert.equal(after?.index.has('a:30'), true);
    assert.equal(after?.tokens, tokens);
    const v = validator.validate(parseSummaryInput('The refund is $20.'), after as NonNullable<typeof after>);
    assert.deepEqual(v.ungrounded.map((u) => u.span), ['$20']);
    ctx.close();
  });

  it('frees a conversation after the end grace and an idle one after the timeout (injected clock)', () => {
    const clock = new ManualClock();
    const evicted: string[] = [];
    const ctx = contexts(clock, { onEvict: (id, why) => evicted.push(`${id}:${why}`) });
    ctx.upsert('ended', { utteranceId: 'u1', text: 'hello there' });
    ctx.upsert('idle', { utteranceId: 'u1', text: 'hello there' });
    ctx.end('ended');
    clock.advance(9_000);
    assert.ok(ctx.get('ended'), 'kept during the grace period for after-call summaries');
    clock.advance(3_000);
    assert.equal(ctx.get('ended'), undefined);
    assert.ok(ctx.get('idle'));
    clock.advance(60_000);
    assert.equal(ctx.get('idle'), undefined);
    assert.deepEqual(evicted, ['idle:idle']);
    assert.equal(clock.pending, 0, 'no timer left once every conversation is gone');
    ctx.close();
  });

  it('frees at once with no grace, caps conversations and source size', () => {
    const clock = new ManualClock();
    const evicted: string[] = [];
    const ctx = contexts(clock, { endGraceMs: 0, maxCharsPerConversation: 1_000, onEvict: (id, why) => evicted.push(`${id}:${why}`) });
    ctx.upsert('a', { utteranceId: 'u', text: 'x' });
    ctx.end('a');
    assert.equal(ctx.get('a'), undefined);
    for (const id of ['b', 'c', 'd', 'e']) ctx.upsert(id, { utteranceId: 'u', text: 'y' });
    assert.equal(ctx.size, 3);
    assert.deepEqual(evicted, ['b:capacity']);
    for (let i = 0; i < 30; i++) ctx.upsert('c', { utteranceId: `u${i}`, text: `segment number ${i} `.padEnd(60, '.') });
    const c = ctx.get('c');
    assert.ok(c && c.truncated && c.segmentCount < 30 && c.segmentCount >= 15);
    ctx.close();
    assert.equal(clock.pending, 0);
  });

  it('learns personal data from the source, also across two utterances of one speaker', () => {
    const clock = new ManualClock();
    const det = redactorDetectors(0.5);
    const ctx = contexts(clock, { detector: det.source, detectorMinScore: 0.5 });
    ctx.upsert('c1', { utteranceId: 'u1', text: 'my number is four one five five five five', speaker: 'customer' });
    ctx.upsert('c1', { utteranceId: 'u2', text: 'two six seven one', speaker: 'customer' });
    const found = ctx.get('c1')?.learned.find('Call back on 415-555-2671.', 5) ?? [];
    assert.deepEqual(found.map((f) => [f.type, f.via]), [['PHONE', 'conversation']]);
    ctx.close();
  });
});

describe('routeMessage', () => {
  const seg = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ conversationId: 'c1', utteranceId: id, channel: 'EXTERNAL', isFinal: true, text, startMs: 1, endMs: 2, ...extra });

  it('tells end events, segments, batches, transcripts, other events and summaries apart', () => {
    assert.deepEqual(routeMessage({ payload: { event: 'conversation-ended', conversationId: 'c1' } }, 0), { kind: 'end', conversationId: 'c1' });
    assert.deepEqual(routeMessage({ payload: { action: 'end' }, topic: 'c2' }, 0), { kind: 'end', conversationId: 'c2' });
    const one = routeMessage({ payload: { ...seg('u1', 'hi'), seq: 1, latencyMs: 5, revision: 0 }, redaction: { entities: [{ type: 'PHONE' }] } }, 0);
    assert.deepEqual(one, { kind: 'segments', conversationId: 'c1', segments: [{ utteranceId: 'u1', text: 'hi', speaker: 'customer', redactedTypes: ['PHONE'] }], ended: false });
    const batch = routeMessage({ payload: [seg('u1', 'a'), seg('u2', 'b')], topic: 'c1' }, 0);
    assert.equal(batch.kind === 'segments' && batch.segments.length, 2);
    const transcript = routeMessage({ payload: { type: 'transcript', conversationId: 'c1', segments: [seg('u1', 'a')] } }, 0);
    assert.equal(transcript.kind === 'segments' && transcript.ended, true);
    assert.deepEqual(routeMessage({ payload: { event: 'session-started', conversationId: 'c1' } }, 0), { kind: 'ignore', reason: 'event session-started' });
    assert.deepEqual(routeMessage({ payload: { event: 'suggestion', conversationId: 'c1' } }, 0).kind, 'ignore');
    assert.deepEqual(routeMessage({ payload: { event: 'summary', conversationId: 'c1', summary: { text: 'x' } } }, 0), { kind: 'summary' });
    assert.deepEqual(routeMessage({ payload: 'a summary' }, 0), { kind: 'summary' });
  });

  it('rejects malformed segments with the field named', () => {
    assert.throws(() => routeMessage({ payload: { utteranceId: 'u1', text: 'x', isFinal: true, startMs: 1, endMs: 2 } }, 0), /conversationId must be a non-empty string/);
    assert.throws(() => routeMessage({ payload: [seg('u1', 'a'), { ...seg('u2', 'b'), endMs: 0 }] }, 0), /segment 1: endMs \(0\) is before startMs/);
    assert.throws(() => routeMessage({ payload: [seg('u1', 'a'), seg('u2', 'b', { conversationId: 'c9' })] }, 0), /one conversation/);
    assert.throws(() => routeMessage({ payload: { event: 'conversation-ended' } }, 0), /needs payload.conversationId or msg.topic/);
  });

  it('reads msg.transcript in its accepted forms', () => {
    assert.deepEqual(transcriptTexts('a b'), ['a b']);
    assert.deepEqual(transcriptTexts(['a', { text: 'b' }]), ['a', 'b']);
    assert.deepEqual(transcriptTexts({ segments: [{ text: 'c' }] }), ['c']);
    assert.throws(() => transcriptTexts(''), /is empty/);
    assert.throws(() => transcriptTexts([1]), /transcript\[0\] must be a string or have a text/);
    assert.throws(() => transcriptTexts(5), /must be a string, an array/);
  });
});
