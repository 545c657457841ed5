/**
 * A name asked for by one speaker ("can I have your full name?", "who am I speaking with?") and
 * answered bare by the other ("james whitaker", "yeah it's robert chen"). The answer carries no
 * introduction, so only the question makes its words a name: the redactor carries the question to
 * the other speaker's next final utterances, like the number contexts.
 */
import { isNumberWord } from './spoken';
import { LEX_NAME_QUESTION, addLexicon, isLetterToken, isWordOrZeroLetter, letterRunEnd, spellsName, tokenize, type Token } from './tokens';
import { ACK_WORDS, NAME_STOP, NOT_NAME, SPELLING_LEAD, pauseAt } from './vocabulary';

// Every question starts at a word boundary: one \b before the alternatives, not one in each, makes
// the regex ~25% faster (each start position is tested once).
const NAME_QUESTION_RE = new RegExp(
  '\\b(?:' +
  [
    "(?:your|ur|the|their|his|her)\\s+(?:full\\s+|first\\s+|last\\s+|legal\\s+|middle\\s+|sur)?name\\b",
    "(?:your|the)\\s+surname\\b",
    "(?:passenger|guest|caller|customer|holder|cardholder|policyholder|patient|traveler|traveller)(?:'s)?\\s+(?:full\\s+|first\\s+|last\\s+)?names?\\b",
    "who\\s+(?:am\\s+i|i'm|are\\s+we|do\\s+i\\s+have)\\s+(?:speaking|talking|chatting|on\\s+the\\s+line)",
    "who\\s+do\\s+i\\s+have\\s+on\\s+the\\s+line\\b",
    "name\\s+on\\s+the\\s+(?:account|card|policy)\\b",
    "spell\\s+(?:your|the|that|it)\\b",
    "who(?:'s|\\s+is)\\s+(?:this|calling|speaking|on\\s+the\\s+line)\\b",
    "what\\s+(?:should|can|do|may)\\s+i\\s+call\\s+you\\b",
    // "and you are?" asked on its own (a question mark or the end of the utterance).
    "and\\s+you\\s+are\\s*(?:\\?|$)",
  ].join('|') +
  ')',
);

/** Every question above contains one of these words: most texts are ruled out without the regex. */
addLexicon(['name', 'names', 'surname', 'who', "who's", 'spell', 'call', 'are'], LEX_NAME_QUESTION);
const NAME_QUESTION_HINT_RE = /nam|who|spel|call you|you are/i;

/**
 * True when the text asks the other speaker for a name. `wordClasses`, the LEX_* bits of the text's
 * words when the detector tokenized it, rules most texts out cheaper than the hint regex.
 */
export function asksForName(text: string, wordClasses?: number): boolean {
  const hinted = wordClasses === undefined ? NAME_QUESTION_HINT_RE.test(text) : (wordClasses & LEX_NAME_QUESTION) !== 0;
  return hinted && NAME_QUESTION_RE.test(text.toLowerCase());
}

/** Words that may open a bare answer before the name ("yeah it's ...", "sure, the name is ..."). */
const ANSWER_LEAD = new Set([
  'yes', 'yeah', 'yep', 'yup', 'sure', 'okay', 'ok', 'so', 'um', 'umm', 'uh', 'er', 'erm', 'ah', 'oh', 'well', 'right',
  "it's", 'its', 'it', 'is', "that's", 'that', 'this', "i'm", 'i', 'am', 'the', 'name', "name's", 'full', 'first', 'last',
  'my', 'of', 'course', 'absolutely', 'certainly', 'hi', 'hello', 'and', 'just', 'sorry', 'under', "you're", 'youre', 'speaking', 'with',
]);
/** Words that may close a bare answer after the name ("robert chen, that's right", "amelia grant thanks"). */
const ANSWER_TAIL = new Set([
  "that's", 'that', 'is', 'right', 'correct', 'yes', 'yeah', 'yep', 'thanks', 'thank', 'you', 'please', 'sir', "ma'am", 'ok', 'okay',
]);
/** Name units (words, spelled letters, initials) a name answer may hold. */
const MAX_NAME_WORDS = 4;
const DIGIT_RE = /[0-9]/;
const LETTER_RE = /\p{L}/u;

/** Words that start a sentence of its own after a name of two words or more and an identity lead ("it's robert chen and I'm calling about ..."). */
const CLAUSE_START = new Set(['and', 'calling', 'here', 'speaking', 'from', "i'm", 'im', 'i']);
/**
 * Words that say the name comes next ("it's robert chen, I need ..."): after one, a name of two words or
 * more may be followed by any sentence of its own. Without one, only by a sentence that says who is
 * calling ("robert chen, calling about my bill", "robert chen here"), not "long story, I will explain".
 */
