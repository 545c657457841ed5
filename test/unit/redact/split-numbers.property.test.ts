/**
 * Property: for random Luhn-valid cards and valid SSNs, rendered in random written and spoken
 * styles (written ones with any of several marks between the groups, and in digits of several
 * scripts) and split at random points over 1 to 3 final utterances (the other speaker acknowledging in
 * between), no 4-digit fragment of the number survives in any output text or word, nor in the raw
 * event scrubbed as the node scrubs msg.genesys. The leak check decodes spoken digits on its own (not
 * with the redactor's parser).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor } from '../../../lib/redact';
import { isCardNumber, isValidSsn, withLuhnDigit } from '../../../lib/redact/checksums';
import type { Utterance } from '../../../lib/transcript/utterance';

const UNIT = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEEN = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const digitString = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

const cardArb = fc
  .tuple(fc.constantFrom('4', '51', '55', '34', '37', '6011'), digitString(18))
  .map(([prefix, rest]) => withLuhnDigit((prefix + rest).slice(0, (prefix === '34' || prefix === '37' ? 15 : 16) - 1)))
  .filter(isCardNumber);

const ssnArb = fc
  .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .map(([a, g, s]) => `${String(a).padStart(3, '0')}${String(g).padStart(2, '0')}${String(s).padStart(4, '0')}`)
  .filter(isValidSsn);

type Style = 'written-spaced' | 'written-dashed' | 'written-plain' | 'written-marked' | 'spoken-digits' | 'spoken-repeats' | 'spoken-pairs';
const STYLES: Style[] = ['written-spaced', 'written-dashed', 'written-plain', 'written-marked', 'spoken-digits', 'spoken-repeats', 'spoken-pairs'];
/**
 * Marks typed between a number's groups ('written-marked'). Not '.' or ',': "100.01" / "0001" is an
 * amount, then a number, as likely as an SSN's parts.
 */
const MARKS = ['/', '_', '*', '|', '·', '\u2212', '\u2010', '\uff0d', '«', '\uff65'];
/** Digits of other scripts typed in messaging: their 0-9 as Intl writes them, for the written styles. */
const SCRIPTS = ['latn', 'latn', 'latn', 'fullwide', 'arab', 'arabext', 'deva', 'mathbold'];
const scriptDigits = (nu: string) => Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat(`en-u-nu-${nu}`).format(d));
const SCRIPT_DIGITS = new Map(SCRIPTS.map((nu) => [nu, scriptDigits(nu)]));
/** ASCII digits of every script's digits (the leak check reads them as digits). */
const TO_ASCII = new Map([...SCRIPT_DIGITS.values()].flatMap((ds) => ds.map((d, v) => [d, String(v)] as const)));
const inScript = (text: string, nu: string) => (nu === 'latn' ? text : text.replace(/\d/g, (d) => SCRIPT_DIGITS.get(nu)![Number(d)]));
const asciiDigits = (text: string) => [...text].map((ch) => TO_ASCII.get(ch) ?? ch).join('');

/** Renders digits as tokens (the split points are between tokens). */
function render(digits: string, style: Style, pick: (n: number) => number, script = 'latn'): string[] {
  if (style.startsWith('written')) return renderWritten(digits, style, pick).map((t) => inScript(t, script));
  return renderSpoken(digits, style, pick);
}

/** The lengths of the groups a number is written and read in: an SSN's 3-2-4, an Amex card's 4-6-5, else 4-4-4-4. */
function groupLayout(digits: string): number[] {
  return digits.length === 9 ? [3, 2, 4] : digits.length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
}

/** Groups joined as the written styles write them; the split points are between tokens. */
function renderWritten(digits: string, style: Style, pick: (n: number) => number): string[] {
  {
    const groups = groupLayout(digits);
    const out: string[] = [];
    let i = 0;
    for (const g of groups) {
      out.push(digits.slice(i, i + g));
      i += g;
    }
    if (style === 'written-plain') {
      // Split inside the digit string at random places (ASR segments do that).
      const cuts = [pick(digits.length - 1) + 1, pick(digits.length - 1) + 1].sort((a, b) => a - b);
      return [digits.slice(0, cuts[0]), digits.slice(cuts[0], cuts[1]), digits.slice(cuts[1])].filter(Boolean);
    }
    if (style === 'written-marked') {
      const mark = MARKS[pick(MARKS.length)];
      return out.map((g, k) => (k < out.length - 1 ? g + mark : g));
    }
    return style === 'written-dashed' ? out.map((g, k) => (k < out.length - 1 ? `${g}-` : g)) : out;
  }
}

