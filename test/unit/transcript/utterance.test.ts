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
    ['a word that is not an object', { words: [base.words[0], 'x'] }, /^words\[1\] must be an object$/],
    ['a word with a string start', { words: [base.words[0], { text: 'y', startMs: '1500', endMs: 2000 }] }, /^words\[1\]\.startMs must be a finite number \(got string\)$/],
    ['a word with a null end', { words: [{ text: 'y', startMs: 1000, endMs: null }] }, /^words\[0\]\.endMs must be a finite number \(got null\)$/],
    ['a word ending before it starts', { words: [{ text: 'y', startMs: 1400, endMs: 1000 }] }, /^words\[0\]\.endMs is before its startMs$/],
    ['a word without text', { words: [{ startMs: 1000, endMs: 1400 }] }, /^words\[0\]\.text must be a string$/],
    ['a word with an infinite confidence', { words: [{ text: 'y', startMs: 1000, endMs: 1400, confidence: Infinity }] }, /^words\[0\]\.confidence must be a finite number/],
  ];
  for (const [name, patch, re] of bad) {
    it(`rejects ${name} with a clear InputError`, () => {
      assert.throws(() => parseUtterance({ ...base, ...patch }), (err: unknown) => err instanceof InputError && re.test(err.message));
    });
  }

  it('describes a bad channel, speaker or word list it cannot print with an InputError, not a TypeError or RangeError', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(10000)}${']'.repeat(10000)}`);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a deep array channel', { channel: deep }, /^channel must be one of .* \(got array\)$/],
      ['a deep array speaker', { speaker: deep }, /^speaker must be .* \(got array\)$/],
      ['a cyclic speaker', { speaker: cyclic }, /\(got object\)$/],
      ['a BigInt channel', { channel: 1n }, /\(got bigint\)$/],
      ['a long string speaker', { speaker: 'x'.repeat(5000) }, /\(got "x{63}… \(4938 more chars\)\)$/],
    ];
    for (const [name, patch, re] of cases) {
      assert.throws(() => parseUtterance({ ...base, ...patch }), (err: unknown) => err instanceof InputError && re.test(err.message), name);
    }
  });

  it('rejects a hole in words and ignores an own constructor on the words array', () => {
    // eslint-disable-next-line no-sparse-arrays
    assert.throws(() => parseUtterance({ ...base, words: [base.words[0], , base.words[1]] }), (err: unknown) => err instanceof InputError && err.path === 'words[1]' && /^words\[1\] is missing/.test(err.message));
    const words = Object.assign([...base.words], { constructor: 'not a constructor' });
    const u = parseUtterance({ ...base, words });
    assert.deepEqual(u.words, base.words);
    assert.equal(Object.getPrototypeOf(u.words), Array.prototype);
  });

  it('names the bad word in the error path, and keeps a null word confidence out of the result', () => {
    assert.throws(
      () => parseUtterance({ ...base, words: [base.words[0], { text: 'y', startMs: 'x', endMs: 2000 }] }),
      (err: unknown) => err instanceof InputError && err.path === 'words[1].startMs',
    );
    const u = parseUtterance({ ...base, words: [{ text: 'hello', startMs: 1000, endMs: 1400, confidence: null }] });
    assert.deepEqual(u.words, [{ text: 'hello', startMs: 1000, endMs: 1400 }]);
  });
});
