/**
 * Token counts with a real BPE tokenizer (gpt-tokenizer). Each encoding's rank table is a few MB,
 * so only the chosen one is loaded, on first use.
 */
import { InputError } from '../util/errors';

export const TOKENIZER_ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const;
export type TokenizerEncoding = (typeof TOKENIZER_ENCODINGS)[number];
export type TokenCounter = (text: string) => number;

interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/* eslint-disable @typescript-eslint/no-require-imports -- sync, per-encoding lazy loading */
const LOADERS: Record<TokenizerEncoding, () => EncodingModule> = {
  o200k_base: () => require('gpt-tokenizer/cjs/encoding/o200k_base') as EncodingModule,
  cl100k_base: () => require('gpt-tokenizer/cjs/encoding/cl100k_base') as EncodingModule,
  p50k_base: () => require('gpt-tokenizer/cjs/encoding/p50k_base') as EncodingModule,
  r50k_base: () => require('gpt-tokenizer/cjs/encoding/r50k_base') as EncodingModule,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const loaded = new Map<TokenizerEncoding, EncodingModule>();

export function isTokenizerEncoding(v: unknown): v is TokenizerEncoding {
  return typeof v === 'string' && (TOKENIZER_ENCODINGS as readonly string[]).includes(v);
}

/** A counter for the encoding (o200k_base is GPT-4o's, cl100k_base GPT-4's and GPT-3.5's). */
export function tokenCounter(encoding: TokenizerEncoding = 'o200k_base'): TokenCounter {
  if (!isTokenizerEncoding(encoding)) {
    throw new InputError(`unknown tokenizer encoding ${JSON.stringify(encoding)} (use ${TOKENIZER_ENCODINGS.join(', ')})`, 'INVALID_CONFIG');
  }
  let mod = loaded.get(encoding);
  if (!mod) {
    mod = LOADERS[encoding]();
    loaded.set(encoding, mod);
  }
  const m = mod;
  // Special-token text in a transcript ("<|endoftext|>") is counted as plain text, never rejected.
  return (text: string) => (text ? m.countTokens(text, PLAIN_TEXT) : 0);
}