function renderSpoken(digits: string, style: Style, pick: (n: number) => number): string[] {
  const words: string[] = [];
  for (let i = 0; i < digits.length; ) {
    const d = digits[i];
    if (style === 'spoken-pairs' && i + 1 < digits.length && d !== '0' && pick(2) === 0) {
      const n = Number(digits.slice(i, i + 2));
      words.push(n < 20 ? TEEN[n - 10] : n % 10 === 0 ? TENS[n / 10] : `${TENS[Math.floor(n / 10)]} ${UNIT[n % 10]}`);
      i += 2;
    } else if (style === 'spoken-repeats' && i + 2 < digits.length && d === digits[i + 1] && d === digits[i + 2]) {
      words.push(`triple ${UNIT[Number(d)]}`);
      i += 3;
    } else if (style === 'spoken-repeats' && i + 1 < digits.length && d === digits[i + 1]) {
      words.push(`double ${d === '0' ? 'oh' : UNIT[Number(d)]}`);
      i += 2;
    } else {
      words.push(d === '0' ? ['zero', 'oh', 'o'][pick(3)] : UNIT[Number(d)]);
      i++;
    }
    if (pick(12) === 0 && i < digits.length) words.push(pick(2) ? 'um' : 'uh');
  }
  return words;
}

const WORD_DIGITS: Record<string, string> = { zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
/** Independent decoder for the leak check: every digit sequence (written or spoken) in a text. */
function digitSequences(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) out.push(cur);
    cur = '';
  };
  const toks = asciiDigits(text).toLowerCase().match(/[a-z]+|\d+|\S/gu) ?? [];
  for (let i = 0; i < toks.length; i++) {
    const w = toks[i];
    if (/^\d+$/.test(w)) cur += w;
    else if (w in WORD_DIGITS) cur += WORD_DIGITS[w];
    else if (TEEN.includes(w)) cur += String(10 + TEEN.indexOf(w));
    else if (TENS.includes(w) && w) {
      const next = toks[i + 1];
      if (next && next in WORD_DIGITS && WORD_DIGITS[next] !== '0') {
        cur += `${TENS.indexOf(w)}${WORD_DIGITS[next]}`;
        i++;
      } else cur += `${TENS.indexOf(w)}0`;
    } else if ((w === 'double' || w === 'triple') && toks[i + 1] && toks[i + 1] in WORD_DIGITS) {
      cur += WORD_DIGITS[toks[i + 1]].repeat(w === 'double' ? 2 : 3);
      i++;
    } else if (w === '-' || w === 'um' || w === 'uh' || w === ',' || MARKS.includes(w)) continue;
    else flush();
  }
  flush();
  return out;
}

function assertNoFragment(outputs: string[], secret: string, transcript: string[] = []): void {
  for (const o of outputs) {
    for (const seq of digitSequences(o)) {
      for (let k = 0; k + 4 <= seq.length; k++) {
        assert.equal(secret.includes(seq.slice(k, k + 4)), false, `"${seq.slice(k, k + 4)}" of ${secret} left in "${o}"\n${transcript.join('\n')}`);
      }
    }
  }
}

/**
 * `count` distinct cut points in 1..n-1, in order, drawn with `pick`. Each draw takes one of the points
 * left, so it ends whatever `pick` returns (drawing until the set was full never ended once shrinking
 * made every pick 0).
 */
function cutPoints(count: number, n: number, pick: (m: number) => number): number[] {
  const left = Array.from({ length: n - 1 }, (_, k) => k + 1);
  const cuts: number[] = [];
  for (let k = 0; k < count; k++) cuts.push(left.splice(pick(left.length), 1)[0]);
  return cuts.sort((a, b) => a - b);
}

/** The secret rendered in the scenario's style and script, cut into its 1-3 parts (texts, in order). */
function splitSecret(s: { secret: { d: string }; style: Style; script: string; parts: number; cutSeed: number[] }): string[] {
  let n = 0;
  const pick = (m: number) => s.cutSeed[n++ % s.cutSeed.length] % m;
  const tokens = render(s.secret.d, s.style, pick, s.script);
  const parts = Math.min(s.parts, tokens.length);
  const bounds = [0, ...cutPoints(parts - 1, tokens.length, pick), tokens.length];
  const joiner = s.style === 'written-plain' || s.style === 'written-marked' ? '' : ' ';
  return Array.from({ length: parts }, (_, k) => tokens.slice(bounds[k], bounds[k + 1]).join(joiner));
}

