/**
 * Property: a digit run answers its first digit's start and last digit's end from its first and last
 * token (without reading its layout); these must be what the per-digit layout says, on random texts
 * of number words, digits, fillers and punctuation.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { spokenDigitView } from '../../../lib/redact';

const WORDS = [
  'zero', 'oh', 'o', 'nought', 'one', 'two', 'five', 'nine', 'ten', 'twelve', 'nineteen', 'twenty', 'forty', 'ninety', 'hundred', 'thousand',
  'and', 'double', 'triple', 'um', 'dash', '-', '.', ',', '(', ')', '+', '4111', '1', '12', '555', '0', 'my', 'card', 'a', 'm',
];
const SEPARATORS = [' ', ' ', '', '-', ', '];

describe('spoken digit runs', () => {
  it('read their first start and last end from their tokens as the layout has them (property)', () => {
    const text = fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 14 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));
    fc.assert(
      fc.property(text, (t) => {
        for (const run of spokenDigitView(t).runs) {
          const last = run.digits.length - 1;
          assert.equal(run.sourceStart(0), run.digitStart[0], t);
          assert.equal(run.sourceEnd(last), run.digitEnd[last], t);
          assert.equal(run.digitStart.length, run.digits.length, t);
        }
      }),
      { numRuns: 3000, seed: 20261122 },
    );
  });
});
