/**
 * Which permission the simulator requires for a notification topic. The transcription topic's
 * permission is documented (reference §3); the others are UNCONFIRMED on the platform (§4, §10.7),
 * so the simulator picks the documented REST permission of the same data as its assumption.
 */

export interface TopicRule {
  pattern: RegExp;
  permissions: string[];
  /** true when the platform documents this permission for the topic. */
  confirmed: boolean;
}

const ID = '[A-Za-z0-9-]+';

export const TOPIC_RULES: readonly TopicRule[] = [
  { pattern: new RegExp(`^v2\\.conversations\\.${ID}\\.transcription$`), permissions: ['conversation:transcription:view'], confirmed: true },
  { pattern: new RegExp(`^v2\\.conversations\\.${ID}\\.suggestions(\\.[a-z]+)*$`), permissions: ['conversation:suggestion:view'], confirmed: false },
  { pattern: new RegExp(`^v2\\.users\\.${ID}\\.conversations\\.summaries$`), permissions: ['conversation:summary:view'], confirmed: false },
  { pattern: new RegExp(`^v2\\.routing\\.queues\\.${ID}\\.conversations(\\.[a-zA-Z]+)?$`), permissions: ['conversation:communication:view'], confirmed: false },
  { pattern: new RegExp(`^v2\\.users\\.${ID}\\.conversations(\\.[a-zA-Z]+)?$`), permissions: ['conversation:communication:view'], confirmed: false },
];

/** Topic ids the platform's streaming client keeps under this length (reference §2.2). */
export const MAX_TOPIC_LENGTH = 200;

const TOPIC_SYNTAX = /^v2\.[A-Za-z0-9_.-]+(\?[A-Za-z0-9_.-]+(&[A-Za-z0-9_.-]+)*)?$/;

/** Why a topic id is not acceptable at all (undefined when it is well-formed). */
export function topicSyntaxError(id: string): string | undefined {
  if (id.length === 0) return 'empty topic';
  if (id.length > MAX_TOPIC_LENGTH) return `topic longer than ${MAX_TOPIC_LENGTH} characters`;
  if (!TOPIC_SYNTAX.test(id)) return 'not a valid topic name';
  return undefined;
}

/** Expands a combined topic `prefix?a&b` into `prefix.a`, `prefix.b`; a plain topic into itself. */
export function expandTopic(id: string): string[] {
  const q = id.indexOf('?');
  if (q < 0) return [id];
  const prefix = id.slice(0, q);
  return id
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((suffix) => `${prefix}.${suffix}`);
}

/** Permissions required by a topic (combined topics need those of every part). */
export function requiredPermissions(id: string): string[] {
  const out = new Set<string>();
  for (const topic of expandTopic(id)) {
    for (const rule of TOPIC_RULES) if (rule.pattern.test(topic)) rule.permissions.forEach((p) => out.add(p));
  }
  return [...out];
}

/** Required permissions the client lacks ("all" means the client has every permission). */
export function missingPermissions(id: string, granted: ReadonlySet<string> | 'all'): string[] {
  if (granted === 'all') return [];
  return requiredPermissions(id).filter((p) => !hasPermission(granted, p));
}

/** Genesys permission strings are domain:entity:action; a `*` part grants all values there. */
function hasPermission(granted: ReadonlySet<string>, needed: string): boolean {
  if (granted.has(needed) || granted.has('*')) return true;
  const [d, e, a] = needed.split(':');
  for (const g of granted) {
    const [gd, ge, ga] = g.split(':');
    if ((gd === d || gd === '*') && (ge === e || ge === '*') && (ga === a || ga === '*')) return true;
  }
  return false;
}