/**
 * A call's finals through one redactor, 1.5 s apart: every output is kept for the leak check (text,
 * words, and the raw event as the node keeps it with "msg.genesys: redact", scrubbed with the
 * message's raw spans), with a transcript for the failure message.
 */
class Call {
  readonly outputs: string[] = [];
  readonly transcript: string[] = [];
  private t = Date.UTC(2026, 0, 1);
  constructor(readonly redactor: Redactor) {}

  say(speaker: 'agent' | 'customer', text: string): void {
    const said = finalUtterance(speaker, text, this.t);
    const out = this.redactor.redactUtterance(said);
    const event = { eventBody: { transcripts: [{ channel: 'EXTERNAL', alternatives: [{ transcript: text, words: said.words.map((w) => ({ word: w.text })) }] }] } };
    const scrubbed = JSON.stringify(this.redactor.scrubValue(event, out.raw));
    this.outputs.push(out.utterance.text, ...out.utterance.words.map((w) => w.text), scrubbed);
    this.transcript.push(`${speaker}: ${text} -> ${out.utterance.text} (raw event: ${scrubbed})`);
    this.t += 1500;
  }
}

/** A final utterance of `text` at time t, a word per run of non-spaces. */
function finalUtterance(speaker: 'agent' | 'customer', text: string, t: number): Utterance {
  const words = [...text.matchAll(/\S+/g)].map((m, k) => ({ text: m[0], startMs: t + k * 10, endMs: t + k * 10 + 5 }));
  return {
    conversationId: 'c', utteranceId: `u${t}`, channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL', speaker, isFinal: true, text,
    startMs: t, endMs: t + 1000, words, receivedAt: t + 1100,
  };
}

const scenario = fc.record({
  secret: fc.oneof(cardArb.map((d) => ({ kind: 'card' as const, d })), ssnArb.map((d) => ({ kind: 'ssn' as const, d }))),
  style: fc.constantFrom<Style>(...STYLES),
  script: fc.constantFrom(...SCRIPTS),
  parts: fc.integer({ min: 1, max: 3 }),
  cutSeed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  askFirst: fc.boolean(),
  // A colon after a number once made it a clock's hours (more neighbours: the next property). No date
  // right before the number here: cut after its first four digits, "june 3rd 1900..." is a date.
  lead: fc.constantFrom('', 'sure ', "it's ", 'my number is ', 'okay ', 'at 10:30 and '),
  tail: fc.constantFrom('', ' thanks', '.', ' is that right', ':', ': is that right', ' on june 3rd'),
  ack: fc.constantFrom('okay', 'mhm', 'go on', 'yes', 'got it'),
});

/**
 * Words and marks that made a number beside them look safe before (a date took it for its year, a
 * colon for a clock's hours, "GB" for gigabytes), and others of their kinds: dates, times, amounts,
 * quantities, other numbers, context words and other entities.
 */
const NEIGHBOURS = [
  'march 5', 'on january 3rd 1980', 'june the 3rd', 'march fifth nineteen eighty five', 'at 10:30', 'nine thirty a m', 'around five thirty',
  '25 units', 'GB', 'dollars', 'percent', '$12', '%', ':', ',', '.', '-', '/', '0', '4', 'twenty', 'forty two', '1111', 'oh', 'double',
  'card number', 'ssn', 'ending in', 'expiry', 'zip', 'account', 'GB82 WEST 1234 5698 7654 32', '192.168.0.1', 'fe80::1',
  'john.smith@example.com', 'my name is john', 'um', 'okay', 'thanks',
];
const neighbourScenario = fc.record({
  secret: fc.oneof(cardArb.map((d) => ({ kind: 'card' as const, d })), ssnArb.map((d) => ({ kind: 'ssn' as const, d }))),
  style: fc.constantFrom<Style>(...STYLES),
  script: fc.constantFrom(...SCRIPTS),
  cutSeed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  askFirst: fc.boolean(),
  before: fc.array(fc.constantFrom(...NEIGHBOURS), { maxLength: 3 }),
  after: fc.array(fc.constantFrom(...NEIGHBOURS), { maxLength: 3 }),
  joiner: fc.constantFrom(' ', ' ', ' ', ', ', '. '),
});

