/**
 * The spoken-number layer: turns runs of number words and written digits into digit strings while
 * keeping, for every digit, the source character range it came from (so spans found on the digit
 * view map back to the words). Speech engines without inverse text normalisation write
 * "four one one one", "double five", "forty two", "eight hundred"; no npm package handles these
 * with offsets (reference/redaction-validation.md A6), so this is ours.
 *
 * Rules: zero / oh / o / nought, one..nine, double X, triple X, teens, tens ("forty two" -> 42,
 * "forty" -> 40), "X hundred [and] Y" -> 3 digits, "X thousand Y" -> 4+ digits; "dash", "hyphen",
 * punctuation - . , ( ) and fillers (um, uh, er...) between numbers are tolerated, never at the ends.
 */
import { LEX_FILLER, LEX_NUMBER, LEX_REPEAT, addLexicon, setNumberCode, tokenize, type Token } from './tokens';

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, o: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 2, thirty: 3, forty: 4, fourty: 4, fifty: 5, sixty: 6, seventy: 7, eighty: 8, ninety: 9,
};
const REPEAT: Record<string, number> = { double: 2, triple: 3 };
/** Words that may sit between two numbers of one run without ending it. */
const FILLERS = new Set(['um', 'umm', 'uh', 'uhh', 'er', 'erm', 'ah', 'hmm', 'mm', 'dash', 'hyphen']);

/**
 * Token.numberCode: what a word means here, set once per token by the tokenizer so the parser tests
 * bits instead of looking words up. The low bits hold the value: the digit of a unit, 10-19 for a
 * teen, the tens digit of a tens word, the count of a repeat word.
 */
const VALUE = 31;
const UNIT = 1 << 5;
/** "oh" / "o": a unit (value 0) that only starts a run when a number follows it. */
const OH = 1 << 6;
const TEEN = 1 << 7;
const TENS_WORD = 1 << 8;
const HUNDRED = 1 << 9;
const THOUSAND = 1 << 10;
const REPEAT_WORD = 1 << 11;
const FILLER = 1 << 12;
const AND = 1 << 13;
/** Words that may start an item (with conditions for "oh" / "o" and the repeat words). */
const ITEM_WORD = UNIT | TEEN | TENS_WORD | REPEAT_WORD;
for (const [w, v] of Object.entries(UNITS)) setNumberCode(w, UNIT | v | (w === 'oh' || w === 'o' ? OH : 0));
for (const [w, v] of Object.entries(TEENS)) setNumberCode(w, TEEN | v);
for (const [w, v] of Object.entries(TENS)) setNumberCode(w, TENS_WORD | v);
for (const [w, v] of Object.entries(REPEAT)) setNumberCode(w, REPEAT_WORD | v);
for (const w of FILLERS) setNumberCode(w, FILLER);
setNumberCode('hundred', HUNDRED);
setNumberCode('thousand', THOUSAND);
setNumberCode('and', AND);

/** Decimal strings of 0-99, so no digit string is built per word. */
const DECIMAL: readonly string[] = Array.from({ length: 100 }, (_, v) => String(v));

/** Punctuation that may sit between two numbers of one run ("415-555", "(415) 555", "4111.1111"). */
function isJoinerPunct(p: string): boolean {
  if (p.length !== 1) return false;
  switch (p.charCodeAt(0)) {
    case 0x2d: // -
    case 0x2013: // –
    case 0x2014: // —
    case 0x2e: // .
    case 0x2c: // ,
    case 0x28: // (
    case 0x29: // )
      return true;
    default:
      return false;
  }
}

/** Every number word the parser reads. */
export const NUMBER_WORD_LIST: readonly string[] = [...Object.keys(UNITS), ...Object.keys(TEENS), ...Object.keys(TENS), 'hundred', 'thousand'];
const NUMBER_WORDS = new Set(NUMBER_WORD_LIST);
addLexicon(NUMBER_WORDS, LEX_NUMBER);
addLexicon(Object.keys(REPEAT), LEX_REPEAT);
addLexicon(FILLERS, LEX_FILLER);

