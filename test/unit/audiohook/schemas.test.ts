import assert from 'node:assert/strict';
import { formatDuration, parseDuration, samplesToDuration } from '../../../lib/audiohook/duration';
import { validateClientMessage, validateServerMessage } from '../../../lib/audiohook/schemas';
import { InputError } from '../../../lib/util/errors';

const ID = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const UUID = 'd7934305-0972-4844-938e-9060eef73d05';
const client = (type: string, parameters: unknown, extra: Record<string, unknown> = {}) => ({ version: '2', id: ID, type, seq: 2, serverseq: 1, position: 'PT1.6S', parameters, ...extra });
const server = (type: string, parameters: unknown, extra: Record<string, unknown> = {}) => ({ version: '2', id: ID, type, seq: 2, clientseq: 2, parameters, ...extra });
const STEREO = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };
const OPEN = {
  organizationId: UUID,
  conversationId: '00000000-0000-0000-0000-000000000000',
  participant: { id: UUID, ani: '', aniName: '', dnis: '' },
  media: [STEREO],
};

describe('audiohook durations', () => {
  it('parses and formats PT<seconds>S', () => {
    assert.equal(parseDuration('PT0S'), 0);
    assert.equal(parseDuration('PT0.0S'), 0);
    assert.equal(parseDuration('PT1.6S'), 1.6);
    assert.equal(parseDuration('PT.5S'), 0.5);
    assert.equal(parseDuration('PT0.001525552S'), 0.001525552);
    assert.equal(formatDuration(0), 'PT0S');
    assert.equal(formatDuration(3.6), 'PT3.6S');
    assert.equal(formatDuration(1e-7), 'PT0S');
    assert.equal(formatDuration(0.000125), 'PT0.000125S');
    assert.equal(samplesToDuration(12000, 8000), 'PT1.5S');
  });
  it('rejects other ISO 8601 shapes', () => {
    for (const bad of ['P1S', 'PT1M', 'PT-1S', 'PT1.S', '1.5', 'PT1H2S', 'pt1s', '']) assert.throws(() => parseDuration(bad), /not an AudioHook duration/, bad);
    assert.throws(() => formatDuration(-1));
  });
  it('rejects a duration too large for a number and a value that is not a string with an InputError', () => {
    assert.throws(() => parseDuration(`PT${'9'.repeat(310)}S`), (e: unknown) => e instanceof InputError && e.code === 'BAD_DURATION' && /out of range/.test(e.message));
    assert.throws(() => parseDuration(Object.create(null) as string), (e: unknown) => e instanceof InputError && /not an AudioHook duration \(PT<seconds>S\): object$/.test(e.message));
  });
});

describe('audiohook message schemas', () => {
  it('accepts every client message type', () => {
    const ok = [
      client('open', OPEN, { seq: 1, serverseq: 0, position: 'PT0S' }),
      client('open', { ...OPEN, language: 'en-US', supportedLanguages: true, customConfig: { a: 1 }, continuedSessions: [{ id: UUID, serverseq: 1, clientseq: 2 }] }),
      client('ping', {}),
      client('ping', { rtt: 'PT0.001525552S' }),
      client('close', { reason: 'end' }),
      client('paused', {}),
      client('resumed', { start: 'PT1.6S', discarded: 'PT2S' }),
      client('discarded', { start: 'PT1S', discarded: 'PT0.4S' }),
      client('update', { language: 'fr-CA' }),
      client('error', { code: 408, message: 'Timeout waiting for pong', retryAfter: 'PT5S' }),
    ];
    for (const m of ok) assert.equal(validateClientMessage(m).ok, true, JSON.stringify(m));
  });

  it('accepts every server message type', () => {
    const ok = [
      server('opened', { media: [STEREO] }),
      server('opened', { media: [], discardTo: 'PT2S', startPaused: true, supportedLanguages: ['en-US'] }),
      server('pong', {}),
      server('closed', {}),
      server('updated', {}),
      server('pause', {}),
      server('resume', {}),
      server('disconnect', { reason: 'unauthorized', info: 'FAILED' }),
      server('event', { entities: [{ type: 'transcript', data: {} }] }),
      server('reconnect', {}),
    ];
    for (const m of ok) assert.equal(validateServerMessage(m).ok, true, JSON.stringify(m));
  });

  it('enforces the envelope rules', () => {
    const bad: Array<[unknown, RegExp]> = [
      [client('ping', undefined), /missing parameters/],
      [{ ...client('ping', {}), version: '1' }, /version/],
      [{ ...client('ping', {}), id: 'not-a-uuid' }, /id/],
      [{ ...client('ping', {}), seq: 0 }, /seq/],
      [{ ...client('ping', {}), seq: 1.5 }, /seq/],
      // JSON.parse reads 1e400 as Infinity, which must not pass as an integer
      [JSON.parse(`{"version":"2","id":"${ID}","type":"ping","seq":1e400,"serverseq":0,"position":"PT0S","parameters":{}}`), /seq/],
      [{ ...client('ping', {}), serverseq: Infinity }, /serverseq/],
      [(({ serverseq: _s, ...m }) => m)(client('ping', {})), /missing serverseq/],
      [(({ position: _p, ...m }) => m)(client('ping', {})), /missing position/],
      [client('ping', {}, { position: 'PT1M' }), /position/],
      [client('ping', []), /parameters/],
      [client('hello', {}), /unknown message type/],
      [client('opened', { media: [] }), /unknown message type/],
      [[1, 2], /not a JSON object/],
      [null, /not a JSON object/],
    ];
    for (const [m, re] of bad) {
      const r = validateClientMessage(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      assert.match((r as { error: string }).error, re);
    }
    // server messages need clientseq and parameters (the pipecat bug)
    assert.equal(validateServerMessage((({ parameters: _p, ...m }) => m)(server('pong', {}))).ok, false);
    assert.equal(validateServerMessage((({ clientseq: _c, ...m }) => m)(server('pong', {}))).ok, false);
    assert.equal(validateServerMessage(server('error', { code: 500, message: 'x' })).ok, false);
  });

  it('checks parameters per type', () => {
    const bad = [
      client('open', { ...OPEN, organizationId: 'x' }),
      client('open', { ...OPEN, media: [{ ...STEREO, format: 'OPUS' }] }),
      client('open', { ...OPEN, media: [{ ...STEREO, channels: ['external', 'external'] }] }),
      client('open', { ...OPEN, media: [{ ...STEREO, channels: [] }] }),
      client('open', { ...OPEN, participant: { id: UUID } }),
      client('close', { reason: 'bored' }),
      client('resumed', { start: 'PT1S' }),
      client('discarded', { start: 'PT1S', discarded: '2' }),
      client('error', { code: 200, message: 'x' }),
      client('update', {}),
    ];
    for (const m of bad) assert.equal(validateClientMessage(m).ok, false, JSON.stringify(m));
    assert.equal(validateServerMessage(server('opened', { media: [STEREO, STEREO] })).ok, false);
    assert.equal(validateServerMessage(server('disconnect', { reason: 'bye' })).ok, false);
  });
});
