/**
 * JSON-schema check (ajv). Default schemas for the Copilot summary event
 * (ConversationSummaryTopicConversationSummaryEvent, reference/genesys-api.md section 4.1) and for
 * a plain LLM object {summary, reason, resolution, followups}; users can replace either in the dialog.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InputError } from '../util/errors';

const textPart = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'object',
  properties: { text: { type: 'string' }, description: { type: 'string' }, score: { type: 'number' }, ...extra },
});

export const DEFAULT_COPILOT_SCHEMA = {
  $id: 'genesys-copilot-summary',
  type: 'object',
  required: ['conversationId', 'summary'],
  properties: {
    conversationId: { type: 'string', minLength: 1 },
    queueId: { type: 'string' },
    summaryId: { type: 'string' },
    language: { type: 'string' },
    mediaType: { enum: ['UNKNOWN', 'MESSAGE', 'CALL', 'EMAIL'] },
    summary: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 }, score: { type: 'number' } } },
    headline: textPart(),
    reason: textPart(),
    resolution: textPart({ resolutionValue: { type: 'string' } }),
    followupActions: { type: 'array', items: textPart() },
    extractedEntities: {
      type: 'array',
      items: { type: 'object', required: ['label', 'value'], properties: { label: { type: 'string' }, value: { type: 'string' } } },
    },
    wrapUpCodes: {
      type: 'array',
      items: { type: 'object', properties: { wrapUpCodeId: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, score: { type: 'number' } } },
    },
    summarySourceType: { enum: ['UNKNOWN', 'GENESYS_NATIVE_SERVICE', 'EXTERNAL_SERVICE'] },
    triggerType: { enum: ['UNKNOWN', 'ON_DEMAND', 'AFTER_DISCONNECT'] },
    durationMs: { type: 'number', minimum: 0 },
  },
} as const;

export const DEFAULT_LLM_SCHEMA = {
  $id: 'llm-summary',
  type: 'object',
  required: ['summary'],
  properties: {
    summary: { type: 'string', minLength: 1 },
    reason: { type: 'string' },
    resolution: { type: 'string' },
    followups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
} as const;

export interface SchemaCheckResult {
  passed: boolean;
  /** "/summary/text must be string": instance paths and ajv messages, never the data. */
  errors: string[];
}

function describe(e: ErrorObject): string {
  const path = e.instancePath || '/';
  if (e.keyword === 'required') return `${path} must have property '${(e.params as { missingProperty: string }).missingProperty}'`;
  if (e.keyword === 'additionalProperties') return `${path} has unexpected property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  return `${path} ${e.message ?? 'is invalid'}`;
}

/** One compiled schema. Invalid JSON or an invalid schema is an InputError at configuration time. */
export class SchemaChecker {
  private readonly validateFn: ValidateFunction;

  constructor(schema: object | string) {
    let parsed: unknown = schema;
    if (typeof schema === 'string') {
      try {
        parsed = JSON.parse(schema);
      } catch (err) {
        throw new InputError(`summary schema is not valid JSON: ${(err as Error).message}`, 'INVALID_CONFIG', 'schema');
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new InputError('summary schema must be a JSON object', 'INVALID_CONFIG', 'schema');
    }
    // A fresh ajv per schema: user schemas may reuse $id values, and strict mode would reject
    // harmless extra keywords people paste from other tools.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    try {
      this.validateFn = ajv.compile(parsed as object);
    } catch (err) {
      throw new InputError(`summary schema is invalid: ${(err as Error).message}`, 'INVALID_CONFIG', 'schema');
    }
  }

  check(value: unknown): SchemaCheckResult {
    const passed = this.validateFn(value) as boolean;
    return { passed, errors: passed ? [] : (this.validateFn.errors ?? []).slice(0, 20).map(describe) };
  }
}
