/**
 * Property: an amount with cents ("45.99", "1,250.75") or a year after "in" / "since" said about a
 * card, an account or a phone mentioned in the same final ("my card was charged 45.99", "the account
 * was opened in 2019") comes out as it went in when nothing was carried into the final; after a card
 * question, or after the speaker left a number open, the mention types it as before.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor } from '../../../lib/redact';

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

function render(s: { mention: string; whole: number; cents: number; amountSentence: string; year: number; yearSentence: string; aboutYear: boolean }): Said {
  if (s.aboutYear) return { text: s.yearSentence.replace('{m}', s.mention).replace('{y}', String(s.year)), value: String(s.year) };
  const amount = `${s.whole.toLocaleString('en-US')}.${String(s.cents).padStart(2, '0')}`;
  return { text: s.amountSentence.replace('{m}', s.mention).replace('{a}', amount), value: amount };
}

function say(r: Redactor, speaker: string, text: string, t: number): string {
  return r.redactText(text, { conversationId: 'c', speaker, startMs: t, endMs: t + 1000 }).text;
}

const runs = () => (process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 500, seed: 20261122 });

describe('redactor property: amounts and years said about a card, an account or a phone', () => {
  it('leaves them as they are with nothing carried into the final', () => {
    fc.assert(
      fc.property(saidArb, (s) => {
        const r = new Redactor();
        try {
          const { text } = render(s);
          assert.equal(say(r, 'customer', text, 0), text);
        } finally {
          r.close();
        }
      }),
      runs(),
    );
  });

  it('types them by the mention after a card question or a number left open', () => {
    fc.assert(
      // (Four digits or more, the mention before the value: fewer digits inside a sentence are speech
      // whatever came before, "0.00", and a mention far after the value does not type it.)
      fc.property(saidArb.filter((s) => s.aboutYear || (s.whole >= 10 && TYPED_AMOUNT_SENTENCES.includes(s.amountSentence))), fc.boolean(), (s, asked) => {
        const r = new Redactor();
        try {
          if (asked) say(r, 'agent', 'can I have the card number', 0);
          else say(r, 'customer', '4111 1111', 0);
          const { text, value } = render(s);
          const out = say(r, 'customer', text, 1500);
          assert.equal(out.includes(value), false, `"${text}" -> "${out}"`);
        } finally {
          r.close();
        }
      }),
      runs(),
    );
  });
});
