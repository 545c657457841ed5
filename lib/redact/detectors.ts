/**
 * Detectors for written and spoken forms. One pass tokenizes the text, finds context words, builds
 * the digit view (spoken.ts), runs the pattern detectors (emails, IBAN, IP, dates, addresses, names,
 * custom, deny list), then classifies every digit run not already claimed: checksum-validated types
 * first (card Luhn + prefix, SSN rules, libphonenumber), then context-typed, then the safe shapes
 * (prices, quantities, times, dates, years, "ending in ..."), then unidentified runs that could be
 * part of a card, SSN or phone (NUMBER). Overlaps resolve as in Presidio: the larger span wins.
 */
import { isIPv6 } from 'node:net';
import { couldStartCard, couldStartSsn, endsWithCardNumber, ibanLengthOk, isCardNumber, isValidIban, isValidSsn, ssnLayoutOk } from './checksums';
import { phoneValid } from './phone';
import { nothingToDetect } from './prefilter';
import { compileSafePattern, type CompiledPattern } from './safe-regex';
import { NUMBER_WORD_LIST, SpokenNumberParser, isPauseOne, readsDigit, spokenDayEnd, spokenYearEnd, type DigitRun } from './spoken';
import {
  LEX_ACK, LEX_ANSWER_SKIP, LEX_AT, LEX_BRIDGE, LEX_CONTEXT, LEX_CONTEXT_ALONE, LEX_CONTEXT_NEXT, LEX_CORRECTION, LEX_CURRENCY_AFTER, LEX_EMAIL_JOIN, LEX_FILLER_WORD, LEX_INTRO, LEX_INTRO_ALONE, LEX_INTRO_NEXT, LEX_LAST_FOUR, LEX_MONTH, LEX_NAME_STOP,
  LEX_NOT_STREET_NAME, LEX_NUMBER, LEX_ORDINAL, LEX_ORDINAL_SUFFIX, LEX_QUANTITY_AFTER, LEX_REPEAT, LEX_STREET, LEX_TIME_CUE, LEX_UNIT, LEX_YEAR_CUE,
  SHAPE_AT, SHAPE_COLON, SHAPE_DATE, SHAPE_DOTTED_QUAD, SHAPE_FIVE_DIGITS, SHAPE_INTRO_PAIR, SHAPE_LETTERS_THEN_DIGITS, SHAPE_OH, SHAPE_SPELLED, SHAPE_SUBSTANCE, SHAPE_WORD_DOT,
  addLexicon, isLetterToken, isSpaceAt, isWordOrZeroLetter, letterRunEnd, spelledLetters, spellsName, tokenize, type Token, type TokenSummary,
} from './tokens';
import {
  ACK_WORDS, BEFORE_PRONOUN_ONE, CONTEXT_PHRASES, CURRENCY_SYMBOLS, EMAIL_JOINERS, EMAIL_JOINER_CHAR, EMAIL_TLDS, FILLER_WORDS, LAST_FOUR_PHRASES,
  MAIL_PROVIDERS, MONTHS, NAME_INTROS, NAME_STOP, NOT_NAME, ORDINAL_SUFFIX, ORDINAL_WORDS, SENSITIVE_RUN_CONTEXTS, SPELLING_LEAD, YEAR_LIST_JOINERS, pauseAt,
} from './vocabulary';
import { ENTITY_TYPES, type DetectedEntity, type DetectionCarry, type DetectionResult, type DetectorOptions, type EntityType, type KnownNames } from './types';
import { InputError, describeValue } from '../util/errors';

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  entities: ENTITY_TYPES,
  defaultRegion: 'US',
  threshold: 0.5,
  keepLastFour: true,
  spoken: true,
  customPatterns: [],
  allowList: [],
  denyList: [],
  contextWindow: 8,
  numbersMinDigits: 0,
};

/** The longest `numbersMinDigits` accepted (longer than any number the detectors know). */
export const MAX_NUMBERS_MIN_DIGITS = 64;

const CONTEXT_BOOST = 0.35;
/** Carried contexts count as far away (in tokens) so a context word in the text itself wins. */
const CARRIED_DISTANCE = 50;
/** Among carried contexts, the more specific shapes first (a 3-digit answer to "security code on the card" is a CVV). */
const CARRY_PRIORITY: readonly EntityType[] = ['CVV', 'EXPIRY', 'DOB', 'ZIP', 'CARD', 'SSN', 'PHONE', 'ACCOUNT', 'EMAIL', 'ADDRESS', 'IP', 'IBAN', 'NUMBER'];
const ANSWER_WORDS = 3;
/** Types whose values can be read over several utterances. */
function isOpenType(t: EntityType): boolean {
  return t === 'CARD' || t === 'SSN' || t === 'PHONE' || t === 'ACCOUNT' || t === 'NUMBER';
}
const ANSWER_FILLERS = new Set(['sure', 'yes', 'yeah', 'okay', 'ok', 'it', 'my', 'that', 'this', 'so', 'um', 'uh', 'well', 'right', 'alright', 'go', 'ahead']);
// Word classes looked up once by the tokenizer instead of several Set lookups per token here.
addLexicon([...FILLER_WORDS, ...ACK_WORDS], LEX_ACK);
addLexicon([...FILLER_WORDS, ...ANSWER_FILLERS, ...NUMBER_WORD_LIST, 'double', 'triple', 'quadruple', ...MONTHS, ...ORDINAL_WORDS, ...ORDINAL_SUFFIX], LEX_ANSWER_SKIP);

interface ContextHit {
  /** Token index of the phrase's first and last word. */
  first: number;
  last: number;
  type: EntityType;
}

function isEmailSingle(x: Token): boolean {
  return (x.kind === 'word' && x.end - x.start === 1) || x.kind === 'num' || (x.kind === 'word' && (x.lex & LEX_NUMBER) !== 0);
}

/** A joiner word of a spoken address ("dot", "underscore"). */
function isSpokenJoiner(x: Token): boolean {
  return x.kind === 'word' && EMAIL_JOINERS.has(x.lower);
}

/** A word that can be part of a spoken address's local part next to a joiner: not punctuation, not a function word unless a letter or number. */
function isLocalWord(y: Token): boolean {
  return y.kind !== 'punct' && ((y.lex & LEX_NAME_STOP) === 0 || isEmailSingle(y));
}

/** Token `i` is '.', '_', '-' or '+' written inside a word ("anna.lee"), joining parts of an address's local part. */
function isWrittenJoiner(t: readonly Token[], i: number): boolean {
  const x = t[i];
  return x !== undefined && x.kind === 'punct' && LOCAL_JOINER_CHARS.has(x.lower) && !x.spaced && t[i + 1] !== undefined && !t[i + 1].spaced;
}

function isNumberish(x: Token | undefined): boolean {
  return x !== undefined && (x.kind === 'num' || (x.kind === 'word' && (x.lex & LEX_NUMBER) !== 0));
}

/** "m dot jones seventy six" -> "m.jones76". */
function normalizeSpokenLocal(raw: string): string {
  let out = raw;
  const runs = new SpokenNumberParser(raw, tokenize(raw)).runs();
  for (let i = runs.length - 1; i >= 0; i--) out = out.slice(0, runs[i].start) + runs[i].digits + out.slice(runs[i].end);
  // Lower case, each joiner word that is a whole word (a maximal run of [a-z0-9_], as the regex \b
  // reads it) replaced by its character, and no whitespace (as \s reads it).
  const lower = out.toLowerCase();
  let normalized = '';
  for (let k = 0; k < lower.length; ) {
    const c = lower.charCodeAt(k);
    if (isRegexWordChar(c)) {
      let end = k + 1;
      while (end < lower.length && isRegexWordChar(lower.charCodeAt(end))) end++;
      const word = lower.slice(k, end);
      normalized += JOINER_CHARS.get(word) ?? word;
      k = end;
    } else {
      if (!isSpaceAt(lower, k)) normalized += lower[k];
      k++;
    }
  }
  return normalized;
}

const JOINER_CHARS: ReadonlyMap<string, string> = new Map(Object.entries(EMAIL_JOINER_CHAR));

/** [A-Za-z0-9_]: what \w and \b read as a word character (without the u flag). */
function isRegexWordChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95;
}

/** Regions whose national numbers are NANP: 10 digits, area code and exchange starting 2-9. */
const NANP_REGIONS: ReadonlySet<string> = new Set(['US', 'CA', 'AG', 'AI', 'AS', 'BB', 'BM', 'BS', 'DM', 'DO', 'GD', 'GU', 'JM', 'KN', 'KY', 'LC', 'MP', 'MS', 'PR', 'SX', 'TC', 'TT', 'VC', 'VG', 'VI']);


/** "1,250", "12,000,000", "12.50", "1,250.75": how amounts are written, never how cards or SSNs are. */
function isAmountLayout(run: DigitRun): boolean {
  if (run.writtenGroupCount < 2) return false;
  const g = run.writtenGroups;
  const sep = run.separators;
  let k = 0;
  // An amount's whole part has no leading zero ("0.50", never "001.01").
  if (g[0] > 3 || (g[0] > 1 && run.digits.charCodeAt(0) === 48)) return false;
  while (k < sep.length && sep[k] === ',') {
    if (g[k + 1] !== 3) return false;
    k++;
  }
  if (k === sep.length) return k > 0;
  return k === sep.length - 1 && sep[k] === '.' && g[k + 1] <= 2;
}

/** An amount written with cents: "45.99", "1,250.75" (isAmountLayout with two digits after the point). */
function amountWithCents(run: DigitRun): boolean {
  if (!isAmountLayout(run)) return false;
  const sep = run.separators;
  return sep[sep.length - 1] === '.' && run.writtenGroups[run.writtenGroupCount - 1] === 2;
}

/** Context types a text may mention without asking for the number (saidAboutMentioned). */
const MENTIONED_TYPES: readonly EntityType[] = ['CARD', 'ACCOUNT', 'PHONE'];

/** A year as calls say them: 1900-2099. */
function isYear(n: number): boolean {
  return n >= 1900 && n <= 2099;
}

/** Written years of 1900-2099, one or several each after a space or a comma and a space ("2019", "2019, 2020", "1984 1985"). */
function writtenYears(run: DigitRun): boolean {
  const count = run.writtenGroupCount;
  if (run.form !== 'written' || count === 0 || run.digits.length !== 4 * count) return false;
  const g = run.writtenGroups;
  for (let k = 0; k < count; k++) {
    if (g[k] !== 4) return false;
    if (!isYear(Number(run.digits.slice(4 * k, 4 * k + 4)))) return false;
  }
  if (count === 1) return true;
  for (const sep of run.separators) if (sep !== ', ' && sep !== ' ') return false;
  return true;
}

/** Tokens from `i` on are "24/7" written together, with no more digits or joiners against it ("4111/24/7..."). */
function isRoundTheClock(t: readonly Token[], i: number): boolean {
  if (i < 0 || i + 2 >= t.length) return false;
  const hours = t[i];
  const slash = t[i + 1];
  const days = t[i + 2];
  if (hours.lower !== '24' || slash.lower !== '/' || days.lower !== '7' || slash.start !== hours.end || days.start !== slash.end) return false;
  const next = t[i + 3];
  const prev = i > 0 ? t[i - 1] : undefined;
  return isApartFrom(next, days.end, 'after') && isApartFrom(prev, hours.start, 'before');
}

/** `x`, next to a written value, is absent, spaced from it, or punctuation other than a group's joiner. */
function isApartFrom(x: Token | undefined, at: number, side: 'before' | 'after'): boolean {
  if (x === undefined || (side === 'after' ? x.start > at : x.end < at)) return true;
  return x.kind === 'punct' && x.lower !== '/' && x.lower !== '-';
}

/** '/', '.' or '-' between the numbers of a written date. */
function isDateSeparator(s: string): boolean {
  return s === '/' || s === '.' || s === '-';
}

/** Index of the first '/', '.' or '-' in `s` from `from`, -1 when none. */
function firstDateSeparator(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (isDateSeparator(s[i])) return i;
  return -1;
}

/** A written number that can be part of a date: a day or a two-digit year (1-2 digits), or a year 1900-2099. */
function isDateNumber(x: Token): boolean {
  const length = x.end - x.start;
  return length <= 2 || (length === 4 && (x.lower.startsWith('19') || x.lower.startsWith('20')));
}

/** Words that may stand between a date's parts ("the 5th", "5th of", "march 5, 2024", "5-2024"). */
function isDateFiller(x: Token | undefined): boolean {
  return x !== undefined && (x.lower === 'the' || x.lower === 'of' || x.lower === ',' || x.lower === '-');
}

/**
 * The end (index after the last part) of what follows a month at i: a day, then a year, each optional,
 * written ("5th", "2024") or in words ("twenty first", "nineteen eighty five"); i when neither.
 * Nothing else: a number read right after a date ("on march 5 4111 1111 ...") is not part of it.
 */
function dateAfterMonthEnd(t: readonly Token[], i: number): number {
  let end = i;
  let k = i;
  while (isDateFiller(t[k])) k++;
  const day = t[k];
  if (day !== undefined) {
    let dayEnd = -1;
    if (day.kind === 'num') {
      if (day.end - day.start <= 2) dayEnd = t[k + 1] !== undefined && (t[k + 1].lex & LEX_ORDINAL_SUFFIX) !== 0 && !t[k + 1].spaced ? k + 2 : k + 1;
    } else if ((day.lex & LEX_ORDINAL) !== 0) dayEnd = k + 1;
    else {
      dayEnd = spokenDayEnd(t, k);
      // "twenty first": a tens word before an ordinal.
      if (dayEnd >= 0 && t[dayEnd] !== undefined && (t[dayEnd].lex & LEX_ORDINAL) !== 0) dayEnd++;
    }
    if (dayEnd >= 0) {
      end = k = dayEnd;
      while (isDateFiller(t[k])) k++;
    }
  }
  const year = t[k];
  if (year === undefined) return end;
  if (year.kind === 'num') return isDateNumber(year) ? k + 1 : end;
  const yearEnd = spokenYearEnd(t, k);
  return yearEnd >= 0 ? yearEnd : end;
}

/** A token that can be part of a date around a month name: a number, "fifth", "3rd", "of", "the", ',' or '-'. */
function isDatePart(x: Token): boolean {
  if (x.kind === 'num') return true;
  if (x.kind === 'punct') return x.lower === ',' || x.lower === '-';
  return (x.lex & (LEX_NUMBER | LEX_ORDINAL | LEX_ORDINAL_SUFFIX)) !== 0 || x.lower === 'of' || x.lower === 'the' || x.lower === 'oh';
}

/**
 * A small integer per entity type: its position in ENTITY_TYPES (checked below; sharedContexts reads
 * it back through ENTITY_TYPES), an index into per-type tables (all made through this function).
 * A switch costs a few comparisons; an object or Map read with a different key each time costs
 * several times more, and folds to a constant where the type is one.
 */
function typeIndex(t: EntityType): number {
  switch (t) {
    case 'CARD': return 0;
    case 'CVV': return 1;
    case 'EXPIRY': return 2;
    case 'SSN': return 3;
    case 'PHONE': return 4;
    case 'EMAIL': return 5;
    case 'IBAN': return 6;
    case 'IP': return 7;
    case 'DOB': return 8;
    case 'ACCOUNT': return 9;
    case 'ADDRESS': return 10;
    case 'ZIP': return 11;
    case 'NAME': return 12;
    case 'NUMBER': return 13;
    case 'CUSTOM': return 14;
  }
}
const TYPE_SLOTS = 15;
ENTITY_TYPES.forEach((t, i) => {
  if (typeIndex(t) !== i) throw new Error(`typeIndex(${t}) is not its position in ENTITY_TYPES`);
});

/** A table of one value per type, by typeIndex. */
function byType<T>(value: (t: EntityType) => T): T[] {
  const out: T[] = [];
  for (const t of ENTITY_TYPES) out[typeIndex(t)] = value(t);
  return out;
}
/** Reasons of runs typed by a context word in the text / carried from earlier ("context:card"), made once. */
const CONTEXT_REASON = byType((t) => `context:${t.toLowerCase()}`);
const CARRIED_REASON = byType((t) => `carried:${t.toLowerCase()}`);
/** Extra distance of each carried type (CARRY_PRIORITY order; types not listed come first). */
const CARRIED_RANK = byType((t) => Math.max(0, CARRY_PRIORITY.indexOf(t)));

