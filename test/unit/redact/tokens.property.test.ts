/**
 * The tokenizer finds lexicon words through a table keyed by a spelling code it computes while
 * scanning (tokens.ts), not through the Map behind lexOf(): on random texts of lexicon words in any
 * case, near-misses of them (one letter changed, cut or extended, long words that share an ending)
 * and apostrophes, every word token must carry exactly what the Map says for its lower-cased text.
 * Digits of other scripts: the tokenizer's table of Unicode decimal digits against the runtime's
 * \p{Nd} and against the digits Intl writes in each numbering system.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { NUMBER_WORD_LIST } from '../../../lib/redact/spoken';
import { lexOf, otherDigitValue, tokenize } from '../../../lib/redact/tokens';
import { CONTEXT_PHRASES, MONTHS, NAME_STOP, QUANTITY_AFTER, STREET_SUFFIXES } from '../../../lib/redact/vocabulary';

const LEXICON_WORDS = [
  ...new Set([...NUMBER_WORD_LIST, ...MONTHS, ...STREET_SUFFIXES, ...QUANTITY_AFTER, ...NAME_STOP, ...CONTEXT_PHRASES.flatMap(([p]) => p.split(' '))]),
].filter((w) => /^[a-z']+$/.test(w));

const word = fc.oneof(
  fc.constantFrom(...LEXICON_WORDS),
  // Near-misses: one letter changed, a letter cut or added, a long word's ending on another start.
  fc.tuple(fc.constantFrom(...LEXICON_WORDS), fc.nat(), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.constantFrom('change', 'cut', 'add', 'prefix')).map(([w, at, c, how]) => {
    const k = at % w.length;
    if (how === 'change') return w.slice(0, k) + c + w.slice(k + 1);
    if (how === 'cut') return w.slice(0, k) + w.slice(k + 1) || c;
    if (how === 'add') return w.slice(0, k) + c + w.slice(k);
    return c + c + w;
  }),
  fc.stringMatching(/^[a-zA-Z]{1,12}$/),
);
const cased = fc.tuple(word, fc.constantFrom('lower', 'upper', 'title', 'random'), fc.nat()).map(([w, how, seed]) => {
  if (how === 'upper') return w.toUpperCase();
  if (how === 'title') return w[0].toUpperCase() + w.slice(1);
  if (how === 'random') return [...w].map((ch, i) => ((seed >> i % 30) & 1 ? ch.toUpperCase() : ch)).join('');
  return w;
});
const text = fc.array(fc.tuple(cased, fc.constantFrom(' ', ' ', ', ', "'", "'s ", '’', '-', '. ', '')), { minLength: 1, maxLength: 10 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));

describe('tokenizer lexicon lookups (property)', () => {
  it('give every word token the classes lexOf gives its lower-cased text', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const tok of tokenize(t)) {
          if (tok.kind !== 'word') continue;
          const raw = t.slice(tok.start, tok.end);
          assert.equal(tok.lower, raw.toLowerCase(), `lower of ${JSON.stringify(raw)} in ${JSON.stringify(t)}`);
          assert.equal(tok.lex, lexOf(tok.lower), `classes of ${JSON.stringify(raw)} in ${JSON.stringify(t)}`);
        }
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 2000, seed: 20261121 },
    );
  });
});

describe('tokenizer digits of other scripts', () => {
  it('reads every decimal digit the runtime knows, at the value its numbering system gives it', () => {
    // Completeness: every \p{Nd} beyond ASCII has a value, and nothing else has one.
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const isDigit = /\p{Nd}/u.test(String.fromCodePoint(cp));
      if (isDigit !== otherDigitValue(cp) >= 0) assert.fail(`U+${cp.toString(16)}: \\p{Nd} ${isDigit}, value ${otherDigitValue(cp)}`);
    }
    // Values, from another source: Intl formats 0-9 in each numbering system (those of \p{Nd} digits).
    let systems = 0;
    for (const nu of Intl.supportedValuesOf('numberingSystem')) {
      if (nu === 'latn') continue;
      const format = new Intl.NumberFormat(`en-u-nu-${nu}`, { useGrouping: false });
      const digits = [...format.format(1234567890)];
      if (digits.length !== 10 || !digits.every((d) => /\p{Nd}/u.test(d))) continue; // "hanidec": ideographs, not digits
      systems++;
      assert.deepEqual(digits.map((d) => otherDigitValue(d.codePointAt(0)!)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 0], nu);
    }
    assert.ok(systems >= 40, `only ${systems} numbering systems checked`);
  });

  it('makes number tokens of them with their ASCII digits, one width per token', () => {
    const text = 'card ٤١١١ ４１１１-𝟒𝟏𝟏𝟏 ٤𝟒x';
    const nums = tokenize(text).filter((t) => t.kind === 'num').map((t) => [t.lower, text.slice(t.start, t.end)]);
    assert.deepEqual(nums, [['4111', '٤١١١'], ['4111', '４１１１'], ['4111', '𝟒𝟏𝟏𝟏'], ['4', '٤'], ['4', '𝟒']]);
  });
});
