/**
 * AudioHook positions and durations: ISO 8601 restricted to `PT<seconds>S` (no hours or minutes),
 * validator regex of the reference implementation. Internally we keep seconds as numbers.
 */
import { InputError, truncate } from '../util/errors';

export const DURATION_PATTERN = '^PT(?:\\d*\\.)?\\d+S$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Seconds of a `PT…S` duration; throws InputError on any other shape. */
export function parseDuration(text: string): number {
  if (typeof text !== 'string' || !DURATION_RE.test(text)) {
    // typeof for non-strings: String() throws on an object without a prototype
    throw new InputError(`not an AudioHook duration (PT<seconds>S): ${typeof text === 'string' ? text.slice(0, 40) : typeof text}`, 'BAD_DURATION');
  }
  const seconds = Number(text.slice(2, -1));
  // the pattern allows any number of digits: 310 nines are Infinity
  if (!Number.isFinite(seconds)) throw new InputError(`AudioHook duration out of range: ${truncate(text, 40)}`, 'BAD_DURATION');
  return seconds;
}

/** `PT<seconds>S` with up to 6 decimals (8 kHz samples are 125 µs), never exponent notation. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`invalid duration ${seconds}`);
  const fixed = seconds.toFixed(6).replace(/\.?0+$/, '');
  return `PT${fixed === '' ? '0' : fixed}S`;
}

/** Duration of a sample count at a rate, as `PT…S`. */
export function samplesToDuration(samples: number, rate: number): string {
  return formatDuration(samples / rate);
}
