/** Word lists of the detectors: context words per entity, safe-number cues, name stop words. */
import type { EntityType } from './types';
import {
  LEX_AT, LEX_BRIDGE, LEX_CONTEXT, LEX_CONTEXT_ALONE, LEX_CONTEXT_NEXT, LEX_CORRECTION, LEX_CURRENCY_AFTER, LEX_EMAIL_JOIN, LEX_FILLER_WORD, LEX_INTRO, LEX_INTRO_ALONE, LEX_INTRO_NEXT, LEX_LAST_FOUR, LEX_MONTH, LEX_NAME_STOP, LEX_ORDINAL,
  LEX_ORDINAL_SUFFIX, LEX_PAUSE_START, LEX_QUANTITY_AFTER, LEX_STREET, LEX_TIME_CUE, LEX_UNIT, LEX_YEAR_CUE, addLexicon, type Token,
} from './tokens';

/** Context phrases (lower-case token sequences) and the entity type they point to. */
export const CONTEXT_PHRASES: ReadonlyArray<[string, EntityType]> = [
  ['card', 'CARD'], ['credit', 'CARD'], ['debit', 'CARD'], ['visa', 'CARD'], ['mastercard', 'CARD'], ['amex', 'CARD'],
  ['american express', 'CARD'], ['discover', 'CARD'], ['cc', 'CARD'], ['long number', 'CARD'], ['pan', 'CARD'],
  ['cvv', 'CVV'], ['cvc', 'CVV'], ['cvv2', 'CVV'], ['cid', 'CVV'], ['security code', 'CVV'],
  ['three digit', 'CVV'], ['3 digit', 'CVV'], ['back of the card', 'CVV'], ['numbers on the back', 'CVV'], ['digits on the back', 'CVV'], ['code on the back', 'CVV'], ['digit code', 'CVV'], ['verification code', 'CVV'], ['card code', 'CVV'],
  ['expiry', 'EXPIRY'], ['expiration', 'EXPIRY'], ['expires', 'EXPIRY'], ['expire', 'EXPIRY'], ['exp', 'EXPIRY'],
  ['valid thru', 'EXPIRY'], ['valid through', 'EXPIRY'], ['good thru', 'EXPIRY'], ['good through', 'EXPIRY'],
  ['social', 'SSN'], ['ssn', 'SSN'], ['ssns', 'SSN'], ['social security', 'SSN'], ['ssid', 'SSN'], ['tax id', 'SSN'],
  ['phone', 'PHONE'], ['telephone', 'PHONE'], ['cell', 'PHONE'], ['cellphone', 'PHONE'], ['mobile', 'PHONE'],
  ['callback', 'PHONE'], ['call back', 'PHONE'], ['call me', 'PHONE'], ['reach me', 'PHONE'], ['reach you', 'PHONE'],
  ['landline', 'PHONE'], ['fax', 'PHONE'], ['text me', 'PHONE'], ['area code', 'PHONE'],
  ['email', 'EMAIL'], ['e-mail', 'EMAIL'], ['e mail', 'EMAIL'],
  ['account', 'ACCOUNT'], ['acct', 'ACCOUNT'], ['member', 'ACCOUNT'], ['membership', 'ACCOUNT'], ['policy', 'ACCOUNT'],
  ['routing', 'ACCOUNT'], ['claim', 'ACCOUNT'], ['customer number', 'ACCOUNT'], ['customer id', 'ACCOUNT'],
  ['reference number', 'ACCOUNT'], ['confirmation number', 'ACCOUNT'], ['id number', 'ACCOUNT'], ['member id', 'ACCOUNT'],
  ['subscriber', 'ACCOUNT'], ['iban', 'IBAN'],
  ['date of birth', 'DOB'], ['birthday', 'DOB'], ['birth date', 'DOB'], ['birthdate', 'DOB'], ['born', 'DOB'], ['dob', 'DOB'],
  ['d o b', 'DOB'],
  ['zip', 'ZIP'], ['zipcode', 'ZIP'], ['zip code', 'ZIP'], ['postal', 'ZIP'], ['postcode', 'ZIP'], ['post code', 'ZIP'],
  ['address', 'ADDRESS'], ['live at', 'ADDRESS'], ['ip', 'IP'],
  ['number', 'NUMBER'], ['digits', 'NUMBER'],
];

/** Context types whose presence makes any digit run (of 4+ digits, or ending the text) sensitive. */
export const SENSITIVE_RUN_CONTEXTS: readonly EntityType[] = ['CARD', 'SSN', 'PHONE', 'ACCOUNT', 'NUMBER'];

