/**
 * Text primitives shared by every summary check: a tokenizer that keeps UTF-16 offsets, a light
 * suffix stemmer (applied the same way to summary and source, so consistency matters more than
 * linguistics), stop words, negation cues and a sentence splitter that survives "$89.99" and "3 p.m.".
 */

export type TokenKind = 'word' | 'number' | 'symbol' | 'tag';

export interface Token {
  text: string;
  /** Lower-cased text ('’' folded to "'"). */
  lower: string;
  start: number;
  end: number;
  kind: TokenKind;
}

// A redaction tag ([PHONE_1], [card number]), a word with inner apostrophes, a number with
// separators and an optional ordinal suffix, or any other single non-space character.
const TOKEN_RE = /\[[A-Za-z][A-Za-z _]{0,30}(?:_\d+)?\]|[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,:/]\d+)*(?:st|nd|rd|th)?|[^\sA-Za-z\d]/g;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const t = m[0];
    const c = t.charCodeAt(0);
    let kind: TokenKind;
    if (c === 91 /* [ */ && t.length > 2) kind = 'tag';
    else if (c >= 48 && c <= 57) kind = 'number';
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) kind = 'word';
    else kind = 'symbol';
    out.push({ text: t, lower: t.toLowerCase().replace(/’/g, "'"), start: m.index, end: m.index + t.length, kind });
  }
  return out;
}

const STOP_LIST = `a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just let me more most my myself of off on once only
or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves yes yeah yep okay ok oh um uh hmm mm hi hello bye thanks thank
please sure right well alright like just got get gets getting go going gonna wanna let's that's it's i'm i'll i've
i'd you're you'll you've we're we'll we've they're they'll there's what's can't don't won't didn't doesn't isn't
wasn't aren't weren't hasn't haven't hadn't couldn't shouldn't wouldn't not no never nor actually really today
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million am pm since now
there here`;

export const STOP_WORDS: ReadonlySet<string> = new Set(STOP_LIST.split(/\s+/));

/**
 * Words a summary uses to talk about the call rather than its content ("the customer called to
 * ask..."). They are not evidence either way, so support ignores them.
 */
const META_LIST = `customer customers caller client agent agents representative rep advisor associate member
call called calling calls contacted contact reached inquired inquire inquiring asked ask asking requested request
requesting reported report reporting stated state states said say says mentioned mention explained explain
confirmed confirm confirming advised advise informed inform provided provide noted note discussed discuss
regarding about concerning assisted assist helped help verified verify verification identity account
issue issues problem concern summary reason resolution follow followup followups action actions next steps
step outcome resolved resolve successfully also additionally further then subsequently however overall
which who whom whose they their them he she his her agreed agree offered offer wanted want wants needed need
would could will shall may might must able unable via per within during upon after before while`;

export const META_WORDS: ReadonlySet<string> = new Set(META_LIST.split(/\s+/));

/** Negation cues; "n't" contractions are caught by suffix. */
// Lexical negatives ("declined", "refused") are left out: what they negate was offered positively
// in the call, so comparing polarity with the source would flag faithful summaries.
const NEGATION_CUES = new Set(['not', 'no', 'never', 'without', 'unable', 'cannot', 'neither', 'nor', 'nothing', 'none', 'missing', 'nobody', 'noone']);

export function isNegationCue(lower: string): boolean {
  return NEGATION_CUES.has(lower) || lower.endsWith("n't") || lower === 'dont' || lower === 'didnt' || lower === 'wont' || lower === 'cant' || lower === 'doesnt' || lower === 'isnt' || lower === 'wasnt';
}

/** Words a negation passes through on its way to the verb it negates ("did not want to cancel"). */
const NEGATION_TRANSPARENT = new Set([
  ...STOP_WORDS,
  'want', 'wanted', 'wants', 'need', 'needed', 'needs', 'able', 'try', 'tried', 'trying', 'plan', 'planning', 'planned',
  'going', 'yet', 'longer', 'ever', 'actually', 'really', 'even', 'still', 'any', 'anything', 'anymore', 'wish', 'wishes',
  'wished', 'decide', 'decided', 'choose', 'chose', 'elected', 'agree', 'agreed', 'manage', 'managed', 'seem', 'seems',
  'seemed', 'be', 'been', 'being', 'get', 'got', 'gotten', 'have', 'has', 'had', 'to', 'the', 'a', 'an', 'his', 'her',
  'their', 'my', 'your', 'it', 'them', 'yet', 'successfully', 'properly', 'correctly', 'fully',
  // adjectives before the noun a negation is about ("no late fee", "not need the free shuttle")
  'free', 'new', 'extra', 'additional', 'full', 'same', 'other', 'late', 'early', 'small', 'big', 'old', 'whole',
  'single', 'separate', 'further', 'more', 'another', 'current', 'previous', 'monthly', 'annual', 'own',
]);
NEGATION_TRANSPARENT.delete('not');
NEGATION_TRANSPARENT.delete('no');
NEGATION_TRANSPARENT.delete('never');

