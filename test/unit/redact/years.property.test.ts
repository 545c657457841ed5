/**
 * Property: years of 1900-2099 written in a list or a range ("in 2019, 2020 and 2021", "from 2019 to
 * 2021", "the years 1984 1985"), with nothing asked and nothing open, come out as they went in, also
 * when they end the final (where a group may be the start of a number read over several finals). And
 * after a card question, or after the speaker left a number open, the last year of such a list ending
 * the final is taken for a number's group: it is not left whole.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor } from '../../../lib/redact';

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

function render(l: { years: number[]; joiners: string[]; cue: string; lead: string; tail: string }): string {
  // One year alone needs a cue before it; a list is years by itself.
  const lead = l.years.length === 1 ? l.cue : l.lead;
  return lead + l.years.map((y, k) => (k === 0 ? String(y) : l.joiners[k - 1] + String(y))).join('') + l.tail;
}

function say(r: Redactor, speaker: string, text: string, t: number): string {
  return r.redactText(text, { conversationId: 'c', speaker, startMs: t, endMs: t + 1000 }).text;
}

const runs = () => (process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 500, seed: 20261122 });

describe('redactor property: years listed', () => {
  it('leaves years listed or in a range as they are, with nothing asked', () => {
    fc.assert(
      fc.property(listArb, (l) => {
        const r = new Redactor();
        try {
          const text = render(l);
          assert.equal(say(r, 'customer', text, 0), text);
        } finally {
          r.close();
        }
      }),
      runs(),
    );
  });

  it('redacts the last year of the same lists ending a final after a card question or a number left open', () => {
    fc.assert(
      // (The last year not after "until", a year's cue: "until 2021" stays whatever came before, as before these rules.)
      fc.property(listArb.filter((l) => l.years.length >= 2 && new Set(l.years).size === l.years.length && l.joiners[l.years.length - 2] !== ' until '), fc.boolean(), (l, asked) => {
        const r = new Redactor();
        try {
          if (asked) say(r, 'agent', 'can I have the card number', 0);
          else say(r, 'customer', '4111 1111', 0);
          // The last year ends the final: it may be the next group of the number asked for or left
          // open, so it is not read as a year. (Years before it, after a word, can be; so can a year
          // after "in" as before these rules.)
          const text = render({ ...l, tail: PUNCTUATION_TAILS.includes(l.tail) ? l.tail : '' });
          const out = say(r, 'customer', text, 1500);
          const last = String(l.years[l.years.length - 1]);
          assert.equal(out.includes(last), false, `"${text}" -> "${out}"`);
        } finally {
          r.close();
        }
      }),
      runs(),
    );
  });
});
