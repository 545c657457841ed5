/**
 * The fast phone validity path (lib/redact/phone.ts) must give libphonenumber-js's own answer:
 * compared on every NANP area code with random subscriber digits, on the corpus's phone numbers,
 * and on random numbers from fast-check. PROPERTY_RUNS=<n> runs more random cases.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { libraryValid, nanpNationalValid, phoneValid } from '../../../lib/redact/phone';
import corpusJson from '../../fixtures/redaction/corpus.json';
import type { Corpus } from '../../fixtures/redaction/generate-corpus';

const REGIONS = ['US', 'CA'] as const;

describe('redact/phone: fast NANP validity equals libphonenumber-js', () => {
  it('agrees on every area code 200-999 (fixed seed digits after it)', function () {
    this.timeout(20_000);
    let rnd = 20261121;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31);
    let valid = 0;
    for (let area = 200; area <= 999; area++) {
      const n = `${area}${String(next() % 1e7).padStart(7, '0')}`;
      for (const region of REGIONS) {
        const fast = nanpNationalValid(n, region);
        assert.equal(fast, libraryValid(n, region), `${n} in ${region}`);
        // With the national prefix "1", and in international form, the library gives the same answer.
        assert.equal(phoneValid(`1${n}`, region), libraryValid(`1${n}`, region), `1${n} in ${region}`);
        assert.equal(phoneValid(`+1${n}`, region), libraryValid(`+1${n}`, region), `+1${n} in ${region}`);
        if (fast) valid++;
      }
    }
    // Both answers occur (the comparison is not vacuous).
    assert.ok(valid > 200 && valid < 1600, `valid ${valid}`);
  });

  it('agrees on the phone numbers of the labelled corpus', () => {
    const corpus = corpusJson as unknown as Corpus;
    let checked = 0;
    for (const conv of corpus.conversations) {
      for (const u of conv.utterances) {
        for (const s of u.spans) {
          if (s.type !== 'PHONE') continue;
          const d = s.digits.length === 11 && s.digits[0] === '1' ? s.digits.slice(1) : s.digits;
          if (d.length !== 10 || d[0] < '2') continue;
          for (const region of REGIONS) assert.equal(nanpNationalValid(d, region), libraryValid(d, region), d);
          checked++;
        }
      }
    }
    assert.ok(checked >= 10, `checked ${checked}`);
  });

  it('agrees on random 10-digit numbers and on what phoneValid routes to the library', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }), fc.constantFrom('US', 'CA', 'GB'), fc.constantFrom('', '1', '+1'), (x, region, prefix) => {
        const asked = `${prefix}${x}`;
        assert.equal(phoneValid(asked, region), libraryValid(asked, region));
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 300, seed: 20261121 },
    );
  });
});