/** Words right after a number that make it a price or a quantity. */
export const CURRENCY_AFTER = new Set([
  'dollars', 'dollar', 'bucks', 'cents', 'cent', 'euros', 'euro', 'pounds', 'pound', 'pence', 'percent', 'grand', 'usd', 'eur', 'gbp',
]);
export const CURRENCY_SYMBOLS = new Set(['$', '€', '£', '¥', '%']);
export const QUANTITY_AFTER = new Set([
  'units', 'unit', 'items', 'item', 'pieces', 'piece', 'minutes', 'minute', 'hours', 'hour', 'days', 'day', 'weeks', 'week',
  'months', 'month', 'years', 'year', 'seconds', 'second', 'miles', 'mile', 'people', 'times', 'calls', 'gb', 'mb', 'kb',
  'gigs', 'points', 'orders', 'boxes', 'kilos', 'kg', 'lbs', 'feet', 'foot', 'inches', 'degrees', 'users', 'licenses',
  'seats', 'accounts', 'devices', 'lines', 'messages', 'emails', 'tickets', 'texts', 'packages', 'bottles', 'cases',
  'percent', 'meters', 'liters', 'gallons', 'am', 'pm', "o'clock", 'oclock', 'ish', 'pages', 'steps', 'kids', 'children',
  'employees', 'stores', 'mbps', 'gbps', 'kbps', 'mph', 'kph', 'customers', 'bytes', 'rooms', 'nights', 'tablets', 'pills', 'mg', 'ml', 'pounds',
]);
export const MONTHS = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);
export const ORDINAL_WORDS = new Set([
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth',
  'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'thirtieth',
]);
export const ORDINAL_SUFFIX = new Set(['st', 'nd', 'rd', 'th']);
/** Words before a short number that make it a time or an amount ("around five thirty", "after 6"). */
export const TIME_CUES = new Set(['around', 'about', 'after', 'before', 'until', 'till', 'til', 'by', 'past', 'approximately', 'roughly']);
export const YEAR_CUES = new Set(['in', 'since', 'year', 'from', 'until', 'of', 'by', 'back', 'before', 'after', 'til', 'till', 'class', 'model']);
/** Words between two years of a list or a range ("2019 and 2020", "from 2019 to 2021"). */
export const YEAR_LIST_JOINERS = new Set(['and', 'or', 'to', 'through', 'thru', 'till', 'til', 'until']);
export const LAST_FOUR_PHRASES: readonly string[][] = [
  ['ending', 'in'], ['ends', 'in'], ['ending', 'with'], ['ends', 'with'], ['last', 'four'], ['last', '4'], ['last', 'digits'],
];
export const STREET_SUFFIXES = new Set([
  'street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'court', 'ct', 'way',
  'place', 'pl', 'terrace', 'circle', 'cir', 'parkway', 'pkwy', 'highway', 'hwy', 'square', 'sq', 'trail', 'crescent', 'close',
]);
export const UNIT_WORDS = new Set(['apartment', 'apt', 'suite', 'unit', 'flat', 'floor', '#']);
export const EMAIL_TLDS = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'uk', 'us', 'ca', 'de', 'fr', 'info', 'biz', 'me', 'au', 'in', 'nl', 'es', 'it', 'mil', 'ie',
  'ai', 'app', 'dev', 'ru', 'ch', 'se', 'nz', 'za', 'br', 'mx', 'jp', 'pl', 'at', 'be', 'dk', 'fi', 'no', 'pt', 'cz', 'tv', 'ly', 'eu',
]);
/** Mailbox providers' domain names: "anna at gmail.com" is an address even where no email was asked for. */
export const MAIL_PROVIDERS = new Set([
  'gmail', 'googlemail', 'yahoo', 'ymail', 'hotmail', 'outlook', 'msn', 'icloud', 'me', 'mac', 'aol', 'proton', 'protonmail', 'pm',
  'gmx', 'yandex', 'zoho', 'fastmail', 'comcast', 'verizon', 'att', 'sbcglobal', 'btinternet',
]);
export const EMAIL_JOINERS = new Set(['dot', 'period', 'underscore', 'dash', 'hyphen', 'minus', 'plus']);
export const EMAIL_JOINER_CHAR: Record<string, string> = { dot: '.', period: '.', underscore: '_', dash: '-', hyphen: '-', minus: '-', plus: '+' };