/** Context types near a digit run and their distance in tokens (what contextNear answers). */
interface NearContexts {
  /** Number of types present. */
  readonly size: number;
  get(type: EntityType): number | undefined;
  has(type: EntityType): boolean;
  /** get() by the type's typeIndex. */
  at(index: number): number | undefined;
}

const NUMBER_INDEX = typeIndex('NUMBER');

/** Where an SSN's groups may meet (after its area, its group, or inside its serial as some read it: 3-2-2-2). */
function isSsnCut(c: number): boolean {
  return c === 3 || c === 5 || c === 7;
}
/** Where a US phone number's groups meet: after the area code and the exchange. */
function isPhoneCut(c: number): boolean {
  return c === 3 || c === 6;
}

/** No cuts (a chain's digits of one group). */
const NO_CUTS: readonly number[] = Object.freeze([]) as readonly number[];
/** A cut after the third digit (an SSN's area, a US phone number's area code). */
const AFTER_THIRD_DIGIT: readonly number[] = Object.freeze([3]) as readonly number[];

/** A chain of digit runs that passes a number's check (Analysis.checkedChains). */
interface CheckedChain {
  /** Index of its last run, how many of that run's digits it takes (all, or its first written groups'), and its last token. */
  last: number;
  lastDigits: number;
  lastToken: number;
  type: EntityType;
  digits: string;
  /** The token of its first run it starts at (a later written group), or -1: the run's start. */
  fromToken: number;
}
/** Providers whose name alone, without ".com", is heard as an address's domain ("at hotmail"). */
const BARE_PROVIDERS: ReadonlySet<string> = new Set(['gmail', 'googlemail', 'yahoo', 'ymail', 'hotmail', 'outlook', 'icloud', 'aol', 'protonmail', 'gmx', 'yandex']);
/** Characters written between the parts of an address's local part ("anna.lee", "j_smith"). */
const LOCAL_JOINER_CHARS: ReadonlySet<string> = new Set(['.', '_', '-', '+']);

interface ShapedContext {
  type: EntityType;
  /** typeIndex of the type. */
  index: number;
  min: number;
  max: number;
  score: number;
}
const shaped = (type: EntityType, min: number, max: number, score: number): ShapedContext => ({ type, index: typeIndex(type), min, max, score });
/** Context types that take digit runs of a given length (min to max digits). */
const SHAPED_CONTEXTS: readonly ShapedContext[] = [shaped('CVV', 3, 4, 0.85), shaped('EXPIRY', 3, 6, 0.85), shaped('DOB', 4, 8, 0.85), shaped('ZIP', 5, 9, 0.85)];
/** typeIndex of each of SENSITIVE_RUN_CONTEXTS. */
const SENSITIVE_RUN_INDEX: readonly number[] = SENSITIVE_RUN_CONTEXTS.map(typeIndex);
/** A bit per SENSITIVE_RUN_CONTEXTS type (Analysis.contextBits' layout). */
const SENSITIVE_RUN_BITS = SENSITIVE_RUN_INDEX.reduce((bits, i) => bits | (1 << i), 0);

/**
 * A NearContexts that is filled anew for every question (a Map per digit run would be allocated and
 * hashed for a handful of small integers).
 */
class ContextDistances implements NearContexts {
  /** Distance per type (typeIndex); an entry means something only while its bit is set in `present`. */
  private readonly distance = new Int32Array(TYPE_SLOTS);
  /** Bit i set: type i is present (so clearing the table is one store). */
  private present = 0;
  size = 0;

  clear(): this {
    this.present = 0;
    this.size = 0;
    return this;
  }

  copyFrom(other: ContextDistances): void {
    // Only the entries present in `other` are read later.
    for (let m = other.present; m !== 0; m &= m - 1) {
      const i = 31 - Math.clz32(m & -m);
      this.distance[i] = other.distance[i];
    }
    this.present = other.present;
    this.size = other.size;
  }

  at(index: number): number | undefined {
    return ((this.present >> index) & 1) !== 0 ? this.distance[index] : undefined;
  }

  get(type: EntityType): number | undefined {
    return this.at(typeIndex(type));
  }

  has(type: EntityType): boolean {
    return ((this.present >> typeIndex(type)) & 1) !== 0;
  }

  /** Keeps the nearest distance per type; the generic NUMBER counts 5 tokens further ("card number" reads as CARD). */
  putNearest(type: EntityType, dist: number): void {
    this.putNearestAt(typeIndex(type), dist);
  }

  putNearestAt(i: number, dist: number): void {
    const d = i === NUMBER_INDEX ? dist + 5 : dist;
    if (((this.present >> i) & 1) === 0) {
      this.distance[i] = d;
      this.present |= 1 << i;
      this.size++;
    } else if (this.distance[i] > d) this.distance[i] = d;
  }
}

/** An account or card context is nearer than any SSN or phone context. */
function nearerAccountThanSsnOrPhone(ctx: NearContexts): boolean {
  const otherwise = Math.min(ctx.get('ACCOUNT') ?? 999, ctx.get('CARD') ?? 999);
  return otherwise < Math.min(ctx.get('SSN') ?? 999, ctx.get('PHONE') ?? 999);
}

/** Never filled: the answer when there is no context at all (most runs). */
const NO_CONTEXT: NearContexts = new ContextDistances();
// Tables shared by all analyses instead of typed arrays allocated per text: an analysis runs to the end
// before the next starts, and refills them before reading them.
/** The carried context types at their (far) distances, filled once per analysis on first use. */
const CARRIED_NEAR = new ContextDistances();
/** contextNear's answers when the text has context words: with the carried types, and without them. */
const NEAR_WITH_CARRIED = new ContextDistances();
const NEAR_IN_TEXT = new ContextDistances();

function byPosition(a: DetectedEntity, b: DetectedEntity): number {
  return a.start - b.start || b.end - a.end || b.score - a.score;
}

const PHRASES_BY_FIRST = groupByFirstWord(
  CONTEXT_PHRASES.map(([phrase, type]) => {
    const words = phrase.split(' ');
    return [words, { words, type, typeBit: 1 << typeIndex(type) }] as const;
  }),
);
/** Some context phrase is a number on its own (none today: "3 digit" needs its second word). */
const NUMBER_ALONE_IS_PHRASE = CONTEXT_PHRASES.some(([phrase]) => /^[0-9]+$/.test(phrase));
const INTROS_BY_FIRST = groupByFirstWord(NAME_INTROS.map((i) => [i.words, i] as const));
/** Titles after which a '.' is skipped ("Mr. Smith"). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr']);
const LAST_FOUR_BY_FIRST = groupByFirstWord(LAST_FOUR_PHRASES.map((p) => [p, p] as const));

/** Items keyed by the first of their words, in their original order. */
function groupByFirstWord<T>(items: ReadonlyArray<readonly [readonly string[], T]>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [words, item] of items) {
    const list = out.get(words[0]);
    if (list) list.push(item);
    else out.set(words[0], [item]);
  }
  return out;
}

/** Words that end a street name read backwards from its suffix: function words, but not "first", "north", "old"... */
addLexicon(
  [...NAME_STOP].filter((w) => !ORDINAL_WORDS.has(w) && !['n', 's', 'e', 'w', 'north', 'south', 'east', 'west', 'old', 'new'].includes(w)),
  LEX_NOT_STREET_NAME,
);

/** The run whose first (or last) token is token i. */
function runWithToken(runs: readonly DigitRun[], i: number, which: 'first' | 'last'): DigitRun | undefined {
  for (const r of runs) if ((which === 'first' ? r.firstToken : r.lastToken) === i) return r;
  return undefined;
}

/**
 * Token i, undefined outside the text. Reading index -1 of an array is a slow property lookup in V8
 * (runs at the start of a text would pay it); past the end is cheap.
 */
function tokenAt(tokens: readonly Token[], i: number): Token | undefined {
  return i >= 0 ? tokens[i] : undefined;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122);
}

/** 'spoken' when any of runs[from..to] has a number word, else 'written'. */
function runsForm(runs: readonly DigitRun[], from: number, to: number): 'spoken' | 'written' {
  for (let k = from; k <= to; k++) if (runs[k].form === 'spoken') return 'spoken';
  return 'written';
}

/** The digits of runs[from..to], in order. */
function runDigits(runs: readonly DigitRun[], from: number, to: number): string {
  let digits = '';
  for (let k = from; k <= to; k++) digits += runs[k].digits;
  return digits;
}

/**
 * `entities` (in text order, not overlapping) with every number of the text (its digit `runs`) added as
 * a NUMBER entity (score 1, `reason`): a number with at least `minWritten` digits when only written
 * digits make it, `minSpoken` when a number word is in it. A number inside an entity adds nothing; one
 * overlapping an entity's end extends that entity. With `detector`, numbers on its allow list stay.
 * Partial results mask every digit with it (redactor.ts), and the numbers setting every number of its
 * length (Analysis.run).
 */
export function withEveryNumber(
  text: string,
  runs: readonly DigitRun[],
  entities: DetectedEntity[],
  minWritten: number,
  minSpoken: number,
  reason: string,
  detector?: Detector,
): DetectedEntity[] {
  const extra: DetectedEntity[] = [];
  for (const run of runs) {
    if (run.digits.length < (run.form === 'spoken' ? minSpoken : minWritten)) continue;
    if (entities.some((e) => e.start <= run.start && e.end >= run.end)) continue;
    if (detector?.hasAllowList && detector.allowed(text.slice(run.start, run.end), run.digits)) continue;
    extra.push({ type: 'NUMBER', start: run.start, end: run.end, score: 1, form: run.form, normalized: run.digits, reason });
  }
  if (extra.length === 0) return entities;
  const all = [...entities, ...extra].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: DetectedEntity[] = [];
  for (const e of all) {
    const prev = merged[merged.length - 1];
    if (prev && e.start < prev.end) {
      if (e.end > prev.end) merged[merged.length - 1] = { ...prev, end: e.end };
      continue;
    }
    merged.push(e);
  }
  return merged;
}

function digitsOf(s: string): string {
  return s.replace(/\D+/g, '');
}

function normalizeAllowEntry(s: string): string {
  const t = s.trim().toLowerCase();
  return /\p{L}/u.test(t) ? t : digitsOf(t);
}

const NO_CARRY: DetectionCarry = Object.freeze({});

// The pattern detectors' expressions, compiled once (a literal in a method is a new object per call).
// They are global: each detector starts its own at lastIndex 0, and none runs inside another's loop.
const WRITTEN_EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,4}\.[A-Za-z]{2,24}\b/g;
/** An IBAN, its groups written together or apart by a space or a dash ("GB82-WEST-1234-..."). */
const IBAN_RE = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,32}/g;
/** Where an IBAN was mentioned or asked for: also a space after the country letters, and double spaces ("GB 82 WEST  1234"). */
const IBAN_SPACED_RE = /\b[A-Za-z]{2} ?\d{2}(?:(?: {0,2}|-)[A-Za-z0-9]){11,32}/g;
const IBAN_SEPARATORS_RE = /[ -]/g;
/** A space or a dash, written between an IBAN's groups. */
function isIbanSeparator(c: number): boolean {
  return c === 32 || c === 45;
}
const IPV4_RE = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g;
const IPV6_RE = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;
const WRITTEN_DATE_RE = /(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{2,4})(?![\d/])/g;
const STATE_ZIP_RE = /\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+(\d{5}(?:-\d{4})?)\b/g;
const UK_POSTCODE_RE = /\b[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}\b/g;

/**
 * The contexts of a result, shared rather than allocated per text (most results mention none, most
 * others one or two types): results are read, never changed, so these sets refuse changes instead of
 * passing them on to the next result.
 */
class SharedContexts extends Set<EntityType> {
  constructor(types: readonly EntityType[] = []) {
    super();
    for (const t of types) Set.prototype.add.call(this, t);
  }
  override add(): this {
    throw new TypeError('the contexts of a detection result are read-only');
  }
  override delete(): boolean {
    throw new TypeError('the contexts of a detection result are read-only');
  }
  override clear(): void {
    throw new TypeError('the contexts of a detection result are read-only');
  }
}
const NO_CONTEXTS: Set<EntityType> = new SharedContexts();
/** Shared contexts of one or two types, by (first type index + 1) * 16 + (second type index + 1 or 0). */
const SHARED_CONTEXTS = new Map<number, Set<EntityType>>();

function sharedContexts(key: number): Set<EntityType> {
  let set = SHARED_CONTEXTS.get(key);
  if (set === undefined) {
    const first = ENTITY_TYPES[(key >> 4) - 1];
    set = new SharedContexts((key & 15) === 0 ? [first] : [first, ENTITY_TYPES[(key & 15) - 1]]);
    SHARED_CONTEXTS.set(key, set);
  }
  return set;
}

/** A configured, compiled detector; reuse it (compiling custom patterns and lists costs time). */
export class Detector {
  readonly options: DetectorOptions;
  private readonly enabled: Set<EntityType>;
  /** Every type is enabled (the default): isEnabled answers without a lookup. */
  private readonly allEnabled: boolean;
  private readonly custom: CompiledPattern[];
  private readonly deny?: RegExp;
  private readonly allow: Set<string>;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    const o = this.options;
    for (const t of o.entities) {
      if (!ENTITY_TYPES.includes(t)) throw new InputError(`unknown entity type ${describeValue(t)}`, 'INVALID_OPTIONS');
    }
    if (!(o.threshold >= 0 && o.threshold <= 1)) throw new InputError('threshold must be within 0..1', 'INVALID_OPTIONS');
    if (!/^[A-Z]{2}$/.test(o.defaultRegion)) throw new InputError('defaultRegion must be a two-letter country code', 'INVALID_OPTIONS');
    this.enabled = new Set(o.entities);
    this.allEnabled = ENTITY_TYPES.every((t) => this.enabled.has(t));
    this.custom = o.customPatterns.map(compileSafePattern);
    const denyWords = o.denyList.map((d) => d.trim()).filter((d) => d.length > 0);
    if (denyWords.length > 0) {
      const escaped = denyWords.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
      this.deny = new RegExp(`(?<![\\p{L}\\d])(?:${escaped.join('|')})(?![\\p{L}\\d])`, 'giu');
    }
    this.allow = new Set(o.allowList.map(normalizeAllowEntry).filter((s) => s.length > 0));
    if (!(Number.isInteger(o.numbersMinDigits) && o.numbersMinDigits >= 0 && o.numbersMinDigits <= MAX_NUMBERS_MIN_DIGITS)) {
      throw new InputError(`numbersMinDigits must be a whole number from 0 (off) to ${MAX_NUMBERS_MIN_DIGITS}`, 'INVALID_OPTIONS');
    }
  }

  isEnabled(t: EntityType): boolean {
    return this.allEnabled || this.enabled.has(t);
  }

  detect(text: string, carry: DetectionCarry = NO_CARRY): DetectionResult {
    const tokens = tokenize(text, tokenSummary);
    // Fast path: without known names, custom patterns or deny words, a text with no digit, no '@',
    // no number / context / introduction / email word and no spelled letters cannot hold an entity
    // (prefilter.ts, on the tokenizer's summary; with carried contexts or a pending number, months
    // and ordinals count too). The result is the analysis' own for such a text.
    if (this.custom.length === 0 && this.deny === undefined && (carry.knownNames === undefined || carry.knownNames.size === 0)) {
      const carried = carry.pending !== undefined || (carry.contexts !== undefined && carry.contexts.size > 0);
      if (nothingToDetect(tokenSummary, carried)) {
        return { entities: [], contexts: NO_CONTEXTS, digitish: false, substantive: (tokenSummary.shapes & SHAPE_SUBSTANCE) !== 0, wordClasses: tokenSummary.lex, tokens };
      }
    }
    return new Analysis(this, text, carry, tokens).run();
  }

  /** @internal */ get customPatterns(): CompiledPattern[] {
    return this.custom;
  }
  /** @internal */ get denyRe(): RegExp | undefined {
    return this.deny;
  }
  /** @internal */ get hasAllowList(): boolean {
    return this.allow.size > 0;
  }
  /** @internal */ allowed(raw: string, normalized: string): boolean {
    if (this.allow.size === 0) return false;
    return this.allow.has(raw.trim().toLowerCase()) || this.allow.has(normalized) || this.allow.has(digitsOf(raw));
  }
}

