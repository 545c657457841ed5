/**
 * What the grounding checks know about a text: its tokens, content stems, stems under negation,
 * quantities and (for the source) an index to look claims up in. A source segment is analysed
 * once, when it arrives; a summary is analysed once per validation.
 */
import { extractQuantities, numKey, type Quantity } from './quantities';
import { isContentWord, isIrrealisMarker, isPolarWord, isNegationCue, isScopeBreak, isTransparent, splitSentences, stem, STOP_WORDS, tokenize, type Token } from './text';

export interface SegmentAnalysis {
  /** Lower-cased words joined by single spaces, with spaces at both ends, for phrase lookups. */
  phraseText: string;
  stems: Set<string>;
  /** Content stems said under a negation ("didn't cancel" -> cancel). */
  negated: Set<string>;
  /** Content stems said without one. */
  positive: Set<string>;
  quantities: Quantity[];
  /** Lower-cased words, plus spelled-out letter runs joined ("l o p e z" -> lopez). */
  words: Set<string>;
  tags: Set<string>;
  /** Adjacent word pairs (negation cues left out) and adjacent content-word pairs, as stems. */
  bigrams: Set<string>;
}

/**
 * Bigrams of word stems with negation cues removed, so "no transactions since then" and
 * "there were transactions since then" share (transaction since) and (since then); plus bigrams of
 * content words only, so "parking isn't included" and "parking is included" share (parking includ).
 */
export function bigramsOf(tokens: readonly Token[], from = 0, to = tokens.length): Set<string> {
  const out = new Set<string>();
  const list = positionedBigrams(tokens, from, to);
  for (let i = 0; i < list.length; i++) out.add((list[i] as { key: string }).key);
  return out;
}

/** The bigrams of bigramsOf() with the index of the token that ends each one. */
export function positionedBigrams(tokens: readonly Token[], from = 0, to = tokens.length): Array<{ key: string; at: number }> {
  const out: Array<{ key: string; at: number }> = [];
  let prevWord: string | undefined;
  let prevContent: string | undefined;
  for (let i = from; i < to; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'symbol' && PUNCT_BREAK.has(t.lower)) {
      prevWord = undefined;
      prevContent = undefined;
      continue;
    }
    if (t.kind !== 'word' || isNegationCue(t.lower)) continue;
    const s = stem(t.lower);
    if (prevWord !== undefined) out.push({ key: `${prevWord} ${s}`, at: i });
    prevWord = s;
    if (isContentWord(t)) {
      if (prevContent !== undefined) out.push({ key: `${prevContent}|${s}`, at: i });
      prevContent = s;
    }
  }
  return out;
}

const SUBJECTS = new Set(['i', "i'm", "i'll", "i've", "i'd", 'you', "you're", "you'll", "you've", 'we', "we're", "we'll", "we've", 'he', "he's", 'she', "she's", 'they', "they're", "they'll", "it's", "that's", "there's", 'im']);

const PUNCT_BREAK = new Set(['.', ',', '!', '?', ';', ':', '(', ')']);

/** Marks content stems under negation; returns the set of token indexes negated. */
export function negatedTokenIndexes(tokens: Token[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'word' || !isNegationCue(t.lower)) continue;
    // "no I'll just pick it up" is an answer, not a negation; "no fee", "no longer" are.
    if (t.lower === 'no') {
      const n = tokens[i + 1];
      if (!n || n.kind !== 'word' || !(isContentWord(n) || n.lower === 'longer' || n.lower === 'need' || n.lower === 'more')) continue;
    }
    for (let k = i + 1; k < tokens.length && k <= i + 8; k++) {
      const n = tokens[k] as Token;
      if (n.kind === 'symbol' && PUNCT_BREAK.has(n.lower)) break;
      if (n.kind !== 'word') continue;
      // A new subject starts a new clause, also where speech-to-text left out the full stop
      // ("no it isn't i'm going to remove the fee").
      if (isScopeBreak(n.lower) || isNegationCue(n.lower) || SUBJECTS.has(n.lower)) break;
      if (isTransparent(n.lower)) continue;
      out.add(k);
      break;
    }
  }
  return out;
}

/** Tokens in a clause that gives advice, an offer or a condition ("I'd recommend enabling it",
 *  "if it doesn't turn white"): neither positive nor negative evidence. */
const QUESTION_START = new Set(['can', 'could', 'would', 'do', 'does', 'did', 'is', 'are', 'will', 'should', 'may', 'shall']);
const QUESTION_SUBJECT = new Set(['i', 'you', 'we', 'it', 'they', 'he', 'she', 'this', 'that', 'there']);

