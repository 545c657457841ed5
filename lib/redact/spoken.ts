/**
 * The spoken-number layer: turns runs of number words and written digits into digit strings while
 * keeping, for every digit, the source character range it came from (so spans found on the digit
 * view map back to the words). Speech engines without inverse text normalisation write
 * "four one one one", "double five", "forty two", "eight hundred"; no npm package handles these
 * with offsets (reference/redaction-validation.md A6), so this is ours.
 *
 * Rules: zero / oh / o / nought, one..nine, double X, triple X, quadruple X, teens, tens ("forty two" -> 42,
 * "forty" -> 40), "X hundred [and] Y" -> 3 digits, "X thousand Y" -> 4+ digits; "dash", "hyphen",
 * punctuation - . , ( ) and fillers (um, uh, er...) between numbers are tolerated, never at the ends.
 */
import { DIGITS_CODE, LEX_FILLER, LEX_NUMBER, LEX_REPEAT, addLexicon, isHyphenCode, setNumberCode, tokenize, type Token } from './tokens';
import { PAUSE_LENGTHS } from './vocabulary';

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, o: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 2, thirty: 3, forty: 4, fourty: 4, fifty: 5, sixty: 6, seventy: 7, eighty: 8, ninety: 9,
};
const REPEAT: Record<string, number> = { double: 2, triple: 3, quadruple: 4 };
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

/** Token i is the "one" of a pause, "one sec" or "one, moment": speech, not a digit. */
export function isPauseOne(tokens: readonly Token[], i: number): boolean {
  if (tokens[i].lower !== 'one') return false;
  let k = i + 1;
  while (k < tokens.length && tokens[k].kind === 'punct') k++;
  return k < tokens.length && PAUSE_LENGTHS.has(tokens[k].lower);
}

/** Decimal strings of 0-99, so no digit string is built per word. */
const DECIMAL: readonly string[] = Array.from({ length: 100 }, (_, v) => String(v));

/**
 * Punctuation that may sit between two numbers of one run ("415-555", "(415) 555", "4111.1111"): the
 * hyphens (isHyphenCode), '.', ',', their full-width forms, and brackets.
 */