/**
 * The neighbours in which the leak check reads no digit ("GB", "percent", ":", "ending in"...). Beside
 * a group the strict setting leaves (an SSN's two middle digits), a neighbour's own digits could
 * continue the secret's by chance ("01/ 25 units" for 001-01-2500) without any digit of it being left.
 */
const WORDY_NEIGHBOURS = NEIGHBOURS.filter((w) => digitSequences(w).length === 0);
const strictScenario = fc.record({
  before: fc.array(fc.constantFrom(...WORDY_NEIGHBOURS), { maxLength: 3 }),
  after: fc.array(fc.constantFrom(...WORDY_NEIGHBOURS), { maxLength: 3 }),
  joiner: fc.constantFrom(' ', ' ', ' ', ', ', '. '),
});

/**
 * What a reader says between a number's groups when answering the question at length: pauses,
 * acknowledgements, hesitations and corrections ("4111 I mean 1111"). Each group alone is a short
 * number in the middle of a sentence; an answer of more than three other words takes no type from the
 * question, so the groups stayed.
 */
const BETWEEN_GROUPS = [' ', ', ', ' and ', ' then ', ' and then ', ' okay ', ' sorry ', ' I mean ', ' or ', ' well ', ' wait ', ' let me see ', ' hang on ', ' actually ', ' uh ', ' next '];
/**
 * A group of an even number of digits read in pairs as people read a card ("forty one eleven", "oh
 * seven seventeen"), with no reading a listener could take for other digits: a round ten is read "four
 * zero" ("forty" then "two zero" reads 420).
 */
function readInPairs(digits: string): string {
  const words: string[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const [a, b] = [Number(digits[i]), Number(digits[i + 1])];
    if (a === 0) words.push(`oh ${UNIT[b]}`);
    else if (a === 1) words.push(TEEN[b]);
    else if (b === 0) words.push(`${UNIT[a]} zero`);
    else words.push(`${TENS[a]} ${UNIT[b]}`);
  }
  return words.join(' ');
}
const QUESTIONS = { card: ['can I have the card number', 'what is the long number on the front of the card'], ssn: ['can you read me your social security number', 'what is your social'] };
const longAnswer = fc.record({
  secret: fc.oneof(cardArb.map((d) => ({ kind: 'card' as const, d })), ssnArb.map((d) => ({ kind: 'ssn' as const, d }))),
  /** Per group: written, spoken digit by digit, or (an even number of digits) in pairs. */
  forms: fc.array(fc.constantFrom('written', 'digits', 'pairs'), { minLength: 4, maxLength: 4 }),
  between: fc.array(fc.constantFrom(...BETWEEN_GROUPS), { minLength: 3, maxLength: 3 }),
  parts: fc.integer({ min: 1, max: 3 }),
  cutSeed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  /** The question for the secret's kind: which of two. */
  question: fc.nat(1),
  lead: fc.constantFrom('', 'sure ', 'hold on let me grab it okay so it is ', 'yes I have it here it is ', 'the one I use is ', 'it should be '),
  tail: fc.constantFrom('', ' thanks', ' I think', ' if I read it right', ' sorry it is a bit faded'),
  ack: fc.constantFrom('okay', 'mhm', 'go on', 'yes'),
});