type Candidate = DetectedEntity;

// Shared empty lists, frozen so that a push that skipped the copy fails loudly.
const NO_HITS = Object.freeze([]) as unknown as ContextHit[];
const NO_CANDIDATES = Object.freeze([]) as unknown as Candidate[];
const NO_RANGES = Object.freeze([]) as unknown as number[];

/** What the tokenizer saw of the text being analysed (one scratch object: run() reads it first thing). */
const tokenSummary: TokenSummary = { lex: 0, nums: 0, answerWords: 0, shapes: 0 };

class Analysis {
  private readonly o: DetectorOptions;
  // The three lists start as one shared empty list and get their own on the first push (most texts
  // fill none of them).
  private hits = NO_HITS;
  private found = NO_CANDIDATES;
  /** Source ranges already explained (entities or safe dates), as start, end pairs; runs inside are not classified again. */
  private claimed = NO_RANGES;
  /**
   * Context types mentioned (findContexts): a bit per type (typeIndex), how many, and the first two
   * in order of first mention as (index + 1) * 16 + (index + 1) (the shared set's key).
   */
  private contextBits = 0;
  private contextCount = 0;
  private contextKey = 0;
  /** A ZIP context word is in the text (findContexts). */
  private zipContext = false;
  private trailing?: { type: EntityType; digits: string; complete: boolean };
  /** Set by classifyRun: the run was a whole validated value, or a value that never continues (CVV, dates). */
  private runComplete = false;
  /** Token indices where a spelled name ends: digits read right after it are spelled too ("r c h e n seven five"). */
  private spelledEnds?: number[];

  /** `tokens`: the tokens of `text`, just made (tokenize(text, tokenSummary): run() reads the summary). */
  constructor(
    private readonly d: Detector,
    private readonly text: string,
    private readonly carry: DetectionCarry,
    private readonly tokens: Token[],
  ) {
    this.o = d.options;
  }

  run(): DetectionResult {
    // The tokenizer's summary says which detectors can find anything (most utterances: none). Read
    // before any detector runs: the scratch summary is overwritten by the next tokenize call.
    const lex = tokenSummary.lex;
    const nums = tokenSummary.nums;
    const shapes = tokenSummary.shapes;
    this.answerWords = tokenSummary.answerWords;
    const numeric = nums > 0 || (this.o.spoken && (lex & (LEX_NUMBER | LEX_REPEAT)) !== 0);
    if (lex & LEX_CONTEXT) this.findContexts();
    if (shapes & SHAPE_AT) this.writtenEmails();
    // Spoken or mixed addresses: "at" with a joiner word, before a written domain or where an email
    // was asked for, or a written '@' with spoken parts around it ("r eight five@outlook.com").
    if (this.o.spoken && ((lex & LEX_AT && (lex & LEX_EMAIL_JOIN || shapes & SHAPE_WORD_DOT || this.expected('EMAIL'))) || shapes & SHAPE_AT)) this.spokenEmails();
    // The first part of an address read over several finals, where an email was asked for.
    if (this.o.spoken && lex & LEX_EMAIL_JOIN && !(lex & LEX_AT) && (shapes & SHAPE_AT) === 0 && this.expected('EMAIL')) this.emailLocalParts();
    if (nums > 0) {
      // An IBAN starts with letters written against its check digits ("GB82"), or apart from them where
      // one was asked for ("my iban is GB 82 WEST ...").
      if (this.text.length >= 15 && (shapes & SHAPE_LETTERS_THEN_DIGITS || this.expected('IBAN'))) this.ibans();
      if (shapes & SHAPE_DOTTED_QUAD) this.ipv4s();
      if (shapes & SHAPE_COLON) this.ipv6s();
      if (shapes & SHAPE_DATE) this.writtenDates();
    }
    // A date around a month name needs a number, a number word, an ordinal or a suffix ("3rd") in it.
    if (lex & LEX_MONTH && (nums > 0 || (lex & (LEX_NUMBER | LEX_ORDINAL | LEX_ORDINAL_SUFFIX)) !== 0)) this.monthDates();
    if (lex & LEX_STREET && numeric) this.addresses();
    // An introduction is a word on its own ("surname") or two words ("my name"): names() looks for no other.
    if ((lex & LEX_INTRO_ALONE) !== 0 || (shapes & SHAPE_INTRO_PAIR) !== 0) this.names();
    // Spelled names are three or more letters in a row (spelledNames() looks for no shorter ones).
    if ((shapes & SHAPE_SPELLED) !== 0) this.spelledNames();
    if (this.carry.knownNames !== undefined && this.carry.knownNames.size > 0) this.knownNames(this.carry.knownNames);
    if (shapes & SHAPE_FIVE_DIGITS) this.stateZips();
    // A postcode has a letter written right before a digit ("SW1A 1AA"); it needs a ZIP context.
    if ((shapes & SHAPE_LETTERS_THEN_DIGITS) !== 0 && (this.zipContext || (this.carry.contexts !== undefined && this.carry.contexts.has('ZIP')))) this.postcodes();
    if (this.d.customPatterns.length > 0 || this.d.denyRe !== undefined) this.customAndDeny();
    if (numeric) this.digitRuns();
    let entities = this.resolve();
    // The numbers setting: every number of that many digits, whatever it reads as (the runs digitRuns read).
    const minDigits = this.o.numbersMinDigits;
    if (minDigits > 0 && numeric) entities = withEveryNumber(this.text, this.runs(), entities, minDigits, minDigits, 'numbers', this.d);
    return { entities, contexts: this.resultContexts(), trailing: this.trailing, digitish: numeric || (shapes & SHAPE_OH) !== 0, substantive: numeric || (shapes & SHAPE_SUBSTANCE) !== 0, wordClasses: lex, tokens: this.tokens };
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Adds a candidate of an enabled type. True when it will be reported (its score reaches the
   * threshold, the allow list aside): only then may a heuristic detector claim its range. A card read
   * as an address's house number or inside a custom pattern went unreported with it when that type
   * was off (the payment-cards preset) or scored below the threshold.
   */
  private add(type: EntityType, start: number, end: number, score: number, form: 'written' | 'spoken', normalized: string, reason: string, label?: string): boolean {
    if (!this.d.isEnabled(type)) return false;
    const e: Candidate = { type, start, end, score: Math.min(1, score), form, normalized, reason };
    if (label !== undefined) e.label = label;
    if (this.found === NO_CANDIDATES) this.found = [e];
    else this.found.push(e);
    return e.score >= this.o.threshold;
  }

  private claim(start: number, end: number): void {
    if (this.claimed === NO_RANGES) this.claimed = [start, end];
    else this.claimed.push(start, end);
  }

  private isClaimed(start: number, end: number): boolean {
    const c = this.claimed;
    for (let k = 0; k < c.length; k += 2) if (start >= c[k] && end <= c[k + 1]) return true;
    return false;
  }

  /** Some of [start, end) is claimed. */
  private overlapsClaimed(start: number, end: number): boolean {
    const c = this.claimed;
    for (let k = 0; k < c.length; k += 2) if (start < c[k + 1] && end > c[k]) return true;
    return false;
  }

  /** The context types mentioned, in order of first mention (the hits are in that order). */
  private resultContexts(): Set<EntityType> {
    if (this.contextCount === 0) return NO_CONTEXTS;
    if (this.contextCount <= 2) return sharedContexts(this.contextCount === 1 ? this.contextKey * 16 : this.contextKey);
    const out = new Set<EntityType>();
    for (const h of this.hits) out.add(h.type);
    return out;
  }

  private findContexts(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      const x = t[i];
      if (x.kind === 'word') {
        if ((x.lex & LEX_CONTEXT) === 0) continue;
        // A phrase is a word on its own or a first word followed by its second ("security code").
        if ((x.lex & LEX_CONTEXT_ALONE) === 0 && (i + 1 === t.length || (t[i + 1].lex & LEX_CONTEXT_NEXT) === 0)) continue;
      } else if (x.kind === 'num') {
        // Number tokens have no word classes: a phrase that starts with digits ("3 digit") is looked up
        // directly, once the word after could continue it.
        if (!NUMBER_ALONE_IS_PHRASE && (i + 1 === t.length || (t[i + 1].lex & LEX_CONTEXT_NEXT) === 0)) continue;
      } else continue;
      const list = PHRASES_BY_FIRST.get(x.lower);
      if (list === undefined) continue;
      for (const p of list) {
        let ok = true;
        for (let k = 1; k < p.words.length && ok; k++) ok = t[i + k]?.lower === p.words[k];
        if (ok) {
          const hit = { first: i, last: i + p.words.length - 1, type: p.type };
          if (this.hits === NO_HITS) this.hits = [hit];
          else this.hits.push(hit);
          if ((this.contextBits & p.typeBit) === 0) {
            this.contextBits |= p.typeBit;
            if (++this.contextCount <= 2) this.contextKey = this.contextKey * 16 + typeIndex(p.type) + 1;
          }
          if (p.type === 'ZIP') this.zipContext = true;
        }
      }
    }
  }

  /**
   * Context types near token range [first, last] with their distance in tokens: the window before,
   * 4 tokens after (penalised), and the types carried from earlier utterances (far). The generic
   * "number" is penalised so "card number" reads as CARD.
   */
  private contextNear(first: number, last: number, includeCarried = true, carriedMaxWords = ANSWER_WORDS): NearContexts {
    const carried = this.carry.contexts;
    const withCarried = includeCarried && carried !== undefined && carried.size > 0 && this.answerLike(carriedMaxWords);
    if (withCarried && !this.carriedFilled) {
      CARRIED_NEAR.clear();
      for (const type of carried) {
        const i = typeIndex(type);
        CARRIED_NEAR.putNearestAt(i, CARRIED_DISTANCE + CARRIED_RANK[i]);
      }
      this.carriedFilled = true;
    }
    // Most runs have no context in the text: the answer is the carried contexts, the same for every run.
    if (this.hits.length === 0) return withCarried ? CARRIED_NEAR : NO_CONTEXT;
    // One table per kind of question: a run's contexts with the carried ones are still read after its
    // in-text contexts are asked for (classifyRun), never after the next run's.
    const out = includeCarried ? NEAR_WITH_CARRIED : NEAR_IN_TEXT;
    if (withCarried) out.copyFrom(CARRIED_NEAR);
    else out.clear();
    const w = this.o.contextWindow;
    for (const h of this.hits) {
      if (h.last < first && first - h.last <= w) out.putNearest(h.type, first - h.last);
      else if (h.first > last && h.first - last <= 4) out.putNearest(h.type, h.first - last + 3);
    }
    return out;
  }

  /** CARRIED_NEAR holds this analysis' carried contexts. */
  private carriedFilled = false;

  /** Words that are not numbers, fillers, months or ordinals (counted by run). */
  private answerWords = 0;
  /**
   * Context carried from earlier utterances ("what's your social?") applies only to a short answer:
   * at most ANSWER_WORDS words besides numbers and fillers ("sure it's 536 22 9017"), not to
   * "I have been a customer since 2009" a few turns later.
   */
  private answerLike(maxWords = ANSWER_WORDS): boolean {
    if (this.answerWords <= maxWords) return true;
    // Pauses while finding the number ("hold on", "let me see", "hang on": pauseAt) are no words of
    // another sentence: "hold on let me grab it okay so it is forty eight forty two". Their words alone
    // still count ("I'm on step three of five").
    if (this.pauseWords < 0) {
      const t = this.tokens;
      let pauses = 0;
      for (let i = 0; i < t.length; ) {
        const n = pauseAt(t, i);
        if (n === 0) {
          i++;
          continue;
        }
        for (let k = i; k < i + n; k++) if ((t[k].lex & LEX_ANSWER_SKIP) === 0) pauses++;
        i += n;
      }
      this.pauseWords = pauses;
    }
    return this.answerWords - this.pauseWords <= maxWords;
  }
  /** answerLike: words of pauses among answerWords, counted on first need (-1 before). */
  private pauseWords = -1;


  private boost(score: number, type: EntityType, ctx: NearContexts): number {
    return ctx.has(type) ? Math.min(1, score + CONTEXT_BOOST) : score;
  }

  private tokenIndexAt(offset: number): number {
    // Binary search: first token whose end > offset.
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---------------------------------------------------------------- emails

  private writtenEmails(): void {
    const re = WRITTEN_EMAIL_RE;
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
      if (this.add('EMAIL', m.index, m.index + m[0].length, 0.95, 'written', m[0].toLowerCase(), 'pattern')) this.claim(m.index, m.index + m[0].length);
    }
  }

