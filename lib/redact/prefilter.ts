/**
 * The detector's fast path: one pass over the characters that says whether a text can hold an entity
 * at all. Without carried state, custom patterns or deny words, a text with no digit, no '@', no
 * IPv6-like colon, no number / context / introduction / email word and no three spelled letters
 * cannot. Most utterances of a call are like that, and the rest go on to the full analysis, so the
 * pass stops at the first sign of something and allocates nothing (no regex, no substring). For a
 * text it lets through it also says whether the text is substantive (a word other than fillers and
 * acknowledgements), as the full analysis would.
 *
 * Words are compared the way the regular expressions this replaces did (`\b(?:card|...)\b` with /i):
 * a word is a maximal run of ASCII letters. Texts with other characters or '_' always get the analysis.
 */
import { NUMBER_WORD_LIST } from './spoken';
import { ACK_WORDS, CONTEXT_PHRASES, EMAIL_JOINERS, FILLER_WORDS, MONTHS, NAME_INTROS, ORDINAL_WORDS } from './vocabulary';

/** What fastPathVerdict says of a text. */
export const MAY_HOLD_ENTITIES = 0;
/** No entity, and a word that is not a filler or an acknowledgement. */
export const NOTHING_BUT_SUBSTANTIVE = 1;
/** No entity, and only fillers and acknowledgements ("okay", "mhm go on"). */
export const NOTHING_BUT_ACKNOWLEDGEMENTS = 2;

/** A word that can start a detection. */
const TRIGGER = 1;
/** A word that can start a detection when contexts or a pending number are carried (months, ordinals). */
const CARRIED_TRIGGER = 2;
/** A filler or an acknowledgement ("um", "okay"; the lexicon's LEX_ACK words of only letters). */
const ACK = 4;
/** "it", which with "s" after an apostrophe makes the acknowledgement "it's". */
const IT = 8;
/** Words of the multi-word introductions, checked as sequences (see introductionEnds). */
const PART_SHIFT = 4;
const LAST = 1;
const FIRST = 2;
const NAME = 3;
const MY = 4;
const THIS = 5;
const IS = 6;
const SPEAKING = 7;
const WITH = 8;
const TO = 9;
const I = 10;
const AM = 11;
const M = 12;
const S = 13;

/** Single words of the trigger lists (only letters: "3", "cvv2" and "e-mail" cannot match without digits, or are covered by "e"). */
const singleWords = new Set<string>([
  ...NUMBER_WORD_LIST, 'double', 'triple', ...CONTEXT_PHRASES.map(([p]) => p.split(' ')[0]), ...EMAIL_JOINERS,
  ...NAME_INTROS.filter((i) => i.words.length === 1 && /^[a-z]+$/.test(i.words[0])).map((i) => i.words[0]),
]);
const INTRO_PARTS: ReadonlyArray<[string, number]> = [
  ['last', LAST], ['first', FIRST], ['name', NAME], ['my', MY], ['this', THIS], ['is', IS], ['speaking', SPEAKING],
  ['with', WITH], ['to', TO], ['i', I], ['am', AM], ['m', M], ['s', S],
];
/**
 * The introductions of more than one word, as the regex read them (`my\s+name\s+is`, `i'm`...), reduced
 * to the shortest sequences that any of them contains: "my name is" holds "name is", "first name is"
 * holds "first name", "surname is" holds the single word "surname". Each entry: parts in order, and
 * whether an apostrophe (else whitespace) separates the last two.
 */
const INTRO_SEQUENCES: ReadonlyArray<{ parts: number[]; apostrophe: boolean }> = [
  { parts: [LAST, NAME], apostrophe: false },
  { parts: [FIRST, NAME], apostrophe: false },
  { parts: [NAME, IS], apostrophe: false },
  { parts: [THIS, IS], apostrophe: false },
  { parts: [SPEAKING, WITH], apostrophe: false },
  { parts: [SPEAKING, TO], apostrophe: false },
  { parts: [I, AM], apostrophe: false },
  { parts: [I, M], apostrophe: true },
  { parts: [MY, NAME, S], apostrophe: true },
];
/**
 * Lower-case ASCII words -> flags, looked up straight from the text by a spelling code computed while
 * scanning (five bits per letter, either case alike: `code = (code << 5) | (c & 31)`, as the tokenizer
 * does): no substring per word. The code is exact for words of up to six letters, so those match
 * without comparing characters; longer words keep only their last letters, and a match is confirmed
 * character by character.
 */
