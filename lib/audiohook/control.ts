/**
 * Session control from a flow message: { action: pause | resume | disconnect, sessionId or
 * conversationId, reason?, info? }, read from msg or from an object msg.payload (msg wins).
 * Every bad request is an InputError with a code flows can branch on.
 */
import { InputError } from '../util/errors';
import type { DisconnectReason } from './messages';
import type { SessionState } from './session';

export const CONTROL_ACTIONS = ['pause', 'resume', 'disconnect'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
export const DISCONNECT_REASONS: readonly DisconnectReason[] = ['completed', 'unauthorized', 'error'];

export type ControlTarget = { sessionId: string } | { conversationId: string };

export interface ControlRequest {
  action: ControlAction;
  /** A sessionId wins over a conversationId (one conversation may have several sessions). */
  target: ControlTarget;
  /** For disconnect; 'completed' when not given. */
  reason: DisconnectReason;
  info?: string;
}

/** The part of a ServerSession that control needs. */
export interface ControllableSession {
  readonly sessionId: string;
  readonly conversationId: string | undefined;
  readonly state: SessionState;
  pause(): boolean;
  resume(): boolean;
  disconnect(reason: DisconnectReason, info?: string): boolean;
}

const isControlAction = (v: unknown): v is ControlAction => typeof v === 'string' && (CONTROL_ACTIONS as readonly string[]).includes(v);

/** Reads a control request from a message; throws InputError BAD_ACTION, NO_TARGET or BAD_REASON. */
export function parseControlRequest(msg: Record<string, unknown>): ControlRequest {
  const payload = msg.payload;
  const src = (payload && typeof payload === 'object' && !Buffer.isBuffer(payload) ? payload : msg) as Record<string, unknown>;
  const action = msg.action ?? src.action;
  if (!isControlAction(action)) throw new InputError(`msg.action must be one of ${CONTROL_ACTIONS.join(', ')}`, 'BAD_ACTION', 'action');
  const sessionId = msg.sessionId ?? src.sessionId;
  const conversationId = msg.conversationId ?? src.conversationId;
  let target: ControlTarget;
  if (typeof sessionId === 'string' && sessionId !== '') target = { sessionId };
  else if (typeof conversationId === 'string' && conversationId !== '') target = { conversationId };
  else throw new InputError('give msg.sessionId or msg.conversationId of the session to control', 'NO_TARGET', 'sessionId');
  const reason = msg.reason ?? src.reason ?? 'completed';
  if (action === 'disconnect' && !DISCONNECT_REASONS.includes(reason as DisconnectReason)) {
    throw new InputError(`msg.reason must be one of ${DISCONNECT_REASONS.join(', ')}`, 'BAD_REASON', 'reason');
  }
  // info, like the other fields, from msg or from msg.payload
  const infoIn = msg.info ?? src.info;
  const info = typeof infoIn === 'string' ? infoIn : undefined;
  return { action, target, reason: reason as DisconnectReason, ...(info !== undefined ? { info } : {}) };
}

/**
 * Applies a request to every matching live session; returns the first match (for msg.topic and
 * msg.audiohook). Throws InputError NO_SESSION when none matches, BAD_STATE when none could act.
 */
export function applyControlRequest<S extends ControllableSession>(request: ControlRequest, sessions: Iterable<S>): S {
  const { target, action } = request;
  const targets = [...sessions].filter((s) => ('sessionId' in target ? s.sessionId === target.sessionId : s.conversationId === target.conversationId));
  if (targets.length === 0) {
    throw new InputError(`no live AudioHook session for ${'sessionId' in target ? `session ${target.sessionId}` : `conversation ${target.conversationId}`}`, 'NO_SESSION');
  }
  const applied = targets.filter((s) => (action === 'pause' ? s.pause() : action === 'resume' ? s.resume() : s.disconnect(request.reason, request.info)));
  if (applied.length === 0) throw new InputError(`session is ${targets[0].state}: cannot ${action} it now`, 'BAD_STATE');
  return targets[0];
}
