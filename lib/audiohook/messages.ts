/**
 * AudioHook (Monitor) protocol message types, version "2". Direction is fixed per type
 * (reference/audiohook.md §3): client = Genesys, server = us.
 */

export const PROTOCOL_VERSION = '2' as const;
export const NULL_UUID = '00000000-0000-0000-0000-000000000000';

export type ChannelName = 'external' | 'internal';
export type MediaFormat = 'PCMU' | 'L16';

export interface MediaParameter {
  type: 'audio';
  format: MediaFormat;
  channels: ChannelName[];
  rate: number;
}

export interface Participant {
  id: string;
  ani: string;
  aniName: string;
  dnis: string;
}

export interface ContinuedSession {
  id: string;
  serverseq: number;
  clientseq: number;
}

export type CloseReason = 'end' | 'error' | 'disconnect' | 'reconnect';
export type DisconnectReason = 'completed' | 'unauthorized' | 'error';

export interface OpenParameters {
  organizationId: string;
  conversationId: string;
  participant: Participant;
  media: MediaParameter[];
  language?: string;
  supportedLanguages?: boolean;
  continuedSessions?: ContinuedSession[];
  customConfig?: Record<string, unknown>;
}

export interface ClientParameters {
  open: OpenParameters;
  ping: { rtt?: string };
  close: { reason: CloseReason };
  paused: Record<string, never>;
  resumed: { start: string; discarded: string };
  discarded: { start: string; discarded: string };
  update: { language: string };
  error: { code: number; message: string; retryAfter?: string };
}

export interface EntityData {
  type: string;
  data: unknown;
}

export interface ServerParameters {
  opened: { media: MediaParameter[]; discardTo?: string; startPaused?: boolean; supportedLanguages?: string[] };
  pong: Record<string, never>;
  closed: Record<string, never>;
  updated: Record<string, never>;
  pause: Record<string, never>;
  resume: Record<string, never>;
  disconnect: { reason: DisconnectReason; info?: string };
  event: { entities: EntityData[] };
  reconnect: { info?: string };
}

export type ClientMessageType = keyof ClientParameters;
export type ServerMessageType = keyof ServerParameters;

export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] = ['open', 'ping', 'close', 'paused', 'resumed', 'discarded', 'update', 'error'];
export const SERVER_MESSAGE_TYPES: readonly ServerMessageType[] = ['opened', 'pong', 'closed', 'updated', 'pause', 'resume', 'disconnect', 'event', 'reconnect'];

interface Envelope<T extends string, P> {
  version: typeof PROTOCOL_VERSION;
  id: string;
  type: T;
  seq: number;
  parameters: P;
}

/** Client → server: also `serverseq` (last server seq seen) and `position` (stream timeline). */
export type ClientMessage<T extends ClientMessageType = ClientMessageType> = {
  [K in T]: Envelope<K, ClientParameters[K]> & { serverseq: number; position: string };
}[T];

/** Server → client: also `clientseq` (last client seq seen). */
export type ServerMessage<T extends ServerMessageType = ServerMessageType> = {
  [K in T]: Envelope<K, ServerParameters[K]> & { clientseq: number };
}[T];

/** Bytes per sample per channel. */
export function bytesPerSample(format: MediaFormat): number {
  return format === 'L16' ? 2 : 1;
}

/** Deep copy of a media entry, channel order kept (the server must echo an offer exactly). */
export function copyMedia(media: MediaParameter): MediaParameter {
  return { type: media.type, format: media.format, channels: [...media.channels], rate: media.rate };
}

export function sameMedia(a: MediaParameter, b: MediaParameter): boolean {
  return (
    a.type === b.type &&
    a.format === b.format &&
    a.rate === b.rate &&
    a.channels.length === b.channels.length &&
    a.channels.every((c, i) => b.channels[i] === c)
  );
}
