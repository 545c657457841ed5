/**
 * Tokenizer shared by every detector: words (any script, with inner apostrophes such as "o'clock"),
 * runs of decimal digits, and single punctuation characters. Offsets are UTF-16 indices into the text.
 * Digits of other scripts ("٤١١١", full-width "４１１１") are number tokens like ASCII ones, their
 * `lower` the ASCII digits, so every number detector reads them.
 * Each word carries a bit set of the word classes it belongs to (number word, month, ...), looked up
 * once here, so detectors can skip texts that cannot contain their entity (the common case).
 */
export type TokenKind = 'word' | 'num' | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Lower-cased text (punctuation unchanged; digits of any script as ASCII digits). */
  lower: string;
  /** True when the first character is an upper-case letter. */
  capital: boolean;
  /** True when only whitespace separates this token from the previous one (or it is the first). */
  spaced: boolean;
  /** Word classes (LEX_* bits), 0 for digits and punctuation. */
  lex: number;
  /** What the word means to the spoken-number parser (set by spoken.ts), DIGITS_CODE for digits, 0 for other words and punctuation. */
  numberCode: number;
}

// The constants the tokenizer tests per token, as const enums: the compiler writes their values where
// they are used, where an exported const is a property read per use in the compiled loop (1-2% of the
// detector's time). The exported constants are defined from them.
const enum Code {
  Digits = 1 << 30,
}
const enum Lex {
  Number = 1,
  Intro = 8,
  Ack = 1024,
  AnswerSkip = 2048,
  IntroNext = 1 << 23,
}
const enum Shape {
  FiveDigits = 1,
  LettersThenDigits = 2,
  Date = 4,
  DottedQuad = 8,
  Colon = 16,
  At = 32,
  Oh = 64,
  Substance = 128,
  IntroPair = 256,
  Spelled = 512,
  WordDot = 1024,
}

/** The number code of every digits token: a bit of its own, so the parser tells a number token by one test. */
export const DIGITS_CODE = Code.Digits;

export const LEX_NUMBER = Lex.Number;
export const LEX_MONTH = 2;
export const LEX_STREET = 4;
export const LEX_INTRO = Lex.Intro;
export const LEX_CONTEXT = 16;
export const LEX_FILLER = 32;
export const LEX_ORDINAL = 64;
export const LEX_AT = 128;
export const LEX_EMAIL_JOIN = 256;
export const LEX_REPEAT = 512;
/** Fillers and acknowledgements ("um", "okay", "go ahead"): a text of only these is not substantive. */
export const LEX_ACK = Lex.Ack;
/** Words that do not count against a short answer (fillers, number words, months, ordinals). */
export const LEX_ANSWER_SKIP = Lex.AnswerSkip;
// The word lists of vocabulary.ts that detectors test token by token (a bit test instead of a Set lookup).
/** NAME_STOP: never (the start of) a name. */
export const LEX_NAME_STOP = 1 << 12;
/** FILLER_WORDS: fillers and connectors around digit runs ("um", "and", "the rest is"). */
export const LEX_FILLER_WORD = 1 << 13;
/** CURRENCY_AFTER: a price after a number ("dollars", "percent"). */
export const LEX_CURRENCY_AFTER = 1 << 14;
/** QUANTITY_AFTER: a quantity or time after a number ("units", "minutes", "pm"). */
export const LEX_QUANTITY_AFTER = 1 << 15;
/** TIME_CUES: a time or an amount before a short number ("around", "after"). */
export const LEX_TIME_CUE = 1 << 16;
/** YEAR_CUES: a year after it ("since", "in"). */
export const LEX_YEAR_CUE = 1 << 17;
/** ORDINAL_SUFFIX: "st", "nd", "rd", "th". */
export const LEX_ORDINAL_SUFFIX = 1 << 18;
/** UNIT_WORDS: an apartment or suite after a street ("apt", "suite"). */
export const LEX_UNIT = 1 << 19;
/** The first word of a last-four phrase ("ending", "last"). */
export const LEX_LAST_FOUR = 1 << 20;
/** Words that end a street name read backwards from its suffix (detectors.ts). */
export const LEX_NOT_STREET_NAME = 1 << 21;
/** A name introduction of one word ("surname", "mr"). */
export const LEX_INTRO_ALONE = 1 << 22;
/** The second word of a name introduction ("name" in "my name is", "am" in "i am"). */
export const LEX_INTRO_NEXT = Lex.IntroNext;
/** A context phrase of one word ("card"). */
export const LEX_CONTEXT_ALONE = 1 << 24;
/** The second word of a context phrase ("code" in "security code"). */
export const LEX_CONTEXT_NEXT = 1 << 25;
/** A word every name question contains (name-answer.ts): a text without one asks for no name. */
export const LEX_NAME_QUESTION = 1 << 26;
/** BRIDGE_WORDS: said while finding the next group of a number ("hold on", "let me see"). */
export const LEX_BRIDGE = 1 << 27;
/** CORRECTION_WORDS: a reader's correction or hesitation between a number's groups ("I mean", "or", "well"). */
export const LEX_CORRECTION = 1 << 28;
/** The first word of a pause phrase ("hold" of "hold on", vocabulary.ts PAUSE_PHRASES). */
export const LEX_PAUSE_START = 1 << 29;