export function isNumberWord(lower: string): boolean {
  return NUMBER_WORDS.has(lower);
}

export interface DigitRun {
  /** The digits, e.g. "4111111111111111". */
  digits: string;
  /** For digit i: source range [digitStart[i], digitEnd[i]) in the text. */
  digitStart: number[];
  digitEnd: number[];
  /** Source range of the whole run (first to last number token). */
  start: number;
  end: number;
  /** Token indices (into tokenize(text)) of the first and last number token. */
  firstToken: number;
  lastToken: number;
  /** 'spoken' when any number word was used, else 'written'. */
  form: 'written' | 'spoken';
  /** Digits that came one per word or as written digits (not from teens/tens/hundreds). */
  singleDigits: number;
  /** True when teens, tens, hundreds or thousands were used ("twenty twenty four"). */
  grouped: boolean;
  /** Written digit-group lengths, in order (e.g. [3, 2, 4] for "123-45-6789"). */
  writtenGroups: number[];
  /** Raw text between consecutive written groups (e.g. ["-", "-"]). */
  separators: string[];
  /** Digits contributed by each number token, in order: used to cut runs at token boundaries. */
  boundaries: number[];
}

class RunBuilder {
  /** Digits so far, and each digit's source range (parallel arrays: no object per digit). */
  digits = '';
  starts: number[] = [];
  ends: number[] = [];
  boundaries: number[] = [];
  singleDigits = 0;
  grouped = false;
  spokenWords = 0;
  writtenGroups: number[] = [];
  separators: string[] = [];
  lastWrittenEnd = -1;
  /** Adds digits d that all come from source range [start, end). */
  add(d: string, start: number, end: number): void {
    this.digits += d;
    for (let k = 0; k < d.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }
  /** Adds digits d read from token t. */
  push(d: string, t: Token): void {
    this.add(d, t.start, t.end);
  }
  mark(): void {
    this.boundaries.push(this.starts.length);
  }
}

export class SpokenNumberParser {
  constructor(
    private readonly text: string,
    readonly tokens: Token[],
  ) {}

  private codeAt(i: number): number {
    const t = this.tokens[i];
    return t === undefined ? 0 : t.numberCode;
  }

  /** The digit 1-9 of a unit word at i ("one".."nine"), else 0 (also for zero / oh / o / nought). */
  private digitAt(i: number): number {
    const c = this.codeAt(i);
    return (c & UNIT) !== 0 ? c & VALUE : 0;
  }

  /** True if token i can start a number item. "oh"/"o" only when a number follows it. */
  startsNumber(i: number): boolean {
    const t = this.tokens[i];
    if (!t) return false;
    if (t.kind === 'num') return true;
    const c = t.numberCode;
    if ((c & OH) !== 0) {
      // "oh uh five", "oh oh uh zero one": zeros and fillers may come before the next number.
      let j = i + 1;
      while (j < this.tokens.length && j - i <= 8 && (this.tokens[j].numberCode & (FILLER | OH)) !== 0) j++;
      // More zeros may follow (without the limit) before the number.
      while ((this.codeAt(j) & OH) !== 0) j++;
      return this.startsNumber(j);
    }
    // Every number word but "hundred" / "thousand" starts an item.
    if ((c & (UNIT | TEEN | TENS_WORD)) !== 0) return true;
    if ((c & REPEAT_WORD) !== 0) {
      const n = this.tokens[i + 1];
      return n !== undefined && ((n.numberCode & UNIT) !== 0 || (n.kind === 'num' && n.lower.length === 1));
    }
    return false;
  }

