/**
 * Properties: numbers read as what they are when nothing is carried into the final, and taken for a
 * number's digits when something is.
 * - Years of 1900-2099 written in a list or a range ("in 2019, 2020 and 2021", "from 2019 to 2021",
 *   "the years 1984 1985") come out as they went in, also when they end the final (where a group may
 *   be the start of a number read over several finals). After a card question, or after the speaker
 *   left a number open, the last year of such a list ending the final is not left whole.
 * - An amount with cents ("45.99", "1,250.75") or a year after "in" / "since" said about a card, an
 *   account or a phone mentioned in the same final ("my card was charged 45.99", "the account was
 *   opened in 2019") comes out as it went in; after a card question or a number left open, the
 *   mention types it as before.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor } from '../../../lib/redact';

function say(r: Redactor, speaker: string, text: string, t: number): string {
  return r.redactText(text, { conversationId: 'c', speaker, startMs: t, endMs: t + 1000 }).text;
}

/** A fresh redactor for one case, closed after it. */
function withRedactor(test: (r: Redactor) => void): void {
  const r = new Redactor();
  try {
    test(r);
  } finally {
    r.close();
  }
}

/** What is carried into the customer's next final: a card question, or a number left open. */
function carryIn(r: Redactor, asked: boolean): void {
  if (asked) say(r, 'agent', 'can I have the card number', 0);
  else say(r, 'customer', '4111 1111', 0);
}

const runs = () => (process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 500, seed: 20261122 });

// Words before a year that make it one on their own ("in 2019"), and others that do not ("between").
const CUES = ['in ', 'since ', 'from ', 'back in ', 'until '];
const OTHER_LEADS = ['', 'between ', 'the years ', 'it was ', 'we had trouble in '];
const JOINERS = [', ', ' ', ' and ', ' or ', ' to ', ' through ', ' until '];
// Nothing after the list but a mark: it ends the final.
const PUNCTUATION_TAILS = ['', '.', '?'];
const TAILS = [...PUNCTUATION_TAILS, ' I think', ' and it was fine'];

const listArb = fc.record({
  years: fc.array(fc.integer({ min: 1900, max: 2099 }), { minLength: 1, maxLength: 4 }),
  joiners: fc.array(fc.constantFrom(...JOINERS), { minLength: 3, maxLength: 3 }),
  cue: fc.constantFrom(...CUES),
  lead: fc.constantFrom(...OTHER_LEADS),
  tail: fc.constantFrom(...TAILS),
});

function renderYears(l: { years: number[]; joiners: string[]; cue: string; lead: string; tail: string }): string {
  // One year alone needs a cue before it; a list is years by itself.
  const lead = l.years.length === 1 ? l.cue : l.lead;
  return lead + l.years.map((y, k) => (k === 0 ? String(y) : l.joiners[k - 1] + String(y))).join('') + l.tail;
}

// Mentions of a card, an account or a phone that ask for no number ("number" and "digits" do).
const MENTIONS = ['card', 'credit card', 'debit card', 'visa', 'account', 'phone', 'mobile', 'credit'];
// The mention a few words before the value: where the mention types it (the first four), and others.
const AMOUNT_SENTENCES = [
  'my {m} was charged {a}', 'the {m} was charged {a} twice', 'I got a {m} of {a}', 'the {m} balance is {a}',
  'there is a {a} fee on my {m}', 'a payment of {a} on the {m} went through', '{a} was taken from my {m}',
];
const TYPED_AMOUNT_SENTENCES = AMOUNT_SENTENCES.slice(0, 4);
const YEAR_SENTENCES = ['the {m} was opened in {y}', 'I have had this {m} since {y}', 'my {m} is from {y}'];

const saidArb = fc.record({
  mention: fc.constantFrom(...MENTIONS),
  whole: fc.integer({ min: 0, max: 99_999 }),
  cents: fc.integer({ min: 0, max: 99 }),
  amountSentence: fc.constantFrom(...AMOUNT_SENTENCES),
  year: fc.integer({ min: 1900, max: 2099 }),
  yearSentence: fc.constantFrom(...YEAR_SENTENCES),
  aboutYear: fc.boolean(),
});

interface Said {
  text: string;
  value: string;
}

function renderSaid(s: { mention: string; whole: number; cents: number; amountSentence: string; year: number; yearSentence: string; aboutYear: boolean }): Said {
  if (s.aboutYear) return { text: s.yearSentence.replace('{m}', s.mention).replace('{y}', String(s.year)), value: String(s.year) };
  const amount = `${s.whole.toLocaleString('en-US')}.${String(s.cents).padStart(2, '0')}`;
  return { text: s.amountSentence.replace('{m}', s.mention).replace('{a}', amount), value: amount };
}

describe('redactor property: years listed', () => {
  it('leaves years listed or in a range as they are, with nothing asked', () => {
    fc.assert(
      fc.property(listArb, (l) => {
        withRedactor((r) => {
          const text = renderYears(l);
          assert.equal(say(r, 'customer', text, 0), text);
        });
      }),
      runs(),
    );
  });

  it('redacts the last year of the same lists ending a final after a card question or a number left open', () => {
    fc.assert(
      // (The last year not after "until", a year's cue: "until 2021" stays whatever came before, as before these rules.)
      fc.property(listArb.filter((l) => l.years.length >= 2 && new Set(l.years).size === l.years.length && l.joiners[l.years.length - 2] !== ' until '), fc.boolean(), (l, asked) => {
        withRedactor((r) => {
          carryIn(r, asked);
          // The last year ends the final: it may be the next group of the number asked for or left
          // open, so it is not read as a year. (Years before it, after a word, can be; so can a year
          // after "in" as before these rules.)
          const text = renderYears({ ...l, tail: PUNCTUATION_TAILS.includes(l.tail) ? l.tail : '' });
          const out = say(r, 'customer', text, 1500);
          const last = String(l.years[l.years.length - 1]);
          assert.equal(out.includes(last), false, `"${text}" -> "${out}"`);
        });
      }),
      runs(),
    );
  });
});

describe('redactor property: amounts and years said about a card, an account or a phone', () => {
  it('leaves them as they are with nothing carried into the final', () => {
    fc.assert(
      fc.property(saidArb, (s) => {
        withRedactor((r) => {
          const { text } = renderSaid(s);
          assert.equal(say(r, 'customer', text, 0), text);
        });
      }),
      runs(),
    );
  });

  it('types them by the mention after a card question or a number left open', () => {
    fc.assert(
      // (Four digits or more, the mention before the value: fewer digits inside a sentence are speech
      // whatever came before, "0.00", and a mention far after the value does not type it.)
      fc.property(saidArb.filter((s) => s.aboutYear || (s.whole >= 10 && TYPED_AMOUNT_SENTENCES.includes(s.amountSentence))), fc.boolean(), (s, asked) => {
        withRedactor((r) => {
          carryIn(r, asked);
          const { text, value } = renderSaid(s);
          const out = say(r, 'customer', text, 1500);
          assert.equal(out.includes(value), false, `"${text}" -> "${out}"`);
        });
      }),
      runs(),
    );
  });
});
