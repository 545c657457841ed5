/**
 * Conversation discovery from queue and user conversation events (reference/genesys-api.md 5):
 * learns conversation ids with their participants and communication ids (calls[].id), and says
 * when a conversation ends: every participant disconnected or terminated, the rule of the
 * Genesys partial-transcription blueprint. Pure state, no I/O; the caller subscribes topics.
 * Participant names and addresses (personal data) are not copied: the raw event has them.
 */
import type { ConversationEvent, ConversationParticipant } from './schemas';

export interface DiscoveredParticipant {
  participantId: string;
  purpose?: string;
  userId?: string;
  queueId?: string;
  /** calls[].id: the communication ids of this participant (generic topic only). */
  communicationIds: string[];
  ended: boolean;
}

export interface DiscoveredConversation {
  conversationId: string;
  participants: DiscoveredParticipant[];
  communicationIds: string[];
  /** User ids of participants with purpose agent/user (whose Copilot summaries belong to it). */
  agentUserIds: string[];
  /** Where it was seen first: 'queue:<id>' or 'user:<id>'. */
  source: string;
}

export type DiscoveryChange =
  | { type: 'discovered'; conversation: DiscoveredConversation }
  | { type: 'updated'; conversation: DiscoveredConversation }
  | { type: 'ended'; conversation: DiscoveredConversation };

export interface DiscoveryOptions {
  /** How many ended conversation ids to remember so late events do not rediscover them. */
  endedMemory?: number;
}

const ENDED_STATES = new Set(['disconnected', 'terminated']);

function participantEnded(p: ConversationParticipant): boolean {
  if (p.state !== undefined) return ENDED_STATES.has(p.state.toLowerCase());
  if (p.calls && p.calls.length > 0) return p.calls.every((c) => c.state !== undefined && ENDED_STATES.has(c.state.toLowerCase()));
  return p.endTime !== undefined;
}

function toParticipant(p: ConversationParticipant): DiscoveredParticipant {
  const out: DiscoveredParticipant = {
    participantId: p.id,
    communicationIds: (p.calls ?? []).map((c) => c.id),
    ended: participantEnded(p),
  };
  if (p.purpose !== undefined) out.purpose = p.purpose;
  const userId = p.userId ?? p.user?.id;
  if (userId) out.userId = userId;
  const queueId = p.queueId ?? p.queue?.id;
  if (queueId) out.queueId = queueId;
  return out;
}

export class ConversationDiscovery {
  private readonly live = new Map<string, DiscoveredConversation>();
  private readonly ended = new Set<string>();
  private readonly endedMemory: number;

  constructor(opts: DiscoveryOptions = {}) {
    this.endedMemory = opts.endedMemory ?? 10_000;
  }

  get size(): number {
    return this.live.size;
  }

  get(conversationId: string): DiscoveredConversation | undefined {
    return this.live.get(conversationId);
  }

  list(): DiscoveredConversation[] {
    return [...this.live.values()];
  }

  /** Feeds one validated conversation event; returns what changed. */
  update(event: ConversationEvent, source: string): DiscoveryChange[] {
    const id = event.id;
    if (this.ended.has(id)) return [];
    const participants = event.participants.map(toParticipant);
    const allEnded = participants.length > 0 && participants.every((p) => p.ended);
    const previous = this.live.get(id);
    if (!previous && allEnded) {
      // First seen already over (late event): remember it, announce nothing.
      this.rememberEnded(id);
      return [];
    }
    const conversation = this.merge(previous, id, participants, source);
    if (allEnded) {
      this.live.delete(id);
      this.rememberEnded(id);
      return [{ type: 'ended', conversation }];
    }
    this.live.set(id, conversation);
    return [{ type: previous ? 'updated' : 'discovered', conversation }];
  }

  /** Ends a conversation for another reason (SESSION_ENDED, unsubscribe). */
  end(conversationId: string): DiscoveredConversation | undefined {
    const c = this.live.get(conversationId);
    this.live.delete(conversationId);
    this.rememberEnded(conversationId);
    return c;
  }

  /** Forgets everything (a stop). */
  clear(): void {
    this.live.clear();
    this.ended.clear();
  }

  private merge(previous: DiscoveredConversation | undefined, id: string, participants: DiscoveredParticipant[], source: string): DiscoveredConversation {
    // Events carry the full participant list, but the .calls variant lacks calls[].id: keep the
    // communication ids learned earlier from the generic topic.
    const known = new Map((previous?.participants ?? []).map((p) => [p.participantId, p]));
    for (const p of participants) {
      const before = known.get(p.participantId);
      if (before && p.communicationIds.length === 0) p.communicationIds = before.communicationIds;
    }
    const communicationIds = [...new Set(participants.flatMap((p) => p.communicationIds))];
    const agentUserIds = [
      ...new Set(
        participants
          .filter((p) => p.userId && (p.purpose === undefined || ['agent', 'user'].includes(p.purpose.toLowerCase())))
          .map((p) => p.userId as string),
      ),
    ];
    return { conversationId: id, participants, communicationIds, agentUserIds, source: previous?.source ?? source };
  }

  private rememberEnded(id: string): void {
    this.ended.add(id);
    if (this.ended.size > this.endedMemory) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }
}
