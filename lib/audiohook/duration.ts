/**
 * AudioHook positions and durations: ISO 8601 restricted to `PT<seconds>S` (no hours or minutes),
 * validator regex of the reference implementation. Internally we keep seconds as numbers.
 */
import { InputError } from '../util/errors';

export const DURATION_PATTERN = '^PT(?:\\d*\\.)?\\d+S$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Seconds of a `PT…S` duration; throws InputError on any other shape. */
export function parseDuration(text: string): number {
  if (typeof text !== 'string' || !DURATION_RE.test(text)) {
    throw new InputError(`not an AudioHook duration (PT<seconds>S): ${String(text).slice(0, 40)}`, 'BAD_DURATION');
  }
  return Number(text.slice(2, -1));
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
