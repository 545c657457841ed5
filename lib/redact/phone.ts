/**
 * Phone number validity as libphonenumber-js decides it, with a fast path for the common case.
 *
 * parsePhoneNumberFromString(...).isValid() costs ~35 µs a call: the library builds its regular
 * expressions anew on every call. For 10-digit North American national numbers in a US or CA
 * default region this file runs the library's own decision (parse -> getCountryByNationalNumber ->
 * getNumberType) on the library's own metadata, compiled once, also after a national prefix "1",
 * and for "+1" numbers in any region. Everything else goes to the library.
 * test/unit/redact/phone.test.ts checks that both paths agree on random and corpus numbers.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { Metadata } from 'libphonenumber-js/core';
import minMetadata from 'libphonenumber-js/min/metadata';

/** The number types getNumberType tries, in its order (FIXED_LINE first). */
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;

interface Plan {
  country: string;
  /**
   * Anchored at the start: re.test(n) is the library's n.search(leadingDigits) === 0 without trying
   * every later position first.
   */
  leadingDigits?: RegExp;
  national: RegExp;
  /** Without number types in the metadata, isValid() checks the national pattern only. */
  hasTypes: boolean;
  types: Array<{ re: RegExp; lengths?: number[] }>;
}

const anchored = (p: string): RegExp => new RegExp(`^(?:${p})$`);

function compilePlans(): Plan[] {
  const m = new Metadata(minMetadata);
  // The typings leave out what the library uses internally; these are its own accessors.
  const plan = m as unknown as {
    getCountryCodesForCallingCode(code: string): string[] | undefined;
    selectNumberingPlan(country: string): void;
    hasTypes(): boolean;
    leadingDigits(): string | undefined;
      nationalNumberPattern(): string;
    type(t: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  };
  const countries = plan.getCountryCodesForCallingCode('1') ?? [];
  return countries.map((country) => {
    plan.selectNumberingPlan(country);
    const ld = plan.leadingDigits();
    const types: Plan['types'] = [];
    for (const t of TYPES) {
      const def = plan.type(t);
      if (!def || !def.pattern()) continue;
      types.push({ re: anchored(def.pattern()), lengths: def.possibleLengths() });
    }
    return { country, leadingDigits: ld ? new RegExp(`^(?:${ld})`) : undefined, national: anchored(plan.nationalNumberPattern()), hasTypes: plan.hasTypes(), types };
  });
}

let plans: Plan[] | undefined;

/** getNumberType(n, plan) !== undefined. */
function hasType(n: string, p: Plan): boolean {
  if (!p.national.test(n)) return false;
  for (const t of p.types) {
    if (t.lengths && t.lengths.indexOf(n.length) < 0) continue;
    if (t.re.test(n)) return true;
  }
  return false;
}

/** isValid() once the country is chosen. */
function validIn(n: string, p: Plan): boolean {
  return p.hasTypes ? hasType(n, p) : p.national.test(n);
}

/**
 * The library's answer for a 10-digit NANP national number (first digit 2-9) with default region US
 * or CA; for "+1" and the number, pass "US" (the calling code's main country, whatever the default).
 */
export function nanpNationalValid(n: string, defaultRegion: 'US' | 'CA'): boolean {
  plans ??= compilePlans();
  // getCountryByNationalNumber: the first country whose leading digits match, or that gives the number a type.
  for (const p of plans) {
    if (p.leadingDigits) {
      if (p.leadingDigits.test(n)) return validIn(n, p);
    } else if (hasType(n, p)) {
      return true;
    }
  }
  // No exact country: the number keeps the default region.
  const d = plans.find((p) => p.country === defaultRegion);
  return d === undefined ? libraryValid(n, defaultRegion) : validIn(n, d);
}

export function libraryValid(number: string, defaultRegion: string): boolean {
  return parsePhoneNumberFromString(number, defaultRegion as CountryCode)?.isValid() ?? false;
}

/**
 * Whether s from index `from` on is a NANP national number: ten ASCII digits, the first 2-9 (as
 * /[2-9]\d{9}$/ there; read on char codes, as a regular expression literal is a new object per call).
 */
function nanpNationalAt(s: string, from: number): boolean {
  if (s.length - from !== 10) return false;
  const first = s.charCodeAt(from);
  if (first < 50 || first > 57) return false;
  for (let k = from + 1; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Valid phone number per libphonenumber-js (number: national digits, or "+" and international digits). */
export function phoneValid(number: string, defaultRegion: string): boolean {
  // /^1?[2-9]\d{9}$/: ten national digits, maybe after the national prefix "1".
  if ((defaultRegion === 'US' || defaultRegion === 'CA') && (nanpNationalAt(number, 0) || (number.charCodeAt(0) === 49 && nanpNationalAt(number, 1)))) {
    // "1" before ten digits is the national prefix: the library strips it (checked in the tests).
    return nanpNationalValid(number.length === 11 ? number.slice(1) : number, defaultRegion);
  }
  // International form: country calling code 1, then the national number (the default region plays no part).
  if (number.length === 12 && number.charCodeAt(0) === 43 && number.charCodeAt(1) === 49 && nanpNationalAt(number, 2)) return nanpNationalValid(number.slice(2), 'US');
  return libraryValid(number, defaultRegion);
}