export function irrealisTokenIndexes(tokens: Token[], wholeSentenceConditional = true): Set<number> {
  const out = new Set<number>();
  // A question ("can I exchange them?") asserts nothing.
  const last = tokens[tokens.length - 1];
  const firstWords = tokens.filter((t) => t.kind === 'word').slice(0, 3).map((t) => t.lower);
  const startsAsQuestion = firstWords.some((w, i) => QUESTION_START.has(w) && QUESTION_SUBJECT.has(firstWords[i + 1] ?? ''));
  // So does a conditional offer ("we have a free shuttle if you need a ride").
  // (Source sentences only: a summary sentence joins several clauses.)
  const conditional = wholeSentenceConditional && tokens.some((t) => t.lower === 'if' || t.lower === 'unless');
  if (last?.lower === '?' || startsAsQuestion || conditional) {
    for (let i = 0; i < tokens.length; i++) out.add(i);
    return out;
  }
  let on = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'symbol' && PUNCT_BREAK.has(t.lower)) on = false;
    else if (t.kind === 'word' && isScopeBreak(t.lower) && t.lower !== 'if') on = false;
    if (t.kind === 'word' && isIrrealisMarker(t.lower)) on = true;
    else if (on) out.add(i);
  }
  return out;
}

/** Joins runs of 3+ single letters ("m a r i a", "m-a-r-i-a") into words. */
function spelledRuns(tokens: Token[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const t of tokens) {
    if (t.kind === 'word' && t.lower.length === 1) run += t.lower;
    else if (t.kind === 'symbol' && (t.lower === '-' || t.lower === ',' || t.lower === '.') && run) continue;
    else {
      if (run.length >= 3) out.push(run);
      run = '';
    }
  }
  if (run.length >= 3) out.push(run);
  return out;
}

export function analyzeSegment(text: string): SegmentAnalysis {
  const tokens = tokenize(text);
  const negIdx = negatedTokenIndexes(tokens);
  const irrealis = irrealisTokenIndexes(tokens);
  const stems = new Set<string>();
  const negated = new Set<string>();
  const positive = new Set<string>();
  const words = new Set<string>();
  const tags = new Set<string>();
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'tag') {
      tags.add(t.lower);
      parts.push(t.lower);
      continue;
    }
    if (t.kind === 'symbol') continue;
    const w = t.lower.endsWith("'s") ? t.lower.slice(0, -2) : t.lower;
    parts.push(w);
    words.add(w);
    if (t.kind !== 'word') continue;
    const s = stem(t.lower);
    stems.add(s);
    if (!isPolarWord(t) || irrealis.has(i)) continue;
    if (negIdx.has(i)) negated.add(s);
    else positive.add(s);
  }
  for (const run of spelledRuns(tokens)) {
    words.add(run);
    stems.add(stem(run));
  }
  return { phraseText: ` ${parts.join(' ')} `, stems, negated, positive, quantities: extractQuantities(tokens), words, tags, bigrams: bigramsOf(tokens) };
}

/** Numeric keys a quantity makes available to bare-number claims. */
function numericReadings(q: Quantity): number[] {
  const out: number[] = [];
  if (q.kind === 'duration') {
    if (q.count !== undefined) out.push(q.count);
  } else if (q.value !== undefined) out.push(q.value);
  if (q.alternatives) out.push(...q.alternatives);
  if (q.day !== undefined) out.push(q.day);
  if (q.year !== undefined) out.push(q.year);
  if (q.hour !== undefined) {
    out.push(q.hour, q.hour % 12 === 0 ? 12 : q.hour % 12);
    if (q.minute) out.push(q.minute);
  }
  return out;
}

/** Whether a time's meridiem is known (said, or implied by a 24 h clock value). */
export function meridiemKnown(q: Quantity): boolean {
  return q.meridiem !== undefined || (q.hour !== undefined && (q.hour >= 13 || q.hour === 0));
}

/** Lookup keys of one quantity: n: any numeric reading, b: bare number, a: amount, p: percent,
 *  du: duration, md/mdy/mdHasYear/mdNoYear/d/m/y/wd: dates, t: time (h12:minute:am|pm|?). */
