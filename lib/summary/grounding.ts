/**
 * Grounding: every quantity and named entity in a summary sentence must be found in the source,
 * the sentence's content words must be supported, and nothing the source says with a negation may
 * come back without one (or the reverse). Each failure names the sentence, the span and the kind.
 */
import { positionedBigrams, irrealisTokenIndexes, meridiemKnown, negatedTokenIndexes, type SourceIndex } from './analysis';
import { extractQuantities, MONTHS, numKey, WEEKDAYS, type Quantity } from './quantities';
import { HONORIFICS, isContentWord, isNegationCue, isPolarWord, isStateChange, META_WORDS, splitSentences, stem, STOP_WORDS, tokenize, type Sentence, type Token } from './text';

export type UngroundedKind =
  | 'number'
  | 'amount'
  | 'percent'
  | 'date'
  | 'time'
  | 'duration'
  | 'entity'
  | 'redaction-tag'
  | 'unsupported'
  | 'negation';

export interface UngroundedSpan {
  /** Which text field of the summary (summary.text, reason, followupActions[0].text ...). */
  field: string;
  sentence: string;
  span: string;
  kind: UngroundedKind;
  /** UTF-16 offsets of the span in the field's text. */
  start: number;
  end: number;
  /** Sentence offsets in the field's text (used to mask personal data before reporting). */
  sentenceStart: number;
  sentenceEnd: number;
  /** Support score for 'unsupported'. */
  score?: number;
}

export interface GroundingOptions {
  numbers: boolean;
  entities: boolean;
  support: boolean;
  /** Minimum share of a sentence's content words found in the source (0-1). */
  supportThreshold: number;
  /** Sentences with fewer content words are not scored for support. */
  minContentWords: number;
  negation: boolean;
  /** A quantity must be said within this many source segments of a word its sentence shares
   *  with the source (-1 = anywhere in the source). */
  contextWindow: number;
}

export const DEFAULT_GROUNDING: GroundingOptions = {
  numbers: true,
  entities: true,
  support: true,
  supportThreshold: 0.5,
  minContentWords: 3,
  negation: true,
  contextWindow: 2,
};

// ---- quantities -------------------------------------------------------------------------------

/**
 * Whether the source says the quantity. `near` asks that the value be said close to something the
 * claim's sentence talks about; `has` only asks whether the source says it at all.
 */
function quantityGrounded(q: Quantity, src: SourceIndex, stems: ReadonlySet<string>, window: number): boolean {
  const near = (k: string): boolean => src.hasNear(k, stems, window);
  const has = (k: string): boolean => src.has(k);
  switch (q.kind) {
    case 'number':
      return [q.value as number, ...(q.alternatives ?? [])].some((v) => near(`n:${numKey(v)}`));
    case 'amount': {
      const k = numKey(q.value as number);
      return near(`a:${k}`) || near(`b:${k}`);
    }
    case 'percent': {
      const k = numKey(q.value as number);
      return near(`p:${k}`) || near(`b:${k}`);
    }
    case 'duration':
      return near(`du:${q.unit}:${numKey(q.value as number)}`);
    case 'date': {
      if (q.weekday !== undefined) return has(`wd:${q.weekday}`);
      const { month, day, year } = q;
      if (month !== undefined && day !== undefined) {
        const md = `${month}-${day}`;
        const mdOk = has(`md:${md}`) || (near(`d:${day}`) && has(`m:${month}`));
        if (!mdOk) return false;
        if (year === undefined) return true;
        // A year the source never tied to this date is fine; a different one is not.
        return has(`mdy:${md}-${year}`) || !has(`mdHasYear:${md}`) || has(`mdNoYear:${md}`);
      }
      if (day !== undefined) return near(`d:${day}`) || near(`n:${numKey(day)}`);
      if (month !== undefined) return has(`m:${month}`) && (year === undefined || has(`y:${year}`) || has(`n:${numKey(year)}`));
      return true;
    }
    case 'time': {
      const h = q.hour as number;
      const m = q.minute ?? 0;
      const h12 = h % 12;
      if (meridiemKnown(q)) {
        const mer = h >= 12 ? 'pm' : 'am';
        if (has(`t:${h12}:${m}:${mer}`) || has(`t:${h12}:${m}:?`)) return true;
      } else if (has(`t:${h12}:${m}:am`) || has(`t:${h12}:${m}:pm`) || has(`t:${h12}:${m}:?`)) return true;
      // A source without explicit times ("I can do three") falls back to the bare numbers.
      if (has('hasTime')) return false;
      return near(`n:${numKey(h12 === 0 ? 12 : h12)}`) && (m === 0 || has(`n:${numKey(m)}`));
    }
  }
}

/** Summary quantities that claim something: "one" and "first" in prose do not. */
function isClaim(q: Quantity): boolean {
  return !(q.kind === 'number' && q.spelledSmall);
}

// ---- entities ---------------------------------------------------------------------------------