  /** Parses one number item at i into b; returns the index after it. */
  private item(i: number, b: RunBuilder): number {
    const t = this.tokens[i];
    b.mark();
    if (t.kind === 'num') {
      const d = t.lower;
      b.digits += d;
      for (let k = 0; k < d.length; k++) {
        b.starts.push(t.start + k);
        b.ends.push(t.start + k + 1);
      }
      b.singleDigits += d.length;
      if (b.lastWrittenEnd >= 0) b.separators.push(this.text.slice(b.lastWrittenEnd, t.start));
      b.writtenGroups.push(d.length);
      b.lastWrittenEnd = t.end;
      return i + 1;
    }
    b.spokenWords++;
    const c = t.numberCode;
    if ((c & REPEAT_WORD) !== 0) {
      const count = c & VALUE;
      const n = this.tokens[i + 1];
      const d = n.kind === 'num' ? n.lower : DECIMAL[n.numberCode & VALUE];
      for (let k = 0; k < count; k++) b.add(d, t.start, n.end);
      b.singleDigits += count;
      return i + 2;
    }
    // A cardinal: unit, teen, or tens [unit]; then maybe "hundred" / "thousand". Its digits come
    // first in every case, so they are added as read.
    let value: number;
    let next = i + 1;
    const unit = (c & UNIT) !== 0;
    if (unit) {
      value = c & VALUE;
      b.push(DECIMAL[value], t);
    } else if ((c & TEEN) !== 0) {
      value = c & VALUE;
      b.push(DECIMAL[value], t);
      b.grouped = true;
    } else {
      const tens = c & VALUE;
      b.grouped = true;
      const hy = this.tokens[next];
      const after = hy && hy.kind === 'punct' && hy.lower === '-' && !hy.spaced ? next + 1 : next;
      const u = this.digitAt(after);
      if (u > 0) {
        value = tens * 10 + u;
        b.push(DECIMAL[tens], t);
        b.push(DECIMAL[u], this.tokens[after]);
        next = after + 1;
      } else {
        value = tens * 10;
        b.push(DECIMAL[value], t);
      }
    }
    const h = this.codeAt(next);
    if ((h & HUNDRED) !== 0 && value > 0) {
      b.grouped = true;
      return this.hundredTail(next, b);
    }
    if ((h & THOUSAND) !== 0 && value > 0) {
      b.grouped = true;
      return this.thousandTail(next, b);
    }
    if (unit) b.singleDigits++;
    return next;
  }

  /** After "X hundred": [and] (tens [unit] | teen | unit)? -> two more digits. */
  private hundredTail(h: number, b: RunBuilder): number {
    let i = h + 1;
    if ((this.codeAt(i) & AND) !== 0 && this.twoDigitEnd(i + 1) >= 0) i++;
    const end = this.twoDigitEnd(i);
    if (end < 0) {
      b.push('00', this.tokens[h]);
      return h + 1;
    }
    this.pushTwoDigits(i, b);
    return end;
  }

  /** After "X thousand": [X hundred] [and] (two-digit)? -> three more digits. */
  private thousandTail(th: number, b: RunBuilder): number {
    const tt = this.tokens[th];
    let i = th + 1;
    const u = this.digitAt(i);
    if (u > 0 && (this.codeAt(i + 1) & HUNDRED) !== 0) {
      b.push(DECIMAL[u], this.tokens[i]);
      return this.hundredTail(i + 1, b);
    }
    if ((this.codeAt(i) & AND) !== 0 && this.twoDigitEnd(i + 1) >= 0) i++;
    const end = this.twoDigitEnd(i);
    if (end < 0) {
      b.push('000', tt);
      return th + 1;
    }
    b.push('0', tt);
    this.pushTwoDigits(i, b);
    return end;
  }

  /** A two-digit reading at i: tens [unit], teen, or a lone unit (as "0u"); returns the index after it, or -1. */
  private twoDigitEnd(i: number): number {
    const c = this.codeAt(i);
    if ((c & TEEN) !== 0) return i + 1;
    if ((c & TENS_WORD) !== 0) return this.digitAt(i + 1) > 0 ? i + 2 : i + 1;
    // "four hundred five" is 405, but "eight hundred five five five ..." is 800 then digit by digit.
    if ((c & UNIT) !== 0 && (c & VALUE) > 0 && !this.startsNumber(i + 1)) return i + 1;
    return -1;
  }

