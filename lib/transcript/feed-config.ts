/**
 * The genesys-transcript-in dialog -> TranscriptFeed options: id lists, defaults and bounds.
 * A bad value is an InputError (code INVALID_CONFIG, path = the dialog field).
 */
import type { RestClient, TokenSource } from '../genesys/types';
import { InputError } from '../util/errors';
import { dialogNumber } from '../util/dialog';
import { OFFSET_REFERENCES, type OffsetReference } from './normalizer';
import { parseShard } from './shard';
import type { TranscriptFeedOptions } from './transcript-feed';

/** Dialog fields as Node-RED stores them (numbers may arrive as strings). */
export interface TranscriptInDialog {
  conversationIds?: string;
  queueIds?: string;
  userIds?: string;
  partials?: boolean;
  summaries?: boolean;
  suggestions?: boolean;
  heartbeatTimeout?: string | number;
  offsetReference?: string;
  shardIndex?: string | number;
  shardCount?: string | number;
  /** Not in the dialog: timings for tests and benchmarks (ms). */
  tuning?: FeedTuning;
}

export interface FeedTuning {
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  probeTimeoutMs?: number;
  maxFrameBytes?: number;
  maintenanceIntervalMs?: number;
}

/** The platform connection of the genesys-auth config node. */
export interface FeedConnection {
  rest: RestClient;
  tokens?: TokenSource;
}

export const DEFAULT_HEARTBEAT_TIMEOUT_S = 60;
const HEARTBEAT_MIN_S = 0.01;
const HEARTBEAT_MAX_S = 3600;

/** Ids from a dialog text field: split on whitespace, commas or semicolons, blanks and repeats dropped. */
export function idList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** Validates in order: offset reference, heartbeat timeout, shard. */
export function feedOptionsFromDialog(dialog: TranscriptInDialog, connection: FeedConnection): TranscriptFeedOptions {
  const offsetReference = (dialog.offsetReference || 'transcriptionStart') as OffsetReference;
  if (!OFFSET_REFERENCES.includes(offsetReference)) throw new InputError(`unknown offset reference "${offsetReference}"`, 'INVALID_CONFIG', 'offsetReference');
  const heartbeatS = dialogNumber(dialog.heartbeatTimeout, 'heartbeatTimeout', DEFAULT_HEARTBEAT_TIMEOUT_S, HEARTBEAT_MIN_S, HEARTBEAT_MAX_S);
  const shard = parseShard(dialog.shardIndex || 1, dialog.shardCount || 1);
  const t = dialog.tuning ?? {};
  return {
    channel: {
      rest: connection.rest,
      tokens: connection.tokens,
      heartbeatTimeoutMs: heartbeatS * 1000,
      probeTimeoutMs: t.probeTimeoutMs ?? Math.min(10_000, heartbeatS * 1000),
      backoff: { initialMs: t.backoffInitialMs ?? 500, maxMs: t.backoffMaxMs ?? 15_000, jitter: 0.5 },
      ...(t.maxFrameBytes ? { maxFrameBytes: t.maxFrameBytes } : {}),
      ...(t.maintenanceIntervalMs ? { maintenanceIntervalMs: t.maintenanceIntervalMs } : {}),
    },
    conversationIds: idList(dialog.conversationIds),
    queueIds: idList(dialog.queueIds),
    userIds: idList(dialog.userIds),
    includePartials: dialog.partials !== false,
    forwardSummaries: dialog.summaries === true,
    forwardSuggestions: dialog.suggestions === true,
    offsetReference,
    shard,
  };
}
