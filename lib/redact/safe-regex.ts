/**
 * User regexes from the edit dialog, made safe before they run on live transcripts.
 *
 * Choice: reject, not time-box. JavaScript's RegExp has no time limit and cannot be interrupted;
 * time-boxing needs a worker thread or vm timeout per match, which costs far more than the 1 ms p99
 * budget per utterance, and RE2 would be a seventh runtime dependency (native build). So patterns
 * are checked statically, conservatively: no backreferences, no quantified group that itself holds an
 * unbounded quantifier or an alternation (the shapes behind catastrophic backtracking, e.g. (a+)+,
 * (a|aa)*), no pattern that matches the empty string, and a length cap. Texts are short (one
 * utterance), which bounds the remaining polynomial cases.
 */
import { InputError } from '../util/errors';
import type { CustomPattern } from './types';

export const MAX_PATTERN_LENGTH = 500;

export interface CompiledPattern {
  name: string;
  re: RegExp;
  score: number;
}

/** Throws InputError explaining why a pattern is unsafe; returns nothing when it is acceptable. */
export function assertSafePattern(source: string): void {
  if (source.length === 0) throw new InputError('custom pattern is empty', 'UNSAFE_PATTERN');
  if (source.length > MAX_PATTERN_LENGTH) throw new InputError(`custom pattern longer than ${MAX_PATTERN_LENGTH} characters`, 'UNSAFE_PATTERN');
  // Group stack: does the group contain an unbounded quantifier / an alternation?
  const stack: Array<{ unbounded: boolean; alternation: boolean }> = [{ unbounded: false, alternation: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      if (n !== undefined && /[1-9]/.test(n)) throw new InputError('backreferences are not allowed in custom patterns', 'UNSAFE_PATTERN');
      if (n === 'k' && source[i + 2] === '<') throw new InputError('named backreferences are not allowed in custom patterns', 'UNSAFE_PATTERN');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      stack.push({ unbounded: false, alternation: false });
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1].alternation = true;
      continue;
    }
    if (c === ')') {
      const group = stack.pop();
      if (!group || stack.length === 0) throw new InputError('unbalanced parenthesis in custom pattern', 'UNSAFE_PATTERN');
      const q = quantifierAt(source, i + 1);
      if (q && q.repeats && (group.unbounded || group.alternation)) {
        throw new InputError(
          'nested quantifiers or a repeated alternation (e.g. (a+)+ or (a|b)*) can backtrack catastrophically; rewrite the pattern without them',
          'UNSAFE_PATTERN',
        );
      }
      const parent = stack[stack.length - 1];
      parent.unbounded = parent.unbounded || group.unbounded || (q?.unbounded ?? false);
      if (q) i += q.length;
      continue;
    }
    const q = quantifierAt(source, i);
    if (q) {
      if (q.unbounded) stack[stack.length - 1].unbounded = true;
      i += q.length - 1;
    }
  }
  if (stack.length !== 1) throw new InputError('unbalanced parenthesis in custom pattern', 'UNSAFE_PATTERN');
}

/** A quantifier at position i: *, +, ?, {n}, {n,}, {n,m}, with an optional lazy '?'. */
function quantifierAt(s: string, i: number): { length: number; unbounded: boolean; repeats: boolean } | undefined {
  const c = s[i];
  let length = 0;
  let unbounded = false;
  let repeats = false;
  if (c === '*' || c === '+') {
    length = 1;
    unbounded = true;
    repeats = true;
  } else if (c === '?') {
    length = 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
    if (!m) return undefined;
    length = m[0].length;
    unbounded = m[2] !== undefined && m[3] === '';
    repeats = unbounded || Number(m[3] ?? m[1]) > 1;
  } else return undefined;
  if (s[i + length] === '?') length++;
  return { length, unbounded, repeats };
}

export function compileSafePattern(p: CustomPattern): CompiledPattern {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(p.name)) {
    throw new InputError(`custom pattern name ${JSON.stringify(p.name)} must be letters, digits or _ (max 32)`, 'UNSAFE_PATTERN');
  }
  const flags = p.flags ?? 'i';
  if (!/^[imsu]*$/.test(flags)) throw new InputError(`custom pattern flags may only be i, m, s, u (got ${JSON.stringify(flags)})`, 'UNSAFE_PATTERN');
  assertSafePattern(p.pattern);
  let re: RegExp;
  try {
    re = new RegExp(p.pattern, `${flags}g`);
  } catch (err) {
    throw new InputError(`custom pattern ${p.name} is not a valid regular expression: ${(err as Error).message}`, 'UNSAFE_PATTERN');
  }
  re.lastIndex = 0;
  if (re.test('')) throw new InputError(`custom pattern ${p.name} matches the empty string`, 'UNSAFE_PATTERN');
  re.lastIndex = 0;
  const score = p.score ?? 0.9;
  if (!(score >= 0 && score <= 1)) throw new InputError(`custom pattern ${p.name} score must be within 0..1`, 'UNSAFE_PATTERN');
  return { name: p.name.toUpperCase(), re, score };
}
