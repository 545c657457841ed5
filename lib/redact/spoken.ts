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
import { LEX_FILLER, LEX_NUMBER, LEX_REPEAT, addLexicon, tokenize, type Token } from './tokens';

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
/** Punctuation that may sit between two numbers of one run ("415-555", "(415) 555", "4111.1111"). */
const JOINER_PUNCT = new Set(['-', '–', '—', '.', ',', '(', ')']);

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
  push(d: string, t: Token): void {
    this.add(d, t.start, t.end);
  }
  add(d: string, start: number, end: number): void {
    this.digits += d;
    for (let k = 0; k < d.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
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

  private unitAt(i: number): number | undefined {
    const t = this.tokens[i];
    return t && t.kind === 'word' ? UNITS[t.lower] : undefined;
  }

  /** True if token i can start a number item. "oh"/"o" only when a number follows it. */
  startsNumber(i: number): boolean {
    const t = this.tokens[i];
    if (!t) return false;
    if (t.kind === 'num') return true;
    if (t.kind !== 'word' || (t.lex & (LEX_NUMBER | LEX_REPEAT)) === 0) return false;
    const w = t.lower;
    if (w === 'oh' || w === 'o') {
      // "oh uh five", "oh oh uh zero one": zeros and fillers may come before the next number.
      let j = i + 1;
      while (j < this.tokens.length && j - i <= 8) {
        const x = this.tokens[j];
        if (x.kind !== 'word' || !(FILLERS.has(x.lower) || x.lower === 'oh' || x.lower === 'o')) break;
        j++;
      }
      return this.isNumberAhead(j, false);
    }
    // Every number word but "hundred" / "thousand" starts an item (a class bit, not three lookups).
    if ((t.lex & LEX_NUMBER) !== 0) return w !== 'hundred' && w !== 'thousand';
    if (w in REPEAT) {
      const n = this.tokens[i + 1];
      return n !== undefined && ((n.kind === 'word' && n.lower in UNITS) || (n.kind === 'num' && n.lower.length === 1));
    }
    return false;
  }

  private isNumberAhead(i: number, allowOh: boolean): boolean {
    const t = this.tokens[i];
    if (!t) return false;
    if (!allowOh && t.kind === 'word' && (t.lower === 'oh' || t.lower === 'o')) return this.isNumberAhead(i + 1, false);
    return this.startsNumber(i);
  }

  /** Parses one number item at i into b; returns the index after it. */
  private item(i: number, b: RunBuilder): number {
    const t = this.tokens[i];
    b.mark();
    if (t.kind === 'num') {
      b.digits += t.lower;
      for (let k = 0; k < t.lower.length; k++) {
        b.starts.push(t.start + k);
        b.ends.push(t.start + k + 1);
      }
      b.singleDigits += t.lower.length;
      if (b.lastWrittenEnd >= 0) b.separators.push(this.text.slice(b.lastWrittenEnd, t.start));
      b.writtenGroups.push(t.lower.length);
      b.lastWrittenEnd = t.end;
      return i + 1;
    }
    b.spokenWords++;
    const w = t.lower;
    if (w in REPEAT) {
      const n = this.tokens[i + 1];
      const d = n.kind === 'num' ? n.lower : String(UNITS[n.lower]);
      for (let k = 0; k < REPEAT[w]; k++) b.add(d, t.start, n.end);
      b.singleDigits += REPEAT[w];
      return i + 2;
    }
    // A cardinal: unit, teen, or tens [unit]; then maybe "hundred" / "thousand". Its digits come
    // first in every case, so they are added as read.
    let value: number;
    let next = i + 1;
    const unit = w in UNITS;
    if (unit) {
      value = UNITS[w];
      b.push(String(value), t);
    } else if (w in TEENS) {
      value = TEENS[w];
      b.push(String(value), t);
      b.grouped = true;
    } else {
      const tens = TENS[w];
      b.grouped = true;
      const hy = this.tokens[next];
      const after = hy && hy.kind === 'punct' && hy.lower === '-' && !hy.spaced ? next + 1 : next;
      const u = this.unitAt(after);
      const ut = this.tokens[after];
      if (u !== undefined && u > 0 && ut.lower !== 'oh' && ut.lower !== 'o') {
        value = tens * 10 + u;
        b.push(String(tens), t);
        b.push(String(u), ut);
        next = after + 1;
      } else {
        value = tens * 10;
        b.push(`${tens}0`, t);
      }
    }
    const h = this.tokens[next];
    if (h && h.kind === 'word' && h.lower === 'hundred' && value > 0) {
      b.grouped = true;
      return this.hundredTail(next, b);
    }
    if (h && h.kind === 'word' && h.lower === 'thousand' && value > 0) {
      b.grouped = true;
      return this.thousandTail(next, b);
    }
    if (unit) b.singleDigits++;
    return next;
  }

  /** After "X hundred": [and] (tens [unit] | teen | unit)? -> two more digits. */
  private hundredTail(h: number, b: RunBuilder): number {
    const ht = this.tokens[h];
    let i = h + 1;
    if (this.tokens[i]?.lower === 'and' && this.twoDigitAt(i + 1) !== undefined) i++;
    const two = this.twoDigitAt(i);
    if (two === undefined) {
      b.push('00', ht);
      return h + 1;
    }
    b.push(two.d[0], two.first);
    b.push(two.d[1], two.last);
    return two.next;
  }

  /** After "X thousand": [X hundred] [and] (two-digit)? -> three more digits. */
  private thousandTail(th: number, b: RunBuilder): number {
    const tt = this.tokens[th];
    let i = th + 1;
    const u = this.unitAt(i);
    if (u !== undefined && u > 0 && this.tokens[i + 1]?.lower === 'hundred') {
      b.push(String(u), this.tokens[i]);
      return this.hundredTail(i + 1, b);
    }
    if (this.tokens[i]?.lower === 'and' && this.twoDigitAt(i + 1) !== undefined) i++;
    const two = this.twoDigitAt(i);
    if (two === undefined) {
      b.push('000', tt);
      return th + 1;
    }
    b.push('0', tt);
    b.push(two.d[0], two.first);
    b.push(two.d[1], two.last);
    return two.next;
  }

  /** A two-digit reading at i: tens [unit], teen, or a lone unit (as "0u"). */
  private twoDigitAt(i: number): { d: string; first: Token; last: Token; next: number } | undefined {
    const t = this.tokens[i];
    if (!t || t.kind !== 'word') return undefined;
    if (t.lower in TEENS) return { d: String(TEENS[t.lower]), first: t, last: t, next: i + 1 };
    if (t.lower in TENS) {
      const u = this.unitAt(i + 1);
      const ut = this.tokens[i + 1];
      if (u !== undefined && u > 0 && ut.lower !== 'oh' && ut.lower !== 'o') return { d: `${TENS[t.lower]}${u}`, first: t, last: ut, next: i + 2 };
      return { d: `${TENS[t.lower]}0`, first: t, last: t, next: i + 1 };
    }
    const u = UNITS[t.lower];
    // "four hundred five" is 405, but "eight hundred five five five ..." is 800 then digit by digit.
    if (u !== undefined && u > 0 && t.lower !== 'oh' && t.lower !== 'o' && !this.startsNumber(i + 1)) return { d: `0${u}`, first: t, last: t, next: i + 1 };
    return undefined;
  }

  /** Skips joiners (fillers, dash words, joiner punctuation) after i; returns the index of the next number token or -1. */
  private continuation(i: number): number {
    let j = i;
    let skipped = 0;
    while (j < this.tokens.length && skipped < 4) {
      const t = this.tokens[j];
      if ((t.kind === 'punct' && JOINER_PUNCT.has(t.lower)) || (t.kind === 'word' && FILLERS.has(t.lower))) {
        j++;
        skipped++;
        continue;
      }
      break;
    }
    if (j < this.tokens.length && (this.startsNumber(j) || this.ohInRun(j))) return j;
    return -1;
  }

  /** Inside a run, "oh"/"o" is a zero even at the end ("five oh"). */
  private ohInRun(j: number): boolean {
    const t = this.tokens[j];
    return t.kind === 'word' && (t.lower === 'oh' || t.lower === 'o');
  }

  /** All digit runs of the text, left to right. */
  runs(): DigitRun[] {
    const out: DigitRun[] = [];
    const tokens = this.tokens;
    let i = 0;
    while (i < tokens.length) {
      if (!this.startsNumber(i)) {
        i++;
        continue;
      }
      const b = new RunBuilder();
      const first = i;
      let last = i;
      let j = i;
      for (;;) {
        const t = tokens[j];
        if (t.kind === 'word' && (t.lower === 'oh' || t.lower === 'o')) {
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

/** The digit view of a text: numbers in written or spoken form as digit strings with an offset map. */
export function spokenDigitView(text: string, tokens: Token[] = tokenize(text)): SpokenDigitView {
  const runs = new SpokenNumberParser(text, tokens).runs();
  const offsets: Array<[number, number]> = [];
  let digits = '';
  runs.forEach((r, n) => {
    if (n > 0) {
      digits += ' ';
      offsets.push([-1, -1]);
    }
    digits += r.digits;
    for (let k = 0; k < r.digits.length; k++) offsets.push([r.digitStart[k], r.digitEnd[k]]);
  });
  return {
    digits,
    offsets,
    runs,
    sourceRange(from: number, to: number) {
      return { start: offsets[from][0], end: offsets[to - 1][1] };
    },
  };
}
