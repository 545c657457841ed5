/**
 * Numbers, amounts, percentages, dates, times and durations in written ("$10", "3/3", "3:30 PM")
 * and spoken form ("ten dollars", "march third", "three thirty in the afternoon"), normalised so
 * a summary's claim can be compared with what was said. The source side keeps every plausible
 * reading of a spoken run ("nineteen ninety nine" = 19, 99, 1999, 19.99); the summary side keeps
 * one, so the comparison leans towards accepting what the call could have meant.
 */
import type { Token } from './text';

/** A lookup table without a prototype: "constructor" or "tostring" in a transcript is not a key. */
function dict<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export type QuantityKind = 'number' | 'amount' | 'percent' | 'date' | 'time' | 'duration';
export type DurationUnit = 'sec' | 'month' | 'year';

export interface Quantity {
  kind: QuantityKind;
  /** UTF-16 offsets in the analysed text. */
  start: number;
  end: number;
  /** number / amount / percent value; duration in its unit class (seconds, months or years). */
  value?: number;
  /** The spoken or written count before unit conversion ("5" in "5 days"). */
  count?: number;
  unit?: DurationUnit;
  month?: number;
  day?: number;
  year?: number;
  weekday?: number;
  hour?: number;
  minute?: number;
  meridiem?: 'am' | 'pm';
  /** Other readings of a spoken run (source side only). */
  alternatives?: number[];
  /** Written as a word ordinal or cardinal ("first", "one"): summaries use these in prose too. */
  spelledSmall?: boolean;
  ordinal?: boolean;
}

const UNITS: Record<string, number> = dict({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
});
const TENS: Record<string, number> = dict({ twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 });
const SCALES: Record<string, number> = dict({ thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 });
const ORDINAL_UNITS: Record<string, number> = dict({
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19,
});
const ORDINAL_TENS: Record<string, number> = dict({ twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90 });

export const MONTHS: Record<string, number> = dict({
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
});
export const WEEKDAYS: Record<string, number> = dict({
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
});

const CURRENCY_SYMBOLS = new Set(['$', '€', '£']);
const CURRENCY_WORDS = new Set(['dollar', 'dollars', 'bucks', 'buck', 'usd', 'euro', 'euros', 'pound', 'pounds', 'quid']);
const PERCENT_WORDS = new Set(['percent', 'pct']);
const DURATION_UNITS: Record<string, [DurationUnit, number]> = dict({
  second: ['sec', 1], seconds: ['sec', 1], sec: ['sec', 1], secs: ['sec', 1],
  minute: ['sec', 60], minutes: ['sec', 60], min: ['sec', 60], mins: ['sec', 60],
  hour: ['sec', 3600], hours: ['sec', 3600], hr: ['sec', 3600], hrs: ['sec', 3600],
  day: ['sec', 86400], days: ['sec', 86400], night: ['sec', 86400], nights: ['sec', 86400],
  week: ['sec', 604800], weeks: ['sec', 604800],
  month: ['month', 1], months: ['month', 1],
  year: ['year', 1], years: ['year', 1],
});
const DURATION_FILLERS = new Set(['business', 'working', 'calendar', 'full', 'more', 'additional', 'extra', 'whole']);
/** Words before "the <ordinal>" that make it a day of month ("by the fifth", not "the first visit"). */
const DAY_LEADS = new Set(['on', 'by', 'until', 'till', 'before', 'after', 'from', 'since', 'starting', 'through']);
const RANGE_CONNECTORS = new Set(['to', '-', 'or', 'through', 'and', '–']);

/** Canonical text key of a numeric value: 10, 10.5, 89.99. */
export function numKey(v: number): string {
  return String(Math.round(v * 10000) / 10000);
}

interface ParsedNumber {
  /** Token index after the number. */
  next: number;
  value: number;
  alternatives: number[];
  ordinal: boolean;
  spelled: boolean;
  /** A 1-2 digit number written with ":" ("3:30"). */
  clock?: { hour: number; minute: number };
  /** "3/3" or "3/3/2026". */
  slashDate?: { month: number; day: number; year?: number };
}

function isWordNumberToken(lower: string): boolean {
  return lower in UNITS || lower in TENS || lower in ORDINAL_UNITS || lower in ORDINAL_TENS || lower === 'hundred' || lower in SCALES || lower === 'hundredth';
}