/** Name introductions. strong: the next words are a name even in lower case. */
export const NAME_INTROS: ReadonlyArray<{ words: string[]; strong: boolean }> = [
  { words: ['my', 'name', 'is'], strong: true },
  { words: ['last', 'name', 'is'], strong: true },
  { words: ['first', 'name', 'is'], strong: true },
  { words: ['last', 'name'], strong: true },
  { words: ['first', 'name'], strong: true },
  { words: ['surname'], strong: true },
  { words: ['my', "name's"], strong: true },
  { words: ['name', 'is'], strong: true },
  { words: ['surname', 'is'], strong: true },
  { words: ['call', 'me'], strong: false },
  { words: ['this', 'is'], strong: false },
  { words: ['speaking', 'with'], strong: false },
  { words: ['speaking', 'to'], strong: false },
  { words: ["i'm"], strong: false },
  { words: ['i', 'am'], strong: false },
  { words: ['mr'], strong: false },
  { words: ['mrs'], strong: false },
  { words: ['ms'], strong: false },
  { words: ['miss'], strong: false },
];

/** Words that are never (the start of) a name after an introduction. */
export const NAME_STOP = new Set(
  (
    'a an the and or but so not no yes yeah yep okay ok sure well just really very quite calling call here there from with about ' +
    'for to of in on at by is was be been being am are were it its it\'s this that these those i me my mine you your we our ' +
    'they them their he she his her him going gonna trying looking wondering hoping having getting doing happy glad sorry ' +
    'fine good great calling still also again only actually basically um uh er ah hmm hi hello hey thanks thank please ' +
    'what when where who why how which if then than as like need want have has had do does did can could would should will ' +
    'shall may might must one two three four five six seven eight nine ten zero oh customer agent support service team ' +
    'department company bank insurance billing sales account card number phone email address today tomorrow now right ' +
    'correct wrong all any some more less back up down out over under new old same other another first last next ' +
    'ready done sure afraid aware able unable interested calling speaking waiting available busy home work his hers ' +
    'regarding about concerning re following spelled spell that\'s there\'s what\'s let\'s i\'ll i\'ve i\'d you\'re we\'re'
  ).split(/\s+/),
);

/**
 * Ordinary words NAME_STOP does not list that a name answer can be made of ("one moment", "hold on")
 * or that stand before a word spelled ("I said gmail, g m a i l"): not names there.
 */
export const NOT_NAME: ReadonlySet<string> = new Set([
  'moment', 'sec', 'second', 'minute', 'hold', 'hang', 'wait', 'let', 'check', 'sorry', 'pardon', 'repeat', 'again', 'mean',
  'know', 'think', 'guess', 'see', 'hear', 'said', 'say', 'fine', 'thing', 'things', 'problem', 'question', 'issue', 'help',
  'mine', 'husband', 'wife', 'son', 'daughter', 'mother', 'father', 'mom', 'dad', 'wife\'s', 'husband\'s', 'same', 'spelling',
  "i'm", 'im', 'name', 'names', 'both', 'primary', 'holder', 'joint', 'main', 'legal', 'middle', 'maiden', 'full', 'whole', 'whose', 'which',
]);

/** Words that may stand between a name and its spelling ("chen, that's c h e n", "chen spelled c h e n"). */
export const SPELLING_LEAD: ReadonlySet<string> = new Set(["that's", 'thats', 'that', 'is', "it's", 'its', 'spelled', 'spelt', 'with']);

/** Acknowledgements besides the fillers ("mhm", "go on", "got it"): a text of only these and fillers is not substantive. */
export const ACK_WORDS = new Set(['mhm', 'mm', 'hmm', 'huh', 'uh', 'go', 'on', 'ahead', 'got', 'it', 'right', 'alright', 'sure', 'yep', 'yup', 'yes', 'yeah', 'okay', 'ok', 'please', 'continue', 'sorry', 'what', 'again']);

/** How long a pause is ("one sec", "a moment"): the "one" before it is speech, not a digit (spoken.ts, detectors.ts). */
export const PAUSE_LENGTHS: ReadonlySet<string> = new Set(['sec', 'second', 'moment']);

/** Words said while finding the next group of a number, beside fillers and acknowledgements (detectors.ts, bridgeBetween). */
export const BRIDGE_WORDS = new Set(['hold', 'on', 'let', 'me', 'see', 'wait', 'just', 'a', 'sec', 'second', 'moment', 'hang']);

/**
 * Pauses said while finding an answer ("hold on, it's robert chen", "let me see, ...", "just a sec, ...";
 * "just" is a lead word of its own): a name answer may open with them, and they make no answer a long
 * one (name-answer.ts, detectors.ts answerLike).
 */