export function quantityKeys(q: Quantity): string[] {
  const keys: string[] = [];
  const readings = numericReadings(q);
  for (const v of readings) keys.push(`n:${numKey(v)}`);
  switch (q.kind) {
    case 'number':
      for (const v of readings) keys.push(`b:${numKey(v)}`);
      // "the third" may be a day
      if (q.value !== undefined && Number.isInteger(q.value) && q.value >= 1 && q.value <= 31 && q.ordinal) keys.push(`d:${q.value}`);
      break;
    case 'amount':
      keys.push(`a:${numKey(q.value as number)}`);
      for (const a of q.alternatives ?? []) keys.push(`a:${numKey(a)}`);
      break;
    case 'percent':
      keys.push(`p:${numKey(q.value as number)}`);
      break;
    case 'duration':
      keys.push(`du:${q.unit}:${numKey(q.value as number)}`);
      break;
    case 'date':
      if (q.month !== undefined) keys.push(`m:${q.month}`);
      if (q.day !== undefined) keys.push(`d:${q.day}`);
      if (q.year !== undefined) keys.push(`y:${q.year}`);
      if (q.weekday !== undefined) keys.push(`wd:${q.weekday}`);
      if (q.month !== undefined && q.day !== undefined) {
        keys.push(`md:${q.month}-${q.day}`);
        if (q.year !== undefined) keys.push(`mdy:${q.month}-${q.day}-${q.year}`, `mdHasYear:${q.month}-${q.day}`);
        else keys.push(`mdNoYear:${q.month}-${q.day}`);
      }
      break;
    case 'time': {
      const h = q.hour as number;
      keys.push(`t:${h % 12}:${q.minute ?? 0}:${meridiemKnown(q) ? (h >= 12 ? 'pm' : 'am') : '?'}`, 'hasTime');
      break;
    }
  }
  return keys;
}

/**
 * The source, indexed for lookups. Built by adding segments in conversation order; a revised
 * segment is handled by rebuilding from the remaining analyses (SourceContext does that).
 */
export class SourceIndex {
  readonly segments: SegmentAnalysis[] = [];
  readonly stems = new Set<string>();
  readonly words = new Set<string>();
  readonly tags = new Set<string>();
  /** Stems said under a negation somewhere (a positive claim can only be a flip of these). */
  readonly negatedStems = new Set<string>();
  /** quantity key -> indexes of the segments that say it */
  private readonly keys = new Map<string, number[]>();
  /** stem -> indexes of segments that contain it */
  readonly stemSegments = new Map<string, number[]>();

  add(seg: SegmentAnalysis): void {
    const idx = this.segments.length;
    this.segments.push(seg);
    for (const s of seg.stems) {
      this.stems.add(s);
      const list = this.stemSegments.get(s);
      if (list) list.push(idx);
      else this.stemSegments.set(s, [idx]);
    }
    for (const w of seg.words) this.words.add(w);
    for (const n of seg.negated) this.negatedStems.add(n);
    for (const t of seg.tags) this.tags.add(t);
    for (const q of seg.quantities) {
      for (const k of quantityKeys(q)) {
        const list = this.keys.get(k);
        if (!list) this.keys.set(k, [idx]);
        else if (list[list.length - 1] !== idx) list.push(idx);
      }
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Whether the key is said within `window` segments of something that shares a content stem with
   * the claim's sentence: "$12 copay" is not grounded by a "twelve" said about something else.
   * An empty stem set only asks whether the key occurs at all.
   */
  hasNear(key: string, stems: ReadonlySet<string>, window: number): boolean {
    const list = this.keys.get(key);
    if (!list) return false;
    if (stems.size === 0 || window < 0) return true;
    for (const idx of list) {
      const lo = Math.max(0, idx - window);
      const hi = Math.min(this.segments.length - 1, idx + window);
      for (let j = lo; j <= hi; j++) {
        const seg = this.segments[j] as SegmentAnalysis;
        for (const s of stems) if (seg.stems.has(s)) return true;
      }
    }
    return false;
  }

  /** Whether the lower-cased phrase occurs as whole words in some segment. */
  hasPhrase(phrase: string): boolean {
    const needle = ` ${phrase} `;
    for (const seg of this.segments) if (seg.phraseText.includes(needle)) return true;
    return false;
  }
}

/** Builds an index over whole texts (msg.transcript), one segment per sentence or line. */
export function indexTexts(texts: Iterable<string>): SourceIndex {
  const index = new SourceIndex();
  for (const text of texts) {
    for (const s of splitSentences(text)) index.add(analyzeSegment(s.text));
  }
  return index;
}

export { STOP_WORDS };
