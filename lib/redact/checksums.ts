/** Checksums and format rules of the number detectors (digits only in, booleans out). */
import { isHyphenCode } from './tokens';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** `body` plus the Luhn check digit that makes it valid (test cards for fixtures and the simulator). */
export function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('withLuhnDigit: body must be digits');
}

/** Card brands by IIN prefix and allowed lengths (ISO/IEC 7812 ranges used by the networks). */
export function cardBrand(digits: string): string | undefined {
  const n = digits.length;
  // The numbers the first 2, 3, 4 and 6 characters make (the whole string when shorter): read from the
  // char codes when these are digits (always, from the detectors), else as Number() reads them.
  let value = 0;
  let p2 = 0;
  let p3 = 0;
  let p4 = 0;
  let p6: number;
  let k = 0;
  for (; k < n && k < 6; k++) {
    const d = digits.charCodeAt(k) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    if (k === 1) p2 = value;
    else if (k === 2) p3 = value;
    else if (k === 3) p4 = value;
  }
  if (k === n || k === 6) {
    if (n < 2) p2 = value;
    if (n < 3) p3 = value;
    if (n < 4) p4 = value;
    p6 = value;
  } else {
    p2 = Number(digits.slice(0, 2));
    p3 = Number(digits.slice(0, 3));
    p4 = Number(digits.slice(0, 4));
    p6 = Number(digits.slice(0, 6));
  }
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19) return 'discover';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if ((p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) && n >= 14 && n <= 19) return 'diners';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
  return undefined;
}

/** Whether `digits`, fewer than a card has, can be a card number's first digits: a known brand prefix. */
export function couldStartCard(digits: string): boolean {
  return digits.length < 19 && (cardBrand(digits.padEnd(16, '0')) !== undefined || cardBrand(digits.padEnd(15, '0')) !== undefined);
}

/** Whether three digits can be an SSN's area: not 000, 666 or 9xx. */
export function couldStartSsn(area: string): boolean {
  return area.length === 3 && area !== '000' && area !== '666' && area[0] !== '9';
}

/** A Luhn-valid number with a known brand prefix and length. */
export function isCardNumber(digits: string): boolean {
  // Every brand has 12 to 19 digits.
  if (digits.length < 12 || digits.length > 19) return false;
  return cardBrand(digits) !== undefined && luhnValid(digits);
}

/** A card number, or digits read over several finals that end with one (its last 16 or 15). */
export function endsWithCardNumber(digits: string): boolean {
  return isCardNumber(digits) || (digits.length > 16 && isCardNumber(digits.slice(-16))) || (digits.length > 15 && isCardNumber(digits.slice(-15)));
}

/**
 * A card number that may be the start of a longer one being read: under 16 digits, but an American
 * Express number's 15 (34 / 37). Twelve digits pass as a Maestro number one time in ten.
 */
export function cardMayGoOn(digits: string): boolean {
  if (digits.length >= 16) return false;
  return !(digits.length === 15 && digits.charCodeAt(0) === 51 && (digits.charCodeAt(1) === 52 || digits.charCodeAt(1) === 55));
}

/**
 * US SSN rules (SSA; Presidio us_ssn_recognizer): area not 000, 666 or 9xx, group not 00, serial not
 * 0000, not all one digit, not the well-known advertising / sample numbers.
 */
export function isValidSsn(digits: string): boolean {
  // Read on char codes: nine ASCII digits, and whether they are all the same one.
  if (digits.length !== 9) return false;
  const first = digits.charCodeAt(0);
  let allSame = true;
  for (let i = 0; i < 9; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== first) allSame = false;
  }
  if (allSame || first === 57) return false; // area 9xx
  const c = (i: number): number => digits.charCodeAt(i);
  if ((first === 48 || first === 54) && c(1) === first && c(2) === first) return false; // area 000, 666
  if (c(3) === 48 && c(4) === 48) return false; // group 00
  if (c(5) === 48 && c(6) === 48 && c(7) === 48 && c(8) === 48) return false; // serial 0000
  return digits !== '123456789' && digits !== '078051120' && digits !== '219099999';
}

/** Written SSN layout: 9 digits straight, or 3-2-4 groups with one and the same separator. */
export function ssnLayoutOk(groups: number[], separators: string[]): boolean {
  if (groups.length === 1) return groups[0] === 9;
  if (groups.length !== 3 || groups[0] !== 3 || groups[1] !== 2 || groups[2] !== 4) return false;
  const [a, b] = separators.map(plainSeparator);
  return a === b && (a === '-' || a === ' ' || a === '.');
}

/** A separator as its ASCII form: ' ' for spaces, '-' for every hyphen (isHyphenCode), '.' for a full-width stop. */
function plainSeparator(s: string): string {
  const t = s.trim();
  if (t === '') return ' ';
  if (t.length === 1 && isHyphenCode(t.charCodeAt(0))) return '-';
  return t === '\uff0e' ? '.' : t;
}

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18,
  DO: 28, EE: 20, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19,
  MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19,
  SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};

/**
 * Whether an IBAN of `length` characters (without spaces) can be valid for the country `country`
 * (upper case): its known length, else 15 to 34.
 */
export function ibanLengthOk(country: string, length: number): boolean {
  const len = IBAN_LENGTHS[country];
  return len !== undefined ? length === len : length >= 15 && length <= 34;
}

/** IBAN: known country length and ISO 7064 mod-97 remainder 1. Input without spaces, upper case. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (!ibanLengthOk(iban.slice(0, 2), iban.length)) return false;
  // The first four characters moved to the end, letters read as 10..35 (two digits), digits as themselves.
  let rem = 0;
  for (let k = 4; k < iban.length + 4; k++) {
    const code = iban.charCodeAt(k < iban.length ? k : k - iban.length);
    rem = code >= 65 ? (rem * 100 + (code - 55)) % 97 : (rem * 10 + (code - 48)) % 97;
  }
  return rem === 1;
}