  /**
   * "john dot smith at gmail dot com", "j o h n eighty five at yahoo dot co dot uk", and the mixed
   * forms engines write: "anna.lee at gmail.com", "anna dot lee@gmail dot com". An address with no
   * joiner word and no written joiner in its local part ("anna at gmail.com") is taken only where an
   * email was asked for or mentioned, or at a mailbox provider's domain: "look at google.com" stays.
   */
  private spokenEmails(): void {
    const t = this.tokens;
    for (let a = 0; a < t.length - 1; a++) {
      const at = t[a];
      const writtenAt = at.kind === 'punct' && at.lower === '@';
      if (!writtenAt && (at.lower !== 'at' || at.kind !== 'word')) continue;
      // Domain: word (dot word)+ ending in a known TLD; a '-' written inside a label joins it ("my-company").
      let j = a + 1;
      // "anna at sign gmail dot com": the sign's name said after it.
      if (!writtenAt && t[j]?.lower === 'sign' && t[j + 1]?.kind === 'word') j++;
      if (t[j]?.kind !== 'word' && t[j]?.kind !== 'num') continue;
      const domain: string[] = [t[j].lower];
      // "g mail": engines write a provider's first letter apart.
      if (t[j].lower.length === 1 && t[j + 1]?.kind === 'word' && MAIL_PROVIDERS.has(t[j].lower + t[j + 1].lower)) domain[0] = t[j].lower + t[++j].lower;
      const firstLabelEnd = j;
      let end = j;
      let spokenJoiner = false;
      // The domain ends at its last known TLD, and a written '.' joins it only inside a word
      // ("company.net"): a sentence's full stop after it ("... dot net. it is") once read as one more
      // dot and lost the whole address.
      let tldEnd = -1;
      let tldParts = 0;
      let tldSpoken = false;
      j++;
      while (j + 1 < t.length && t[j + 1].kind !== 'punct') {
        const sep = t[j];
        const glued = sep.kind === 'punct' && !sep.spaced && !t[j + 1].spaced;
        if (glued && sep.lower === '-') domain[domain.length - 1] += `-${t[j + 1].lower}`;
        else if ((sep.kind === 'word' && sep.lower === 'dot') || (glued && sep.lower === '.')) {
          spokenJoiner ||= sep.kind === 'word';
          domain.push(t[j + 1].lower);
        } else break;
        end = j + 1;
        if (EMAIL_TLDS.has(t[j + 1].lower) && sep.lower !== '-') {
          tldEnd = end;
          tldParts = domain.length;
          tldSpoken = spokenJoiner;
        }
        j += 2;
      }
      // A mailbox provider said without its ending ("mike dot lee at hotmail") is a domain too, where
      // the local part has a joiner or an email was asked for (checked below): "i'm at yahoo" stays.
      const bareProvider = tldEnd < 0 && BARE_PROVIDERS.has(domain[0]);
      if (tldEnd < 0 && !bareProvider) continue;
      if (bareProvider) {
        domain.length = 1;
        end = firstLabelEnd;
        spokenJoiner = false;
      } else {
        domain.length = tldParts;
        end = tldEnd;
        spokenJoiner = tldSpoken;
      }
      // Local part, backwards: words joined by "dot" / "underscore" / ... or by '.', '_', '-', '+'
      // written between them ("anna.lee"), spelled letters and number words read together ("j o h n",
      // "jones seventy six"); a function word ends it.
      let k = a - 1;
      let begin = -1;
      let lastSingle = false;
      let afterJoiner = false;
      let writtenJoiner = false;
      // Still inside the written word that ends at a written '@' ("anna.lee@").
      let inAtWord = writtenAt && !at.spaced;
      // Where an address is expected, or at a mailbox provider's domain, words said apart are its local
      // part too ("my email is john smith at gmail dot com" left "john"): up to three in all.
      const wordsApart = this.expected('EMAIL') || (!bareProvider && MAIL_PROVIDERS.has(domain[0]));
      let words = 0;
      for (let steps = 0; k >= 0 && steps < 30; steps++) {
        const x = t[k];
        if (inAtWord && begin >= 0 && t[k + 1].spaced) {
          // Leaving it for spoken words: only a joiner, a number or what a number said against the '@'
          // joins goes on ("anna dot lee@", "dev three three@", "chen eight@"), not a word said before
          // the address ("h John.smith@").
          if (!isSpokenJoiner(x) && !isNumberish(x) && !isNumberish(t[k + 1])) break;
          inAtWord = false;
        }
        // A token written against the address's first one (or against a written '@' or after a written
        // joiner) is part of the same written word, whatever it is ("the69", "the@", "dev_the").
        const inWrittenWord = begin === k + 1 ? !t[k + 1].spaced : begin < 0 && ((writtenAt && !at.spaced) || (!x.spaced && k > 0 && LOCAL_JOINER_CHARS.has(t[k - 1].lower)));
        if (x.kind !== 'punct' && inWrittenWord) {
          begin = k;
          lastSingle = isEmailSingle(x);
          k--;
          continue;
        }
        if (x.kind === 'punct') {
          // A joiner written inside the word: it and the token before it belong to the address, whatever that token is.
          const y = t[k - 1];
          if (begin < 0 || afterJoiner || !isWrittenJoiner(t, k) || !y || y.kind === 'punct') break;
          writtenJoiner = true;
          begin = k - 1;
          lastSingle = isEmailSingle(y);
          k -= 2;
          continue;
        }
        const single = isEmailSingle(x);
        if (begin >= 0 && !afterJoiner && isSpokenJoiner(x)) {
          if (k === 0 || !isLocalWord(t[k - 1])) break;
          afterJoiner = true;
          spokenJoiner = true;
          k--;
          continue;
        }
        // A function word ends the local part, unless it is the address's last word with a joiner said
        // before it ("kowalski dot the at ...").
        if ((x.lex & LEX_NAME_STOP) !== 0 && !single && !(begin < 0 && k >= 2 && isSpokenJoiner(t[k - 1]) && isLocalWord(t[k - 2]))) break;
        // Without a joiner, only letters / numbers join each other, a word joins the number after it,
        // or an initial joins the word after it ("r chen seventy five"; not "a" or "i", which are words).
        const initial = !lastSingle && isLetterToken(x) && (x.lex & LEX_NAME_STOP) === 0;
        const apart = wordsApart && x.kind === 'word' && !single && (x.lex & (LEX_CONTEXT | LEX_ACK)) === 0 && words < 2;
        if (begin >= 0 && !afterJoiner && !(single && lastSingle) && !(lastSingle && !single && isNumberish(t[k + 1])) && !initial && !apart) break;
        if (begin >= 0 && apart) words++;
        begin = k;
        lastSingle = single;
        afterJoiner = false;
        k--;
      }
      if (begin < 0 && !afterJoiner && this.leadsWith(a) && this.expected('EMAIL')) {
        // The rest of an address whose local part ended the previous final ("anna dot lee" / "at gmail dot com").
        if (this.add('EMAIL', at.start, t[end].end, 0.8, 'spoken', `@${domain.join('.')}`, 'email-part')) this.claim(at.start, t[end].end);
        continue;
      }
      if (begin < 0 || afterJoiner) continue;
      // All written: the written address, if any, is writtenEmails' to report.
      if (inAtWord && !spokenJoiner) continue;
      // A mark that makes it an address: a joiner, a written '@', an email asked for, or a provider's domain with its ending.
      if (!(writtenAt || spokenJoiner || writtenJoiner || (!bareProvider && MAIL_PROVIDERS.has(domain[0])) || this.expected('EMAIL'))) continue;
      const start = t[begin].start;
      const stop = t[end].end;
      const normalized = `${normalizeSpokenLocal(this.text.slice(start, at.start))}@${domain.join('.')}`;
      if (this.add('EMAIL', start, stop, 0.9, 'spoken', normalized, 'spoken-email')) this.claim(start, stop);
    }
  }

  /**
   * The start of an address read over several finals, where an email was asked for: words joined by
   * joiner words or written joiners ("anna dot lee", "it's j underscore smith"), with no "at" yet.
   */
  private emailLocalParts(): void {
    const t = this.tokens;
    for (let j = 1; j < t.length - 1; j++) {
      if (!isSpokenJoiner(t[j]) || !isLocalWord(t[j - 1]) || !isLocalWord(t[j + 1])) continue;
      let first = j - 1;
      let last = j + 1;
      // Further words and joiners on either side ("j dot r dot smith", "anna.lee dot smith").
      while (first >= 2 && (isSpokenJoiner(t[first - 1]) || isWrittenJoiner(t, first - 1)) && isLocalWord(t[first - 2])) first -= 2;
      while (last + 2 < t.length && (isSpokenJoiner(t[last + 1]) || isWrittenJoiner(t, last + 1)) && isLocalWord(t[last + 2])) last += 2;
      const start = t[first].start;
      const end = t[last].end;
      if (this.add('EMAIL', start, end, 0.75, 'spoken', normalizeSpokenLocal(this.text.slice(start, end)), 'email-part')) this.claim(start, end);
      j = last;
    }
  }

  /**
   * Token `i` starts the text's first number, going on with one the speaker's previous final left open
   * ("001/" / "01/0001": the rest of a number, not a date).
   */
  private continuesPending(i: number): boolean {
    const pending = this.carry.pending;
    return pending !== undefined && !pending.complete && isOpenType(pending.type) && this.leadsWith(i, true);
  }

  /**
   * Only fillers, pauses ("wait", "let me see") and punctuation before token `i` (`numberReadOn`: also
   * "oh" / "o", the start of a number read on, acknowledgements and "one sec").
   */
  private leadsWith(i: number, numberReadOn = false): boolean {
    for (let k = 0; k < i; k++) {
      const x = this.tokens[k];
      if (x.kind === 'punct' || (x.lex & (LEX_FILLER_WORD | LEX_BRIDGE)) !== 0) continue;
      // Reading a number on, also "oh" (a zero), an acknowledgement ("right 1791 ...") and "one sec".
      if (numberReadOn && (x.lower === 'oh' || x.lower === 'o' || (x.lex & LEX_ACK) !== 0 || isPauseOne(this.tokens, k))) continue;
      return false;
    }
    return true;
  }

  /** `type` was mentioned in this text ("my email is") or asked for before it (a carried context). */
  private expected(type: EntityType): boolean {
    return (this.contextBits & (1 << typeIndex(type))) !== 0 || (this.carry.contexts !== undefined && this.carry.contexts.has(type));
  }

  // ---------------------------------------------------------------- IBAN, IP