/**
 * The lexicon: every registered word with its class bits and number code, filled at module load.
 * Entry 0 stands for "not in the lexicon" (no classes, no code), so a token reads its lex and code
 * without testing whether the word was found.
 */
const NO_ENTRY = 0;
const entryIndex = new Map<string, number>();
const entryWords: string[] = [''];
const entryLex: number[] = [0];
const entryCodes: number[] = [0];

/**
 * Plain words (only a-z and "'", nearly all words) are also found through an open-addressed table
 * keyed by a spelling code the tokenizer computes while it scans the word: so a word is looked up
 * without slicing or hashing a fresh string, and a lexicon word's `lower` is the lexicon's own string.
 * The code packs five bits per character (a-z are 1-26 in either case, "'" 27): exact for words of
 * up to six characters (30 bits), so their match needs no character comparison; longer words keep
 * only their last characters, like a hash, and a match is confirmed character by character.
 */
const EXACT_CODE_LENGTH = 6;
/**
 * The open-addressed table: per slot, side by side, the spelling code and entry * 256 + length (0 when
 * the slot is empty), so a probe reads one place. At most 1/4 full: a miss takes about one probe
 * (32 KB for the 520 words the detectors register).
 */
const SLOT_STRIDE = 2;
const MAX_PLAIN_LENGTH = 255;
let slots = new Int32Array(256 * SLOT_STRIDE);
// The slot count less one, and 32 - log2 of it: kept beside the table so a lookup does not derive them.
let slotMask = 255;
let slotShift = 32 - 8;

/** The spelling code after one more character; `c` is an ASCII letter (either case) or "'". */
function spellStep(code: number, c: number): number {
  return (code << 5) | (c === 0x27 ? 27 : c & 31);
}
/** Fibonacci hashing: the top bits of code * 2^32/phi. */
function slotOf(code: number): number {
  return Math.imul(code, 0x9e3779b1) >>> slotShift;
}

function isPlainWord(w: string): boolean {
  if (w.length > MAX_PLAIN_LENGTH) throw new Error(`lexicon word too long: ${w.slice(0, 20)}...`);
  for (let k = 0; k < w.length; k++) {
    const c = w.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || (c === 0x27 && k > 0))) return false;
  }
  return w.length > 0;
}

function insertPlain(e: number): void {
  const w = entryWords[e];
  let code = 0;
  for (let k = 0; k < w.length; k++) code = spellStep(code, w.charCodeAt(k));
  let s = slotOf(code);
  while (slots[s * SLOT_STRIDE + 1] !== 0) s = (s + 1) & slotMask;
  slots[s * SLOT_STRIDE] = code;
  slots[s * SLOT_STRIDE + 1] = e * 256 + w.length;
}

function entryOf(w: string): number {
  const known = entryIndex.get(w);
  if (known !== undefined) return known;
  const e = entryWords.length;
  entryIndex.set(w, e);
  entryWords.push(w);
  entryLex.push(0);
  entryCodes.push(0);
  if (isPlainWord(w)) {
    if (e * 4 > slotMask + 1) {
      slots = new Int32Array(slots.length * 2);
      slotMask = slotMask * 2 + 1;
      slotShift--;
      for (let x = 1; x < e; x++) if (isPlainWord(entryWords[x])) insertPlain(x);
    }
    insertPlain(e);
  }
  return e;
}

