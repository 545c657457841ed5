/**
 * Notification topic names (reference/genesys-api.md sections 2-5): building them from ids and
 * recognising the kind of an inbound topic. One place, so the simulator and the channel manager
 * agree with transcript-in on every spelling.
 */

/** Topic ids are kept under 200 characters (the streaming client's limit). */
export const MAX_TOPIC_LENGTH = 200;
/** The platform refuses more than 1,000 topics on one channel (400). */
export const MAX_TOPICS_PER_CHANNEL = 1000;

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

/** Suggestion topics that exist (section 4.1); there is no wildcard over a WebSocket. */
export const SUGGESTION_KINDS = [
  'knowledge.search',
  'knowledge.article',
  'response',
  'script',
  'intent',
  'thirdpartyaction',
] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

// Ids are UUIDs on the platform; allow anything without dots or whitespace so topic parsing
// stays unambiguous (a dot inside an id would shift every later segment).
const ID = '[^.\\s?&]+';

export function transcriptionTopic(conversationId: string): string {
  return `v2.conversations.${conversationId}.transcription`;
}

export function queueConversationsTopic(queueId: string, calls = false): string {
  return `v2.routing.queues.${queueId}.conversations${calls ? '.calls' : ''}`;
}

export function userConversationsTopic(userId: string, calls = false): string {
  return `v2.users.${userId}.conversations${calls ? '.calls' : ''}`;
}

export function userSummariesTopic(userId: string): string {
  return `v2.users.${userId}.conversations.summaries`;
}

export function suggestionTopic(conversationId: string, kind: SuggestionKind): string {
  return `v2.conversations.${conversationId}.suggestions.${kind}`;
}

export function suggestionTopics(conversationId: string): string[] {
  return SUGGESTION_KINDS.map((k) => suggestionTopic(conversationId, k));
}

/** True when an id can be placed inside a topic name (no dots, spaces, ? or &; not empty). */
export function isTopicSafeId(id: string): boolean {
  return new RegExp(`^${ID}$`).test(id) && id.length <= 120;
}

export type TopicKind =
  | { kind: 'heartbeat' }
  | { kind: 'socket-closing' }
  | { kind: 'system'; name: string }
  | { kind: 'transcription'; conversationId: string }
  | { kind: 'queue-conversations'; queueId: string; calls: boolean }
  | { kind: 'user-conversations'; userId: string; calls: boolean }
  | { kind: 'summary'; userId: string }
  | { kind: 'suggestion'; conversationId: string; suggestion: SuggestionKind }
  | { kind: 'other' };

const TRANSCRIPTION_RE = new RegExp(`^v2\\.conversations\\.(${ID})\\.transcription$`);
const QUEUE_RE = new RegExp(`^v2\\.routing\\.queues\\.(${ID})\\.conversations(\\.calls)?$`);
const USER_CONV_RE = new RegExp(`^v2\\.users\\.(${ID})\\.conversations(\\.calls)?$`);
const SUMMARY_RE = new RegExp(`^v2\\.users\\.(${ID})\\.conversations\\.summaries$`);
const SUGGESTION_RE = new RegExp(`^v2\\.conversations\\.(${ID})\\.suggestions\\.(${SUGGESTION_KINDS.map((k) => k.replace('.', '\\.')).join('|')})$`);

/** What an inbound envelope's topicName is about. */
export function classifyTopic(topicName: string): TopicKind {
  if (topicName === HEARTBEAT_TOPIC) return { kind: 'heartbeat' };
  if (topicName === SOCKET_CLOSING_TOPIC) return { kind: 'socket-closing' };
  if (topicName.startsWith('v2.system.') || topicName === 'v2.subscription.updated') return { kind: 'system', name: topicName };
  let m = TRANSCRIPTION_RE.exec(topicName);
  if (m) return { kind: 'transcription', conversationId: m[1] as string };
  m = QUEUE_RE.exec(topicName);
  if (m) return { kind: 'queue-conversations', queueId: m[1] as string, calls: m[2] !== undefined };
  m = SUMMARY_RE.exec(topicName);
  if (m) return { kind: 'summary', userId: m[1] as string };
  m = USER_CONV_RE.exec(topicName);
  if (m) return { kind: 'user-conversations', userId: m[1] as string, calls: m[2] !== undefined };
  m = SUGGESTION_RE.exec(topicName);
  if (m) return { kind: 'suggestion', conversationId: m[1] as string, suggestion: m[2] as SuggestionKind };
  return { kind: 'other' };
}