/** Clause boundaries end a negation's scope. */
const SCOPE_BREAK = new Set(['but', 'and', 'because', 'so', 'although', 'though', 'however', 'which', 'while', 'since', 'until', 'after', 'before', 'or', 'if', 'then']);

/** Words after which a clause is advice, an offer or a condition, not a statement of fact. */
const IRREALIS = new Set(['if', 'unless', 'whether', 'recommend', 'recommended', 'recommends', 'suggest', 'suggested', 'suggests', 'advise', 'advised', 'offer', 'offered', 'offers', 'please', 'should', 'shouldn\'t']);

export function isIrrealisMarker(lower: string): boolean {
  return IRREALIS.has(lower);
}

/** Words that say a state changed ("ESPN now works", "works again"): the source saying the
 *  opposite earlier is the story, not a contradiction. */
const STATE_CHANGE = new Set(['now', 'again', 'back', 'anymore', 'longer', 'restored', 'fixed', 'resumed', 'finally', 'eventually']);

export function isStateChange(lower: string): boolean {
  return STATE_CHANGE.has(lower);
}

export function isTransparent(lower: string): boolean {
  return NEGATION_TRANSPARENT.has(lower);
}
export function isScopeBreak(lower: string): boolean {
  return SCOPE_BREAK.has(lower);
}

const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 50_000;

/**
 * A light suffix stripper: "cancelled", "canceled", "cancels", "cancellation" -> "cancel";
 * "scheduled", "schedule" -> "schedul"; "refunds", "refunded" -> "refund".
 */
export function stem(lower: string): string {
  const hit = stemCache.get(lower);
  if (hit !== undefined) return hit;
  let w = lower.replace(/'s$/, '').replace(/'/g, '');
  if (w.length > 4) {
    if (w.endsWith('ies') && w.length > 5) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('ations')) w = w.slice(0, -6);
    else if (w.endsWith('ation')) w = w.slice(0, -5);
    else if (w.endsWith('ments')) w = w.slice(0, -5);
    else if (w.endsWith('ment')) w = w.slice(0, -4);
    else if (w.endsWith('ings')) w = w.slice(0, -4);
    else if (w.endsWith('ing')) w = w.slice(0, -3);
    else if (w.endsWith('edly')) w = w.slice(0, -4);
    else if (w.endsWith('ed')) w = w.slice(0, -2);
    else if (w.endsWith('ly')) w = w.slice(0, -2);
    else if (w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
    if (w.endsWith('er') && w.length > 5) w = w.slice(0, -2);
    if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
    // cancell -> cancel, stopp -> stop
    const n = w.length;
    if (n > 4 && w[n - 1] === w[n - 2] && !'aeiousl'.includes(w[n - 1] as string)) w = w.slice(0, -1);
    if (n > 5 && w.endsWith('ll')) w = w.slice(0, -1);
  } else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) {
    w = w.slice(0, -1);
  }
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(lower, w);
  return w;
}

const PARTY_WORDS = new Set(['customer', 'customers', 'caller', 'client', 'agent', 'agents', 'representative', 'rep', 'advisor', 'associate', 'member', 'they', 'their', 'them', 'he', 'she', 'his', 'her', 'who', 'which', 'whom', 'whose']);

/** Words whose polarity the negation check compares: content words plus reporting verbs
 *  ("mentioned", "confirmed"), but not the parties. */
export function isPolarWord(tok: Token): boolean {
  return tok.kind === 'word' && tok.lower.length > 1 && !STOP_WORDS.has(tok.lower) && !PARTY_WORDS.has(tok.lower);
}

export function isContentWord(tok: Token): boolean {
  return tok.kind === 'word' && tok.lower.length > 1 && !STOP_WORDS.has(tok.lower) && !META_WORDS.has(tok.lower);
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** Titles before a name ("Dr. Patel"): not names themselves. */
export const HONORIFICS: ReadonlySet<string> = new Set(['dr', 'mr', 'mrs', 'ms', 'mx', 'prof', 'doctor', 'miss', 'sir', 'madam']);

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'vs', 'etc', 'e.g', 'i.e', 'no', 'approx', 'inc', 'ltd', 'co', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);

/** Splits on . ! ? and newlines; keeps offsets; a "." inside a number or after an abbreviation does not split. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] as string)) s++;
    while (e > s && /\s/.test(text[e - 1] as string)) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\n') {
      push(i + 1);
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const next = text[i + 1];
    if (next !== undefined && !/\s/.test(next)) continue; // 89.99, e.g.x, "?)"
    if (ch === '.') {
      // the word before the dot
      let j = i - 1;
      while (j >= 0 && /[A-Za-z.]/.test(text[j] as string)) j--;
      const word = text.slice(j + 1, i).toLowerCase();
      if (ABBREVIATIONS.has(word)) continue;
      if (word === 'a.m' || word === 'p.m') {
        // "3 p.m. tomorrow" continues; "3 p.m. The ..." ends.
        let k = i + 1;
        while (k < text.length && text[k] === ' ') k++;
        const c = text[k];
        if (c === undefined || !/[A-Z]/.test(c)) continue;
      }
    }
    push(i + 1);
  }
  push(text.length);
  return out;
}
