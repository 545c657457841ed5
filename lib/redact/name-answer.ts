/**
 * A name asked for by one speaker ("can I have your full name?", "who am I speaking with?") and
 * answered bare by the other ("james whitaker", "yeah it's robert chen"). The answer carries no
 * introduction, so only the question makes its words a name: the redactor carries the question to
 * the other speaker's next final utterances, like the number contexts.
 */
import { isNumberWord } from './spoken';
import { LEX_NAME_QUESTION, addLexicon, tokenize, type Token } from './tokens';
import { NAME_STOP, pauseAt } from './vocabulary';

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
  'my', 'of', 'course', 'absolutely', 'certainly', 'hi', 'hello', 'and', 'just', 'sorry',
]);
/** Ordinary words a bare answer can be made of that NAME_STOP does not list ("one moment", "hold on"). */
const NOT_NAME = new Set([
  'moment', 'sec', 'second', 'minute', 'hold', 'hang', 'wait', 'let', 'check', 'sorry', 'pardon', 'repeat', 'again', 'mean',
  'know', 'think', 'guess', 'see', 'hear', 'said', 'say', 'fine', 'thing', 'things', 'problem', 'question', 'issue', 'help',
  'mine', 'husband', 'wife', 'son', 'daughter', 'mother', 'father', 'mom', 'dad', 'wife\'s', 'husband\'s', 'same', 'spelling',
]);
/** Words that may close a bare answer after the name ("robert chen, that's right", "amelia grant thanks"). */
const ANSWER_TAIL = new Set([
  "that's", 'that', 'is', 'right', 'correct', 'yes', 'yeah', 'yep', 'thanks', 'thank', 'you', 'please', 'sir', "ma'am", 'ok', 'okay',
]);
const MAX_NAME_WORDS = 4;
const DIGIT_RE = /[0-9]/;
const LETTER_RE = /\p{L}/u;

/**
 * The span of a bare name answer: optional lead words, then 1-4 name-looking words, then only
 * punctuation and closing words ("that's right", "thanks"). Undefined for anything else ("sure one
 * moment", "yes that's right"). `tokens`, when given, must be tokenize(text) (the detector's).
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
  let words = 0;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct') {
      // A hyphen or apostrophe inside a name ("smith-jones"); a comma before the name said again or
      // in full ("robert, robert chen"); anything else ends it.
      if ((t.lower === '-' || t.lower === "'") && t.start > 0 && LETTER_RE.test(text[t.start - 1]) && LETTER_RE.test(text[t.end] ?? '')) continue;
      if (t.lower === ',' && words > 0 && toks[i + 1] !== undefined && toks[i + 1].kind === 'word' && isNameWord(toks[i + 1].lower)) continue;
      break;
    }
    if (words > 0 && ANSWER_TAIL.has(t.lower)) break;
    if (!isNameWord(t.lower)) return undefined;
    if (++words > MAX_NAME_WORDS) return undefined;
    last = i;
  }
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct' ? t.lower === '-' || t.lower === "'" : !ANSWER_TAIL.has(t.lower)) return undefined;
  }
  if (last < first || words === 0) return undefined;
  return { start: toks[first].start, end: toks[last].end };
}

function isNameWord(w: string): boolean {
  return w.length >= 2 && /^\p{L}[\p{L}'’.-]*$/u.test(w) && !NAME_STOP.has(w) && !NOT_NAME.has(w) && !isNumberWord(w);
}
