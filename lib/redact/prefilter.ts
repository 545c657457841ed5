/**
 * The detector's fast path: whether a tokenized text can hold an entity at all, decided on what the
 * tokenizer saw while making the tokens (its summary), so most texts skip the analysis. Without
 * carried state, custom patterns or deny words, a text with no digit, no '@', no number / context /
 * email-joiner word, no "at" with a written domain, no name introduction and no three spelled letters
 * cannot: every detector of the analysis needs one of these to report anything or to change the
 * result (detectors.ts, run()).
 */
import {
  LEX_AT, LEX_CONTEXT, LEX_EMAIL_JOIN, LEX_INTRO_ALONE, LEX_MONTH, LEX_NUMBER, LEX_ORDINAL, LEX_REPEAT,
  SHAPE_AT, SHAPE_INTRO_PAIR, SHAPE_SPELLED, SHAPE_WORD_DOT, type TokenSummary,
} from './tokens';

/**
 * Words that start a detection: number words and "double" / "triple" (digit runs, "oh" read as a
 * zero), context words (contexts of the result), email joiners (spoken emails, with "at"), and
 * introductions of one word ("surname", "mr").
 */
const TRIGGER_WORDS = LEX_NUMBER | LEX_REPEAT | LEX_CONTEXT | LEX_EMAIL_JOIN | LEX_INTRO_ALONE;
/**
 * With contexts or a pending number carried, months and ordinals too (dates answering a question), and
 * "at" (an address answering an email question: "anna at acme.com", "anna at gmail").
 */
const CARRIED_TRIGGER_WORDS = LEX_MONTH | LEX_ORDINAL | LEX_AT;
/** '@' (written emails), an introduction of two words ("my name"), three spelled letters in a row. */
const TRIGGER_SHAPES = SHAPE_AT | SHAPE_INTRO_PAIR | SHAPE_SPELLED;

/** True when the tokenized text cannot hold an entity (`carried`: contexts or a pending number are carried). */
export function nothingToDetect(summary: TokenSummary, carried: boolean): boolean {
  if (summary.nums > 0 || (summary.shapes & TRIGGER_SHAPES) !== 0) return false;
  // "anna at gmail.com": a spoken address with a written domain.
  if ((summary.lex & LEX_AT) !== 0 && (summary.shapes & SHAPE_WORD_DOT) !== 0) return false;
  return (summary.lex & (carried ? TRIGGER_WORDS | CARRIED_TRIGGER_WORDS : TRIGGER_WORDS)) === 0;
}