/** The entry of the plain word text[start, end) with spelling code `code`, or NO_ENTRY. */
function findPlain(text: string, start: number, end: number, code: number): number {
  const table = slots;
  const mask = slotMask;
  const length = end - start;
  for (let s = slotOf(code); ; s = (s + 1) & mask) {
    const entryAndLength = table[s * SLOT_STRIDE + 1];
    if (entryAndLength === 0) return NO_ENTRY;
    if (table[s * SLOT_STRIDE] !== code || (entryAndLength & 255) !== length) continue;
    const e = entryAndLength >> 8;
    if (length <= EXACT_CODE_LENGTH) return e;
    const w = entryWords[e];
    let k = 0;
    // | 0x20 lower-cases A-Z and leaves a-z and "'" as they are: the only characters of a plain word.
    while (k < length && (text.charCodeAt(start + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === length) return e;
  }
}

/** A word of one character: a letter read out on its own. */
export function isLetterToken(x: Token | undefined): boolean {
  return x !== undefined && x.kind === 'word' && x.end - x.start === 1;
}

/**
 * The index of the last letter of the run of letters read out from tokens[i] on ("s m i t h",
 * "S-M-I-T-H", "j. o. h. n."): letters with nothing, a hyphen, a full stop or a comma between them.
 * tokens[i] must be a letter (isLetterToken).
 */
export function letterRunEnd(tokens: readonly Token[], i: number): number {
  let last = i;
  let j = i + 1;
  while (j < tokens.length) {
    const x = tokens[j];
    if (x.kind === 'punct' && (x.lower === '-' || x.lower === '.' || x.lower === ',') && isLetterToken(tokens[j + 1])) j++;
    if (!isLetterToken(tokens[j])) break;
    last = j;
    j++;
  }
  return last;
}

/**
 * Letters tokens[first..last] (a letterRunEnd run) spell a name: three or more, not all "i", "a" or
 * "o", which are words and zeros ("5490 wait o o o one" is a card's last group, "o o o o I mean" zeros
 * and a word).
 */
export function spellsName(tokens: readonly Token[], first: number, last: number): boolean {
  let letters = 0;
  let wordOrZero = true;
  for (let j = first; j <= last; j++) {
    const x = tokens[j];
    if (x.kind !== 'word') continue;
    letters++;
    wordOrZero &&= isWordOrZeroLetter(x.lower);
  }
  return letters >= 3 && !wordOrZero;
}

/** The letters of tokens[first..last] joined ("smith"). */
export function spelledLetters(tokens: readonly Token[], first: number, last: number): string {
  let chars = '';
  for (let j = first; j <= last; j++) if (tokens[j].kind === 'word') chars += tokens[j].lower;
  return chars;
}

/** A letter said alone that is a word ("i", "a") or a zero ("o"). */
export function isWordOrZeroLetter(letter: string): boolean {
  return letter === 'i' || letter === 'a' || letter === 'o';
}

/** Registers words under a class bit (vocabulary.ts and spoken.ts call this at load). */
export function addLexicon(words: Iterable<string>, bit: number): void {
  for (const w of words) {
    if (w.length === 0) continue;
    const e = entryOf(w);
    entryLex[e] |= bit;
  }
}

/** Gives a word its number code (Token.numberCode; spoken.ts calls this at load). */
export function setNumberCode(word: string, code: number): void {
  if (word.length > 0) entryCodes[entryOf(word)] = code;
}

/** Word classes of a lower-cased word. */
export function lexOf(lower: string): number {
  return entryLex[entryIndex.get(lower) ?? NO_ENTRY];
}

/**
 * The zero of every run of ten decimal digits beyond ASCII (Unicode \p{Nd}, which the standard
 * encodes only as contiguous runs 0-9), in code point order: those of the BMP (one UTF-16 unit each),
 * then the others (two units). A test checks the table against the runtime's \p{Nd}.
 */
const DIGIT_ZEROS: readonly number[] = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090,
  0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50,
  0xabf0, 0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
  0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0,
  0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

/** The value 0-9 of code point `cp` when it is a decimal digit beyond ASCII, else -1. */
export function otherDigitValue(cp: number): number {
  if (cp < DIGIT_ZEROS[0]) return -1;
  // The last zero at or below cp (binary search).
  let lo = 0;
  let hi = DIGIT_ZEROS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (DIGIT_ZEROS[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  const v = cp - DIGIT_ZEROS[lo];
  return v <= 9 ? v : -1;
}

/**
 * The ASCII digits of the run of digits beyond ASCII starting at `start`, all of one width (one UTF-16
 * unit each, or all surrogate pairs: the run is `digits.length` times that long).
 */
function otherDigitsAt(text: string, start: number): string {
  const width = text.codePointAt(start)! > 0xffff ? 2 : 1;
  let digits = '';
  for (let i = start; i < text.length; i += width) {
    const cp = text.codePointAt(i)!;
    if ((cp > 0xffff ? 2 : 1) !== width) break;
    const v = otherDigitValue(cp);
    if (v < 0) break;
    digits += ASCII_STRINGS[48 + v];
  }
  return digits;
}

/** One-character strings of ASCII, so punctuation and one-digit tokens take no slice call. */
const ASCII_STRINGS: readonly string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const LETTER_RE = /\p{L}/u;
const SPACE_RE = /\s/u;

/** Whether s[i] is whitespace as a regular expression's \s reads it (ASCII decided on its code). */
export function isSpaceAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c >= 128 && SPACE_RE.test(s[i]));
}

/**
 * A hyphen, dash or minus sign read as '-' between a number's groups: ASCII's, the Unicode hyphens and
 * dashes, the minus signs, the Hebrew maqaf, and the small and full-width forms typed beside other
 * scripts' digits.
 */
export function isHyphenCode(c: number): boolean {
  switch (c) {
    case 0x2d:
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
    case 0x2014: // em dash
    case 0x2212: // minus sign
    case 0x02d7: // modifier letter minus sign
    case 0x05be: // Hebrew maqaf
    case 0xfe63: // small hyphen-minus
    case 0xff0d: // full-width hyphen-minus
      return true;
    default:
      return false;
  }
}

function isLetter(c: number, ch: string): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return LETTER_RE.test(ch);
}

/**
 * What the tokenizer saw besides the tokens, gathered while it made them so the detector need not walk
 * the tokens again to choose its detectors.
 */
export interface TokenSummary {
  /** Union of the words' classes (LEX_* bits). */
  lex: number;
  /** Number of digit tokens. */
  nums: number;
  /** Words without LEX_ANSWER_SKIP (what counts against a short answer). */
  answerWords: number;
  /** SHAPE_* bits. */
  shapes: number;
}

/** Five digits on their own (a ZIP after a state). */
export const SHAPE_FIVE_DIGITS = Shape.FiveDigits;
/** Digits written right after a word ("GB82", an IBAN). */
export const SHAPE_LETTERS_THEN_DIGITS = Shape.LettersThenDigits;
/** Digits, '/', '.' or '-', digits written together (a written date). */
export const SHAPE_DATE = Shape.Date;
/** Four numbers joined by dots (an IPv4 address). */
export const SHAPE_DOTTED_QUAD = Shape.DottedQuad;
/** A ':' (an IPv6 address). */
export const SHAPE_COLON = Shape.Colon;
/** An '@' (a written email). */
export const SHAPE_AT = Shape.At;
/** The number word "oh" or "o" (a zero being read). */
export const SHAPE_OH = Shape.Oh;
/** A word that is neither a filler nor an acknowledgement (nor "oh" / "o"). */
export const SHAPE_SUBSTANCE = Shape.Substance;
/** A word that can start a name introduction right before one that can continue it ("my name", "this is"). */
export const SHAPE_INTRO_PAIR = Shape.IntroPair;
/** Three one-letter words in a row, with at most one '-', '.' or ',' between two ("s m i", "j. o. h"). */
export const SHAPE_SPELLED = Shape.Spelled;
/** A '.' written between two words with no space ("gmail.com", "anna.lee"): a written domain or address part. */
export const SHAPE_WORD_DOT = Shape.WordDot;

const NONE = 0;
const WORD = 1;
const NUM = 2;
const PUNCT = 3;

/** The summary of the last tokenize() call of callers that do not want one. */
const unusedSummary: TokenSummary = { lex: 0, nums: 0, answerWords: 0, shapes: 0 };

export function tokenize(text: string, summary: TokenSummary = unusedSummary): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  // End of the previous token; -1 so that the first token counts as spaced.
  let prevEnd = -1;
  // The summary, in locals while scanning.
  let lexUnion = 0;
  let nums = 0;
  let answerWords = 0;
  let shapes = 0;
  // Kind of the previous token; whether it was a date separator ('/', '.', '-') written right after
  // digits (then its character code, else 0); how many numbers joined by dots end at the previous number.
  let prevKind = NONE;
  let separatorAfterNumber = 0;
  let dottedNumbers = 0;
  // Word classes of the previous token (0 unless a word); one-letter words read in a row so far, and
  // whether the previous token is a spelling separator right after one of them.
  let prevLex = 0;
  let spelled = 0;
  let spellSeparator = false;
  // The word read by this step, if any (its summary is taken after the cases below).
  let word: Token | undefined;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    // Cases by frequency: a word starting with an ASCII letter, a space, digits, other ASCII, then
    // characters beyond ASCII (decided by regex). Setting bit 0x20 lower-cases A-Z and moves no
    // other character into a-z.
    const folded = c | 0x20;
    if (folded >= 97 && folded <= 122) {
      // ASCII letters in a tight loop; a plain word (ASCII letters and "'") gets its spelling code as
      // it is read, and the AND of its characters keeps bit 0x20 only when none is upper case.
      let code = c & 31;
      let and = c;
      let plain = true;
      let upper = false;
      i++;
      for (;;) {
        if (i >= n) break;
        const d = text.charCodeAt(i);
        const f = d | 0x20;
        if (f >= 97 && f <= 122) {
          code = (code << 5) | (d & 31); // spellStep of a letter
          and &= d;
          i++;
          continue;
        }
        if (d < 128 && d !== 0x27) break;
        if (d >= 128 && LETTER_RE.test(text[i])) {
          upper = true; // non-ASCII letters: let toLowerCase decide
          plain = false;
          i++;
        } else if (d >= 0xd800 && d <= 0xdbff && i + 1 < n && LETTER_RE.test(text.slice(i, i + 2))) {
          upper = true;
          plain = false;
          i += 2;
        } else if (i + 1 < n && (d === 0x27 || d === 0x2019) && isLetter(text.charCodeAt(i + 1), text[i + 1])) {
          const e = text.charCodeAt(i + 1);
          // Curly apostrophes and letters after one other than a-z take the general path below; an
          // upper-case one ("o'Neil") is lower-cased there like any other.
          if (d === 0x27 && e >= 97 && e <= 122) code = spellStep(spellStep(code, d), e);
          else {
            plain = false;
            if (e < 97 || e > 122) upper = true;
          }
          i += 2;
        } else break;
      }
      if ((and & 0x20) === 0) upper = true;
      let lower: string;
      let entry: number;
      let capital: boolean;
      if (plain) {
        entry = findPlain(text, start, i, code);
        if (entry !== NO_ENTRY) lower = entryWords[entry];
        else lower = upper ? text.slice(start, i).toLowerCase() : text.slice(start, i);
        capital = c <= 90;
      } else {
        const raw = text.slice(start, i);
        lower = upper ? raw.toLowerCase() : raw;
        capital = upper && raw[0] !== lower[0];
        entry = entryIndex.get(lower) ?? NO_ENTRY;
      }
      word = { kind: 'word', start, end: i, lower, capital, spaced: start > prevEnd, lex: entryLex[entry], numberCode: entryCodes[entry] };
    } else if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    } else if ((c >= 48 && c <= 57) || (c >= DIGIT_ZEROS[0] && otherDigitValue(text.codePointAt(i)!) >= 0)) {
      // Digits: ASCII, or of another script (their ASCII digits are the token's `lower`).
      let lower: string;
      if (c <= 57) {
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d < 48 || d > 57) break;
          i++;
        }
        lower = i - start === 1 ? ASCII_STRINGS[c] : text.slice(start, i);
      } else {
        lower = otherDigitsAt(text, i);
        i += lower.length * (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      }
      out.push({ kind: 'num', start, end: i, lower, capital: false, spaced: start > prevEnd, lex: 0, numberCode: Code.Digits });
      nums++;
      if (lower.length === 5) shapes |= Shape.FiveDigits;
      if (prevKind === WORD && prevEnd === start) shapes |= Shape.LettersThenDigits;
      if (prevKind === PUNCT && separatorAfterNumber !== 0 && prevEnd === start) {
        shapes |= Shape.Date;
        // The number before the separator was the previous number: the chain of dotted numbers goes on.
        dottedNumbers = separatorAfterNumber === 46 ? dottedNumbers + 1 : 1;
        if (dottedNumbers >= 4) shapes |= Shape.DottedQuad;
      } else dottedNumbers = 1;
      prevKind = NUM;
      prevLex = 0;
    } else if (c < 128) {
      i++;
      out.push({ kind: 'punct', start, end: i, lower: ASCII_STRINGS[c], capital: false, spaced: start > prevEnd, lex: 0, numberCode: 0 });
      separatorAfterNumber = prevKind === NUM && prevEnd === start && (c === 47 || c === 46 || c === 45) ? c : 0;
      spellSeparator = prevKind === WORD && spelled > 0 && (c === 45 || c === 46 || c === 44);
      if (c === 64) shapes |= Shape.At;
      else if (c === 58) shapes |= Shape.Colon;
      else if (c === 46 && prevKind === WORD && prevEnd === start && i < n && ((text.charCodeAt(i) | 0x20) - 97) >>> 0 < 26) shapes |= Shape.WordDot;
      prevKind = PUNCT;
      prevLex = 0;
    } else if (SPACE_RE.test(text[i])) {
      i++;
      continue;
    } else if (LETTER_RE.test(text[i]) || (c >= 0xd800 && c <= 0xdbff && LETTER_RE.test(text.slice(i, i + 2)))) {
      word = wideWord(text, i, start > prevEnd);
      i = word.end;
    } else {
      // A surrogate pair is one character; a lone high surrogate is one code unit (the next, a digit
      // maybe, is read on its own).
      const low = c >= 0xd800 && c <= 0xdbff ? text.charCodeAt(i + 1) : 0;
      i += low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
      out.push({ kind: 'punct', start, end: i, lower: text.slice(start, i), capital: false, spaced: start > prevEnd, lex: 0, numberCode: 0 });
      separatorAfterNumber = 0;
      spellSeparator = false;
      prevKind = PUNCT;
      prevLex = 0;
    }
    if (word !== undefined) {
      // Either kind of word (ASCII or wider): pushed and summarized here.
      out.push(word);
      const lex = word.lex;
      lexUnion |= lex;
      if (i - start === 1) {
        spelled = (prevKind === WORD && spelled > 0) || (prevKind === PUNCT && spellSeparator) ? spelled + 1 : 1;
        if (spelled >= 3) shapes |= Shape.Spelled;
      } else spelled = 0;
      if ((lex & Lex.IntroNext) !== 0 && prevKind === WORD && (prevLex & Lex.Intro) !== 0) shapes |= Shape.IntroPair;
      if ((lex & Lex.AnswerSkip) === 0) answerWords++;
      if ((lex & Lex.Number) !== 0 && (word.lower === 'oh' || word.lower === 'o')) shapes |= Shape.Oh;
      else if ((lex & Lex.Ack) === 0) shapes |= Shape.Substance;
      prevKind = WORD;
      prevLex = lex;
      word = undefined;
    }
    prevEnd = i;
    // Most tokens end at a space: step over it here rather than through the loop head.
    if (i < n && text.charCodeAt(i) === 32) i++;
  }
  summary.lex = lexUnion;
  summary.nums = nums;
  summary.answerWords = answerWords;
  summary.shapes = shapes;
  return out;
}

/** The word starting at `start` with a letter beyond ASCII (rare): letters of any script and inner apostrophes. */
function wideWord(text: string, start: number, spaced: boolean): Token {
  const n = text.length;
  let i = start;
  for (;;) {
    if (i >= n) break;
    const d = text.charCodeAt(i);
    if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90)) i++;
    else if (d < 128 && d !== 0x27) break;
    else if (d >= 128 && LETTER_RE.test(text[i])) i++;
    else if (d >= 0xd800 && d <= 0xdbff && i + 1 < n && LETTER_RE.test(text.slice(i, i + 2))) i += 2;
    else if (i + 1 < n && (d === 0x27 || d === 0x2019) && isLetter(text.charCodeAt(i + 1), text[i + 1])) i += 2;
    else break;
  }
  const raw = text.slice(start, i);
  const lower = raw.toLowerCase();
  const entry = entryIndex.get(lower) ?? NO_ENTRY;
  return { kind: 'word', start, end: i, lower, capital: raw[0] !== lower[0], spaced, lex: entryLex[entry], numberCode: entryCodes[entry] };
}
