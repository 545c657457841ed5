/**
 * JSON schemas (ajv) for every inbound notification payload transcript-in reads, written field by
 * field from reference/genesys-api.md sections 2.3 (envelope, heartbeat, system messages),
 * 3.1 (transcription), 4.1 (Copilot summary and suggestion events) and 5 (conversation events).
 *
 * Policy: unknown extra fields are allowed everywhere (the platform adds fields over time); a
 * documented field with the wrong type, or a field this pack needs that is missing, is rejected
 * with a message naming the exact path. Enums are enforced only where the pack branches on them
 * (transcript channel, session status); other documented enums are accepted as strings so a new
 * platform value does not drop an event.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InputError } from '../util/errors';

// ---------- TypeScript shapes (the subset of each model the pack reads) ----------

export interface Envelope {
  topicName: string;
  version?: string;
  eventBody: Record<string, unknown>;
  metadata?: { CorrelationId?: string; [k: string]: unknown };
}

export interface TranscriptWord {
  word: string;
  confidence?: number;
  startTimeMs?: number;
  offsetMs?: number;
  durationMs?: number;
}

export interface TranscriptAlternative {
  confidence?: number;
  offsetMs: number;
  durationMs: number;
  transcript: string;
  words?: TranscriptWord[];
  decoratedTranscript?: string;
  decoratedWords?: TranscriptWord[];
}

export type TranscriptChannel = 'UNKNOWN' | 'INTERNAL' | 'EXTERNAL' | 'BOTH';

export interface TranscriptResult {
  utteranceId: string;
  isFinal: boolean;
  channel: TranscriptChannel;
  alternatives?: TranscriptAlternative[];
  agentAssistantId?: string;
  engineProvider?: string;
  engineId?: string;
  engineName?: string;
  dialect?: string;
  speechTextAnalyticsProgramId?: string;
  agentAssistEnabled?: boolean;
  voiceTranscriptionEnabled?: boolean;
}

export type SessionStatus = 'UNKNOWN' | 'SESSION_ONGOING' | 'SESSION_ENDED';

/** TranscriptionTopicTranscriptionMessage */
export interface TranscriptionEvent {
  eventTime?: string;
  organizationId?: string;
  conversationId: string;
  communicationId?: string;
  sessionStartTimeMs?: number;
  transcriptionStartTimeMs?: number;
  transcripts?: TranscriptResult[];
  status?: { offsetMs?: number; status?: SessionStatus };
  speechTextAnalyticsProgramId?: string;
}

export interface ConversationCall {
  id: string;
  state?: string;
  direction?: string;
  disconnectType?: string;
  connectedTime?: string;
  disconnectedTime?: string;
  [k: string]: unknown;
}

export interface ConversationParticipant {
  id: string;
  userId?: string;
  queueId?: string;
  purpose?: string;
  name?: string;
  address?: string;
  connectedTime?: string;
  endTime?: string;
  /** Only on the `.calls` variants: the participant's own call state. */
  state?: string;
  user?: { id?: string };
  queue?: { id?: string };
  calls?: ConversationCall[];
  [k: string]: unknown;
}

/** QueueConversationEventTopicConversation, ConversationEventTopicConversation and their .calls variants. */
export interface ConversationEvent {
  id: string;
  name?: string;
  participants: ConversationParticipant[];
  [k: string]: unknown;
}

/** ConversationSummaryTopicConversationSummaryEvent */
export interface SummaryEvent {
  conversationId: string;
  queueId?: string;
  participants?: Array<{ userId?: string; purpose?: string }>;
  communicationIds?: string[];
  latestCommunicationId?: string;
  summaryId?: string;
  language?: string;
  summary?: { text?: string; score?: number };
  headline?: { text?: string; description?: string; score?: number };
  reason?: { text?: string; description?: string; score?: number };
  resolution?: { text?: string; description?: string; resolutionValue?: string; score?: number };
  followupActions?: Array<{ text?: string; description?: string; score?: number }>;
  extractedEntities?: Array<{ label?: string; value?: string }>;
  [k: string]: unknown;
}

/** The shared shape of the v2.conversations.{id}.suggestions.* events. */
export interface SuggestionEvent {
  eventTime?: string;
  conversationId: string;
  suggestionId?: string;
  state?: string;
  triggerType?: string;
  engagementType?: string;
  context?: Record<string, unknown>;
  [k: string]: unknown;
}

/** SystemMessageSystemMessage (v2.system.socket_closing and friends). */
export interface SystemMessage {
  channelId?: string;
  systemTopicType?: string;
  correlationId?: string;
  reason?: string;
  message?: string;
  [k: string]: unknown;
}

// ---------- schemas ----------

const str = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const strArray = { type: 'array', items: str } as const;
const textScore = {
  type: 'object',
  properties: { text: str, description: str, score: num },
} as const;

