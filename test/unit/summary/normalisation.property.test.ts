/**
 * Property tests for the normalisation the grounding relies on: an amount, date or duration said in
 * words in the call grounds the same value written in digits in the summary, and any other value
 * does not.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { indexTexts } from '../../../lib/summary/analysis';
import { DEFAULT_GROUNDING, groundText } from '../../../lib/summary/grounding';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORD: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 5: 'fifth', 8: 'eighth', 9: 'ninth', 12: 'twelfth' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function below100(n: number): string {
  if (n < 20) return ONES[n] as string;
  return n % 10 ? `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}` : (TENS[n / 10] as string);
}
function words(n: number): string {
  const parts: string[] = [];
  if (n >= 1000) parts.push(`${words(Math.floor(n / 1000))} thousand`);
  const r = n % 1000;
  if (r >= 100) parts.push(`${ONES[Math.floor(r / 100)]} hundred`);
  if (r % 100 || parts.length === 0) parts.push(below100(r % 100));
  return parts.join(' ');
}
function ordinal(n: number): string {
  if (ORD[n]) return ORD[n] as string;
  if (n < 20) return `${ONES[n]}th`.replace('tth', 'th');
  const t = Math.floor(n / 10);
  if (n % 10 === 0) return `${(TENS[t] as string).slice(0, -1)}ieth`;
  return `${TENS[t]} ${ordinal(n % 10)}`;
}
function suffix(d: number): string {
  if (d % 10 === 1 && d !== 11) return 'st';
  if (d % 10 === 2 && d !== 12) return 'nd';
  if (d % 10 === 3 && d !== 13) return 'rd';
  return 'th';
}

const ONLY_NUMBERS = { ...DEFAULT_GROUNDING, entities: false, support: false, negation: false };
const ungrounded = (source: string, summary: string): string[] => groundText('summary', summary, indexTexts([source]), ONLY_NUMBERS).map((u) => u.span);

describe('summary normalisation (property tests)', () => {
  it('"N dollars and C cents" grounds $N.CC, and no other amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 500 }), (dollars, cents, delta) => {
        const spoken = `the refund is ${words(dollars)} dollars${cents ? ` and ${words(cents)} cents` : ''}`;
        const value = dollars + cents / 100;
        const written = `$${value.toLocaleString('en-US', { minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: 2 })}`;
        assert.deepEqual(ungrounded(spoken, `The refund is ${written}.`), [], `${spoken} vs ${written}`);
        const other = `$${(value + delta).toFixed(2)}`;
        assert.deepEqual(ungrounded(spoken, `The refund is ${other}.`), [other], `${spoken} vs ${other}`);
      }),
      { numRuns: 200 },
    );
  });

  it('"the Nth of Month" grounds Month Nth and M/N, and no other day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 27 }), (month, day, shift) => {
        const name = MONTHS[month - 1] as string;
        const spoken = `your appointment is on the ${ordinal(day)} of ${name.toLowerCase()}`;
        for (const written of [`${name} ${day}${suffix(day)}`, `${month}/${day}`, `${name} ${day}`]) {
          assert.deepEqual(ungrounded(spoken, `The appointment is on ${written}.`), [], `${spoken} vs ${written}`);
        }
        const otherDay = ((day - 1 + shift) % 28) + 1;
        const wrong = `${name} ${otherDay}${suffix(otherDay)}`;
        assert.deepEqual(ungrounded(spoken, `The appointment is on ${wrong}.`), [wrong], `${spoken} vs ${wrong}`);
      }),
      { numRuns: 200 },
    );
  });

  it('durations compare in one unit: N weeks = 7N days, N hours = 60N minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (n) => {
        assert.deepEqual(ungrounded(`it takes ${words(n)} weeks`, `It takes ${n * 7} days.`), []);
        assert.deepEqual(ungrounded(`about ${words(n)} hours`, `About ${n * 60} minutes.`), []);
        assert.deepEqual(ungrounded(`it takes ${words(n)} weeks`, `It takes ${n * 7 + 1} days.`), [`${n * 7 + 1} days`]);
      }),
      { numRuns: 60 },
    );
  });
});
