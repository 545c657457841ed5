import assert from 'node:assert/strict';
import { parseUtterance, speakerForChannel } from '../../../lib/transcript/utterance';
import { InputError } from '../../../lib/util/errors';

const base = {
  conversationId: 'c1',
  utteranceId: 'u1',
  channel: 'EXTERNAL',
  isFinal: true,
  text: 'hello there',
  startMs: 1000,
  endMs: 2000,
  words: [
    { text: 'hello', startMs: 1000, endMs: 1400 },
    { text: 'there', startMs: 1500, endMs: 2000, confidence: 0.9 },
  ],
};

describe('lib/transcript/utterance', () => {
  it('maps channels to speakers (INTERNAL is the agent)', () => {
    assert.equal(speakerForChannel('INTERNAL'), 'agent');
    assert.equal(speakerForChannel('EXTERNAL'), 'customer');
    assert.equal(speakerForChannel('BOTH'), 'unknown');
  });

  it('accepts a hand-made utterance and fills speaker and receivedAt', () => {
    const u = parseUtterance(base, 5000);
    assert.equal(u.speaker, 'customer');
    assert.equal(u.receivedAt, 5000);
    assert.equal(u.words[1]?.confidence, 0.9);
  });

  it('uses the fallback conversation id (msg.topic) when the payload has none', () => {
    const { conversationId: _omit, ...rest } = base;
    assert.equal(parseUtterance(rest, 0, 'topic-c').conversationId, 'topic-c');
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing conversation id', { conversationId: undefined }, /conversationId/],
    ['non-numeric start', { startMs: '10' }, /startMs must be a finite number/],
    ['NaN end', { endMs: NaN }, /endMs must be a finite number/],
    ['end before start', { endMs: 500 }, /before startMs/],
    ['unknown channel', { channel: 'LEFT' }, /channel must be one of/],
    ['non-boolean isFinal', { isFinal: 'yes' }, /isFinal/],
    ['word out of range', { words: [{ text: 'x', startMs: 9000, endMs: 9100 }] }, /outside the utterance/],
    ['words not an array', { words: 'x' }, /words must be an array/],
  ];
  for (const [name, patch, re] of bad) {
    it(`rejects ${name} with a clear InputError`, () => {
      assert.throws(() => parseUtterance({ ...base, ...patch }), (err: unknown) => err instanceof InputError && re.test(err.message));
    });
  }
});