const IDENTITY_LEAD = new Set(['is', "it's", 'its', "i'm", 'am', "name's", "that's"]);
/** Words after a name that say who is calling (CLAUSE_START without "i" and "and": "go ahead. and the ..."). */
const CALLER_CLAUSE = new Set(['calling', 'here', 'speaking', 'from', "i'm", 'im']);
/** Marks that end a name of two words or more before a sentence of its own ("robert chen, I'm calling about ..."). */
const CLAUSE_MARKS = new Set([',', '.', ';', '!', '?']);

/**
 * The span of a name answer: optional lead words, then 1-4 name units, then only punctuation,
 * closing words ("that's right", "thanks") and the name spelled ("chen, c h e n"). A name of two
 * units or more may also be followed by a sentence of its own: any, after an identity lead ("it's
 * robert chen, I need ...", IDENTITY_LEAD), else only one that says who is calling ("robert chen,
 * calling about my bill", CALLER_CLAUSE). A name unit is a name-looking word, letters
 * spelling a name ("r o b e r t chen") or an initial before a name word ("robert j. chen").
 * Undefined for anything else ("sure one moment", "yes that's right", "honestly I'd rather not").
 * `tokens`, when given, must be tokenize(text) (the detector's).
 */
export function nameAnswerSpan(text: string, tokens?: readonly Token[]): { start: number; end: number } | undefined {
  let toks = tokens;
  if (toks === undefined) {
    // A digit is always a number token, which is neither a name nor a lead or closing word (the
    // loops below return undefined at it): no need to tokenize.
    if (DIGIT_RE.test(text)) return undefined;
    toks = tokenize(text);
  }
  let i = 0;
  for (;;) {
    if (i < toks.length && (toks[i].kind === 'punct' || ANSWER_LEAD.has(toks[i].lower))) i++;
    else {
      const pause = pauseAt(toks, i);
      if (pause === 0) break;
      i += pause;
    }
  }
  const first = i;
  let last = -1;
  let units = 0;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct') {
      // A hyphen or apostrophe inside a name ("smith-jones"); a comma or a full stop before the name
      // said again or in full ("robert, robert chen", "dana. dana whitfield"); anything else ends it.
      if ((t.lower === '-' || t.lower === "'") && t.start > 0 && LETTER_RE.test(text[t.start - 1]) && LETTER_RE.test(text[t.end] ?? '')) continue;
      if ((t.lower === ',' || t.lower === '.') && units > 0 && toks[i + 1] !== undefined && toks[i + 1].kind === 'word' && isNameWord(toks[i + 1].lower)) continue;
      break;
    }
    if (units > 0 && ANSWER_TAIL.has(t.lower)) break;
    if (isLetterToken(t)) {
      const runEnd = letterRunEnd(toks, i);
      if (spellsName(toks, i, runEnd)) {
        i = last = runEnd;
      } else {
        // An initial: one letter before a name word, with or without its full stop.
        const next = toks[i + 1]?.lower === '.' ? i + 2 : i + 1;
        if (runEnd !== i || isWordOrZeroLetter(t.lower) || toks[next]?.kind !== 'word' || !isNameWord(toks[next].lower)) break;
        i = next - 1;
        last = i;
      }
    } else if (isNameWord(t.lower)) {
      last = i;
    } else if (units > 0 && (SPELLING_LEAD.has(t.lower) || CLAUSE_START.has(t.lower))) {
      break;
    } else {
      return undefined;
    }
    if (++units > MAX_NAME_WORDS) return undefined;
  }
  if (last < first || units === 0) return undefined;
  const span = { start: toks[first].start, end: toks[last].end };
  if (units >= 2 && i < toks.length) {
    let before = first - 1;
    while (before >= 0 && toks[before].kind === 'punct') before--;
    const identified = before >= 0 && IDENTITY_LEAD.has(toks[before].lower);
    const mark = toks[i].kind === 'punct' && CLAUSE_MARKS.has(toks[i].lower);
    const next = mark ? toks[i + 1] : toks[i];
    // (Not before "or": "both names, or just mine?" asks back.)
    if (next !== undefined && next.lower !== 'or' && (identified ? mark || CLAUSE_START.has(next.lower) : CALLER_CLAUSE.has(next.lower))) return span;
  }
  let spelled = false;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (isLetterToken(t)) {
      const runEnd = letterRunEnd(toks, i);
      if (!spellsName(toks, i, runEnd)) return undefined;
      i = runEnd;
      spelled = true;
    } else if (spelled && t.kind === 'word' && isNameWord(t.lower) && units < MAX_NAME_WORDS) {
      // The rest of the name after the first part's spelling ("robert, that's r o b e r t, chen").
      span.end = t.end;
      units++;
    } else if (t.kind === 'punct' ? t.lower === '-' || t.lower === "'" : !ANSWER_TAIL.has(t.lower) && !SPELLING_LEAD.has(t.lower)) {
      return undefined;
    }
  }
  return span;
}

function isNameWord(w: string): boolean {
  return w.length >= 2 && /^\p{L}[\p{L}'’.-]*$/u.test(w) && !NAME_STOP.has(w) && !NOT_NAME.has(w) && !ACK_WORDS.has(w) && !isNumberWord(w);
}