/** Words that name a kind of thing rather than which one ("the Premium Plan", "Billing Department"). */
const GENERIC = new Set(
  `plan plans department team service services support center centre card account accounts number order orders
  policy program programme package bundle store branch office desk line app application website portal site
  online mobile package tier option options membership subscription fee fees
  bill billing payment payments credit refund protection insurance warranty claim claims device devices phone
  internet cable box router modem tv unit product products company inc llc ltd corp co group bank
  mbps gbps kbps mb gb tb kb mg ml kg lb lbs oz mph km cm mm ft sq usd eur gbp am pm est pst cst utc`
    .split(/\s+/)
    .filter(Boolean),
);

function isCapitalized(t: Token): boolean {
  if (t.kind !== 'word') return false;
  const c0 = t.text.charCodeAt(0);
  if (c0 >= 65 && c0 <= 90) return true;
  const c1 = t.text.charCodeAt(1);
  return c0 >= 97 && c0 <= 122 && c1 >= 65 && c1 <= 90; // iPhone, eBay
}

interface EntityCandidate {
  tokens: Token[];
}

const CONNECTORS = new Set(['of', '&', 'de', 'la', 'del', 'van', 'von', 'and']);

function entityCandidates(tokens: Token[]): EntityCandidate[] {
  const out: EntityCandidate[] = [];
  const firstWord = tokens.findIndex((t) => t.kind === 'word');
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (!isCapitalized(t) || t.lower === 'i' || HONORIFICS.has(t.lower)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length) {
      const n = tokens[j] as Token;
      if (isCapitalized(n) && n.lower !== 'i') j++;
      else if (CONNECTORS.has(n.lower) && tokens[j + 1] && isCapitalized(tokens[j + 1] as Token) && n.lower !== 'and') j++;
      else if (n.kind === 'number' && j > i && /^\d+$/.test(n.text) && tokens[j + 1] !== undefined && isCapitalized(tokens[j + 1] as Token)) j++;
      else break;
    }
    let run = tokens.slice(i, j);
    const atStart = i === firstWord;
    // Leading prose words ("The", "Customer", "Agent") are not part of the name.
    let dropped = 0;
    while (run.length && (STOP_WORDS.has((run[0] as Token).lower) || META_WORDS.has((run[0] as Token).lower))) {
      run = run.slice(1);
      dropped++;
    }
    // Month and weekday names are dates, checked with the quantities.
    run = run.filter((r) => !(r.lower in MONTHS) && !(r.lower in WEEKDAYS) && r.kind === 'word');
    if (run.length && !(atStart && dropped === 0 && run.length === 1)) out.push({ tokens: run });
    i = j;
  }
  return out;
}