function digitsValue(text: string): ParsedNumber['value'] | undefined {
  const t = text.replace(/(st|nd|rd|th)$/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  return undefined;
}

function yearOf(v: number): number {
  return v < 100 ? 2000 + v : v;
}

/** A digit token: 10, 1,200, 89.99, 3rd, 3:30, 3/3, 3/3/2026. */
function parseDigitToken(tokens: Token[], i: number): ParsedNumber | undefined {
  const tok = tokens[i] as Token;
  const t = tok.lower;
  const ordinal = /\d(st|nd|rd|th)$/.test(t);
  const clock = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    if (hour <= 24 && minute < 60) return { next: i + 1, value: hour, alternatives: [minute], ordinal: false, spelled: false, clock: { hour, minute } };
  }
  const slash = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?$/.exec(t);
  if (slash) {
    const month = Number(slash[1]);
    const day = Number(slash[2]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      const d: ParsedNumber['slashDate'] = { month, day };
      if (slash[3] !== undefined) d.year = yearOf(Number(slash[3]));
      return { next: i + 1, value: day, alternatives: [month], ordinal: false, spelled: false, slashDate: d };
    }
    return { next: i + 1, value: month, alternatives: [day], ordinal: false, spelled: false };
  }
  const v = digitsValue(t);
  if (v === undefined) return undefined;
  return { next: i + 1, value: v, alternatives: [], ordinal, spelled: false };
}

/**
 * A run of number words. Consecutive small numbers start new groups, so "four five two one" is
 * [4,5,2,1] and "forty five twenty one" is [45,21]; the run also reads as their digit string.
 */
function parseWordRun(tokens: Token[], i: number): ParsedNumber | undefined {
  type Last = 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'scale';
  const groups: number[] = [];
  let total = 0;
  let current = 0;
  let last: Last = 'none';
  let ordinal = false;
  let j = i;
  let decimal: string | undefined;
  const flush = (): void => {
    if (last !== 'none') groups.push(total + current);
    total = 0;
    current = 0;
    last = 'none';
  };
  const first = tokens[i];
  if (!first) return undefined;
  // "a hundred", "a thousand"
  if ((first.lower === 'a' || first.lower === 'one') && tokens[i + 1] && (tokens[i + 1]?.lower === 'hundred' || (tokens[i + 1]?.lower ?? '') in SCALES)) {
    current = 1;
    last = 'unit';
    j = i + 1;
  }
  for (; j < tokens.length; j++) {
    const w = (tokens[j] as Token).lower;
    const nextW = tokens[j + 1]?.lower ?? '';
    if (w === '-' && last === 'tens' && (nextW in UNITS || nextW in ORDINAL_UNITS)) continue;
    if (w === 'and' && (last === 'hundred' || last === 'scale') && (nextW in UNITS || nextW in TENS || nextW in ORDINAL_UNITS || nextW in ORDINAL_TENS)) continue;
    if ((w === 'oh' || w === 'o') && groups.length + (last === 'none' ? 0 : 1) > 0 && (nextW in UNITS || nextW === 'oh' || nextW === 'o' || last === 'unit')) {
      flush();
      groups.push(0);
      continue;
    }
    if ((w === 'double' || w === 'triple') && nextW in UNITS && (UNITS[nextW] as number) < 10) {
      flush();
      const d = UNITS[nextW] as number;
      for (let k = 0; k < (w === 'double' ? 2 : 3); k++) groups.push(d);
      j++;
      continue;
    }
    if (w === 'point' && last !== 'none' && (nextW in UNITS || nextW === 'oh')) {
      let k = j + 1;
      let digits = '';
      while (k < tokens.length) {
        const dw = (tokens[k] as Token).lower;
        if (dw in UNITS && (UNITS[dw] as number) < 10) digits += String(UNITS[dw]);
        else if (dw === 'oh') digits += '0';
        else if (dw in TENS && digits === '') {
          const tv = TENS[dw] as number;
          const nw = tokens[k + 1]?.lower ?? '';
          if (nw in UNITS && (UNITS[nw] as number) < 10) {
            digits += String(tv + (UNITS[nw] as number));
            k++;
          } else digits += String(tv);
        } else break;
        k++;
      }
      if (digits) {
        decimal = digits;
        j = k;
      }
      break;
    }
    const ordUnit = ORDINAL_UNITS[w];
    const ordTens = ORDINAL_TENS[w];
    const unit = UNITS[w];
    const tens = TENS[w];
    if (unit !== undefined || ordUnit !== undefined) {
      const v = (unit ?? ordUnit) as number;
      const isTeen = v >= 10;
      if (last === 'unit' || last === 'teen' || (isTeen && last === 'tens')) flush();
      current += v;
      last = isTeen ? 'teen' : 'unit';
      if (ordUnit !== undefined) {
        ordinal = true;
        j++;
        break;
      }
      continue;
    }
    if (tens !== undefined || ordTens !== undefined) {
      if (last === 'unit' || last === 'teen' || last === 'tens') flush();
      current += (tens ?? ordTens) as number;
      last = 'tens';
      if (ordTens !== undefined) {
        ordinal = true;
        j++;
        break;
      }
      continue;
    }
    if (w === 'hundred' || w === 'hundredth') {
      // "the remaining hundred": a bare hundred is 100
      if (last === 'none' && groups.length > 0) break;
      current = (current === 0 ? 1 : current) * 100;
      last = 'hundred';
      if (w === 'hundredth') {
        ordinal = true;
        j++;
        break;
      }
      continue;
    }
    const scale = SCALES[w];
    if (scale !== undefined) {
      if (last === 'none') break;
      total += (current === 0 ? 1 : current) * scale;
      current = 0;
      last = 'scale';
      continue;
    }
    break;
  }
  flush();
  if (groups.length === 0) return undefined;
  const alternatives: number[] = [];
  let value: number;
  if (groups.length === 1) {
    value = groups[0] as number;
    if (decimal !== undefined) value = Number(`${value}.${decimal}`);
  } else {
    const concat = groups.map(String).join('');
    value = Number(concat);
    alternatives.push(...groups);
    const lastGroup = groups[groups.length - 1] as number;
    if (lastGroup >= 10 && lastGroup < 100) {
      alternatives.push(Number(`${groups.slice(0, -1).map(String).join('')}.${lastGroup}`));
    }
  }
  const spelled = groups.length === 1 && decimal === undefined && value <= 1 + (ordinal ? 1 : 0);
  return { next: j, value, alternatives, ordinal, spelled };
}

