/**
 * The tokenizer's summary (tokens.ts) is what the detector decides on: its fast path and which
 * detectors run (detectors.ts). It is gathered while the tokens are made, so on random texts it must
 * equal the same facts read off the finished tokens the plain way.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import '../../../lib/redact/detectors';
import {
  LEX_ACK, LEX_ANSWER_SKIP, LEX_INTRO, LEX_INTRO_NEXT, LEX_NUMBER, SHAPE_AT, SHAPE_COLON, SHAPE_DATE, SHAPE_DOTTED_QUAD, SHAPE_FIVE_DIGITS,
  SHAPE_INTRO_PAIR, SHAPE_LETTERS_THEN_DIGITS, SHAPE_OH, SHAPE_SPELLED, SHAPE_SUBSTANCE, SHAPE_WORD_DOT, tokenize, type Token, type TokenSummary,
} from '../../../lib/redact/tokens';

const isLetter = (x: Token | undefined): boolean => x !== undefined && x.kind === 'word' && x.end - x.start === 1;

/** The summary read off the tokens, one fact at a time. */
function summaryOf(text: string, t: Token[]): TokenSummary {
  let lex = 0;
  let nums = 0;
  let answerWords = 0;
  let shapes = 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    if (x.kind === 'word') {
      lex |= x.lex;
      if ((x.lex & LEX_ANSWER_SKIP) === 0) answerWords++;
      if ((x.lex & LEX_NUMBER) !== 0 && (x.lower === 'oh' || x.lower === 'o')) shapes |= SHAPE_OH;
      else if ((x.lex & LEX_ACK) === 0) shapes |= SHAPE_SUBSTANCE;
      if (i > 0 && t[i - 1].kind === 'word' && (t[i - 1].lex & LEX_INTRO) !== 0 && (x.lex & LEX_INTRO_NEXT) !== 0) shapes |= SHAPE_INTRO_PAIR;
    } else if (x.kind === 'num') {
      nums++;
      if (x.end - x.start === 5) shapes |= SHAPE_FIVE_DIGITS;
      if (i > 0 && t[i - 1].kind === 'word' && t[i - 1].end === x.start) shapes |= SHAPE_LETTERS_THEN_DIGITS;
      // Numbers joined by '/', '.' or '-' written between them; four joined by dots.
      let dotted = 1;
      for (let k = i; k >= 2 && t[k - 2].kind === 'num' && t[k - 1].start === t[k - 2].end && t[k].start === t[k - 1].end && ['/', '.', '-'].includes(t[k - 1].lower); k -= 2) {
        shapes |= SHAPE_DATE;
        if (t[k - 1].lower !== '.') break;
        dotted++;
      }
      if (dotted >= 4) shapes |= SHAPE_DOTTED_QUAD;
    } else if (x.lower === '@') shapes |= SHAPE_AT;
    else if (x.lower === ':') shapes |= SHAPE_COLON;
    else if (x.lower === '.' && i > 0 && t[i - 1].kind === 'word' && t[i - 1].end === x.start && /^[a-z]/i.test(text.slice(x.end, x.end + 1))) shapes |= SHAPE_WORD_DOT;
  }
  // Letters spelled in a row, at most one '-', '.' or ',' between two (as spelledNames reads them).
  for (let i = 0; i < t.length; i++) {
    if (!isLetter(t[i])) continue;
    let count = 1;
    let j = i + 1;
    for (;;) {
      if (t[j]?.kind === 'punct' && ['-', '.', ','].includes(t[j].lower) && isLetter(t[j + 1])) j++;
      if (!isLetter(t[j])) break;
      count++;
      j++;
    }
    if (count >= 3) shapes |= SHAPE_SPELLED;
  }
  return { lex, nums, answerWords, shapes };
}

const piece = fc.constantFrom(
  'my', 'name', 'is', "name's", 'i', "i'm", 'am', 'this', 'call', 'me', 'Mr', 'surname', 'last', 'first', 'speaking', 'with', 'to', 'John', 'a', 'b', 's', 'J', 'x',
  'oh', 'o', 'Oh', 'one', 'okay', 'um', "it's", 'the', 'card', 'number', 'at', 'dot', 'march', 'fifth', 'Ünï', 'é', '😀', '4111', '12', '5', '12345', '192', '10', 'GB82', 'ab',
);
const sep = fc.constantFrom(' ', ' ', '', '-', '.', ',', '/', ':', '@', '. ', ', ', ' - ', "'", '’', '\t', '\u00a0');
const text = fc.array(fc.tuple(piece, sep), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));

describe('tokenizer summary (property)', () => {
  it('equals the facts read off the tokens', () => {
    fc.assert(
      fc.property(text, (t) => {
        const summary: TokenSummary = { lex: 0, nums: 0, answerWords: 0, shapes: 0 };
        const tokens = tokenize(t, summary);
        assert.deepEqual(summary, summaryOf(t, tokens), JSON.stringify(t));
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 3000, seed: 20261122 },
    );
  });
});