export const envelopeSchema = {
  $id: 'envelope',
  type: 'object',
  required: ['topicName', 'eventBody'],
  properties: {
    topicName: nonEmpty,
    version: str,
    eventBody: { type: 'object' },
    metadata: { type: 'object', properties: { CorrelationId: str } },
  },
} as const;

const word = {
  type: 'object',
  required: ['word'],
  properties: { word: str, confidence: num, startTimeMs: int, offsetMs: int, durationMs: { type: 'integer', minimum: 0 } },
} as const;

const alternative = {
  type: 'object',
  required: ['transcript', 'offsetMs', 'durationMs'],
  properties: {
    confidence: num,
    offsetMs: { type: 'integer', minimum: 0 },
    durationMs: { type: 'integer', minimum: 0 },
    transcript: str,
    words: { type: 'array', items: word },
    decoratedTranscript: str,
    decoratedWords: { type: 'array', items: word },
  },
} as const;

export const TRANSCRIPT_CHANNELS = ['UNKNOWN', 'INTERNAL', 'EXTERNAL', 'BOTH'] as const;
export const SESSION_STATUSES = ['UNKNOWN', 'SESSION_ONGOING', 'SESSION_ENDED'] as const;

export const transcriptionSchema = {
  $id: 'transcription',
  type: 'object',
  required: ['conversationId'],
  properties: {
    eventTime: dateTime,
    organizationId: str,
    conversationId: nonEmpty,
    communicationId: str,
    sessionStartTimeMs: int,
    transcriptionStartTimeMs: int,
    speechTextAnalyticsProgramId: str,
    transcripts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['utteranceId', 'isFinal', 'channel'],
        properties: {
          utteranceId: nonEmpty,
          isFinal: bool,
          channel: { enum: TRANSCRIPT_CHANNELS },
          alternatives: { type: 'array', items: alternative },
          agentAssistantId: str,
          engineProvider: str,
          engineId: str,
          engineName: str,
          dialect: str,
          speechTextAnalyticsProgramId: str,
          agentAssistEnabled: bool,
          voiceTranscriptionEnabled: bool,
        },
      },
    },
    status: {
      type: 'object',
      properties: { offsetMs: int, status: { enum: SESSION_STATUSES } },
    },
  },
} as const;

const call = {
  type: 'object',
  required: ['id'],
  properties: {
    id: nonEmpty,
    state: str,
    direction: str,
    held: bool,
    muted: bool,
    disconnectType: str,
    connectedTime: dateTime,
    disconnectedTime: dateTime,
    self: { type: 'object' },
    other: { type: 'object' },
    peerId: str,
    agentAssistantId: str,
  },
} as const;

const participant = {
  type: 'object',
  required: ['id'],
  properties: {
    id: nonEmpty,
    userId: str,
    queueId: str,
    purpose: str,
    name: str,
    address: str,
    connectedTime: dateTime,
    endTime: dateTime,
    state: str,
    direction: str,
    disconnectType: str,
    user: { type: 'object', properties: { id: str } },
    queue: { type: 'object', properties: { id: str } },
    attributes: { type: 'object' },
    calls: { type: 'array', items: call },
  },
} as const;

/** Queue and user conversation events, generic and `.calls` variants (they share what we read). */
export const conversationSchema = {
  $id: 'conversation',
  type: 'object',
  required: ['id', 'participants'],
  properties: {
    id: nonEmpty,
    name: str,
    maxParticipants: int,
    participants: { type: 'array', items: participant },
  },
} as const;

export const summarySchema = {
  $id: 'summary',
  type: 'object',
  required: ['conversationId'],
  properties: {
    conversationId: nonEmpty,
    queueId: str,
    participants: { type: 'array', items: { type: 'object', properties: { userId: str, purpose: str } } },
    communicationIds: strArray,
    latestCommunicationId: str,
    createdDate: dateTime,
    messageType: str,
    mediaType: str,
    summaryId: str,
    language: str,
    summary: { type: 'object', properties: { text: str, score: num } },
    headline: textScore,
    reason: textScore,
    resolution: { type: 'object', properties: { text: str, description: str, resolutionValue: str, score: num } },
    followupActions: { type: 'array', items: textScore },
    extractedEntities: { type: 'array', items: { type: 'object', properties: { label: str, value: str } } },
    wrapUpCodes: {
      type: 'array',
      items: { type: 'object', properties: { wrapUpCodeId: str, name: str, description: str, score: num } },
    },
    triggerSource: { type: 'object', properties: { sourceType: str, sourceId: str, sourceOutcome: str } },
    summarySourceType: str,
    triggerType: str,
    lastEditedBy: { type: 'object', properties: { userId: str, purpose: str } },
    errorType: str,
    durationMs: int,
    labels: { type: 'array', items: { type: 'object', properties: { name: str, description: str, type: str } } },
  },
} as const;