  /** Adds the two digits of the reading twoDigitEnd(i) found. */
  private pushTwoDigits(i: number, b: RunBuilder): void {
    const t = this.tokens[i];
    const c = t.numberCode;
    const v = c & VALUE;
    if ((c & TEEN) !== 0) {
      b.push(DECIMAL[v], t);
    } else if ((c & TENS_WORD) !== 0) {
      b.push(DECIMAL[v], t);
      const u = this.digitAt(i + 1);
      if (u > 0) b.push(DECIMAL[u], this.tokens[i + 1]);
      else b.push('0', t);
    } else {
      b.push('0', t);
      b.push(DECIMAL[v], t);
    }
  }

  /** Skips joiners (fillers, dash words, joiner punctuation) after i; returns the index of the next number token or -1. */
  private continuation(i: number): number {
    const tokens = this.tokens;
    let j = i;
    while (j < tokens.length && j - i < 4) {
      const t = tokens[j];
      if ((t.numberCode & FILLER) === 0 && !(t.kind === 'punct' && isJoinerPunct(t.lower))) break;
      j++;
    }
    // Inside a run, "oh"/"o" is a zero even at the end ("five oh").
    if (j < tokens.length && ((tokens[j].numberCode & OH) !== 0 || this.startsNumber(j))) return j;
    return -1;
  }

  /** All digit runs of the text, left to right. */
  runs(): DigitRun[] {
    const out: DigitRun[] = [];
    const tokens = this.tokens;
    let i = 0;
    while (i < tokens.length) {
      // Most tokens are neither digits nor number words: rejected here without a call.
      if ((tokens[i].kind !== 'num' && (tokens[i].numberCode & ITEM_WORD) === 0) || !this.startsNumber(i)) {
        i++;
        continue;
      }
      const b = new RunBuilder();
      const first = i;
      let last = i;
      let j = i;
      for (;;) {
        const t = tokens[j];
        if ((t.numberCode & OH) !== 0) {
          b.mark();
          b.push('0', t);
          b.singleDigits++;
          b.spokenWords++;
          j++;
        } else {
          j = this.item(j, b);
        }
        last = j - 1;
        const k = this.continuation(j);
        if (k < 0) break;
        j = k;
      }
      out.push({
        digits: b.digits,
        digitStart: b.starts,
        digitEnd: b.ends,
        start: tokens[first].start,
        end: tokens[last].end,
        firstToken: first,
        lastToken: last,
        form: b.spokenWords > 0 ? 'spoken' : 'written',
        singleDigits: b.singleDigits,
        grouped: b.grouped,
        writtenGroups: b.writtenGroups,
        separators: b.separators,
        boundaries: b.boundaries,
      });
      i = last + 1;
    }
    return out;
  }
}

export interface SpokenDigitView {
  /** Every run's digits, runs separated by one space. */
  digits: string;
  /** For each character of `digits`: its source range in the text ([-1, -1] for the separators). */
  offsets: Array<[number, number]>;
  runs: DigitRun[];
  /** Source range of digits[from, to) (`to` exclusive), within one run. */
  sourceRange(from: number, to: number): { start: number; end: number };
}

class DigitView implements SpokenDigitView {
  constructor(
    readonly digits: string,
    readonly offsets: Array<[number, number]>,
    readonly runs: DigitRun[],
  ) {}
  sourceRange(from: number, to: number): { start: number; end: number } {
    return { start: this.offsets[from][0], end: this.offsets[to - 1][1] };
  }
}

/** The digit view of a text: numbers in written or spoken form as digit strings with an offset map. */
export function spokenDigitView(text: string, tokens: Token[] = tokenize(text)): SpokenDigitView {
  const runs = new SpokenNumberParser(text, tokens).runs();
  const offsets: Array<[number, number]> = [];
  let digits = '';
  for (let n = 0; n < runs.length; n++) {
    const r = runs[n];
    if (n > 0) {
      digits += ' ';
      offsets.push([-1, -1]);
    }
    digits += r.digits;
    for (let k = 0; k < r.digits.length; k++) offsets.push([r.digitStart[k], r.digitEnd[k]]);
  }
  return new DigitView(digits, offsets, runs);
}
