/**
 * What the grounding checks know about a text: its tokens, content stems, stems under negation,
 * quantities and (for the source) an index to look claims up in. A source segment is analysed
 * once, when it arrives; a summary is analysed once per validation.
 */
import { extractQuantities, numKey, type Quantity } from './quantities';
import { isContentWord, isNegationCue, isScopeBreak, isTransparent, splitSentences, stem, STOP_WORDS, tokenize, type Token } from './text';

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
}

const PUNCT_BREAK = new Set(['.', ',', '!', '?', ';', ':', '(', ')']);

/** Marks content stems under negation; returns the set of token indexes negated. */
export function negatedTokenIndexes(tokens: Token[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'word' || !isNegationCue(t.lower)) continue;
    for (let k = i + 1; k < tokens.length && k <= i + 8; k++) {
      const n = tokens[k] as Token;
      if (n.kind === 'symbol' && PUNCT_BREAK.has(n.lower)) break;
      if (n.kind !== 'word') continue;
      if (isScopeBreak(n.lower) || isNegationCue(n.lower)) break;
      if (isTransparent(n.lower)) continue;
      out.add(k);
      break;
    }
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
    const w = t.lower.replace(/'s$/, '');
    parts.push(w);
    words.add(w);
    if (t.kind !== 'word') continue;
    const s = stem(t.lower);
    stems.add(s);
    if (!isContentWord(t)) continue;
    if (negIdx.has(i)) negated.add(s);
    else positive.add(s);
  }
  for (const run of spelledRuns(tokens)) {
    words.add(run);
    stems.add(stem(run));
  }
  return { phraseText: ` ${parts.join(' ')} `, stems, negated, positive, quantities: extractQuantities(tokens), words, tags };
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

/**
 * The source, indexed for lookups. Built by adding segments; a revised segment is handled by
 * rebuilding from the remaining analyses (SourceContext does that).
 */
export class SourceIndex {
  readonly segments: SegmentAnalysis[] = [];
  readonly stems = new Set<string>();
  readonly words = new Set<string>();
  readonly tags = new Set<string>();
  /** Every numeric reading of every quantity (bare numbers, days, years, hours, alternatives). */
  readonly numbers = new Set<string>();
  /** Readings of quantities that carry no unit of their own (bare numbers). */
  readonly bareNumbers = new Set<string>();
  readonly amounts = new Set<string>();
  readonly percents = new Set<string>();
  readonly durations = new Set<string>();
  /** md:3-3, mdy:3-3-2026, mdHasYear:3-3, d:3, m:3, y:2026, wd:1 */
  readonly dates = new Set<string>();
  /** Times as h12:minute:(am|pm|?) */
  readonly times = new Set<string>();
  hasTimes = false;
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
    for (const t of seg.tags) this.tags.add(t);
    for (const q of seg.quantities) this.addQuantity(q);
  }

  private addQuantity(q: Quantity): void {
    for (const v of numericReadings(q)) this.numbers.add(numKey(v));
    switch (q.kind) {
      case 'number':
        for (const v of numericReadings(q)) this.bareNumbers.add(numKey(v));
        // "the third" may be a day
        if (q.value !== undefined && Number.isInteger(q.value) && q.value >= 1 && q.value <= 31 && q.ordinal) this.dates.add(`d:${q.value}`);
        break;
      case 'amount':
        this.amounts.add(numKey(q.value as number));
        for (const a of q.alternatives ?? []) this.amounts.add(numKey(a));
        break;
      case 'percent':
        this.percents.add(numKey(q.value as number));
        break;
      case 'duration':
        this.durations.add(`${q.unit}:${numKey(q.value as number)}`);
        break;
      case 'date':
        if (q.month !== undefined) this.dates.add(`m:${q.month}`);
        if (q.day !== undefined) this.dates.add(`d:${q.day}`);
        if (q.year !== undefined) this.dates.add(`y:${q.year}`);
        if (q.weekday !== undefined) this.dates.add(`wd:${q.weekday}`);
        if (q.month !== undefined && q.day !== undefined) {
          this.dates.add(`md:${q.month}-${q.day}`);
          if (q.year !== undefined) {
            this.dates.add(`mdy:${q.month}-${q.day}-${q.year}`);
            this.dates.add(`mdHasYear:${q.month}-${q.day}`);
          } else this.dates.add(`mdNoYear:${q.month}-${q.day}`);
        }
        break;
      case 'time': {
        this.hasTimes = true;
        const h = q.hour as number;
        const h12 = h % 12;
        const known = meridiemKnown(q);
        this.times.add(`${h12}:${q.minute ?? 0}:${known ? (h >= 12 ? 'pm' : 'am') : '?'}`);
        break;
      }
    }
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