  private ibans(): void {
    // (Anywhere, "so 25 units dev81 ..." would read as an IBAN once in 97: the check digits then decide alone.)
    const re = this.expected('IBAN') ? IBAN_SPACED_RE : IBAN_RE;
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
      const raw = m[0];
      const country = raw.slice(0, 2).toUpperCase();
      // Spaces and dashes in raw[0, len), counted down as len shrinks.
      let spaces = 0;
      for (let k = 0; k < raw.length; k++) if (isIbanSeparator(raw.charCodeAt(k))) spaces++;
      // The pattern may run into following words; shrink from the end until the checksum holds.
      let found = false;
      for (let len = raw.length; len >= 15 && !found; len--) {
        if (len < raw.length && isIbanSeparator(raw.charCodeAt(len))) spaces--;
        if (isIbanSeparator(raw.charCodeAt(len - 1))) continue;
        const next = this.text[m.index + len];
        if (next !== undefined && isAsciiAlnum(next.charCodeAt(0))) continue;
        // Only a candidate of the country's length can pass the checksum.
        if (!ibanLengthOk(country, len - spaces)) continue;
        const compact = raw.slice(0, len).replace(IBAN_SEPARATORS_RE, '').toUpperCase();
        if (isValidIban(compact)) {
          // A checked IBAN, an IPv4 or IPv6 address explains its digits whether reported or not (off, or
          // below the threshold): their layout holds no card. Heuristic spans claim only when reported.
          this.add('IBAN', m.index, m.index + len, 1, 'written', compact, 'mod97');
          this.claim(m.index, m.index + len);
          re.lastIndex = m.index + len;
          found = true;
        }
      }
    }
  }

  /** Only called when four numbers follow each other joined by dots (checked on the tokens). */
  private ipv4s(): void {
    const v4 = IPV4_RE;
    v4.lastIndex = 0;
    for (let m = v4.exec(this.text); m !== null; m = v4.exec(this.text)) {
      const i = this.tokenIndexAt(m.index);
      const ctx = this.contextNear(i, i);
      this.add('IP', m.index, m.index + m[0].length, this.boost(0.7, 'IP', ctx), 'written', m[0], 'ipv4');
      this.claim(m.index, m.index + m[0].length);
    }
  }

  /** Only called when the text has a colon (and a digit). */
  private ipv6s(): void {
    const v6 = IPV6_RE;
    v6.lastIndex = 0;
    for (let m = v6.exec(this.text); m !== null; m = v6.exec(this.text)) {
      const raw = m[0];
      const groups = raw.split(':').filter((g) => g.length > 0);
      if (groups.length < 3 || !isIPv6(raw)) continue;
      this.add('IP', m.index, m.index + raw.length, 0.85, 'written', raw.toLowerCase(), 'ipv6');
      this.claim(m.index, m.index + raw.length);
    }
  }

  // ---------------------------------------------------------------- dates (DOB, expiry, else safe)

  private dateEntity(start: number, end: number, form: 'written' | 'spoken', reason: string): void {
    const i = this.tokenIndexAt(start);
    const j = this.tokenIndexAt(end - 1);
    // A date answers a carried question only when it is nearly all the utterance ("it's March 3rd 1985").
    const ctx = this.contextNear(i, j, true, 1);
    const raw = this.text.slice(start, end);
    if (ctx.has('DOB')) this.add('DOB', start, end, 0.85, form, raw.toLowerCase().replace(/\s+/g, ' '), `${reason}+context`);
    else if (ctx.has('EXPIRY')) this.add('EXPIRY', start, end, 0.85, form, raw.toLowerCase().replace(/\s+/g, ' '), `${reason}+context`);
    // The answer to a card or SSN question (carried, not mentioned in this text): what reads as a date
    // ("june the 3rd nineteen ten") may be the first digits of the number, read in pairs.
    else if (this.answersCardOrSsnQuestion()) this.add('NUMBER', start, end, 0.6, form, raw.toLowerCase().replace(/\s+/g, ' '), `${reason}+number-context`);
    // Without context a date is an appointment or a reference: kept, but its digits are explained.
    this.claim(start, end);
  }

  /** A card or SSN question is carried into this text, and the text is an answer to it (nearly all number). */
  private answersCardOrSsnQuestion(): boolean {
    const carried = this.carry.contexts;
    return carried !== undefined && (carried.has('CARD') || carried.has('SSN')) && this.answerLike(1);
  }

  /** Only called when a digit, '/', '.' or '-' and a digit follow each other (checked on the tokens). */
  private writtenDates(): void {
    const re = WRITTEN_DATE_RE;
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
      const raw = m[0];
      // The numbers between the separators: the first, the second, and whether there is a third.
      const sep1 = firstDateSeparator(raw, 0);
      const sep2 = firstDateSeparator(raw, sep1 + 1);
      const p0 = Number(raw.slice(0, sep1));
      const p1 = Number(raw.slice(sep1 + 1, sep2 < 0 ? raw.length : sep2));
      // d/m or m/d with a month <= 12 somewhere; yyyy-mm-dd; MM/YY or MM/YYYY with a year of 1900-2099
      // ("11/6139" is an SSN's group and serial: "363 11/6139" left the serial).
      const yearDigits = raw.length - sep1 - 1;
      const plausible = sep2 < 0 ? p0 >= 1 && p0 <= 12 && (yearDigits === 2 || (yearDigits === 4 && isYear(p1))) : p0 > 31 ? p1 >= 1 && p1 <= 12 : (p0 <= 12 || p1 <= 12) && p0 >= 1 && p1 >= 1;
      if (!plausible) continue;
      // A month and year right after an open number or written groups of 3-6 digits (an SSN's area, a
      // phone's area code) may be its next groups ("001/" / "01/0001", "363 11/2029"); a whole date is a
      // date, and so is an expiry after a card or a lone digit ("7 07/28") or where dates are asked for.
      if (sep2 < 0) {
        const first = this.tokenIndexAt(m.index);
        if (this.continuesPending(first)) continue;
        if (!this.expected('EXPIRY') && !this.expected('DOB')) {
          const before = this.writtenDigitsBefore(first, 7);
          if (before >= 3 && before < 7) continue;
        }
      }
      this.dateEntity(m.index, m.index + raw.length, 'written', 'date');
    }
  }

  /** The digits of the written groups right before token `i` (numbers with only spaces between them), counted up to `most`. */
  private writtenDigitsBefore(i: number, most: number): number {
    const t = this.tokens;
    let digits = 0;
    for (let k = i - 1; k >= 0 && t[k].kind === 'num' && digits < most; k--) digits += t[k].lower.length;
    return digits;
  }

  /** "March 14, 1985", "march fourteenth nineteen eighty five", "the 3rd of May", "august twenty seven". */
  private monthDates(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      if ((t[i].lex & LEX_MONTH) === 0) continue;
      // "may" is a month only next to a number.
      if (t[i].lower === 'may' || t[i].lower === 'mar' || t[i].lower === 'dec' || t[i].lower === 'jan') {
        const n = t[i + 1];
        const p = t[i - 1];
        const numberish = n !== undefined && (n.kind === 'num' || (n.lex & (LEX_NUMBER | LEX_ORDINAL)) !== 0);
        if (!numberish && !(p && ((p.lex & (LEX_ORDINAL | LEX_ORDINAL_SUFFIX)) !== 0 || p.lower === 'of'))) continue;
      }
      const last = dateAfterMonthEnd(t, i + 1) - 1;
      // Before the month, a day: a written one of 1-2 digits, or at most two words read as digits.
      let first = i;
      let k = i - 1;
      let numbers = 0;
      let digitWords = 0;
      while (k >= 0 && i - k <= 4 && isDatePart(t[k]) && t[k].lower !== ',') {
        if (t[k].kind === 'num' ? t[k].end - t[k].start > 2 || ++numbers > 1 : readsDigit(t[k]) && ++digitWords > 2) break;
        if (t[k].kind !== 'punct' && t[k].lower !== 'of' && t[k].lower !== 'the') first = k;
        k--;
      }
      if (first === i && last === i) continue;
      // Spoken when a word other than a month or an ordinal suffix is part of it ("march fifth").
      let spoken = false;
      for (let j = first; j <= last && !spoken; j++) spoken = t[j].kind === 'word' && (t[j].lex & (LEX_MONTH | LEX_ORDINAL_SUFFIX)) === 0;
      this.dateEntity(t[first].start, t[last].end, spoken ? 'spoken' : 'written', 'month-date');
      i = last;
    }
  }

  // ---------------------------------------------------------------- addresses, ZIP

  /** "<number> <1-4 words> <street suffix> [apt|suite|unit X]", digits written or spoken. */
  private addresses(): void {
    const t = this.tokens;
    let runs: DigitRun[] | undefined;
    for (let k = 2; k < t.length; k++) {
      if ((t[k].lex & LEX_STREET) === 0) continue;
      runs ??= this.runs();
      // Find a digit run ending 1-5 word tokens before the suffix, with only name-like words between.
      let start = -1;
      let form: 'written' | 'spoken' = 'written';
      for (let j = k - 1, words = 0; j >= 0 && words <= 5; j--) {
        const run = runWithToken(runs, j, 'last');
        if (run && words >= 1) {
          start = run.start;
          form = run.form;
          break;
        }
        const x = t[j];
        if (x.kind === 'punct' && x.lower !== '.' && x.lower !== '-') break;
        if (x.kind === 'word') {
          // Street names can be ordinary words ("oak", "main"), but not function words.
          if ((x.lex & LEX_NOT_STREET_NAME) !== 0) break;
          words++;
        }
      }
      if (start < 0) continue;
      let end = t[k].end;
      let next = k + 1;
      if (t[next]?.lower === '.') next++;
      if (t[next]?.lower === ',') next++;
      if (t[next] && ((t[next].lex & LEX_UNIT) !== 0 || t[next].lower === '#')) {
        const unitTok = t[next + 1]?.lower === 'number' ? next + 2 : next + 1;
        const u = t[unitTok];
        if (u && (u.kind === 'num' || u.kind === 'word')) {
          const run = runWithToken(runs, unitTok, 'first');
          let last = run ? run.lastToken : unitTok;
          // The unit's letter: written on ("3b") or read after the number ("three b").
          if (isLetterToken(t[last + 1]) && (!t[last + 1].spaced || run?.form === 'spoken')) last++;
          end = t[last].end;
        }
      }
      const i0 = this.tokenIndexAt(start);
      const ctx = this.contextNear(i0, k);
      const raw = this.text.slice(start, end);
      if (this.add('ADDRESS', start, end, this.boost(0.75, 'ADDRESS', ctx), form, raw.toLowerCase().replace(/\s+/g, ' '), 'street')) this.claim(start, end);
    }
  }

  private stateZips(): void {
    const state = STATE_ZIP_RE;
    state.lastIndex = 0;
    for (let m = state.exec(this.text); m !== null; m = state.exec(this.text)) {
      const s = m.index + m[0].length - m[1].length;
      if (this.add('ZIP', s, s + m[1].length, 0.8, 'written', digitsOf(m[1]), 'state+zip')) this.claim(s, s + m[1].length);
    }
  }

  private postcodes(): void {
    const uk = UK_POSTCODE_RE;
    uk.lastIndex = 0;
    for (let m = uk.exec(this.text); m !== null; m = uk.exec(this.text)) {
      const i = this.tokenIndexAt(m.index);
      if (!this.contextNear(i, i).has('ZIP')) continue;
      if (this.add('ZIP', m.index, m.index + m[0].length, 0.85, 'written', m[0].replace(/ /g, '').toLowerCase(), 'postcode+context')) this.claim(m.index, m.index + m[0].length);
    }
  }

  // ---------------------------------------------------------------- names

  private names(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      if ((t[i].lex & LEX_INTRO) === 0) continue;
      // An introduction is a word on its own or a first word followed by its second ("my name").
      if ((t[i].lex & LEX_INTRO_ALONE) === 0 && (i + 1 === t.length || (t[i + 1].lex & LEX_INTRO_NEXT) === 0)) continue;
      const intros = INTROS_BY_FIRST.get(t[i].lower);
      if (intros === undefined) continue;
      for (const intro of intros) {
        const n = intro.words.length;
        let ok = true;
        for (let k = 1; k < n && ok; k++) ok = t[i + k]?.lower === intro.words[k];
        if (!ok) continue;
        let j = i + n;
        if (t[j]?.lower === '.' && TITLES.has(intro.words[0])) j++;
        const first = j;
        let last = -1;
        for (let count = 0; count < 3 && j < t.length; count++) {
          const x = t[j];
          if (isLetterToken(x) && (intro.strong || x.capital)) {
            // Letters read out as the first name ("my name is r o b e r t chen"), or an initial before
            // the next name word ("Robert J. Chen", "j robert chen": it is in the name only when that
            // word is; "a" and "i" only with their full stop).
            const runEnd = letterRunEnd(t, j);
            if (count === 0 && spellsName(t, j, runEnd)) {
              last = runEnd;
              j = runEnd + 1;
              continue;
            }
            const stop = t[j + 1]?.lower === '.' && !t[j + 1].spaced;
            if (runEnd === j && (stop || !isWordOrZeroLetter(x.lower))) {
              j += stop ? 2 : 1;
              continue;
            }
            break;
          }
          if (x.kind !== 'word' || (x.lex & (LEX_NAME_STOP | LEX_NUMBER)) !== 0 || x.end - x.start < 2) break;
          if (!x.capital && (!intro.strong || (count > 0 && x.lower.length < 2))) break;
          if (!intro.strong && count === 0 && !x.capital) break;
          last = j;
          j++;
          // "Mary-Jane", "O'Neil" (apostrophes are inside the token already)
          if (t[j]?.lower === '-' && !t[j].spaced && t[j + 1]?.kind === 'word' && !t[j + 1].spaced) j++;
        }
        if (last < 0) continue;
        const start = t[first].start;
        const end = t[last].end;
        if (this.add('NAME', start, end, intro.strong ? 0.85 : 0.65, 'written', this.text.slice(start, end).toLowerCase(), 'introduction')) this.claim(start, end);
        i = last;
        break;
      }
    }
  }

  /** Names spelled letter by letter: "s m i t h", "S-M-I-T-H", "j. o. h. n.". */
  private spelledNames(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      if (!isLetterToken(t[i])) continue;
      const last = letterRunEnd(t, i);
      if (spellsName(t, i, last)) {
        const start = t[i].start;
        const end = t[last].end;
        if (!this.isClaimed(start, end)) {
          const letters = spelledLetters(t, i, last);
          if (this.add('NAME', start, end, 0.75, 'spoken', letters, 'spelled')) this.claim(start, end);
          (this.spelledEnds ??= []).push(last);
          this.spelledWord(i, letters);
        }
      }
      i = last;
    }
  }

  /**
   * The word a spelling spells, said right before it ("whitfield, w h i t f i e l d", "chen, that's c h e
   * n"), is a name too, with up to two name-looking words before it ("dana whitfield, w h i ...").
   * `first`: the spelling's first token.
   */
  private spelledWord(first: number, letters: string): void {
    const t = this.tokens;
    let k = first - 1;
    while (k >= 0 && first - k <= 3 && (t[k].kind === 'punct' || SPELLING_LEAD.has(t[k].lower))) k--;
    const said = tokenAt(t, k);
    if (said === undefined || said.kind !== 'word' || said.lower !== letters || this.isClaimed(said.start, said.end)) return;
    let from = k;
    while (from > 0 && k - from < 2) {
      const x = t[from - 1];
      if (x.kind !== 'word' || (x.lex & (LEX_NAME_STOP | LEX_NUMBER)) !== 0 || x.end - x.start < 2 || NOT_NAME.has(x.lower) || this.isClaimed(x.start, x.end)) break;
      from--;
    }
    const start = t[from].start;
    if (this.add('NAME', start, said.end, 0.75, 'written', this.text.slice(start, said.end).toLowerCase(), 'spelled')) this.claim(start, said.end);
  }

  /** A name found earlier in the conversation ("my name is Dana ...") is redacted wherever it recurs ("thanks Dana"). */
  private knownNames(names: KnownNames): void {
    for (const x of this.tokens) {
      if (x.kind !== 'word' || !names.has(x.lower) || this.isClaimed(x.start, x.end)) continue;
      if (this.add('NAME', x.start, x.end, 0.8, 'written', x.lower, 'seen-before')) this.claim(x.start, x.end);
    }
  }

  // ---------------------------------------------------------------- custom patterns, deny list

  private customAndDeny(): void {
    for (const p of this.d.customPatterns) {
      p.re.lastIndex = 0;
      for (let m = p.re.exec(this.text); m !== null; m = p.re.exec(this.text)) {
        if (m[0].length === 0) {
          p.re.lastIndex++;
          continue;
        }
        if (this.add('CUSTOM', m.index, m.index + m[0].length, p.score, 'written', m[0].toLowerCase(), 'custom', p.name)) this.claim(m.index, m.index + m[0].length);
      }
    }
    const deny = this.d.denyRe;
    if (deny) {
      deny.lastIndex = 0;
      for (let m = deny.exec(this.text); m !== null; m = deny.exec(this.text)) {
        if (this.add('CUSTOM', m.index, m.index + m[0].length, 1, 'written', m[0].toLowerCase(), 'deny-list')) this.claim(m.index, m.index + m[0].length);
      }
    }
  }

  // ---------------------------------------------------------------- digit runs

  private runCache?: DigitRun[];
  private runs(): DigitRun[] {
    if (!this.runCache) {
      // Without spoken forms, number words are not read at all: a run of them beside written digits
      // ("twenty 4111 1111 1111 1111") once made the whole run spoken, and it was dropped with the card.
      this.runCache = new SpokenNumberParser(this.text, this.tokens, !this.o.spoken).runs();
    }
    return this.runCache;
  }

  private digitRuns(): void {
    const runs = this.runs();
    const t = this.tokens;
    const tail = this.lastSubstantialToken();
    if (runs.length >= 2) {
      this.bridgedValues(runs, tail);
      // (A number going on from the previous final is the continuation's: its first run continues it.
      // An expiry, a date of birth, a CVV... asked for or mentioned types its own runs.)
      if (this.carry.pending === undefined && runs[runs.length - 1].lastToken >= tail && this.onlyNumberContexts()) this.openChainAtEnd(runs, tail);
      this.markJoinedNumbers(runs, tail);
    }
    // The type and digits so far of a number going on from the previous final, while its groups are
    // written against each other with marks ("6338«9367"): its later groups are its own, even when the
    // digits so far passed a check by chance (an SSN, a card) and the chains cannot tell.
    let continued: EntityType | undefined;
    let continuedDigits = '';
    // The previous run when it was classified as safe (listedYear reads it).
    let safeBefore: DigitRun | undefined;
    for (let n = 0; n < runs.length; n++) {
      const run = runs[n];
      const pending = this.carry.pending;
      const previousSafe = safeBefore;
      safeBefore = undefined;
      if (this.isClaimed(run.start, run.end)) {
        // (A chain going on from the previous final claimed it: "3503・ 4280" completing a card.)
        const chain = pending !== undefined ? this.continuationOver(run) : undefined;
        continued = chain?.type;
        if (chain !== undefined) continuedDigits = pending!.digits + chain.normalized;
        continue;
      }
      const atEnd = run.lastToken >= tail;
      if (continued !== undefined && this.joinedByMarks(runs[n - 1], run)) {
        this.emitRun(run, 0, run.digits.length, continued, 0.9, 'continuation');
        continuedDigits += run.digits;
        if (atEnd) this.trailing = { type: continued, digits: continuedDigits.slice(-32), complete: false };
        continue;
      }
      continued = undefined;
      // After a complete value (a Luhn-valid card, a CVV...) only a digit-by-digit run continues it.
      const continuation =
        n === 0 &&
        pending !== undefined &&
        isOpenType(pending.type) &&
        this.leadsWith(run.firstToken, true) &&
        (!pending.complete || (!run.grouped && run.singleDigits === run.digits.length && run.digits.length >= 2)) &&
        // "one moment", "two minutes": a lone number word followed by more words is speech, not digits.
        !(run.digits.length === 1 && t[run.lastToken + 1]?.kind === 'word' && (t[run.lastToken + 1].lex & LEX_FILLER_WORD) === 0);
      this.runComplete = false;
      const type = this.classifyRun(run, atEnd, continuation, previousSafe);
      if (type === null) safeBefore = run;
      const digits = continuation && !pending!.complete ? pending!.digits + run.digits : run.digits;
      if (continuation && type !== null && type !== undefined) {
        continued = type;
        continuedDigits = digits;
      }
      if (atEnd && type !== null) {
        const t = type === undefined ? 'NUMBER' : type;
        const complete = this.runComplete || !isOpenType(t);
        this.trailing = { type: t, digits: digits.slice(-32), complete };
      }
    }
  }

  /**
   * A card, SSN or US phone number read in groups with words between them: "4111 and 1111 and 1111
   * and 1111", "five three six and twenty two and nine oh one seven", "4111 hold on 1111 ...". Runs of
   * 2 or more digits with only fillers, acknowledgements and pauses between them ("and", "then", "hold
   * on") are one value when their digits together pass its check: a card's prefix, length and Luhn
   * digit; an SSN's rules, split after its third digit and at most at its fifth and seventh; a phone
   * number split 3-3-4. The check keeps "12 and 15" apart; each group alone was a short number that
   * leaked (and a card's groups were 4 digits each in the clear).
   */
  private bridgedValues(runs: DigitRun[], tail: number): void {
    const pending = this.carry.pending;
    let chains: CheckedChain[] | undefined;
    for (let n = 0; n < runs.length - 1; n++) {
      const first = runs[n];
      // Most runs have words between them: that test first.
      if (!this.bridgeBetween(first.lastToken, runs[n + 1].firstToken, true)) continue;
      if (first.digits.length < 2 || this.isClaimed(first.start, first.end) || this.isClockPart(first)) continue;
      chains ??= [];
      chains.length = 0;
      // The first run may go on with a number the speaker's previous final left open ("4111 1111" /
      // "1111 and 1111 thanks"): its digits lead the chain, and the break between the finals is a cut.
      // The open digits may start with a word read as a number ("two 4111" / ...): their tails too.
      const lead = n === 0 && this.continuesPending(first.firstToken) ? pending!.digits : '';
      let leadUsed = '';
      for (let from = 0; from < lead.length && chains.length === 0; from++) {
        leadUsed = lead.slice(from);
        // (Open digits hold no layout: five or six of them are taken for an SSN's area and group or a phone's area code and exchange.)
        const leadCuts = leadUsed.length === 5 ? [3, 5] : leadUsed.length === 6 ? [3, 6] : [leadUsed.length];
        this.checkedChains(runs, n, leadUsed + first.digits, [...leadCuts, ...this.groupCuts(first, leadUsed.length)], -1, chains);
      }
      if (chains.length === 0) {
        leadUsed = '';
        this.chainsFromRun(runs, n, chains);
      }
      this.chainsFromLaterGroups(runs, n, chains);
      // The chain that goes furthest. Amounts and quantities read in parts ("$4000 and 4500 and ...
      // dollars") stay, unless a number was asked for.
      const expected = chains.length > 0 && this.numberExpected();
      let chain: CheckedChain | undefined;
      for (const c of chains) {
        if (chain !== undefined && (c.last < chain.last || (c.last === chain.last && c.lastDigits <= chain.lastDigits))) continue;
        // No chain starts inside another value: the groups of a run that an IBAN ends in ("GB82 WEST
        // 1234 5698 7654 32 1111 : 6011/0000/...") once passed a check with "1111 : 6011" by chance,
        // merged into the IBAN and took the card's first group from it (0000 stayed).
        const startsAt = c.fromToken >= 0 ? this.tokens[c.fromToken].start : first.start;
        if (this.overlapsClaimed(startsAt, startsAt + 1)) continue;
        if (!expected && this.amountMarked(c.fromToken >= 0 ? c.fromToken : first.firstToken, c.lastToken)) continue;
        chain = c;
      }
      if (chain === undefined) continue;
      // A chain from one of its later runs (whole or from a later group) that goes further and covers as
      // many digits of this text wins: "five thirty okay twenty 4000/0000/0000/0002" passes as an SSN
      // (530, 204000), but the card is 4000 0000 0000 0002. (A chain that passed by chance further on,
      // "4735/6041/6142/3549 okay nine thirty", covers fewer.)
      // As many digits, both passed a check: the runs before the later chain are redacted with it
      // ("4222/2221/0000/0003 / 1111": 2221 0000 0003 1111 passes as a card too, and 4222 stayed). So
      // are they after a card, whatever the later chain covers: a card's check is no chance one, and
      // "6011/6000/0000/0001 : forty two 1111" passed as an 18-digit card from 6000 on (6011 stayed).
      const covered = chain.digits.length - (chain.fromToken < 0 ? leadUsed.length : 0);
      let further = -1;
      let furtherDigits = 0;
      for (let j = n + 1; j <= chain.last && further < 0 && chain.last < runs.length - 1; j++) {
        furtherDigits = this.chainGoesPast(runs, j, chain.last);
        if (furtherDigits >= covered) further = j;
      }
      if (further >= 0) {
        if (furtherDigits === covered || chain.type === 'CARD') {
          const start = chain.fromToken >= 0 ? this.tokens[chain.fromToken].start : first.start;
          const end = runs[further - 1].end;
          if (this.add(chain.type, start, end, chain.type === 'CARD' ? 1 : 0.9, runsForm(runs, n, further - 1), runDigits(runs, n, further - 1), 'bridged')) this.claim(start, end);
        }
        n = further - 1;
        continue;
      }
      const last = runs[chain.last];
      const lastWhole = chain.lastDigits === last.digits.length;
      const start = chain.fromToken >= 0 ? this.tokens[chain.fromToken].start : first.start;
      const end = lastWhole ? last.end : this.tokens[chain.lastToken].end;
      const fromLead = chain.fromToken < 0 && leadUsed.length > 0;
      // (Going on from the previous final, it is reported as the continuation it is: its tag is the first part's.)
      if (this.add(chain.type, start, end, chain.type === 'CARD' ? 1 : 0.9, runsForm(runs, n, chain.last), fromLead ? chain.digits.slice(leadUsed.length) : chain.digits, fromLead ? 'continuation' : 'bridged')) this.claim(start, end);
      // Ending the text, the value is carried as complete: digits read one by one in the next final
      // still continue it (the check may have passed on a chain that the next final goes on from).
      if (chain.last === runs.length - 1 && lastWhole && last.lastToken >= tail) this.trailing = { type: chain.type, digits: chain.digits.slice(-32), complete: true };
      n = chain.last;
    }
  }

  /**
   * The most digits of a chain that passes a check, starts in runs[n] (whole, or at one of its later
   * written groups) and ends past runs[past]; 0 for none.
   */
  private chainGoesPast(runs: DigitRun[], n: number, past: number): number {
    const run = runs[n];
    if (run.digits.length < 2 || !this.bridgeBetween(run.lastToken, runs[n + 1].firstToken, true)) return 0;
    const found: CheckedChain[] = [];
    this.chainsFromRun(runs, n, found);
    this.chainsFromLaterGroups(runs, n, found);
    let most = 0;
    for (const c of found) if (c.last > past && c.digits.length > most) most = c.digits.length;
    return most;
  }

  /**
   * checkedChains from each later written group ending runs[n], after a space: "march 5
   * 4000/0000/0000/0002" reads "5 4000" as one run, "at 10:30 5566/4189/..." "30 5566", "$12 587 20/3349"
   * "12 587 20", "forty two 001/01/0001" 42001 (not "1,250": an amount's last digits).
   */
  private chainsFromLaterGroups(runs: DigitRun[], n: number, out: CheckedChain[]): void {
    const run = runs[n];
    let groupDigits = '';
    for (let k = run.lastToken; k > run.firstToken; k--) {
      const group = this.tokens[k];
      if (group.kind === 'word') break;
      if (group.kind !== 'num') continue;
      groupDigits = group.lower + groupDigits;
      if (group.spaced) this.checkedChains(runs, n, groupDigits, this.groupCuts(run, 0, k), k, out);
    }
  }

  /**
   * Where a written run's groups meet ("234 37", "713,494": [3]), from its token `fromToken` on (default
   * its first), as digit counts from the start of a chain whose digits before them number `offset`;
   * none for a spoken run from its start (its items are not groups).
   */
  private groupCuts(run: DigitRun, offset: number, fromToken = run.firstToken): readonly number[] {
    // (An amount's cents are no group: "$245.02" then "5409" is no SSN.)
    // (From a later token, only written groups follow: callers start at one after the run's last word.)
    if ((run.form !== 'written' && fromToken === run.firstToken) || fromToken === run.lastToken || (run.form === 'written' && isAmountLayout(run) && run.separators.includes('.'))) return NO_CUTS;
    const out: number[] = [];
    let at = offset;
    for (let k = fromToken; k < run.lastToken; k++) {
      const x = this.tokens[k];
      if (x.kind !== 'num') continue;
      at += x.lower.length;
      out.push(at);
    }
    return out;
  }

  /** checkedChains from the whole of runs[n], with its groups' cuts, and for a spoken run spokenChains. */
  private chainsFromRun(runs: DigitRun[], n: number, out: CheckedChain[]): void {
    const run = runs[n];
    this.checkedChains(runs, n, run.digits, this.groupCuts(run, 0), -1, out);
    this.spokenChains(runs, n, out);
  }

  /**
   * checkedChains of runs[n] again when it is spoken, cut after its third digit where an item of the
   * reading starts: an SSN's area and group read as one run ("five three six two two and 9017", "one
   * two oh 87 I mean 4707", "six seven one ninety four then ...") pass only with that cut, and so do a
   * phone number's area code and exchange. A reading shows no groups (a filler or a mark may fall
   * anywhere: "zero uh zero uh one zero uh one"); "twenty twenty two" and "two hundred" are no reading.
   * Read without the cut first, as before: it adds layouts and removes none. Only a chain that ends the
   * reading counts: with groups bridged after it, it passed by chance on a stray digit before the
   * value ("7 three five six one , 7244 , 4335 , 6563" as an SSN, 4335 left), where all of them
   * together were one number.
   */
  private spokenChains(runs: DigitRun[], n: number, out: CheckedChain[]): void {
    const run = runs[n];
    if (run.form === 'written' || run.digits.length <= 3 || run.multiplied || !run.boundaries.includes(3)) return;
    const from = out.length;
    this.checkedChains(runs, n, run.digits, AFTER_THIRD_DIGIT, -1, out);
    let kept = from;
    for (let k = from; k < out.length; k++) {
      const c = out[k];
      const last = runs[c.last];
      const ends = c.lastDigits === last.digits.length && (c.last === runs.length - 1 || !this.bridgeBetween(last.lastToken, runs[c.last + 1].firstToken, true));
      if (ends) out[kept++] = c;
    }
    out.length = kept;
  }

  /**
   * Adds to `out` every chain of runs[n + 1...] after `digits` (runs[n]'s, maybe after a lead, or its
   * last written group's) that passes a check, shortest first ("4111 and 1111 and 1111 and 1111" may
   * pass as 12 digits too). A chain's last run counts whole, or only its first written group when the
   * run goes on with a number of its own ("... 0002 forty two" reads 000242). `cuts`: where the groups
   * within `digits` meet, as digit counts from the start (SSN and phone layouts).
   */
  private checkedChains(runs: DigitRun[], n: number, digits: string, cuts: readonly number[], fromToken: number, out: CheckedChain[]): void {
    // An SSN is split after its area (3) and group (5), a US phone number after its area code (3) and
    // exchange (6): the first cut, wherever it is, must be the third digit's.
    let cutCount = cuts.length;
    let firstCut = cuts.length > 0 ? cuts[0] : -1;
    let cutsAllowSsn = true;
    let cutsAllowPhone = true;
    for (const c of cuts) {
      if (!isSsnCut(c)) cutsAllowSsn = false;
      if (!isPhoneCut(c)) cutsAllowPhone = false;
    }
    for (let m = n + 1; m < runs.length && m - n < 8; m++) {
      const run = runs[m];
      // (The bridge before runs[n + 1] was tested by the caller.)
      if (run.digits.length < 2 || this.isClaimed(run.start, run.end) || this.isClockPart(run) || (m > n + 1 && !this.bridgeBetween(runs[m - 1].lastToken, run.firstToken, true))) break;
      // Nor through another value: "192.168.0.1 1111" is one run, and its first groups are an IP
      // address ("3714/500000/00008 okay 192.168.0.1 1111" passed as a card through it, and 3714 stayed).
      const partlyClaimed = this.overlapsClaimed(run.start, run.end);
      const cut = digits.length;
      cutCount++;
      if (firstCut < 0) firstCut = cut;
      if (!isSsnCut(cut)) cutsAllowSsn = false;
      if (!isPhoneCut(cut)) cutsAllowPhone = false;
      // The run's first written groups alone, when it goes on with a number of its own ("... 0002 forty
      // two", "... 0069 8127 2459 one"); not an amount's whole part ("... ? 12.50" is no account's group).
      if (run.firstToken !== run.lastToken && this.tokens[run.firstToken].kind === 'num' && !(run.form === 'written' && isAmountLayout(run))) {
        let prefix = '';
        let prefixCuts = cutCount;
        let prefixSsn = cutsAllowSsn;
        let prefixPhone = cutsAllowPhone;
        for (let k = run.firstToken; k < run.lastToken; k++) {
          const x = this.tokens[k];
          if (x.kind === 'word' || (partlyClaimed && this.overlapsClaimed(x.start, x.end))) break;
          if (x.kind !== 'num') continue;
          if (prefix.length > 0) {
            const c = digits.length + prefix.length;
            prefixCuts++;
            if (!isSsnCut(c)) prefixSsn = false;
            if (!isPhoneCut(c)) prefixPhone = false;
          }
          prefix += x.lower;
          const type = this.chainType(digits + prefix, prefixSsn && firstCut === 3, prefixPhone && firstCut === 3 && prefixCuts === 2);
          if (type !== undefined) out.push({ last: m, lastDigits: prefix.length, lastToken: k, type, digits: digits + prefix, fromToken });
        }
      }
      if (partlyClaimed) break;
      digits += run.digits;
      if (digits.length > 19) break;
      // The run's own groups are cuts too ("... / 555 2671" after "415").
      for (const c of this.groupCuts(run, cut)) {
        cutCount++;
        if (!isSsnCut(c)) cutsAllowSsn = false;
        if (!isPhoneCut(c)) cutsAllowPhone = false;
      }
      const type = this.chainType(digits, cutsAllowSsn && firstCut === 3, cutsAllowPhone && firstCut === 3 && cutCount === 2);
      if (type !== undefined) out.push({ last: m, lastDigits: run.digits.length, lastToken: run.lastToken, type, digits, fromToken });
    }
  }

  /** The type of a chain's digits when they pass a check: a card; an SSN or a US phone number split where their groups meet. */
  private chainType(digits: string, ssnLayout: boolean, phoneLayout: boolean): EntityType | undefined {
    if (digits.length >= 12 && digits.length <= 19 && this.d.isEnabled('CARD') && isCardNumber(digits)) return 'CARD';
    if (digits.length === 9 && ssnLayout && this.d.isEnabled('SSN') && isValidSsn(digits)) return 'SSN';
    if (digits.length === 10 && phoneLayout && this.d.isEnabled('PHONE') && (this.o.defaultRegion === 'US' || this.o.defaultRegion === 'CA') && phoneValid(digits, this.o.defaultRegion)) return 'PHONE';
    return undefined;
  }

  /**
   * Groups with pauses between them that end the text and could be a card's first digits ("4111 and
   * 1111", "4111/1111"), an SSN's ("536/22/") or, written with marks only, a US phone number's
   * ("702/632"): one entity, carried open to the next final like a single run ending a text. Each group
   * alone was a short number in the middle of a sentence, and stayed: four digits of the card in the
   * clear once the next final completed it. Typed by the number asked for, if any, else NUMBER.
   */
  private openChainAtEnd(runs: DigitRun[], tail: number): void {
    const last = runs[runs.length - 1];
    if (last.lastToken < tail || last.digits.length < 2 || this.isClaimed(last.start, last.end) || this.isClockPart(last)) return;
    // The chain's first run, walking back over bridges: the earliest from which the digits could start
    // a value, from the run's start or from its last written group ("$12 4111 / 1111": "12 4111" is one run).
    let first = -1;
    // The token of runs[first] the chain starts at (a later written group), or -1: the run's start; and the chain's digits.
    let fromToken = -1;
    let chain = '';
    let digits = last.digits;
    const nanp = this.o.defaultRegion === 'US' || this.o.defaultRegion === 'CA';
    // A reader's corrections join groups here only where a number is expected, or between groups of
    // four digits or more, as a card's ("6011 I mean 5617" / "6855 1850"): "404 or 500" stays. (The
    // chain still starts only where its digits could start a value.)
    const expected = this.numberExpected();
    for (let k = runs.length - 2; k >= 0; k--) {
      const run = runs[k];
      const next = runs[k + 1];
      const corrections = expected || (run.digits.length >= 4 && next.digits.length >= 4);
      if (run.digits.length < 2 || this.isClaimed(run.start, run.end) || this.isClockPart(run) || !this.bridgeBetween(run.lastToken, next.firstToken, corrections)) break;
      // "ending in 4242 and 1881": the last four stay by setting, and start nothing.
      if (this.o.keepLastFour && run.digits.length <= 4 && this.lastFourBefore(run.firstToken)) break;
      let groupDigits = digits;
      for (let g = run.lastToken; g > run.firstToken; g--) {
        const group = this.tokens[g];
        if (group.kind === 'word') break;
        if (group.kind !== 'num') continue;
        groupDigits = group.lower + groupDigits;
        if (group.spaced && groupDigits.length >= 6 && couldStartCard(groupDigits)) {
          first = k;
          fromToken = g;
          chain = groupDigits;
        }
      }
      digits = run.digits + digits;
      if (digits.length >= 19) break;
      const marksOnly = next.firstToken === run.lastToken + 2 && this.tokens[run.lastToken + 1].kind === 'punct';
      if (
        (digits.length >= 6 && couldStartCard(digits)) ||
        (run.digits.length === 3 && next.digits.length === 2 && couldStartSsn(run.digits)) ||
        (marksOnly && nanp && run.digits.length === 3 && next.digits.length === 3 && run.digits.charCodeAt(0) >= 50)
      ) {
        first = k;
        fromToken = -1;
        chain = digits;
      }
    }
    if (first < 0) return;
    if (this.amountMarked(fromToken >= 0 ? fromToken : runs[first].firstToken, last.lastToken)) return;
    const form = runsForm(runs, first, runs.length - 1);
    let type: EntityType = 'NUMBER';
    for (const t of SENSITIVE_RUN_CONTEXTS) {
      if (this.expected(t) && this.d.isEnabled(t)) {
        type = t;
        break;
      }
    }
    const start = fromToken >= 0 ? this.tokens[fromToken].start : runs[first].start;
    if (this.add(type, start, last.end, type === 'NUMBER' ? 0.55 : 0.8, form, chain, type === 'NUMBER' ? 'digit-run' : 'context-chain')) this.claim(start, last.end);
    this.trailing = { type, digits: chain.slice(-32), complete: false };
  }

  /**
   * Index of the last token that is not punctuation, a filler or a pause ("let me see", "hold on"): a run
   * ending there may continue in the next final.
   */
  private lastSubstantialToken(): number {
    const t = this.tokens;
    let tail = t.length - 1;
    // (The "one" of "one sec" is a pause too: the parser reads no digit there.)
    while (tail >= 0 && (t[tail].kind === 'punct' || (t[tail].lex & (LEX_FILLER_WORD | LEX_BRIDGE | LEX_ACK)) !== 0 || isPauseOne(t, tail))) tail--;
    return tail;
  }

  /**
   * Tokens strictly between `from` and `to` are pauses: at most four words, each a filler, an
   * acknowledgement or a pause ("and", "okay", "hold on", "is"), and marks. Any mark but a currency or
   * percent sign (which starts or ends an amount): typed text separates a card's groups with '/', '_',
   * '*', '|', a Unicode minus or a middle dot as well as with dashes, and the value's check keeps other
   * numbers apart. `corrections`: a reader's corrections and hesitations count as pauses too ("4111 I
   * mean 1111", "or", "well"): where the joined digits must pass a value's check, or a number is
   * expected. Else "404 or 500" ending a text would be one open number.
   */
  private bridgeBetween(from: number, to: number, corrections = false): boolean {
    if (to - from - 1 > 10) return false;
    const pauses = corrections ? LEX_ACK | LEX_BRIDGE | LEX_CORRECTION | LEX_FILLER_WORD : LEX_ACK | LEX_BRIDGE | LEX_FILLER_WORD;
    let words = 0;
    for (let i = from + 1; i < to; i++) {
      const x = this.tokens[i];
      if (x.kind === 'punct' ? !CURRENCY_SYMBOLS.has(x.lower) : (x.lex & pauses) !== 0 && ++words <= 4) continue;
      // "one sec" (the parser reads no digit there).
      if (isPauseOne(this.tokens, i) && ++words <= 4) continue;
      return false;
    }
    return true;
  }

  /**
   * A currency symbol written against token `firstToken` (a number's first), or a currency or
   * quantity word after token `lastToken` (its last). Not for eight digits or more written with only
   * marks between their groups ("536/22/9017 GB", "4111 / 1111 / ..."): read as one written number, as
   * classifyRun reads "536-22-9017", they are no amount.
   */
  private amountMarked(firstToken: number, lastToken: number): boolean {
    const t = this.tokens;
    let digits = 0;
    let together = true;
    for (let k = firstToken; k <= lastToken && together; k++) {
      if (t[k].kind === 'num') digits += t[k].lower.length;
      else together = t[k].kind === 'punct';
    }
    if (together && digits >= 8) return false;
    const before = tokenAt(t, firstToken - 1);
    const after = tokenAt(t, lastToken + 1);
    return (before !== undefined && before.end === t[firstToken].start && CURRENCY_SYMBOLS.has(before.lower)) || (after !== undefined && (after.lower === '%' || (after.lex & (LEX_CURRENCY_AFTER | LEX_QUANTITY_AFTER)) !== 0));
  }

  /** The contexts mentioned or carried, if any, are all numbers read in groups (SENSITIVE_RUN_CONTEXTS). */
  private onlyNumberContexts(): boolean {
    if ((this.contextBits & ~SENSITIVE_RUN_BITS) !== 0) return false;
    const carried = this.carry.contexts;
    if (carried !== undefined) for (const t of carried) if (!SENSITIVE_RUN_CONTEXTS.includes(t)) return false;
    return true;
  }

  /** A card, SSN, phone, account or number was asked for in this text or before it, or a number is pending. */
  private numberExpected(): boolean {
    if (this.carry.pending !== undefined) return true;
    for (const type of SENSITIVE_RUN_CONTEXTS) if (this.expected(type)) return true;
    return false;
  }

  /** `withIdLetter`: a value asked for by context may start with a letter read before its digits. */
  private emitRun(run: DigitRun, from: number, to: number, type: EntityType, score: number, reason: string, withIdLetter = false): void {
    const start = run.sourceStart(from);
    const end = run.sourceEnd(to - 1);
    let s = start;
    // Include "(" or "+" written right before a phone number.
    if (type === 'PHONE' && from === 0) {
      const before = tokenAt(this.tokens, run.firstToken - 1);
      if (before && before.kind === 'punct' && (before.lower === '+' || before.lower === '(') && before.end === start) s = before.start;
    } else if (withIdLetter && from === 0) {
      // An identifier's letter read before its digits ("it's m one zero four four ...", a member number),
      // standing alone: at the start, after punctuation or after a function word.
      const before = tokenAt(this.tokens, run.firstToken - 1);
      const prev = tokenAt(this.tokens, run.firstToken - 2);
      if (before !== undefined && isLetterToken(before) && (before.lex & LEX_NAME_STOP) === 0 && (prev === undefined || prev.kind === 'punct' || (prev.lex & LEX_NAME_STOP) !== 0)) s = before.start;
    }
    this.add(type, s, end, score, run.form, run.digits.slice(from, to), reason);
  }

  /**
   * Classifies one run. Returns the type reported (undefined = not sensitive but may continue,
   * null = safe: must not be carried to the next utterance). `previousSafe`: the run before it, when
   * that run was classified as safe.
   */
  private classifyRun(run: DigitRun, atEnd: boolean, continuation: boolean, previousSafe: DigitRun | undefined): EntityType | undefined | null {
    const t = this.tokens;
    const digits = run.digits;
    const L = digits.length;
    // One or two digits inside a sentence ("one moment", "2 cars") can be nothing but speech: every
    // rule below needs 3+ digits, the end of the text, or a continuation.
    if (L <= 2 && !atEnd && !continuation) return null;
    const before = tokenAt(t, run.firstToken - 1);
    // "which one", "the new one": a pronoun, also ending an answer to a question for a number.
    if (L === 1 && !continuation && before !== undefined && t[run.firstToken].lower === 'one' && BEFORE_PRONOUN_ONE.has(before.lower)) return null;
    // An area code said on its own before the rest of the number ("the area code is 415 and the number is 555 2671").
    if (L === 3 && this.d.isEnabled('PHONE') && this.afterAreaCode(run.firstToken)) {
      this.emitRun(run, 0, L, 'PHONE', 0.85, 'area-code');
      return 'PHONE';
    }
    const after = t[run.lastToken + 1];
    const afterWord = after?.kind === 'punct' && after.lower === '.' ? undefined : after;
    // Eight digits or more, as said in a call, are no amount or quantity (those come with separators:
    // "1,250,000"), whatever the word after them: they may hold a card, an SSN or a phone number
    // ("4111 1111 1111 1111 GB" is no quantity of gigabytes). The marker rules skip them, and the rest
    // of a number the same speaker was reading digit by digit ("4016 5558" / "5585 dollars"): a leak of
    // its digits costs more than an amount redacted. Grouped readings keep them ("nine thirty a m",
    // "thirty two degrees" right after an account number).
    // Six or seven digits said without "hundred" or "thousand" are read out too: an amount that long is
    // said with them ("fifty one eighty one uh zero uh zero uh zero GB", an SSN read in pairs with
    // "fifty, one" heard as fifty-one, stayed; found by the split-numbers property).
    const markersApply = L < 8 && !(continuation && !run.grouped) && !(L >= 6 && run.form === 'spoken' && !run.multiplied);
    // 1. Explicit money / percent markers: safe; not a run of six or seven digits beside a card or SSN
    // question or mention (an SSN read in pairs, "ten twenty one two ninety one", before "percent"), nor
    // one that starts with a zero, as no amount does ("zero zero twenty one zero ninety one dollars", an
    // SSN read in pairs: "twenty one" was twenty, one).
    if (markersApply && after && (after.lower === '%' || (after.lex & LEX_CURRENCY_AFTER) !== 0) && !(L >= 3 && digits.charCodeAt(0) === 48)) {
      if (L < 6) return null;
      const near = this.contextNear(run.firstToken, run.lastToken);
      if (!near.has('CARD') && !near.has('SSN')) return null;
    }
    if (markersApply && before !== undefined && before.end === run.start && CURRENCY_SYMBOLS.has(before.lower)) {
      // The sign marks the group written against it; written groups after a space are a number of
      // their own ("$12 4111" / "1111 ...": the card's first group stayed).
      // (The amount may have thousands and cents: "$1,200 169", "$45.50 404".)
      let amountEnd = run.firstToken;
      let from = t[amountEnd].lower.length;
      while (amountEnd + 2 <= run.lastToken && (t[amountEnd + 1].lower === ',' || t[amountEnd + 1].lower === '.') && !t[amountEnd + 1].spaced && t[amountEnd + 2].kind === 'num' && !t[amountEnd + 2].spaced) {
        amountEnd += 2;
        from += t[amountEnd].lower.length;
      }
      const second = t[amountEnd + 1];
      if (run.form !== 'written' || second === undefined || second.kind !== 'num' || !second.spaced || amountEnd + 1 > run.lastToken) return null;
      if (L - from < 3 || (L - from < 4 && !atEnd)) return null;
      this.emitRun(run, from, L, 'NUMBER', 0.55, 'digit-run');
      return 'NUMBER';
    }
    // 2. A last-four reference ("ending in four two four two"), kept by setting.
    if (this.o.keepLastFour && L <= 4 && this.lastFourBefore(run.firstToken)) return null;
    const ctx = this.contextNear(run.firstToken, run.lastToken);
    // 3. Times and quantities ("nine thirty a m", "25 units", "around five thirty") are never digits of a number.
    if (L <= 4 && before !== undefined && (before.lex & LEX_TIME_CUE) !== 0) return null;
    // Nor is a run of six or seven digits beside a card or SSN question or mention a quantity
    // ("zero thirty seven zero thirty one uh zero GB...").
    if (markersApply && (L < 6 || (!ctx.has('CARD') && !ctx.has('SSN'))) && afterWord && ((afterWord.lex & LEX_QUANTITY_AFTER) !== 0 || this.isAmPm(run.lastToken + 1))) return null;
    if (this.isClockPart(run)) return null;
    // 4. A card completed by this run, then a complete value on its own (card, SSN, phone), then a continuation.
    if (continuation && isCardNumber(this.carry.pending!.digits + digits)) {
      this.emitRun(run, 0, L, 'CARD', 0.9, 'continuation');
      this.runComplete = true;
      return 'CARD';
    }
    const validated = this.validatedRun(run, ctx);
    if (validated) return validated;
    // 4b. Digits read right after a spelled name belong to what is spelled (an email's local part, a user id).
    if (!continuation && this.spelledEnds !== undefined && this.spelledEnds.includes(run.firstToken - 1)) {
      this.emitRun(run, 0, L, 'NUMBER', 0.75, 'after-spelled');
      return 'NUMBER';
    }
    // 5. Continuation of a sensitive run from the same speaker's previous utterance.
    if (continuation) {
      const pending = this.carry.pending!;
      const combined = pending.digits + digits;
      // After a complete value (an SSN read in full) more digits are something new, not more of it.
      let type: EntityType = pending.complete ? 'NUMBER' : pending.type;
      // (combined itself is no card: step 4.)
      if (endsWithCardNumber(combined)) {
        type = 'CARD';
        this.runComplete = true;
      } else if (combined.length === 9 && (type === 'NUMBER' || type === 'SSN') && this.d.isEnabled('SSN') && isValidSsn(combined)) {
        // (Only a type that is on completes the number: with SSNs off, nine digits may still be a card's first.)
        type = 'SSN';
        this.runComplete = true;
      } else if ((type === 'NUMBER' || type === 'PHONE') && combined.length >= 10 && combined.length <= 11 && this.d.isEnabled('PHONE') && this.validPhone(combined, false)) {
        type = 'PHONE';
        this.runComplete = true;
      }
      const effective = this.d.isEnabled(type) ? type : 'NUMBER';
      this.emitRun(run, 0, L, effective, 0.9, 'continuation');
      return effective;
    }
    // A year after "in", "since"...: read by the rules below (6 and 7).
    const yearCue = before !== undefined && (before.lex & LEX_YEAR_CUE) !== 0;
    // 6. Typed by a context word in this text, unless the text only says something about a card, an
    // account or a phone (an amount, a year).
    const near = this.contextNear(run.firstToken, run.lastToken, false);
    if (near.size > 0 && this.saidAboutMentioned(run, near, yearCue)) return null;
    const contextual = this.contextualType(L, near, atEnd);
    if (contextual) {
      this.emitRun(run, 0, L, contextual.type, contextual.score, CONTEXT_REASON[typeIndex(contextual.type)], true);
      return contextual.type;
    }
    // 7. Safe shapes: amounts written with thousands separators or decimals ("1,250", "12.50"), dates, years.
    if (run.form === 'written' && isAmountLayout(run)) return null;
    if (after && (after.lex & LEX_ORDINAL_SUFFIX) !== 0 && !after.spaced) return null;
    // A day or a year beside a month ("march 5", "5 march", "june 2024", "twenty fifth of"), not a longer
    // run that starts with the day ("on march 5 536 22 9017": the run is 5536229017) nor digits read
    // one by one ("... two four two seven five three march fifth").
    const dateLike = L <= 6 && (run.form === 'written' ? run.writtenGroupCount <= 2 && this.writtenDateNumbers(run) : run.singleDigits <= 2);
    if (dateLike && ((before && (before.lex & LEX_MONTH) !== 0) || (afterWord && (afterWord.lex & LEX_MONTH) !== 0))) return null;
    if (yearCue && L === 4) return null;
    // 8. Typed by a context carried from the previous utterances (a short answer to a question).
    const carried = this.contextualType(L, ctx, atEnd);
    if (carried) {
      this.emitRun(run, 0, L, carried.type, carried.score, CARRIED_REASON[typeIndex(carried.type)], true);
      return carried.type;
    }
    if (L === 4 && (run.grouped || (run.writtenGroupCount === 1 && (yearCue || this.listedYear(run, previousSafe)))) && isYear(Number(digits))) return null;
    // Years listed ("in 2019, 2020 and 2021", "the years 1984 1985 1986") read as years, as after "in":
    // no card starts with 19 or 20 (an SSN's area may, and stays so, as after "in"). Only with nothing
    // carried.
    if (L >= 8 && this.nothingCarried() && writtenYears(run)) return null;
    // Grouped readings of up to 5 digits are prices, times and years ("forty nine ninety nine");
    // longer ones ("forty one eleven eleven") are numbers being read out, and so is a number word
    // before three written digits ("forty 792" / "31 / 9763": the SSN's serial was left).
    if (run.form === 'spoken' && run.grouped && run.singleDigits < 4 && L < 6 && !this.hasWrittenGroup(run, 3)) return null;
    // 9. Unidentified runs that could be (part of) a card, SSN or phone number.
    const digitByDigit = run.singleDigits >= 4;
    const written = run.form === 'written';
    const suspicious = digitByDigit && (!written || L >= 6 || run.writtenGroupCount >= 2 || atEnd);
    if (suspicious || (L >= 7 && !run.grouped) || (L >= 6 && run.grouped)) {
      this.emitRun(run, 0, L, 'NUMBER', 0.55, 'digit-run');
      return 'NUMBER';
    }
    // A short run ending the utterance may be the start of a number read over several utterances.
    return atEnd && run.singleDigits >= 1 ? undefined : null;
  }

  /**
   * No context carried from earlier utterances (a question, a mention) and no number left open by the
   * speaker's previous final: the rules that read years and amounts as such apply only then.
   */
  private nothingCarried(): boolean {
    const carried = this.carry.contexts;
    return this.carry.pending === undefined && (carried === undefined || carried.size === 0);
  }

  /**
   * A written year listed after another ("in 2019 and 2020", "from 2019 to 2021", "2019 or 2020"): the
   * word before it joins a list and the run before that word is written years of 1900-2099 (one, or
   * several: writtenYears) that were read as safe. The year after the word is then read like one after
   * "in" (no card starts with 19 or 20); without this, "2020" ending a final was taken for the start of
   * a number read over several. Not after a question or a mention, nor while the speaker's previous
   * final left a number open (nothingCarried).
   */
  private listedYear(run: DigitRun, previousSafe: DigitRun | undefined): boolean {
    if (previousSafe === undefined || previousSafe.lastToken !== run.firstToken - 2 || !this.nothingCarried()) return false;
    const joiner = this.tokens[run.firstToken - 1];
    if (joiner.kind !== 'word' || !YEAR_LIST_JOINERS.has(joiner.lower)) return false;
    return writtenYears(previousSafe);
  }

  /**
   * An amount with cents or a year after a year cue in a text that mentions a card, an account or
   * a phone and asks for no number ("my card was charged 45.99", "the account was opened in 2019"):
   * what is said about it, not its number, which is written in neither shape. Only with nothing asked
   * before and nothing pending (after "what's the card number?" such a run is still typed), and not
   * beside an expiry or a birth mention (they type their own dates) nor "number" or "digits".
   */
  private saidAboutMentioned(run: DigitRun, near: NearContexts, yearCue: boolean): boolean {
    if (run.form !== 'written' || !this.nothingCarried()) return false;
    let mentioned = 0;
    for (const type of MENTIONED_TYPES) if (near.has(type)) mentioned++;
    if (mentioned !== near.size) return false;
    if (amountWithCents(run)) return true;
    return yearCue && run.writtenGroupCount === 1 && writtenYears(run);
  }

  private validPhone(digits: string, plus: boolean): boolean {
    // North American numbering plan shortcut: libphonenumber-js rejects these shapes anyway, and
    // parsing costs tens of microseconds (most long runs in calls are not phone numbers).
    if (!plus && NANP_REGIONS.has(this.o.defaultRegion)) {
      const n = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
      if (n.length !== 10 || n[0] < '2' || n[3] < '2') return false;
    }
    return phoneValid(plus ? `+${digits}` : digits, this.o.defaultRegion);
  }

  /**
   * The hours or the minutes of a clock time written with a colon ("10:30", "9:05"): 1-2 digits, ':',
   * 2 digits, all written together. Only these: a colon after any number ("4111 1111 1111 1111: is
   * that right?") once made the whole number safe. Also either number of "24/7" (round the clock),
   * which after a card question was read as a card's digits.
   */
  private isClockPart(run: DigitRun): boolean {
    if (run.form !== 'written' || run.firstToken !== run.lastToken) return false;
    const t = this.tokens;
    const length = run.end - run.start;
    if (run.digits === '24' || run.digits === '7') {
      const first = run.digits === '24' ? run.firstToken : run.firstToken - 2;
      if (isRoundTheClock(t, first)) return true;
    }
    const colonAfter = t[run.lastToken + 1];
    if (length <= 2 && colonAfter !== undefined && colonAfter.lower === ':' && colonAfter.start === run.end) {
      const minutes = t[run.lastToken + 2];
      return minutes !== undefined && minutes.kind === 'num' && minutes.start === colonAfter.end && minutes.end - minutes.start === 2;
    }
    const colonBefore = tokenAt(t, run.firstToken - 1);
    if (length === 2 && colonBefore !== undefined && colonBefore.lower === ':' && colonBefore.end === run.start) {
      const hours = tokenAt(t, run.firstToken - 2);
      return hours !== undefined && hours.kind === 'num' && hours.end === colonBefore.start && hours.end - hours.start <= 2;
    }
    return false;
  }

  /**
   * Groups joined only by marks, written or spoken, are one number, as the same groups with spaces
   * between them are one run. Where a context types them, from five digits on, as it types a run ("019+
   * 98 $12" answering "your social?", "hold on 212]487 on 12/05" a phone): alone, a group of two or three
   * digits inside the text is nothing, and one of four before "GB" a quantity ("4884-2022!1724 GB" after
   * a card question left 1724). Elsewhere as a NUMBER from ten digits on ("2552/2622/9647 units",
   * "2552 ^2622 ^9647"): when no check passed on them, a card's first groups before a quantity word stayed.
   */
  private markJoinedNumbers(runs: DigitRun[], tail: number): void {
    const typed = this.contextCount > 0 || this.carry.contexts !== undefined;
    for (let n = 0; n < runs.length - 1; n++) {
      const first = runs[n];
      if (this.isClaimed(first.start, first.end) || isAmountLayout(first) || this.isClockPart(first)) continue;
      // (A number going on from the previous final is the continuation's, with its type and tag.)
      if (n === 0 && this.carry.pending !== undefined && this.leadsWith(first.firstToken, true)) continue;
      let m = n;
      let digits = first.digits.length;
      while (m + 1 < runs.length && !this.isClaimed(runs[m + 1].start, runs[m + 1].end) && this.joinedByMarks(runs[m], runs[m + 1])) digits += runs[++m].digits.length;
      if (m === n) continue;
      const last = runs[m];
      // As classifyRun types a run: by a context in the text, else by one carried (not two groups of
      // two: "50/50", "12/05" after a card question are a ratio and a date). Else ten digits or more are
      // a NUMBER, also where the contexts type no run: "about 3 minutes seven one three ,two four
      // seven·9089 at 2 pm" is no short answer to the phone question before it, and 9089 stayed.
      const atEnd = last.lastToken >= tail;
      let type: EntityType | undefined;
      let score = 0.55;
      let reason = 'digit-run';
      if (typed && digits >= 5) {
        let context = this.contextualType(digits, this.contextNear(first.firstToken, last.lastToken, false), atEnd);
        let reasons = CONTEXT_REASON;
        if (context === undefined) {
          context = this.contextualType(digits, this.contextNear(first.firstToken, last.lastToken), atEnd);
          reasons = CARRIED_REASON;
        }
        if (context !== undefined) {
          type = context.type;
          score = context.score;
          reason = reasons[typeIndex(type)];
        }
      }
      if (type === undefined && digits >= 10) type = 'NUMBER';
      if (type !== undefined) {
        const joined = runDigits(runs, n, m);
        if (this.add(type, first.start, last.end, score, runsForm(runs, n, m), joined, reason)) this.claim(first.start, last.end);
        // Ending the text, it may go on in the next final.
        if (atEnd) this.trailing = { type, digits: joined.slice(-32), complete: !isOpenType(type) };
      }
      n = m;
    }
  }

  /** The continuation found so far that covers `run`, if any. */
  private continuationOver(run: DigitRun): Candidate | undefined {
    for (const e of this.found) if (e.reason === 'continuation' && e.start <= run.start && e.end >= run.end) return e;
    return undefined;
  }

  /**
   * Run `run` follows `prev` with only one or two marks between them ("6338«9367", "6338 / 9367", "six
   * four six'431"): no currency sign, no sentence's end ("... 6338. 12.50"), and `run` is no clock time
   * or amount.
   */
  private joinedByMarks(prev: DigitRun, run: DigitRun): boolean {
    const marks = run.firstToken - prev.lastToken - 1;
    if (run.digits.length < 2 || marks < 1 || marks > 2 || run.start - prev.end > 3) return false;
    for (let k = prev.lastToken + 1; k < run.firstToken; k++) {
      const x = this.tokens[k];
      if (x.kind !== 'punct' || CURRENCY_SYMBOLS.has(x.lower) || x.lower === '%') return false;
      if ((x.lower === '.' || x.lower === '?' || x.lower === '!') && isSpaceAt(this.text, x.end)) return false;
    }
    return !this.isClockPart(run) && !isAmountLayout(run);
  }

  /** A written group of at least `length` digits is in the run. */
  private hasWrittenGroup(run: DigitRun, length: number): boolean {
    if (run.writtenGroupCount === 0) return false;
    const t = this.tokens;
    for (let k = run.firstToken; k <= run.lastToken; k++) if (t[k].kind === 'num' && t[k].lower.length >= length) return true;
    return false;
  }

  /** Every written number of the run can be part of a date (a day, a year: isDateNumber). */
  private writtenDateNumbers(run: DigitRun): boolean {
    const t = this.tokens;
    for (let k = run.firstToken; k <= run.lastToken; k++) if (t[k].kind === 'num' && !isDateNumber(t[k])) return false;
    return true;
  }

  /** "a m" / "p m" / "a.m." written as separate letters. */
  private isAmPm(i: number): boolean {
    const t = this.tokens;
    const a = t[i]?.lower;
    if (a !== 'a' && a !== 'p') return false;
    const next = t[i + 1]?.lower === '.' ? t[i + 2] : t[i + 1];
    return next?.lower === 'm';
  }

  /** A last-four phrase ("ending in", "last four") starting 1 to 6 tokens before the run. */
  /** "area code" right before token `first`, with at most "is" / "it's" / a filler between. */
  private afterAreaCode(first: number): boolean {
    const t = this.tokens;
    let k = first - 1;
    while (k >= 0 && first - k <= 3 && (t[k].kind === 'punct' || (t[k].lex & LEX_FILLER_WORD) !== 0)) k--;
    return k >= 1 && t[k].lower === 'code' && t[k - 1].lower === 'area';
  }

  private lastFourBefore(first: number): boolean {
    const t = this.tokens;
    for (let s = first - 1; s >= 0 && s >= first - 6; s--) {
      if ((t[s].lex & LEX_LAST_FOUR) === 0) continue;
      const phrases = LAST_FOUR_BY_FIRST.get(t[s].lower);
      if (phrases === undefined) continue;
      for (const p of phrases) {
        let ok = true;
        for (let k = 1; k < p.length && ok; k++) ok = t[s + k]?.lower === p[k];
        // The four digits come first after the phrase: "ending in 4242 and 1881" keeps 4242 only.
        for (let k = s + p.length; k < first && ok; k++) ok = t[k].numberCode === 0;
        if (ok) return true;
      }
    }
    return false;
  }

  private validatedRun(run: DigitRun, ctx: NearContexts): EntityType | undefined {
    const digits = run.digits;
    const L = digits.length;
    if (L >= 12 && L <= 19 && this.d.isEnabled('CARD') && isCardNumber(digits)) {
      this.emitRun(run, 0, L, 'CARD', 1, 'luhn');
      this.runComplete = true;
      return 'CARD';
    }
    // "account number 865421402" is an account even when the digits would pass as an SSN or phone.
    // Likewise a card context: 10 digits of a card read in parts can look like a phone number.
    // Only SSN (9 digits) and phone (7 to 15) read it; an empty table is never accountish.
    const accountish = L >= 7 && L <= 15 && ctx.size > 0 && nearerAccountThanSsnOrPhone(ctx);
    if (L === 9 && this.d.isEnabled('SSN') && isValidSsn(digits) && !accountish) {
      // Written: nine digits in one group (all the run: its form has no number words), or 3-2-4 groups.
      const layout = run.form === 'spoken' || run.writtenGroupCount === 1 || (run.writtenGroupCount === 3 && ssnLayoutOk(run.writtenGroups, run.separators));
      if (layout) {
        const base = run.form === 'spoken' ? 0.5 : run.writtenGroupCount === 3 ? 0.6 : 0.4;
        const score = this.boost(base, 'SSN', ctx);
        if (score >= this.o.threshold) {
          this.emitRun(run, 0, L, 'SSN', score, 'ssn-rules');
          this.runComplete = true;
          return 'SSN';
        }
      }
    }
    if (L >= 7 && L <= 15 && !accountish && this.d.isEnabled('PHONE')) {
      const before = tokenAt(this.tokens, run.firstToken - 1);
      const plus = before?.lower === '+' && before.end === run.start;
      if (L >= 10 || plus) {
        if (this.validPhone(digits, plus)) {
          this.emitRun(run, 0, L, 'PHONE', this.boost(0.7, 'PHONE', ctx), 'libphonenumber');
          this.runComplete = true;
          return 'PHONE';
        }
      }
    }
    // A card inside a longer run ("4111 ... 1111 and the cvv 123" without a pause), cut at token boundaries.
    if (L > 13 && this.d.isEnabled('CARD')) {
      // Cuts at the token boundaries and at the end of the run.
      const bounds = run.boundaries;
      const cuts = bounds.length + 1;
      const cutAt = (y: number) => (y < bounds.length ? bounds[y] : L);
      // The last cut at most 19 digits after `from`: it only moves forward as `from` does, so a long run
      // costs a few steps per cut, not one per pair of cuts (a 20 KB run once took 200 ms).
      let last = 0;
      for (let x = 0; x < cuts; x++) {
        const from = cutAt(x);
        while (last + 1 < cuts && cutAt(last + 1) - from <= 19) last++;
        // Every card brand starts with a digit 2 to 6.
        const first = digits.charCodeAt(from);
        if (first < 50 || first > 54) continue;
        // Longest first, as far down as 13 digits.
        for (let y = last; y > x; y--) {
          const to = cutAt(y);
          const len = to - from;
          if (len < 13) break;
          if (len > 19 || (from === 0 && to === L)) continue;
          if (isCardNumber(digits.slice(from, to))) {
            this.emitRun(run, from, to, 'CARD', 1, 'luhn-in-run');
            // The rest of the run is at least as sensitive (it was read together with a card).
            // Digits read in one run with a card are as sure as the card's (a threshold once dropped them).
            const beside = this.d.isEnabled('NUMBER') ? 'NUMBER' : 'CARD';
            if (from > 0) this.emitRun(run, 0, from, beside, 0.95, 'beside-card');
            if (to < L) this.emitRun(run, to, L, ctx.has('CVV') ? 'CVV' : beside, 0.95, 'beside-card');
            return 'CARD';
          }
        }
      }
    }
    return undefined;
  }

  /** The type a run of `L` digits takes from the contexts `ctx`, if any (`atEnd`: it ends the text, so it may go on). */
  private contextualType(L: number, ctx: NearContexts, atEnd: boolean): { type: EntityType; score: number } | undefined {
    if (ctx.size === 0) return undefined;
    // The nearest fitting type so far (bestDist < 0: none).
    let bestType: EntityType = 'NUMBER';
    let bestScore = 0;
    let bestDist = -1;
    for (let k = 0; k < SHAPED_CONTEXTS.length; k++) {
      const c = SHAPED_CONTEXTS[k];
      if (L < c.min || L > c.max || (c.type === 'ZIP' && L !== 5 && L !== 9)) continue;
      const dist = ctx.at(c.index);
      if (dist !== undefined && this.d.isEnabled(c.type) && (bestDist < 0 || dist < bestDist)) {
        bestType = c.type;
        bestScore = c.score;
        bestDist = dist;
      }
    }
    if (L >= 4 || atEnd) {
      for (let k = 0; k < SENSITIVE_RUN_CONTEXTS.length; k++) {
        const dist = ctx.at(SENSITIVE_RUN_INDEX[k]);
        if (dist === undefined) continue;
        const type = SENSITIVE_RUN_CONTEXTS[k];
        const effective = this.d.isEnabled(type) ? type : 'NUMBER';
        if (!this.d.isEnabled(effective)) continue;
        const score = type === 'NUMBER' ? 0.6 : type === 'ACCOUNT' || type === 'PHONE' ? 0.75 : 0.8;
        if (bestDist < 0 || dist < bestDist) {
          bestType = effective;
          bestScore = score;
          bestDist = dist;
        }
      }
    }
    return bestDist < 0 ? undefined : { type: bestType, score: bestScore };
  }

  // ---------------------------------------------------------------- resolution

  /** Threshold and allow list, then overlaps: nested -> larger wins; same span -> higher score; partial -> union. */
  /**
   * On the allow list. The rest of a number read over several utterances is allowed only as the whole
   * number: an entry that matched the part alone ("1111") let a card's last group through.
   */
  private allowed(e: DetectedEntity): boolean {
    const pending = this.carry.pending;
    if (pending !== undefined && e.reason.startsWith('continuation')) return this.d.allowed(pending.digits + e.normalized, pending.digits + e.normalized);
    return this.d.allowed(this.text.slice(e.start, e.end), e.normalized);
  }

  private resolve(): DetectedEntity[] {
    const found = this.found;
    if (found.length === 0) return [];
    // Threshold and allow list. Most lists lose nothing: the analysis' own list (made for this text
    // and dropped after it) is then the answer, copied only from the first entity left out.
    const threshold = this.o.threshold;
    const allowList = this.d.hasAllowList;
    let kept = found;
    for (let k = 0; k < found.length; k++) {
      const e = found[k];
      const keep = e.score >= threshold && !(allowList && this.allowed(e));
      if (kept !== found) {
        if (keep) kept.push(e);
      } else if (!keep) kept = found.slice(0, k);
    }
    if (kept.length <= 1) return kept;
    // Detectors mostly report left to right: sort only when needed (the sort is stable, so an ordered list stays as it is).
    let overlaps = false;
    for (let k = 1; k < kept.length; k++) {
      if (byPosition(kept[k - 1], kept[k]) > 0) {
        kept.sort(byPosition);
        overlaps = true;
        break;
      }
      if (kept[k].start < kept[k - 1].end) overlaps = true;
    }
    // Most lists have no overlap: each entity starts at or after the end of the one before.
    if (!overlaps) return kept;
    const out: DetectedEntity[] = [];
    for (const e of kept) {
      const prev = out[out.length - 1];
      if (!prev || e.start >= prev.end) {
        out.push(e);
        continue;
      }
      if (e.end <= prev.end) continue; // nested or same span: prev is larger or scored higher
      // Partial overlap: one span covering both, typed by the stronger one, so nothing leaks between.
      const stronger = e.score > prev.score ? e : prev;
      out[out.length - 1] = {
        ...stronger,
        start: prev.start,
        end: e.end,
        normalized: stronger.normalized,
        reason: `${prev.reason}+${e.reason}`,
      };
    }
    return out;
  }
}

const detectorCache = new WeakMap<object, Detector>();

/**
 * Finds personal data in one text. Pass the same options object again to reuse the compiled
 * detector (or hold a Detector yourself).
 */
export function detectEntities(text: string, options?: Partial<DetectorOptions>): DetectedEntity[] {
  if (typeof text !== 'string') throw new InputError('text must be a string', 'INVALID_INPUT');
  const key = options ?? DEFAULT_DETECTOR_OPTIONS;
  let d = detectorCache.get(key);
  if (!d) {
    d = new Detector(options);
    detectorCache.set(key, d);
  }
  return d.detect(text).entities;
}