function parseNumberAt(tokens: Token[], i: number): ParsedNumber | undefined {
  const tok = tokens[i] as Token;
  if (tok.kind === 'number') return parseDigitToken(tokens, i);
  if (tok.kind === 'word' && ((isWordNumberToken(tok.lower) && !(tok.lower in SCALES)) || ((tok.lower === 'a' || tok.lower === 'one') && (tokens[i + 1]?.lower === 'hundred' || (tokens[i + 1]?.lower ?? '') in SCALES)))) {
    return parseWordRun(tokens, i);
  }
  return undefined;
}

/** am / pm / a.m. / p.m. / o'clock / "in the morning" after a number; returns [meridiem, next index] */
function meridiemAt(tokens: Token[], i: number): [('am' | 'pm' | undefined), number] | undefined {
  const w = tokens[i]?.lower;
  if (w === undefined) return undefined;
  if (w === 'am' || w === 'pm') return [w, i + 1];
  if ((w === 'a' || w === 'p') && tokens[i + 1]?.lower === '.' && tokens[i + 2]?.lower === 'm') {
    const end = tokens[i + 3]?.lower === '.' ? i + 4 : i + 3;
    return [w === 'a' ? 'am' : 'pm', end];
  }
  if (w === "o'clock" || w === 'oclock') {
    const after = meridiemAt(tokens, i + 1);
    return after ?? [undefined, i + 1];
  }
  if (w === 'tomorrow' || w === 'today' || w === 'tonight' || w in WEEKDAYS) {
    if (w === 'tonight') return ['pm', i + 1];
    const p = tokens[i + 1]?.lower;
    if (p === 'morning') return ['am', i + 2];
    if (p === 'afternoon' || p === 'evening' || p === 'night') return ['pm', i + 2];
    return undefined;
  }
  if ((w === 'in' && tokens[i + 1]?.lower === 'the') || w === 'this') {
    const k = w === 'in' ? i + 2 : i + 1;
    const p = tokens[k]?.lower;
    if (p === 'morning') return ['am', k + 1];
    if (p === 'afternoon' || p === 'evening') return ['pm', k + 1];
  }
  if (w === 'at' && tokens[i + 1]?.lower === 'night') return ['pm', i + 2];
  return undefined;
}

function toH24(hour: number, meridiem: 'am' | 'pm' | undefined): number {
  if (meridiem === 'pm' && hour < 12) return hour + 12;
  if (meridiem === 'am' && hour === 12) return 0;
  return hour;
}