const PAUSE_PHRASES: ReadonlyArray<readonly string[]> = [
  ['hold', 'on'], ['hang', 'on'], ['let', 'me', 'see'], ['wait'],
  // "one sec", "a moment": the lengths isPauseOne (spoken.ts) reads too.
  ...[...PAUSE_LENGTHS].flatMap((length) => [['one', length], ['a', length]]),
  ['give', 'me', 'a', 'sec'], ['give', 'me', 'a', 'second'],
];

addLexicon(PAUSE_PHRASES.map((p) => p[0]), LEX_PAUSE_START);

/** The number of tokens of a pause phrase (PAUSE_PHRASES) starting at token i, else 0. */
export function pauseAt(tokens: readonly Token[], i: number): number {
  // (Most tokens start none: one bit test, not a probe of every phrase.)
  const first = tokens[i];
  if (first === undefined || (first.lex & LEX_PAUSE_START) === 0) return 0;
  for (const phrase of PAUSE_PHRASES) {
    let k = 0;
    while (k < phrase.length && tokens[i + k]?.lower === phrase[k]) k++;
    if (k === phrase.length) return k;
  }
  return 0;
}

/**
 * Words of a correction or a hesitation said between a number's groups ("4111 I mean 1111", "4111 or
 * 1111", "4111 well 1111", "actually"): bridgeBetween only. Unlike BRIDGE_WORDS they do not make a
 * number at the end of a final open, nor lead the rest of one: "or" and "I" end sentences too.
 */
export const CORRECTION_WORDS = new Set(['i', 'mean', 'or', 'well', 'actually', 'no', 'oops', 'rather']);

/**
 * Words after which "one" is a pronoun, not a digit ("which one", "the new one", "the visa one"):
 * determiners and the adjectives a customer names a card, an account or a phone by.
 */
export const BEFORE_PRONOUN_ONE: ReadonlySet<string> = new Set([
  'which', 'the', 'this', 'that', 'another', 'other', 'each', 'any', 'every', 'new', 'old', 'older', 'newer', 'same', 'first', 'last',
  'right', 'wrong', 'only', 'main', 'current', 'expired', 'blue', 'black', 'red', 'green', 'gold', 'silver', 'business', 'personal',
  'visa', 'debit', 'credit', 'mastercard', 'amex', 'discover',
]);

export const FILLER_WORDS = new Set(['um', 'umm', 'uh', 'uhh', 'er', 'erm', 'ah', 'hmm', 'mm', 'so', 'and', 'then', 'okay', 'ok', 'yeah', 'yes', 'sorry', 'the', 'rest', 'is', "it's", 'its', 'next', 'continuing', 'after', 'that', 'more']);

addLexicon(MONTHS, LEX_MONTH);
addLexicon(STREET_SUFFIXES, LEX_STREET);
addLexicon(NAME_INTROS.map((i) => i.words[0]), LEX_INTRO);
addLexicon(NAME_INTROS.filter((i) => i.words.length === 1).map((i) => i.words[0]), LEX_INTRO_ALONE);
addLexicon(NAME_INTROS.filter((i) => i.words.length > 1).map((i) => i.words[1]), LEX_INTRO_NEXT);
addLexicon(CONTEXT_PHRASES.map(([p]) => p.split(' ')[0]), LEX_CONTEXT);
addLexicon(CONTEXT_PHRASES.filter(([p]) => !p.includes(' ')).map(([p]) => p), LEX_CONTEXT_ALONE);
addLexicon(CONTEXT_PHRASES.filter(([p]) => p.includes(' ')).map(([p]) => p.split(' ')[1]), LEX_CONTEXT_NEXT);
addLexicon(ORDINAL_WORDS, LEX_ORDINAL);
addLexicon(['at'], LEX_AT);
addLexicon(EMAIL_JOINERS, LEX_EMAIL_JOIN);
addLexicon(NAME_STOP, LEX_NAME_STOP);
addLexicon(FILLER_WORDS, LEX_FILLER_WORD);
addLexicon(BRIDGE_WORDS, LEX_BRIDGE);
addLexicon(CORRECTION_WORDS, LEX_CORRECTION);
addLexicon(CURRENCY_AFTER, LEX_CURRENCY_AFTER);
addLexicon(QUANTITY_AFTER, LEX_QUANTITY_AFTER);
addLexicon(TIME_CUES, LEX_TIME_CUE);
addLexicon(YEAR_CUES, LEX_YEAR_CUE);
addLexicon(ORDINAL_SUFFIX, LEX_ORDINAL_SUFFIX);
addLexicon(UNIT_WORDS, LEX_UNIT);
addLexicon(LAST_FOUR_PHRASES.map((p) => p[0]), LEX_LAST_FOUR);