describe('split numbers (property)', () => {
  it('leaves no 4-digit fragment of a card or SSN in any output, over 1-3 utterances', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const parts = splitSecret(s);
        // Pair readings ("forty one eleven") are only taken as digits with a context; the agent asks first.
        const ask = s.askFirst || s.style === 'spoken-pairs';
        const call = new Call(new Redactor());
        if (ask) call.say('agent', s.secret.kind === 'card' ? 'can I have the card number' : 'can you read me your social security number');
        parts.forEach((part, k) => {
          let text = part;
          if (k === 0) text = s.lead + text;
          if (k === parts.length - 1) text += s.tail;
          call.say('customer', text);
          if (k < parts.length - 1) call.say('agent', s.ack);
        });
        assertNoFragment(call.outputs, s.secret.d, call.transcript);
        call.redactor.close();
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 400, seed: 20261121 },
    );
  });

  it('leaves no part of a card or SSN outside a redacted span, whatever words and marks stand beside it', () => {
    fc.assert(
      fc.property(neighbourScenario, (s) => {
        let n = 0;
        const pick = (m: number) => s.cutSeed[n++ % s.cutSeed.length] % m;
        const secret = render(s.secret.d, s.style, pick, s.script).join(s.style === 'written-plain' || s.style === 'written-marked' ? '' : ' ');
        const before = s.before.join(' ');
        const text = `${before}${before ? s.joiner : ''}${secret}${s.after.length > 0 ? s.joiner + s.after.join(' ') : ''}`;
        const start = before ? before.length + s.joiner.length : 0;
        const redactor = new Redactor();
        const say = (speaker: 'agent' | 'customer', said: string, t: number) => redactor.redactUtterance(finalUtterance(speaker, said, t));
        // Pair readings ("forty one eleven") are only taken as digits with a context; the agent asks first.
        if (s.askFirst || s.style === 'spoken-pairs') say('agent', s.secret.kind === 'card' ? 'can I have the card number' : 'can you read me your social security number', 0);
        const out = say('customer', text, 2000);
        // Its digits and number words; separators ("4111- 1111") and fillers ("uh") between them say nothing.
        for (const part of secret.matchAll(/[\p{L}\p{Nd}]+/gu)) {
          if (part[0] === 'um' || part[0] === 'uh') continue;
          const at = start + part.index;
          assert.ok(
            out.entities.some((e) => e.start <= at && at + part[0].length <= e.end),
            `"${part[0]}" at ${at} of the ${s.secret.kind} "${secret}" is in no redacted span of "${text}" -> "${out.utterance.text}"`,
          );
        }
        redactor.close();
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 400, seed: 20261122 },
    );
  });

  it('with the Numbers setting at 3, leaves no 4-digit fragment even with nothing asked and other words around it', () => {
    // Without a question, a first group that reads as something else ("3577 GB") can stay under the
    // default rules; the strict setting redacts every number of 3 digits or more, whatever it reads as.
    // Nothing is asked here, and every part has neighbours (WORDY_NEIGHBOURS says why without digits).
    fc.assert(
      fc.property(scenario, strictScenario, (s, around) => {
        const call = new Call(new Redactor({ detector: { numbersMinDigits: 3 } }));
        const before = around.before.join(' ');
        const after = around.after.join(' ');
        for (const part of splitSecret(s)) call.say('customer', `${before}${before ? around.joiner : ''}${part}${after ? around.joiner + after : ''}`);
        assertNoFragment(call.outputs, s.secret.d, call.transcript);
        call.redactor.close();
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 400, seed: 20261123 },
    );
  });

  it('leaves no 4-digit fragment of a card or SSN read in its groups in a long answer, with pauses and corrections between them', () => {
    fc.assert(
      fc.property(longAnswer, (s) => {
        let n = 0;
        const pick = (m: number) => s.cutSeed[n++ % s.cutSeed.length] % m;
        let at = 0;
        const groups = groupLayout(s.secret.d).map((g, k) => {
          const digits = s.secret.d.slice(at, (at += g));
          if (s.forms[k] === 'written') return digits;
          return s.forms[k] === 'pairs' && g % 2 === 0 ? readInPairs(digits) : renderSpoken(digits, 'spoken-digits', pick).join(' ');
        });
        const parts = Math.min(s.parts, groups.length);
        const bounds = [0, ...cutPoints(parts - 1, groups.length, pick), groups.length];
        const call = new Call(new Redactor());
        call.say('agent', QUESTIONS[s.secret.kind][s.question]);
        for (let k = 0; k < parts; k++) {
          let text = '';
          for (let g = bounds[k]; g < bounds[k + 1]; g++) text += (g > bounds[k] ? s.between[g - 1] : '') + groups[g];
          if (k === 0) text = s.lead + text;
          if (k === parts - 1) text += s.tail;
          call.say('customer', text);
          if (k < parts - 1) call.say('agent', s.ack);
        }
        assertNoFragment(call.outputs, s.secret.d, call.transcript);
        call.redactor.close();
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 400, seed: 20261124 },
    );
  });

  it('the leak check itself finds fragments (no vacuous pass)', () => {
    assert.throws(() => assertNoFragment(['it is four one one one'], '4111111111111111'));
    assert.throws(() => assertNoFragment(['sure forty one eleven'], '4111111111111111'));
    assert.throws(() => assertNoFragment(['4111-1'], '4111111111111111'));
  });
});