const EXACT_CODE_LETTERS = 6;
class AsciiWordTable {
  private readonly words: string[] = [];
  private readonly flags: number[] = [];
  /** Per slot, side by side: the word's code, and (index + 1) * 256 + length (0: empty). At most 1/8 full. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(entries: Map<string, number>) {
    let bits = 6;
    while (1 << bits < entries.size * 8) bits++;
    this.slots = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (const [word, flags] of entries) {
      let code = 0;
      for (let k = 0; k < word.length; k++) code = (code << 5) | (word.charCodeAt(k) & 31);
      let slot = this.slotOf(code);
      while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
      this.words.push(word);
      this.flags.push(flags);
      this.slots[2 * slot] = code;
      this.slots[2 * slot + 1] = this.words.length * 256 + word.length;
    }
  }

  /** Fibonacci hashing: the top bits of code * 2^32/phi. */
  private slotOf(code: number): number {
    return Math.imul(code, 0x9e3779b1) >>> this.shift;
  }

  /** Flags of text[start, end) (ASCII letters with spelling code `code`), 0 when not listed. */
  lookup(text: string, start: number, end: number, code: number): number {
    const len = end - start;
    const slots = this.slots;
    for (let slot = this.slotOf(code); ; slot = (slot + 1) & this.mask) {
      const indexAndLength = slots[2 * slot + 1];
      if (indexAndLength === 0) return 0;
      if (slots[2 * slot] !== code || (indexAndLength & 255) !== len) continue;
      const index = (indexAndLength >> 8) - 1;
      if (len <= EXACT_CODE_LETTERS) return this.flags[index];
      const word = this.words[index];
      let k = 0;
      while (k < len && (text.charCodeAt(start + k) | 0x20) === word.charCodeAt(k)) k++;
      if (k === len) return this.flags[index];
    }
  }
}

const WORDS = (() => {
  const entries = new Map<string, number>();
  const put = (w: string, f: number): void => {
    entries.set(w, (entries.get(w) ?? 0) | f);
  };
  for (const w of singleWords) if (/^[a-z]+$/.test(w)) put(w, TRIGGER);
  for (const w of [...MONTHS, ...ORDINAL_WORDS]) put(w, CARRIED_TRIGGER);
  for (const [w, part] of INTRO_PARTS) put(w, part << PART_SHIFT);
  for (const w of [...FILLER_WORDS, ...ACK_WORDS]) if (/^[a-z]+$/.test(w)) put(w, ACK);
  put('it', IT);
  return new AsciiWordTable(entries);
})();

/** Whitespace as the regex \s reads it in plain ASCII text: tab, line feed, carriage return, space. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Characters that may separate spelled letters ("s m i t h", "S-M-I-T-H", "j. o. h. n."). */
function isSpellSeparator(c: number): boolean {
  return isSpace(c) || c === 46 || c === 44 || c === 45;
}

/** A-Z or a-z (setting bit 0x20 lower-cases A-Z and moves no other character into a-z). */
function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * MAY_HOLD_ENTITIES unless the text cannot hold an entity: plain ASCII (tab, newline, carriage return,
 * space..'~'), no '_', no digit, no '@', no "x:y" of hex letters, no trigger word (with `carried`: also
 * months and ordinals), no introduction ("my name is", "I'm"...), no three single letters in a row.
 * Then NOTHING_BUT_SUBSTANTIVE or NOTHING_BUT_ACKNOWLEDGEMENTS, by the words as the tokenizer reads them:
 * letters joined by apostrophes ("it's" is one word, an acknowledgement; "it'd" is not).
 */