function entityGrounded(c: EntityCandidate, src: SourceIndex): boolean {
  const words = c.tokens.map((t) => t.lower.replace(/'s$/, ''));
  if (src.hasPhrase(words.join(' '))) return true;
  const specific = words.filter((w) => w.length > 1 && !GENERIC.has(w) && !STOP_WORDS.has(w));
  return specific.every((w) => src.words.has(w) || src.stems.has(stem(w)));
}

// ---- per sentence -----------------------------------------------------------------------------

function spanText(text: string, start: number, end: number): string {
  return text.slice(start, end);
}

/** Tokens either side of a claim word that pick the source passage it paraphrases. */
const LOCAL_WINDOW = 5;
const LOCAL_CONTENT = 4;

/**
 * Negation flips: for each content word, the source passages that say the same word with a
 * polarity and share the most local context (stems and bigrams around it) are the evidence; if
 * all of them say it with the opposite polarity, the summary flipped it.
 */
function negationFlips(tokens: Token[], src: SourceIndex): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const neg = negatedTokenIndexes(tokens);
  // Most words cannot flip: said positively here and never negated in the source.
  if (neg.size === 0 && !tokens.some((t) => isPolarWord(t) && src.negatedStems.has(stem(t.lower)))) return out;
  const irrealis = irrealisTokenIndexes(tokens, false);
  const sentenceBigrams = positionedBigrams(tokens);
  const cueBefore = (k: number): number => {
    for (let c = k - 1; c >= 0 && c >= k - 9; c--) {
      const t = tokens[c] as Token;
      if (t.kind === 'word' && isNegationCue(t.lower)) return c;
    }
    return k;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (!isPolarWord(t) || irrealis.has(k)) continue;
    const s = stem(t.lower);
    const negated = neg.has(k);
    if (!negated && !src.negatedStems.has(s)) continue;
    const segs = src.stemSegments.get(s);
    if (!segs || segs.length === 0) continue;
    const lo = Math.max(0, k - LOCAL_WINDOW);
    const hi = Math.min(tokens.length, k + LOCAL_WINDOW + 1);
    let stateChange = false;
    for (let j = Math.max(0, k - 3); j < Math.min(tokens.length, k + 3); j++) if (isStateChange((tokens[j] as Token).lower)) stateChange = true;
    if (stateChange) continue;
    // Up to LOCAL_CONTENT content words either side, however many small words sit between.
    const local = new Set<string>();
    for (const dir of [-1, 1]) {
      let found = 0;
      for (let j = k + dir; j >= 0 && j < tokens.length && found < LOCAL_CONTENT; j += dir) {
        const n = tokens[j] as Token;
        if (isContentWord(n)) {
          local.add(stem(n.lower));
          found++;
        }
      }
    }
    local.delete(s);
    const localBigrams: string[] = [];
    for (const b of sentenceBigrams) if (b.at > lo && b.at < hi) localBigrams.push(b.key);
    let best = 0;
    let bestSegs: number[] = [];
    for (const idx of segs) {
      const seg = src.segments[idx];
      if (!seg || (!seg.positive.has(s) && !seg.negated.has(s))) continue;
      let score = 0;
      for (const o of local) if (seg.stems.has(o)) score++;
      for (const b of localBigrams) if (seg.bigrams.has(b)) score += 2;
      // The sentence before or after often carries the context ("the plan changed. I can't waive it").
      for (const nIdx of [idx - 1, idx + 1]) {
        const nSeg = src.segments[nIdx];
        if (nSeg) for (const o of local) if (nSeg.stems.has(o)) score += 0.5;
      }
      if (score > best) {
        best = score;
        bestSegs = [idx];
      } else if (score === best && score > 0) bestSegs.push(idx);
    }
    // Without shared context the match says little about polarity.
    if (best < 1) continue;
    const flip = negated
      ? bestSegs.every((idx) => src.segments[idx]?.positive.has(s) && !src.segments[idx]?.negated.has(s))
      : bestSegs.every((idx) => src.segments[idx]?.negated.has(s) && !src.segments[idx]?.positive.has(s));
    if (!flip) continue;
    const startTok = negated ? (tokens[cueBefore(k)] as Token) : t;
    out.push({ start: startTok.start, end: t.end });
  }
  return out;
}

function groundSentence(field: string, text: string, sent: Sentence, src: SourceIndex, opts: GroundingOptions, out: UngroundedSpan[]): void {
  const tokens = tokenize(sent.text);
  const base = { field, sentence: sent.text, sentenceStart: sent.start, sentenceEnd: sent.end };
  const push = (kind: UngroundedKind, s: number, e: number, extra?: Partial<UngroundedSpan>): void => {
    out.push({ ...base, kind, span: spanText(text, sent.start + s, sent.start + e), start: sent.start + s, end: sent.start + e, ...extra });
  };
  const stems = new Set<string>();
  for (const t of tokens) if (isContentWord(t)) stems.add(stem(t.lower));
  if (opts.numbers) {
    for (const q of extractQuantities(tokens)) {
      if (!isClaim(q)) continue;
      // What the sentence talks about, without the claim's own words ("60 minutes", "ten dollars").
      const context = new Set<string>();
      for (const t of tokens) if (isContentWord(t) && (t.end <= q.start || t.start >= q.end)) context.add(stem(t.lower));
      if (quantityGrounded(q, src, context, opts.contextWindow)) continue;
      push(q.kind, q.start, q.end);
    }
  }
  if (opts.entities) {
    for (const t of tokens) {
      if (t.kind === 'tag' && !src.tags.has(t.lower)) push('redaction-tag', t.start, t.end);
    }
    for (const c of entityCandidates(tokens)) {
      if (entityGrounded(c, src)) continue;
      push('entity', (c.tokens[0] as Token).start, (c.tokens[c.tokens.length - 1] as Token).end);
    }
  }
  if (!opts.support && !opts.negation) return;
  if (opts.support && stems.size >= opts.minContentWords) {
    let found = 0;
    for (const s of stems) if (src.stems.has(s)) found++;
    const score = found / stems.size;
    if (score < opts.supportThreshold) push('unsupported', 0, sent.text.length, { score: Math.round(score * 100) / 100 });
  }
  if (opts.negation) {
    for (const f of negationFlips(tokens, src)) push('negation', f.start, f.end);
  }
}

/** Grounds one text field of a summary, sentence by sentence. */
export function groundText(field: string, text: string, src: SourceIndex, opts: GroundingOptions): UngroundedSpan[] {
  const out: UngroundedSpan[] = [];
  for (const sent of splitSentences(text)) groundSentence(field, text, sent, src, opts, out);
  return out;
}

/** An extracted entity value (Copilot extractedEntities[].value) must be found as a whole. */
export function groundEntityValue(field: string, value: string, src: SourceIndex, opts: GroundingOptions): UngroundedSpan[] {
  const out = opts.numbers || opts.entities ? groundText(field, value, src, { ...opts, support: false, negation: false }) : [];
  if (!opts.entities) return out;
  const words = tokenize(value).filter((t) => t.kind === 'word' && !STOP_WORDS.has(t.lower));
  if (words.length && !out.some((u) => u.kind === 'entity')) {
    const c = { tokens: words };
    if (!entityGrounded(c, src)) {
      out.push({ field, sentence: value, span: value, kind: 'entity', start: 0, end: value.length, sentenceStart: 0, sentenceEnd: value.length });
    }
  }
  return out;
}