export const suggestionSchema = {
  $id: 'suggestion',
  type: 'object',
  required: ['conversationId'],
  properties: {
    eventTime: dateTime,
    conversationId: nonEmpty,
    suggestionId: str,
    state: str,
    triggerType: str,
    engagementType: str,
    context: {
      type: 'object',
      properties: {
        queueId: str,
        mediaType: str,
        userId: str,
        externalContactId: str,
        assistantId: str,
        utteranceId: str,
        messageId: str,
        queryStatement: str,
        language: str,
        participantType: str,
      },
    },
    feedback: { type: 'object' },
    activeIntent: { type: 'object' },
    knowledgeSearch: { type: 'object', properties: { title: str, uri: str, snippets: { type: 'array' }, confidence: num } },
    knowledgeArticle: { type: 'object', properties: { title: str, uri: str, snippets: { type: 'array' } } },
    cannedResponse: { type: 'object', properties: { responseId: str, libraryId: str } },
    script: { type: 'object', properties: { scriptId: str, pageId: str, data: { type: 'object' } } },
    thirdPartySuggestion: { type: 'object' },
    conversationIntents: { type: 'object' },
  },
} as const;

export const systemMessageSchema = {
  $id: 'systemMessage',
  type: 'object',
  properties: {
    channelId: str,
    systemTopicType: str,
    correlationId: str,
    organizationId: str,
    userId: str,
    oauthClientId: str,
    reason: str,
    message: str,
    data: {},
  },
} as const;

export const channelMetadataSchema = {
  $id: 'channelMetadata',
  type: 'object',
  required: ['message'],
  properties: { message: str },
} as const;

export type SchemaName = 'envelope' | 'transcription' | 'conversation' | 'summary' | 'suggestion' | 'systemMessage' | 'channelMetadata';

// One ajv instance for the module: schemas compile once per process, validators are pure.
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time']);

const validators: Record<SchemaName, ValidateFunction> = {
  envelope: ajv.compile(envelopeSchema),
  transcription: ajv.compile(transcriptionSchema),
  conversation: ajv.compile(conversationSchema),
  summary: ajv.compile(summarySchema),
  suggestion: ajv.compile(suggestionSchema),
  systemMessage: ajv.compile(systemMessageSchema),
  channelMetadata: ajv.compile(channelMetadataSchema),
};

/** `/transcripts/0/channel` -> `transcripts[0].channel` */
function jsPath(root: string, instancePath: string): string {
  let out = root;
  for (const seg of instancePath.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out ? `.${key}` : key;
  }
  return out || '(root)';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let cur: unknown = data;
  for (const seg of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Turns the first ajv error into one precise sentence naming the field. */
export function formatSchemaError(err: ErrorObject, data: unknown, root: string): string {
  const path = jsPath(root, err.instancePath);
  const got = describe(valueAt(data, err.instancePath));
  switch (err.keyword) {
    case 'required':
      return `${path} is missing required field "${String((err.params as { missingProperty: string }).missingProperty)}"`;
    case 'type':
      return `${path} must be ${String((err.params as { type: string }).type)} (got ${got})`;
    case 'enum':
      return `${path} must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')} (got ${got})`;
    case 'format':
      return `${path} must be an ISO-8601 ${String((err.params as { format: string }).format)} (got ${got})`;
    case 'minLength':
      return `${path} must not be empty`;
    case 'minimum':
      return `${path} must be >= ${String((err.params as { limit: number }).limit)} (got ${got})`;
    default:
      return `${path} ${err.message ?? 'is invalid'}`;
  }
}

/**
 * Validates `value` against a named schema and returns it typed. Throws InputError (code
 * INVALID_EVENT, path set) with a precise message otherwise. `root` prefixes paths in messages.
 */
export function validateSchema<T>(name: SchemaName, value: unknown, root = name === 'envelope' ? '' : 'eventBody'): T {
  const validate = validators[name];
  if (validate(value)) return value as T;
  const first = validate.errors?.[0];
  const message = first ? formatSchemaError(first, value, root) : `${root || name} is invalid`;
  throw new InputError(`${name} event: ${message}`, 'INVALID_EVENT', first ? jsPath(root, first.instancePath) : root);
}

/** True/false without throwing, for hot paths that only route. */
export function isValid(name: SchemaName, value: unknown): boolean {
  return validators[name](value) === true;
}

/**
 * Parses one WebSocket text frame into a validated envelope. Throws InputError with code
 * INVALID_JSON for text that is not JSON, INVALID_EVENT for JSON that is not an envelope.
 */
export function parseEnvelope(frame: string): Envelope {
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch (err) {
    throw new InputError(`frame is not valid JSON: ${(err as Error).message}`, 'INVALID_JSON');
  }
  return validateSchema<Envelope>('envelope', data);
}
