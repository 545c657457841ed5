/**
 * The node's dialog values (strings and booleans as Node-RED stores them) turned into validated
 * options. Bad values are InputErrors naming the field.
 */
import { InputError } from '../util/errors';
import { dialogNumber } from '../util/dialog';
import { DEFAULT_TEXT_FIELDS } from './input';
import { isTokenizerEncoding, TOKENIZER_ENCODINGS } from './tokens';
import { DEFAULT_VALIDATOR_OPTIONS, type ValidatorOptions } from './validator';

export interface SummaryDialogConfig {
  textFields?: string;
  checkSchema?: boolean;
  schema?: string;
  checkLength?: boolean;
  minTokens?: string | number;
  maxTokens?: string | number;
  maxRatio?: string | number;
  encoding?: string;
  checkPersonalData?: boolean;
  minScore?: string | number;
  minFragmentDigits?: string | number;
  checkNumbers?: boolean;
  checkEntities?: boolean;
  checkSupport?: boolean;
  supportThreshold?: string | number;
  checkNegation?: boolean;
  requiredFields?: string;
  bannedPhrases?: string;
  idleTimeoutS?: string | number;
  endGraceS?: string | number;
  maxConversations?: string | number;
  maxSourceChars?: string | number;
}

export interface SummaryNodeOptions {
  validator: ValidatorOptions;
  textFields: string[];
  idleTimeoutMs: number;
  endGraceMs: number;
  maxConversations: number;
  maxCharsPerConversation: number;
}

function flag(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** Comma- or newline-separated list. */
export function listOf(v: unknown, separators: RegExp = /[\n,]/): string[] {
  if (typeof v !== 'string') return [];
  return v
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function summaryOptionsFromDialog(c: SummaryDialogConfig): SummaryNodeOptions {
  const d = DEFAULT_VALIDATOR_OPTIONS;
  const encoding = c.encoding === undefined || c.encoding === '' ? d.length.encoding : c.encoding;
  if (!isTokenizerEncoding(encoding)) throw new InputError(`encoding must be one of ${TOKENIZER_ENCODINGS.join(', ')}`, 'INVALID_CONFIG', 'encoding');
  const minTokens = dialogNumber(c.minTokens, 'minTokens', d.length.minTokens, 0, 1e6);
  const maxTokens = dialogNumber(c.maxTokens, 'maxTokens', d.length.maxTokens, 0, 1e6);
  if (maxTokens > 0 && maxTokens < minTokens) throw new InputError('maxTokens must be 0 (no limit) or at least minTokens', 'INVALID_CONFIG', 'maxTokens');
  const validator: ValidatorOptions = {
    schema: { enabled: flag(c.checkSchema, true), ...(c.schema && c.schema.trim() ? { custom: c.schema } : {}) },
    length: {
      enabled: flag(c.checkLength, true),
      minTokens,
      maxTokens,
      maxRatio: dialogNumber(c.maxRatio, 'maxRatio', d.length.maxRatio, 0, 100),
      encoding,
    },
    personalData: {
      enabled: flag(c.checkPersonalData, true),
      minScore: dialogNumber(c.minScore, 'minScore', d.personalData.minScore, 0, 1),
      minFragmentDigits: Math.round(dialogNumber(c.minFragmentDigits, 'minFragmentDigits', d.personalData.minFragmentDigits, 3, 30)),
    },
    grounding: {
      ...d.grounding,
      numbers: flag(c.checkNumbers, true),
      entities: flag(c.checkEntities, true),
      support: flag(c.checkSupport, true),
      supportThreshold: dialogNumber(c.supportThreshold, 'supportThreshold', d.grounding.supportThreshold, 0, 1),
      negation: flag(c.checkNegation, true),
    },
    requiredFields: listOf(c.requiredFields),
    bannedPhrases: listOf(c.bannedPhrases, /\n/),
  };
  const textFields = listOf(c.textFields);
  // The built-in LLM schema describes the default fields only.
  validator.schema.llmDefault = textFields.length === 0 || textFields.join(',') === DEFAULT_TEXT_FIELDS.join(',');
  return {
    validator,
    textFields: textFields.length ? textFields : DEFAULT_TEXT_FIELDS,
    idleTimeoutMs: dialogNumber(c.idleTimeoutS, 'idleTimeoutS', 1800, 0, 7 * 86400) * 1000,
    endGraceMs: dialogNumber(c.endGraceS, 'endGraceS', 120, 0, 86400) * 1000,
    maxConversations: Math.round(dialogNumber(c.maxConversations, 'maxConversations', 5000, 1, 1e6)),
    maxCharsPerConversation: Math.round(dialogNumber(c.maxSourceChars, 'maxSourceChars', 200_000, 1000, 1e8)),
  };
}
