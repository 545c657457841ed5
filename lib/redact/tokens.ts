/**
 * Tokenizer shared by every detector: words (any script, with inner apostrophes such as "o'clock"),
 * runs of ASCII digits, and single punctuation characters. Offsets are UTF-16 indices into the text.
 */
export type TokenKind = 'word' | 'num' | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Lower-cased text (digits and punctuation unchanged). */
  lower: string;
  /** True when the first character is an upper-case letter. */
  capital: boolean;
  /** True when only whitespace separates this token from the previous one (or it is the first). */
  spaced: boolean;
}

const TOKEN_RE = /(\p{L}+(?:['’]\p{L}+)*)|(\d+)|([^\s\p{L}\d])/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let prevEnd = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const raw = m[0];
    const start = m.index;
    const kind: TokenKind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'num' : 'punct';
    const lower = kind === 'word' ? raw.toLowerCase() : raw;
    out.push({
      kind,
      start,
      end: start + raw.length,
      lower,
      capital: kind === 'word' && raw[0] !== lower[0],
      spaced: start > prevEnd || out.length === 0,
    });
    prevEnd = start + raw.length;
  }
  return out;
}
