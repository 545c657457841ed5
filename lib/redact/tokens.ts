/**
 * Tokenizer shared by every detector: words (any script, with inner apostrophes such as "o'clock"),
 * runs of ASCII digits, and single punctuation characters. Offsets are UTF-16 indices into the text.
 * Each word carries a bit set of the word classes it belongs to (number word, month, ...), looked up
 * once here, so detectors can skip texts that cannot contain their entity (the common case).
 */
export type TokenKind = 'word' | 'num' | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Lower-cased text (digits and punctuation unchanged). */
  lower: string;
  /** True when the first character is an upper-case letter. */
  capital: boolean;
  /** True when only whitespace separates this token from the previous one (or it is the first). */
  spaced: boolean;
  /** Word classes (LEX_* bits), 0 for digits and punctuation. */
  lex: number;
}

export const LEX_NUMBER = 1;
export const LEX_MONTH = 2;
export const LEX_STREET = 4;
export const LEX_INTRO = 8;
export const LEX_CONTEXT = 16;
export const LEX_FILLER = 32;
export const LEX_ORDINAL = 64;
export const LEX_AT = 128;
export const LEX_EMAIL_JOIN = 256;
export const LEX_REPEAT = 512;
/** Fillers and acknowledgements ("um", "okay", "go ahead"): a text of only these is not substantive. */
export const LEX_ACK = 1024;
/** Words that do not count against a short answer (fillers, number words, months, ordinals). */
export const LEX_ANSWER_SKIP = 2048;

const lexicon = new Map<string, number>();
/**
 * Most words are in no class: a table keyed by (length, first letter, last letter) says which words
 * can be, so the others skip the Map lookup (hashing a fresh string costs more than the rest of
 * the token). Letters outside a-z share one slot; lengths from 31 up share one.
 */
const lexiconShape = new Uint8Array(32 * 27 * 27);
function letterSlot(c: number): number {
  return c >= 97 && c <= 122 ? c - 97 : 26;
}
function shapeKey(w: string): number {
  return Math.min(w.length, 31) * 729 + letterSlot(w.charCodeAt(0)) * 27 + letterSlot(w.charCodeAt(w.length - 1));
}
/** Registers words under a class bit (vocabulary.ts and spoken.ts call this at load). */
export function addLexicon(words: Iterable<string>, bit: number): void {
  for (const w of words) {
    if (w.length === 0) continue;
    lexicon.set(w, (lexicon.get(w) ?? 0) | bit);
    lexiconShape[shapeKey(w)] = 1;
  }
}

/** Word classes of a lower-cased word. */
export function lexOf(lower: string): number {
  return lexiconShape[shapeKey(lower)] === 0 ? 0 : lexicon.get(lower) ?? 0;
}

const APOSTROPHES = new Set([0x27, 0x2019]);
const LETTER_RE = /\p{L}/u;
const SPACE_RE = /\s/u;

function isLetter(c: number, ch: string): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return LETTER_RE.test(ch);
}


export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  let prevEnd = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // ASCII is decided on char codes alone (the common case); other characters by regex.
    if (c === 32 || (c >= 9 && c <= 13) || (c >= 128 && SPACE_RE.test(text[i]))) {
      i++;
      continue;
    }
    const start = i;
    if (c >= 48 && c <= 57) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < 48 || d > 57) break;
        i++;
      }
      const raw = text.slice(start, i);
      out.push({ kind: 'num', start, end: i, lower: raw, capital: false, spaced: start > prevEnd || out.length === 0, lex: 0 });
    } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 128 && (isLetter(c, text[i]) || (c >= 0xd800 && c <= 0xdbff && LETTER_RE.test(text.slice(i, i + 2)))))) {
      let upper = false;
      for (;;) {
        if (i >= n) break;
        const d = text.charCodeAt(i);
        if (d >= 97 && d <= 122) {
          i++;
        } else if (d >= 65 && d <= 90) {
          upper = true;
          i++;
        } else if (d < 128 && d !== 0x27) {
          break;
        } else if (d >= 128 && isLetter(d, text[i])) {
          upper = true; // non-ASCII letters: let toLowerCase decide
          i++;
        } else if (d >= 0xd800 && d <= 0xdbff && i + 1 < n && LETTER_RE.test(text.slice(i, i + 2))) {
          upper = true;
          i += 2;
        } else if (i + 1 < n && APOSTROPHES.has(d) && isLetter(text.charCodeAt(i + 1), text[i + 1])) {
          i += 2;
        } else break;
      }
      const raw = text.slice(start, i);
      const lower = upper ? raw.toLowerCase() : raw;
      out.push({
        kind: 'word',
        start,
        end: i,
        lower,
        capital: upper && raw[0] !== lower[0],
        spaced: start > prevEnd || out.length === 0,
        lex: lexOf(lower),
      });
    } else {
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      const raw = text.slice(start, i);
      out.push({ kind: 'punct', start, end: i, lower: raw, capital: false, spaced: start > prevEnd || out.length === 0, lex: 0 });
    }
    prevEnd = i;
  }
  return out;
}