function isJoinerPunct(p: string): boolean {
  if (p.length !== 1) return false;
  const c = p.charCodeAt(0);
  if (isHyphenCode(c)) return true;
  switch (c) {
    case 0x2e: // .
    case 0xff0e: // full-width full stop
    case 0x2c: // ,
    case 0xff0c: // full-width comma
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

/** A word read as one digit or as a repeat of one ("five", "oh", "double"). */
export function readsDigit(t: Token): boolean {
  return (t.numberCode & (UNIT | REPEAT_WORD)) !== 0;
}

function codeOf(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  return t === undefined ? 0 : t.numberCode;
}

/** The digit 1-9 of the unit word at i, else 0 (also for zero / oh / o / nought, whose value is 0). */
function unitDigit(tokens: readonly Token[], i: number): number {
  const c = codeOf(tokens, i);
  return (c & UNIT) !== 0 ? c & VALUE : 0;
}

/** After a tens word at i: the index of its unit ("twenty four", "twenty-four"), or -1. */
function unitAfterTens(tokens: readonly Token[], i: number): number {
  const hy = tokens[i + 1];
  const at = hy !== undefined && hy.kind === 'punct' && hy.lower === '-' && !hy.spaced ? i + 2 : i + 1;
  return unitDigit(tokens, at) > 0 ? at : -1;
}

/** The end (index after) of two digits read as a teen or as tens [unit] at i, or -1. */
function twoDigitWordsEnd(tokens: readonly Token[], i: number): number {
  const c = codeOf(tokens, i);
  if ((c & TEEN) !== 0) return i + 1;
  if ((c & TENS_WORD) === 0) return -1;
  const u = unitAfterTens(tokens, i);
  return u >= 0 ? u + 1 : i + 1;
}

/**
 * The end (index after) of a day of the month read in words at i: a cardinal from 1 to 31 ("five",
 * "twelve", "twenty five", "thirty one"); -1 if none. Ordinals ("fifth", "twenty first") are the
 * caller's: they are not number words.
 */
export function spokenDayEnd(tokens: readonly Token[], i: number): number {
  const c = codeOf(tokens, i);
  if (unitDigit(tokens, i) > 0 || (c & TEEN) !== 0) return i + 1;
  if ((c & TENS_WORD) === 0) return -1;
  const tens = c & VALUE;
  if (tens > 3) return -1;
  const u = unitAfterTens(tokens, i);
  return u >= 0 && (tens === 2 || unitDigit(tokens, u) === 1) ? u + 1 : i + 1;
}

/**
 * The end (index after) of a year read in words at i: "nineteen eighty five", "twenty twenty four",
 * "nineteen oh five", "nineteen hundred", "two thousand (and) three", or two digits ("ninety five",
 * "oh five"); -1 if none. A date reads no more number words than these, so that it cannot take the
 * digits of a number read right after it for its own.
 */
export function spokenYearEnd(tokens: readonly Token[], i: number): number {
  const c = codeOf(tokens, i);
  const value = c & VALUE;
  if (unitDigit(tokens, i) === 2 && (codeOf(tokens, i + 1) & THOUSAND) !== 0) {
    const k = (codeOf(tokens, i + 2) & AND) !== 0 ? i + 3 : i + 2;
    const end = twoDigitWordsEnd(tokens, k);
    return end >= 0 ? end : unitDigit(tokens, k) > 0 ? k + 1 : i + 2;
  }
  // The century: "nineteen", or "twenty" with no unit after it.
  if (((c & TEEN) !== 0 && value === 19) || ((c & TENS_WORD) !== 0 && value === 2 && unitAfterTens(tokens, i) < 0)) {
    const n = codeOf(tokens, i + 1);
    if ((n & HUNDRED) !== 0) return i + 2;
    if ((n & OH) !== 0 && unitDigit(tokens, i + 2) > 0) return i + 3;
    const end = twoDigitWordsEnd(tokens, i + 1);
    if (end >= 0) return end;
  }
  if ((c & OH) !== 0) return unitDigit(tokens, i + 1) > 0 ? i + 2 : -1;
  return (c & TENS_WORD) !== 0 ? twoDigitWordsEnd(tokens, i) : -1;
}

/** Where the digits of a run came from: read again from the tokens when first asked for. */
interface RunLayout {
  /**
   * Source range of digit i: [spans[2i], spans[2i + 1]); the start is stored bit-inverted (negative)
   * for the first digit of each number item, which marks the item boundaries without another array.
   */
  spans: number[];
  /** Token indices of the written digit groups, in order. */
  writtenTokens: number[];
}

/** What is known of a run beyond its digits and counts, each part made on first use. */
interface RunDetails {
  spans?: number[];
  writtenTokens?: number[];
  starts?: number[];
  ends?: number[];
  itemStarts?: number[];
  groups?: number[];
  separators?: string[];
}

/**
 * A run of digits read from the text. Most runs are classified on their digits and counts alone: the
 * source range of every digit and the written groups are read again from the tokens on first use,
 * and the run's first and last digit come from its first and last token.
 */
export class DigitRun {
  private details?: RunDetails;

  constructor(
    /** The digits, e.g. "4111111111111111". */
    readonly digits: string,
    private readonly parser: SpokenNumberParser,
    /** Source range of the whole run (first to last number token). */
    readonly start: number,
    readonly end: number,
    /** Token indices (into tokenize(text)) of the first and last number token. */
    readonly firstToken: number,
    readonly lastToken: number,
    /** 'spoken' when any number word was used, else 'written'. */
    readonly form: 'written' | 'spoken',
    /** Digits that came one per word or as written digits (not from teens/tens/hundreds). */
    readonly singleDigits: number,
    /** True when teens, tens, hundreds or thousands were used ("twenty twenty four"). */
    readonly grouped: boolean,
    /** Written digit groups (tokens of digits) in the run. */
    readonly writtenGroupCount: number,
  ) {}

  /** "hundred" or "thousand" was read in the run ("two thousand", "eight hundred"). */
  get multiplied(): boolean {
    const t = this.parser.tokens;
    for (let k = this.firstToken; k <= this.lastToken; k++) if ((t[k].numberCode & (HUNDRED | THOUSAND)) !== 0) return true;
    return false;
  }

  /** Reads the run again with the source range of every digit (and its written tokens). */
  private readLayout(d: RunDetails): void {
    const layout = this.parser.layoutOf(this.firstToken);
    d.spans = layout.spans;
    d.writtenTokens = layout.writtenTokens;
  }

  private get spans(): number[] {
    const d = (this.details ??= {});
    if (d.spans === undefined) this.readLayout(d);
    return d.spans!;
  }

  /** Token indices of the written digit groups, in order. */
  private get writtenTokens(): number[] {
    const d = (this.details ??= {});
    if (d.writtenTokens === undefined) {
      if (this.form === 'written') {
        // Only digits and joiners: every digits token between the first and the last is a group.
        const out: number[] = [];
        const tokens = this.parser.tokens;
        for (let k = this.firstToken; k <= this.lastToken; k++) if (tokens[k].kind === 'num') out.push(k);
        d.writtenTokens = out;
      } else this.readLayout(d);
    }
    return d.writtenTokens!;
  }

  /**
   * Source start of digit i. The first digit starts where the first token does (every item reads its
   * first digit from its first token), so the common question needs no layout.
   */
  sourceStart(i: number): number {
    if (i === 0) return this.start;
    const s = this.spans[2 * i];
    return s < 0 ? ~s : s;
  }

  /** Source end of digit i (exclusive); the last digit ends where the last token does. */
  sourceEnd(i: number): number {
    if (i === this.digits.length - 1) return this.end;
    return this.spans[2 * i + 1];
  }

  /** For digit i: source range [digitStart[i], digitEnd[i]) in the text. */
  get digitStart(): number[] {
    const spans = this.spans;
    const d = this.details!;
    if (d.starts === undefined) {
      const out: number[] = [];
      for (let i = 0; i < this.digits.length; i++) {
        const s = spans[2 * i];
        out.push(s < 0 ? ~s : s);
      }
      d.starts = out;
    }
    return d.starts;
  }

  get digitEnd(): number[] {
    const spans = this.spans;
    const d = this.details!;
    if (d.ends === undefined) {
      const out: number[] = [];
      for (let i = 0; i < this.digits.length; i++) out.push(spans[2 * i + 1]);
      d.ends = out;
    }
    return d.ends;
  }

  /** Index of the first digit of each number token / item, in order: used to cut runs at token boundaries. */
  get boundaries(): number[] {
    const spans = this.spans;
    const d = this.details!;
    if (d.itemStarts === undefined) {
      const out: number[] = [];
      for (let i = 0; i < this.digits.length; i++) if (spans[2 * i] < 0) out.push(i);
      d.itemStarts = out;
    }
    return d.itemStarts;
  }

  /** Written digit-group lengths, in order (e.g. [3, 2, 4] for "123-45-6789"). */
  get writtenGroups(): number[] {
    const w = this.writtenTokens;
    const d = this.details!;
    if (d.groups === undefined) {
      const out: number[] = [];
      for (const k of w) out.push(this.parser.tokens[k].lower.length);
      d.groups = out;
    }
    return d.groups;
  }

  /** Raw text between consecutive written groups (e.g. ["-", "-"]). */
  get separators(): string[] {
    const w = this.writtenTokens;
    const d = this.details!;
    if (d.separators === undefined) {
      const out: string[] = [];
      const tokens = this.parser.tokens;
      for (let k = 1; k < w.length; k++) out.push(this.parser.text.slice(tokens[w[k - 1]].end, tokens[w[k]].start));
      d.separators = out;
    }
    return d.separators;
  }
}

export class SpokenNumberParser {
  // The run being read (readRun resets these for each run).
  private digits = '';
  private singleDigits = 0;
  private grouped = false;
  private spokenWords = 0;
  private writtenCount = 0;
  /** Set while a run is read again for its layout (layoutOf): the per-digit source ranges go there. */
  private layout: RunLayout | undefined = undefined;
  /** The next digit is the first of a number item (a boundary). */
  private itemStart = false;

  constructor(
    readonly text: string,
    readonly tokens: readonly Token[],
    /** Digits written as digits only: number words neither start nor continue a run (spoken forms off). */
    readonly writtenOnly = false,
  ) {}

  /** Starts a number item: its first digit marks a boundary. */
  private mark(): void {
    this.itemStart = true;
  }

  /** Adds digits d that all come from source range [start, end). */
  private add(d: string, start: number, end: number): void {
    this.digits += d;
    if (this.layout !== undefined) for (let k = 0; k < d.length; k++) this.addSpan(this.layout.spans, start, end);
  }

  private addSpan(spans: number[], start: number, end: number): void {
    if (this.itemStart) {
      spans.push(~start, end);
      this.itemStart = false;
    } else spans.push(start, end);
  }

  /** Adds digits d read from token t. */
  private push(d: string, t: Token): void {
    this.add(d, t.start, t.end);
  }
  /** True if token i can start a number item. "oh"/"o" only when a number follows it. */
  startsNumber(i: number): boolean {
    const t = this.tokens[i];
    if (!t) return false;
    if (t.kind === 'num') return true;
    const c = t.numberCode;
    if ((c & OH) !== 0) {
      // "oh uh five", "oh oh uh zero one": zeros and fillers may come before the next number.
      let zeros = 1;
      let j = i + 1;
      for (; j < this.tokens.length && j - i <= 8 && (this.tokens[j].numberCode & (FILLER | OH)) !== 0; j++) if ((this.tokens[j].numberCode & OH) !== 0) zeros++;
      // More zeros may follow (without the limit) before the number.
      for (; (codeOf(this.tokens, j) & OH) !== 0; j++) zeros++;
      // Three or more are digits on their own: "oh oh oh oh", the zeros of a number read in parts.
      return zeros >= 3 || this.startsNumber(j);
    }
    // Every number word but "hundred" / "thousand" starts an item; not "one" in "one sec", "one
    // moment": a pause between a number's groups ("4111 one sec 1111 ..." read 41111).
    if ((c & (UNIT | TEEN | TENS_WORD)) !== 0) return !isPauseOne(this.tokens, i);
    if ((c & REPEAT_WORD) !== 0) {
      const n = this.tokens[i + 1];
      return n !== undefined && ((n.numberCode & UNIT) !== 0 || (n.kind === 'num' && n.lower.length === 1));
    }
    return false;
  }

  /** Parses one number item at i into b; returns the index after it. */
  private item(i: number): number {
    const t = this.tokens[i];
    this.mark();
    if (t.kind === 'num') {
      const d = t.lower;
      this.digits += d;
      const layout = this.layout;
      if (layout !== undefined) {
        // One UTF-16 unit per digit, or two for digits beyond the BMP (tokens.ts keeps the two apart).
        const width = (t.end - t.start) / d.length;
        for (let k = 0; k < d.length; k++) this.addSpan(layout.spans, t.start + k * width, t.start + (k + 1) * width);
        layout.writtenTokens.push(i);
      }
      this.singleDigits += d.length;
      this.writtenCount++;
      return i + 1;
    }
    this.spokenWords++;
    const c = t.numberCode;
    if ((c & REPEAT_WORD) !== 0) {
      const count = c & VALUE;
      const n = this.tokens[i + 1];
      const d = n.kind === 'num' ? n.lower : DECIMAL[n.numberCode & VALUE];
      for (let k = 0; k < count; k++) this.add(d, t.start, n.end);
      this.singleDigits += count;
      return i + 2;
    }
    // A cardinal: unit, teen, or tens [unit]; then maybe "hundred" / "thousand". Its digits come
    // first in every case, so they are added as read.
    let value: number;
    let next = i + 1;
    const unit = (c & UNIT) !== 0;
    if (unit) {
      value = c & VALUE;
      this.push(DECIMAL[value], t);
    } else if ((c & TEEN) !== 0) {
      value = c & VALUE;
      this.push(DECIMAL[value], t);
      this.grouped = true;
    } else {
      const tens = c & VALUE;
      this.grouped = true;
      const hy = this.tokens[next];
      const after = hy && hy.kind === 'punct' && hy.lower === '-' && !hy.spaced ? next + 1 : next;
      const u = unitDigit(this.tokens, after);
      if (u > 0) {
        value = tens * 10 + u;
        this.push(DECIMAL[tens], t);
        this.push(DECIMAL[u], this.tokens[after]);
        next = after + 1;
      } else {
        value = tens * 10;
        this.push(DECIMAL[value], t);
      }
    }
    const h = codeOf(this.tokens, next);
    if ((h & HUNDRED) !== 0 && value > 0) {
      this.grouped = true;
      return this.hundredTail(next);
    }
    if ((h & THOUSAND) !== 0 && value > 0) {
      this.grouped = true;
      return this.thousandTail(next);
    }
    if (unit) this.singleDigits++;
    return next;
  }

  /** After "X hundred": [and] (tens [unit] | teen | unit)? -> two more digits. */
  private hundredTail(h: number): number {
    let i = h + 1;
    if ((codeOf(this.tokens, i) & AND) !== 0) {
      // "five hundred and eight" is 508 even when digits follow ("... and eight two two nine oh one
      // seven", an SSN): the "and" closes the number, where "eight hundred five five five" is 800 555.
      const u = codeOf(this.tokens, i + 1);
      if ((u & UNIT) !== 0 && (u & VALUE) > 0) {
        this.push('0', this.tokens[i + 1]);
        this.push(DECIMAL[u & VALUE], this.tokens[i + 1]);
        return i + 2;
      }
      if (this.twoDigitEnd(i + 1) >= 0) i++;
    }
    const end = this.twoDigitEnd(i);
    if (end < 0) {
      this.push('00', this.tokens[h]);
      return h + 1;
    }
    this.pushTwoDigits(i);
    return end;
  }

  /** After "X thousand": [X hundred] [and] (two-digit)? -> three more digits. */
  private thousandTail(th: number): number {
    const tt = this.tokens[th];
    let i = th + 1;
    const u = unitDigit(this.tokens, i);
    if (u > 0 && (codeOf(this.tokens, i + 1) & HUNDRED) !== 0) {
      this.push(DECIMAL[u], this.tokens[i]);
      return this.hundredTail(i + 1);
    }
    if ((codeOf(this.tokens, i) & AND) !== 0 && this.twoDigitEnd(i + 1) >= 0) i++;
    const end = this.twoDigitEnd(i);
    if (end < 0) {
      this.push('000', tt);
      return th + 1;
    }
    this.push('0', tt);
    this.pushTwoDigits(i);
    return end;
  }

  /** A two-digit reading at i: tens [unit], teen, or a lone unit (as "0u"); returns the index after it, or -1. */
  private twoDigitEnd(i: number): number {
    const c = codeOf(this.tokens, i);
    if ((c & TEEN) !== 0) return i + 1;
    if ((c & TENS_WORD) !== 0) return unitDigit(this.tokens, i + 1) > 0 ? i + 2 : i + 1;
    // "four hundred five" is 405, but "eight hundred five five five ..." is 800 then digit by digit.
    if ((c & UNIT) !== 0 && (c & VALUE) > 0 && !this.startsNumber(i + 1)) return i + 1;
    return -1;
  }

  /** Adds the two digits of the reading twoDigitEnd(i) found. */
  private pushTwoDigits(i: number): void {
    const t = this.tokens[i];
    const c = t.numberCode;
    const v = c & VALUE;
    if ((c & TEEN) !== 0) {
      this.push(DECIMAL[v], t);
    } else if ((c & TENS_WORD) !== 0) {
      this.push(DECIMAL[v], t);
      const u = unitDigit(this.tokens, i + 1);
      if (u > 0) this.push(DECIMAL[u], this.tokens[i + 1]);
      else this.push('0', t);
    } else {
      this.push('0', t);
      this.push(DECIMAL[v], t);
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
    if (j >= tokens.length) return -1;
    if (this.writtenOnly) return tokens[j].kind === 'num' ? j : -1;
    // Inside a run, "oh"/"o" is a zero even at the end ("five oh").
    return (tokens[j].numberCode & OH) !== 0 || this.startsNumber(j) ? j : -1;
  }


  /** All digit runs of the text, left to right. */
  runs(): DigitRun[] {
    const out: DigitRun[] = [];
    const tokens = this.tokens;
    let i = 0;
    while (i < tokens.length) {
      // Most tokens are neither digits nor number words: rejected here without a call.
      if ((tokens[i].numberCode & (this.writtenOnly ? DIGITS_CODE : ITEM_WORD | DIGITS_CODE)) === 0 || !this.startsNumber(i)) {
        i++;
        continue;
      }
      const last = this.readRun(i);
      out.push(
        new DigitRun(
          this.digits,
          this,
          tokens[i].start,
          tokens[last].end,
          i,
          last,
          this.spokenWords > 0 ? 'spoken' : 'written',
          this.singleDigits,
          this.grouped,
          this.writtenCount,
        ),
      );
      i = last + 1;
    }
    return out;
  }

  /** Reads the run that starts at token `first` into the fields; returns the index of its last token. */
  private readRun(first: number): number {
    const tokens = this.tokens;
    this.digits = '';
    this.singleDigits = 0;
    this.grouped = false;
    this.spokenWords = 0;
    this.writtenCount = 0;
    let last = first;
    let j = first;
    for (;;) {
      const t = tokens[j];
      if ((t.numberCode & OH) !== 0) {
        this.mark();
        this.push('0', t);
        this.singleDigits++;
        this.spokenWords++;
        j++;
      } else {
        j = this.item(j);
      }
      last = j - 1;
      const k = this.continuation(j);
      if (k < 0) break;
      j = k;
    }
    return last;
  }

  /** @internal The layout of the run that starts at token `first` (DigitRun asks on first use). */
  layoutOf(first: number): RunLayout {
    const layout: RunLayout = { spans: [], writtenTokens: [] };
    this.layout = layout;
    this.readRun(first);
    this.layout = undefined;
    return layout;
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
    for (let k = 0; k < r.digits.length; k++) offsets.push([r.sourceStart(k), r.sourceEnd(k)]);
  }
  return new DigitView(digits, offsets, runs);
}
