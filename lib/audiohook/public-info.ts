import type { SessionInfo } from './session';

/** The public part of a session, for msg.audiohook (no offered media list, no auth result). */
export function publicInfo(info: SessionInfo): Record<string, unknown> {
  return {
    sessionId: info.sessionId,
    conversationId: info.conversationId,
    participant: info.participant,
    media: info.media,
    position: info.position,
    language: info.language,
    customConfig: info.customConfig,
    organizationId: info.organizationId,
    correlationId: info.correlationId,
    probe: info.probe,
    state: info.state,
  };
}

/** publicInfo without position: on audio messages msg.audio.position is the frame's own place. */
export function publicInfoForAudio(info: SessionInfo): Record<string, unknown> {
  const { position: _position, ...rest } = publicInfo(info);
  return rest;
}

/** msg.topic of anything about a session: the conversation, else the session. */
export function sessionTopic(info: { sessionId: string; conversationId?: string }): string {
  return info.conversationId ?? info.sessionId;
}
