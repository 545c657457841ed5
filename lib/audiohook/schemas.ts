/**
 * ajv schemas for every AudioHook message in both directions: the envelope rules (version "2",
 * id, seq, parameters always an object, serverseq/position on client messages, clientseq on
 * server messages) and the parameters of each type. Extra fields are tolerated (forward
 * compatibility); missing or mistyped required fields are not.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DURATION_PATTERN } from './duration';
import {
  CLIENT_MESSAGE_TYPES,
  SERVER_MESSAGE_TYPES,
  type ClientMessage,
  type ClientMessageType,
  type ServerMessage,
  type ServerMessageType,
} from './messages';

const duration = { type: 'string', pattern: DURATION_PATTERN } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const emptyParams = { type: 'object' } as const;

export const mediaParameterSchema = {
  type: 'object',
  required: ['type', 'format', 'channels', 'rate'],
  properties: {
    type: { const: 'audio' },
    format: { enum: ['PCMU', 'L16'] },
    channels: { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true, items: { enum: ['external', 'internal'] } },
    rate: { type: 'integer', minimum: 1 },
  },
} as const;

export const clientParameterSchemas: Record<ClientMessageType, object> = {
  open: {
    type: 'object',
    required: ['organizationId', 'conversationId', 'participant', 'media'],
    properties: {
      organizationId: uuid,
      conversationId: uuid,
      participant: {
        type: 'object',
        required: ['id', 'ani', 'aniName', 'dnis'],
        properties: { id: uuid, ani: { type: 'string' }, aniName: { type: 'string' }, dnis: { type: 'string' } },
      },
      media: { type: 'array', items: mediaParameterSchema },
      language: { type: 'string', minLength: 2, maxLength: 35 },
      supportedLanguages: { type: 'boolean' },
      continuedSessions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'serverseq', 'clientseq'],
          properties: { id: uuid, serverseq: { type: 'integer', minimum: 0 }, clientseq: { type: 'integer', minimum: 0 } },
        },
      },
      customConfig: { type: 'object' },
    },
  },
  ping: { type: 'object', properties: { rtt: duration } },
  close: { type: 'object', required: ['reason'], properties: { reason: { enum: ['end', 'error', 'disconnect', 'reconnect'] } } },
  paused: emptyParams,
  resumed: { type: 'object', required: ['start', 'discarded'], properties: { start: duration, discarded: duration } },
  discarded: { type: 'object', required: ['start', 'discarded'], properties: { start: duration, discarded: duration } },
  update: { type: 'object', required: ['language'], properties: { language: { type: 'string', minLength: 2, maxLength: 35 } } },
  error: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'integer', minimum: 400, maximum: 9999 }, message: { type: 'string' }, retryAfter: duration },
  },
};

export const serverParameterSchemas: Record<ServerMessageType, object> = {
  opened: {
    type: 'object',
    required: ['media'],
    properties: {
      media: { type: 'array', maxItems: 1, items: mediaParameterSchema },
      discardTo: duration,
      startPaused: { type: 'boolean' },
      supportedLanguages: { type: 'array', items: { type: 'string' } },
    },
  },
  pong: emptyParams,
  closed: emptyParams,
  updated: emptyParams,
  pause: emptyParams,
  resume: emptyParams,
  disconnect: {
    type: 'object',
    required: ['reason'],
    properties: { reason: { enum: ['completed', 'unauthorized', 'error'] }, info: { type: 'string' } },
  },
  event: {
    type: 'object',
    required: ['entities'],
    properties: { entities: { type: 'array', items: { type: 'object', required: ['type', 'data'], properties: { type: { type: 'string' } } } } },
  },
  reconnect: { type: 'object', properties: { info: { type: 'string' } } },
};

const envelopeBase = {
  version: { const: '2' },
  id: uuid,
  seq: { type: 'integer', minimum: 1 },
  parameters: { type: 'object' },
};

export const clientEnvelopeSchema = {
  type: 'object',
  required: ['version', 'id', 'type', 'seq', 'serverseq', 'position', 'parameters'],
  properties: { ...envelopeBase, type: { enum: [...CLIENT_MESSAGE_TYPES] }, serverseq: { type: 'integer', minimum: 0 }, position: duration },
} as const;

export const serverEnvelopeSchema = {
  type: 'object',
  required: ['version', 'id', 'type', 'seq', 'clientseq', 'parameters'],
  properties: { ...envelopeBase, type: { enum: [...SERVER_MESSAGE_TYPES] }, clientseq: { type: 'integer', minimum: 0 } },
} as const;

// strict: false turns strictNumbers off too: without it, seq 1e400 (Infinity) passes as an integer.
const ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true });
addFormats(ajv, ['uuid']);

const clientEnvelope = ajv.compile(clientEnvelopeSchema);
const serverEnvelope = ajv.compile(serverEnvelopeSchema);
const clientParams = Object.fromEntries(
  CLIENT_MESSAGE_TYPES.map((t) => [t, ajv.compile(clientParameterSchemas[t])]),
) as Record<ClientMessageType, ValidateFunction>;
const serverParams = Object.fromEntries(
  SERVER_MESSAGE_TYPES.map((t) => [t, ajv.compile(serverParameterSchemas[t])]),
) as Record<ServerMessageType, ValidateFunction>;

export type Validation<M> = { ok: true; message: M } | { ok: false; error: string; unknownType?: boolean };

function describe(errors: ErrorObject[] | null | undefined, prefix: string): string {
  const e = errors?.[0];
  if (!e) return `${prefix} invalid`;
  const where = `${prefix}${e.instancePath}`;
  if (e.keyword === 'required') return `${where} missing ${(e.params as { missingProperty: string }).missingProperty}`;
  return `${where} ${e.message ?? 'invalid'}`;
}

function validate<M>(
  value: unknown,
  envelope: ValidateFunction,
  params: Record<string, ValidateFunction>,
  types: readonly string[],
): Validation<M> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'message is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && !types.includes(type)) return { ok: false, error: `unknown message type "${type.slice(0, 40)}"`, unknownType: true };
  if (!envelope(value)) return { ok: false, error: describe(envelope.errors, 'message') };
  const check = params[type as string];
  const parameters = (value as { parameters: unknown }).parameters;
  if (!check(parameters)) return { ok: false, error: describe(check.errors, `${String(type)}.parameters`) };
  return { ok: true, message: value as M };
}

/** Validates a parsed client (Genesys → server) message. */
export function validateClientMessage(value: unknown): Validation<ClientMessage> {
  return validate<ClientMessage>(value, clientEnvelope, clientParams, CLIENT_MESSAGE_TYPES);
}

/** Validates a parsed server (server → Genesys) message. */
export function validateServerMessage(value: unknown): Validation<ServerMessage> {
  return validate<ServerMessage>(value, serverEnvelope, serverParams, SERVER_MESSAGE_TYPES);
}