/** A year after a date: ", 2026" or "twenty twenty six". */
function yearAt(tokens: Token[], i: number): [number, number] | undefined {
  let k = i;
  if (tokens[k]?.lower === ',') k++;
  const tok = tokens[k];
  if (!tok) return undefined;
  if (tok.kind === 'number' && /^(19|20)\d\d$/.test(tok.lower)) return [Number(tok.lower), k + 1];
  if (tok.kind === 'word') {
    const p = parseNumberAt(tokens, k);
    if (p && p.value >= 1900 && p.value <= 2100 && Number.isInteger(p.value)) return [p.value, p.next];
  }
  return undefined;
}

/** The day number of a parsed token when it can be a day of month. */
function dayOf(p: ParsedNumber): number | undefined {
  if (p.clock || p.slashDate) return undefined;
  if (Number.isInteger(p.value) && p.value >= 1 && p.value <= 31) return p.value;
  return undefined;
}

const FULL_MONTHS = new Set(['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
const MAY_BEFORE = new Set(['in', 'of', 'since', 'until', 'by', 'early', 'late', 'mid', 'last', 'next', 'this']);

/** The month a token names, if it names one here ("may" and "mar" are usually not months). */
function monthAt(tokens: Token[], i: number): number | undefined {
  const tok = tokens[i] as Token;
  if (tok.kind !== 'word') return undefined;
  const month = MONTHS[tok.lower];
  if (month === undefined) return undefined;
  if (FULL_MONTHS.has(tok.lower)) return month;
  const next = tokens[i + 1];
  const nextIsDay = next !== undefined && (next.kind === 'number' || next.lower === 'the' || ((next.lower in UNITS || next.lower in TENS || next.lower in ORDINAL_UNITS || next.lower in ORDINAL_TENS) && next.lower !== 'one'));
  if (tok.lower === 'may') return nextIsDay || MAY_BEFORE.has(tokens[i - 1]?.lower ?? '') ? month : undefined;
  return nextIsDay || next?.lower === '.' ? month : undefined;
}

interface Raw extends Quantity {
  tokenStart: number;
  tokenEnd: number;
}

/** Finds every quantity in the tokens of one text. */
export function extractQuantities(tokens: Token[]): Quantity[] {
  const out: Raw[] = [];
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i] as Token;
    const w = tok.lower;

    // Month name first: "March 3rd", "March the third", "March 3, 2026", "March" alone.
    const month = monthAt(tokens, i);
    if (month !== undefined) {
      let k = i + 1;
      if (tokens[k]?.lower === '.') k++;
      if (tokens[k]?.lower === 'the') k++;
      const p = tokens[k] ? parseNumberAt(tokens, k) : undefined;
      const day = p ? dayOf(p) : undefined;
      // "March 3rd [2026]" or "March [2026]": the year, when there is one, follows either.
      const q: Raw =
        p && day !== undefined
          ? { kind: 'date', month, day, start: tok.start, end: (tokens[p.next - 1] as Token).end, tokenStart: i, tokenEnd: p.next }
          : { kind: 'date', month, start: tok.start, end: tok.end, tokenStart: i, tokenEnd: i + 1 };
      const y = yearAt(tokens, q.tokenEnd);
      if (y) {
        q.year = y[0];
        q.end = (tokens[y[1] - 1] as Token).end;
        q.tokenEnd = y[1];
      }
      out.push(q);
      i = q.tokenEnd;
      continue;
    }
    const weekday = WEEKDAYS[w] ?? (w.endsWith('s') ? WEEKDAYS[w.slice(0, -1)] : undefined);
    if (weekday !== undefined) {
      out.push({ kind: 'date', weekday, start: tok.start, end: tok.end, tokenStart: i, tokenEnd: i + 1 });
      i++;
      continue;
    }
    if (w === 'noon' || w === 'midday' || w === 'midnight') {
      out.push({ kind: 'time', hour: w === 'midnight' ? 0 : 12, minute: 0, meridiem: w === 'midnight' ? 'am' : 'pm', start: tok.start, end: tok.end, tokenStart: i, tokenEnd: i + 1 });
      i++;
      continue;
    }
    // "half an hour", "an hour", "a week"
    if ((w === 'a' || w === 'an' || w === 'half') && tok.kind === 'word') {
      let k = i;
      let factor = 1;
      if (w === 'half') {
        factor = 0.5;
        k = tokens[i + 1]?.lower === 'an' || tokens[i + 1]?.lower === 'a' ? i + 2 : i + 1;
      } else k = i + 1;
      const unit = DURATION_UNITS[tokens[k]?.lower ?? ''];
      if (unit && (w !== 'half' || k > i)) {
        let value = factor * unit[1];
        let end = k + 1;
        if (tokens[end]?.lower === 'and' && tokens[end + 1]?.lower === 'a' && tokens[end + 2]?.lower === 'half') {
          value += 0.5 * unit[1];
          end += 3;
        }
        out.push({ kind: 'duration', unit: unit[0], value, count: factor, start: tok.start, end: (tokens[end - 1] as Token).end, tokenStart: i, tokenEnd: end });
        i = end;
        continue;
      }
    }

    const p = parseNumberAt(tokens, i);
    if (!p) {
      i++;
      continue;
    }
    const startTok = i;
    let endTok = p.next;
    const prev = tokens[i - 1]?.lower ?? '';
    const q: Raw = { kind: 'number', value: p.value, start: tok.start, end: (tokens[endTok - 1] as Token).end, tokenStart: startTok, tokenEnd: endTok };
    if (p.alternatives.length) q.alternatives = p.alternatives;
    if (p.ordinal) q.ordinal = true;
    if (p.spelled) q.spelledSmall = true;
    // "nine and a half" (not "an hour and a half", handled with the units)
    if (tokens[endTok]?.lower === 'and' && tokens[endTok + 1]?.lower === 'a' && tokens[endTok + 2]?.lower === 'half' && !p.clock && !p.slashDate && !DURATION_UNITS[tokens[endTok + 3]?.lower ?? '']) {
      q.alternatives = [...(q.alternatives ?? []), p.value];
      q.value = p.value + 0.5;
      endTok += 3;
      q.end = (tokens[endTok - 1] as Token).end;
      delete q.spelledSmall;
    }
    const nextW = tokens[endTok]?.lower ?? '';

    if (p.slashDate) {
      q.kind = 'date';
      q.month = p.slashDate.month;
      q.day = p.slashDate.day;
      if (p.slashDate.year !== undefined) q.year = p.slashDate.year;
      delete q.value;
      delete q.alternatives;
    } else if (p.clock) {
      q.kind = 'time';
      const m = meridiemAt(tokens, endTok);
      q.hour = p.clock.hour;
      q.minute = p.clock.minute;
      if (m) {
        if (m[0]) q.meridiem = m[0];
        endTok = m[1];
      }
      delete q.value;
      delete q.alternatives;
    } else if (CURRENCY_SYMBOLS.has(prev) || (prev === 'usd' && tok.kind === 'number')) {
      q.kind = 'amount';
      q.start = (tokens[i - 1] as Token).start;
      if (CURRENCY_WORDS.has(nextW)) endTok++;
    } else if (CURRENCY_WORDS.has(nextW)) {
      q.kind = 'amount';
      endTok++;
      // "ten dollars and fifty cents", "ninety nine dollars ninety nine"
      let k = endTok;
      if (tokens[k]?.lower === 'and') k++;
      const cents = tokens[k] ? parseNumberAt(tokens, k) : undefined;
      if (cents && cents.value < 100 && Number.isInteger(cents.value) && !cents.clock && !cents.slashDate) {
        const hasCentsWord = tokens[cents.next]?.lower === 'cents' || tokens[cents.next]?.lower === 'cent';
        if (hasCentsWord || tokens[k - 1]?.lower !== 'and') {
          q.alternatives = [...(q.alternatives ?? []), q.value as number];
          q.value = (q.value as number) + cents.value / 100;
          endTok = cents.next + (hasCentsWord ? 1 : 0);
        }
      }
    } else if (nextW === 'cents' || nextW === 'cent') {
      q.kind = 'amount';
      q.alternatives = [...(q.alternatives ?? []), q.value as number];
      q.value = (q.value as number) / 100;
      endTok++;
    } else if (nextW === '%' || PERCENT_WORDS.has(nextW) || (nextW === 'per' && tokens[endTok + 1]?.lower === 'cent')) {
      q.kind = 'percent';
      endTok += nextW === 'per' ? 2 : 1;
    } else if (!p.ordinal && meridiemAt(tokens, endTok)) {
      const m = meridiemAt(tokens, endTok) as [('am' | 'pm' | undefined), number];
      const [a0, a1] = p.alternatives;
      let hour: number | undefined;
      let minute = 0;
      if (p.alternatives.length === 0 && Number.isInteger(p.value) && p.value <= 24) hour = p.value;
      else if (a0 !== undefined && a1 !== undefined && p.alternatives.length <= 3 && a0 <= 12 && a1 < 60) {
        // "three thirty pm": the word run read as [3,30]
        hour = a0;
        minute = a1;
      }
      if (hour !== undefined) {
        q.kind = 'time';
        q.hour = hour;
        q.minute = minute;
        if (m[0]) q.meridiem = m[0];
        endTok = m[1];
        delete q.value;
        delete q.alternatives;
      }
    } else {
      // "5 business days", "30-day", "two weeks", "an hour and a half"
      let k = endTok;
      if (tokens[k]?.lower === '-') k++;
      while (DURATION_FILLERS.has(tokens[k]?.lower ?? '')) k++;
      const unit = DURATION_UNITS[tokens[k]?.lower ?? ''];
      if (unit && !p.ordinal && !(unit[0] === 'sec' && unit[1] === 1 && p.ordinal)) {
        q.kind = 'duration';
        q.unit = unit[0];
        q.count = p.value;
        let count = p.value;
        endTok = k + 1;
        if (tokens[endTok]?.lower === 'and' && tokens[endTok + 1]?.lower === 'a' && tokens[endTok + 2]?.lower === 'half') {
          count += 0.5;
          endTok += 3;
        }
        q.value = count * unit[1];
      } else {
        // "3rd of March", "the third of march", "3 March"
        let m = endTok;
        if (tokens[m]?.lower === 'of') m++;
        const month2 = MONTHS[tokens[m]?.lower ?? ''];
        const day = dayOf(p);
        if (month2 !== undefined && day !== undefined && (tokens[m]?.lower !== 'may' || m > endTok)) {
          q.kind = 'date';
          q.month = month2;
          q.day = day;
          endTok = m + 1;
          const y = yearAt(tokens, endTok);
          if (y) {
            q.year = y[0];
            endTok = y[1];
          }
          delete q.value;
          delete q.alternatives;
        } else if (p.ordinal && day !== undefined && (prev === 'on' || (prev === 'the' && (tok.kind === 'number' || DAY_LEADS.has(tokens[i - 2]?.lower ?? ''))))) {
          // "on the 15th": a day of month
          q.kind = 'date';
          q.day = day;
          delete q.value;
        } else if (tok.kind === 'number' && /^\d{4}$/.test(tok.lower) && tokens[endTok]?.lower === '-' && /^\d{1,2}$/.test(tokens[endTok + 1]?.lower ?? '') && tokens[endTok + 2]?.lower === '-' && /^\d{1,2}$/.test(tokens[endTok + 3]?.lower ?? '')) {
          // ISO 2026-03-03
          q.kind = 'date';
          q.year = Number(tok.lower);
          q.month = Number(tokens[endTok + 1]?.lower);
          q.day = Number(tokens[endTok + 3]?.lower);
          endTok += 4;
          delete q.value;
          delete q.alternatives;
        }
      }
    }
    q.tokenEnd = endTok;
    q.end = (tokens[endTok - 1] as Token).end;
    out.push(q);
    i = endTok;
  }
  // Ranges: "5 to 7 business days", "between 2 and 4 pm", "$10-$20": the first number takes the
  // second one's unit.
  for (let n = 0; n + 1 < out.length; n++) {
    const a = out[n] as Raw;
    const b = out[n + 1] as Raw;
    if (a.kind !== 'number' || b.kind === 'number' || b.kind === 'date') continue;
    if (b.tokenStart - a.tokenEnd !== 1 && !(b.kind === 'amount' && b.tokenStart - a.tokenEnd === 2)) continue;
    const conn = tokens[a.tokenEnd]?.lower ?? '';
    if (!RANGE_CONNECTORS.has(conn)) continue;
    const v = a.value as number;
    if (b.kind === 'amount' || b.kind === 'percent') a.kind = b.kind;
    else if (b.kind === 'duration' && b.count !== undefined && b.value !== undefined) {
      a.kind = 'duration';
      a.unit = b.unit as DurationUnit;
      a.count = v;
      a.value = v * (b.value / b.count);
    } else if (b.kind === 'time' && Number.isInteger(v) && v <= 12) {
      a.kind = 'time';
      a.hour = v;
      a.minute = 0;
      if (b.meridiem) a.meridiem = b.meridiem;
      delete a.value;
    }
  }
  return out.map((r) => {
    const { tokenStart: _s, tokenEnd: _e, ...q } = r;
    if (q.kind === 'time' && q.hour !== undefined) q.hour = toH24(q.hour, q.meridiem);
    return q;
  });
}