export function fastPathVerdict(text: string, carried: boolean): number {
  const n = text.length;
  // Introduction parts of the last two words, and what separated them.
  let part = 0;
  let partBefore = 0;
  let spaceBefore = false;
  // What the characters since the last word were: whitespace only / one apostrophe / spelling separators
  // only; where they began (-1 before the first word, so a leading apostrophe joins nothing).
  let gapSpace = false;
  let gapApostrophe = false;
  let gapSpell = false;
  let gapStart = -1;
  // Single letters in a row, separated by spelling separators.
  let spelled = 0;
  // A word that is not an acknowledgement was read; the current word (its letters so far, joined by
  // apostrophes) is one; its runs of letters so far; it began with "it".
  let substantive = false;
  let wordIsAck = true;
  let wordRuns = 0;
  let wordStartsWithIt = false;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (isAsciiLetter(c)) {
      // A word: its letters (and their spelling code), then what it is.
      const wordStart = i;
      let code = 0;
      do {
        code = (code << 5) | (c & 31);
        if (++i === n) break;
        c = text.charCodeAt(i);
      } while (isAsciiLetter(c));
      const flags = WORDS.lookup(text, wordStart, i, code);
      if ((flags & TRIGGER) !== 0 || (carried && (flags & CARRIED_TRIGGER) !== 0)) return MAY_HOLD_ENTITIES;
      const current = flags >> PART_SHIFT;
      if (gapApostrophe) {
        // Letters after "'" right after letters: the same word for the tokenizer.
        wordRuns++;
        wordIsAck = wordRuns === 2 && wordStartsWithIt && current === S;
      } else {
        if (!wordIsAck) substantive = true;
        wordIsAck = (flags & ACK) !== 0;
        wordRuns = 1;
        wordStartsWithIt = (flags & IT) !== 0;
      }
      if (current !== 0 && part !== 0 && (gapSpace || gapApostrophe) && introductionEnds(partBefore, spaceBefore, part, gapApostrophe, current)) return MAY_HOLD_ENTITIES;
      spelled = i - wordStart === 1 ? (spelled > 0 && gapSpell ? spelled + 1 : 1) : 0;
      if (spelled >= 3) return MAY_HOLD_ENTITIES;
      partBefore = part;
      spaceBefore = gapSpace;
      part = current;
      gapSpace = true;
      gapApostrophe = false;
      gapSpell = true;
      gapStart = i;
      if (i === n) break;
    }
    // c, at i, is not a letter.
    if (c === 32) {
      // A space (the most common case) leaves a gap of whitespace and separators as it is.
      gapApostrophe = false;
      i++;
      continue;
    }
    if (c >= 48 && c <= 57) return MAY_HOLD_ENTITIES;
    if (c === 64 || c === 95 || c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) return MAY_HOLD_ENTITIES;
    if (c === 58 && i > 0 && isHexLetter(text.charCodeAt(i - 1)) && i + 1 < n && (isHexLetter(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 58)) return MAY_HOLD_ENTITIES;
    gapApostrophe = i === gapStart && c === 39;
    gapSpace = gapSpace && isSpace(c);
    gapSpell = gapSpell && isSpellSeparator(c);
    i++;
  }
  return substantive || !wordIsAck ? NOTHING_BUT_SUBSTANTIVE : NOTHING_BUT_ACKNOWLEDGEMENTS;
}

/**
 * Whether the word with introduction part `current` completes an introduction, given the part of the
 * word before it (`previous`, separated by an apostrophe when `apostrophe`, else by whitespace) and the
 * one before that (`beforePrevious`, separated from `previous` by whitespace when `spaceBefore`).
 */
function introductionEnds(beforePrevious: number, spaceBefore: boolean, previous: number, apostrophe: boolean, current: number): boolean {
  for (const s of INTRO_SEQUENCES) {
    const k = s.parts.length;
    if (s.parts[k - 1] !== current || s.parts[k - 2] !== previous || s.apostrophe !== apostrophe) continue;
    if (k === 2 || (s.parts[0] === beforePrevious && spaceBefore)) return true;
  }
  return false;
}
