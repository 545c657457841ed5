/**
 * genesys-transcript-in: live transcripts from the Genesys Cloud Notifications API. Thin glue:
 * lib/transcript/transcript-feed.ts (topics, validation, normalizing, dedup, discovery) over
 * lib/genesys/channel-manager.ts (channels, sockets, faults). Output 1: one msg per transcript
 * result; output 2: lifecycle events and Copilot summaries / suggestions.
 */
import type { GenesysAuthConfig } from '../../lib/genesys/auth-config';
import type { ConnectionStatus } from '../../lib/genesys/connection-users';
import { OFFSET_REFERENCES, type OffsetReference } from '../../lib/transcript/normalizer';
import { parseShard } from '../../lib/transcript/shard';
import { TranscriptFeed, type FeedState, type LifecycleEvent } from '../../lib/transcript/transcript-feed';
import { InputError, errorMessage, truncate } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';

interface TranscriptInDef extends NodeDef {
  auth?: string;
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
  idProperty?: string;
  /** Not in the dialog: timings for tests and benchmarks (ms). */
  tuning?: { backoffInitialMs?: number; backoffMaxMs?: number; probeTimeoutMs?: number; maxFrameBytes?: number; maintenanceIntervalMs?: number };
}

/** Raw frames on error messages are cut to this many characters. */
const RAW_FRAME_LIMIT = 2048;

/** Reconnect attempts shown as yellow "reconnecting" before the status turns red with the reason. */
const ERROR_AFTER_ATTEMPTS = 4;

/** "Genesys API POST /api/v2/... failed: HTTP 503 ..." -> "HTTP 503"; network codes in words. */
function shortReason(reason: string): string {
  const http = /HTTP \d{3}/.exec(reason);
  if (http) return http[0];
  if (/ECONNREFUSED|connection refused/i.test(reason)) return 'connection refused';
  if (/ETIMEDOUT|timed? ?out/i.test(reason)) return 'timed out';
  if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return 'host not found';
  return reason.length > 32 ? `${reason.slice(0, 31)}…` : reason;
}

function idList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export default function register(RED: NodeAPI): void {
  function GenesysTranscriptIn(this: NodeInstance, config: TranscriptInDef): void {
    RED.nodes.createNode(this, config);
    const auth = config.auth ? (RED.nodes.getNode(config.auth) as GenesysAuthConfig | null) : null;
    const idProperty = config.idProperty || 'payload.conversationId';
    let feed: TranscriptFeed | undefined;
    let badFrames = 0;
    let feedState: FeedState = { state: 'idle', live: 0 };
    let authStatus: ConnectionStatus | undefined;

    const showStatus = (): void => {
      const bad = badFrames > 0 ? ` (${badFrames} bad frames)` : '';
      if (authStatus?.state === 'error' && feedState.state !== 'connected') {
        this.status({ fill: 'red', shape: 'ring', text: authStatus.text || 'auth error' });
        return;
      }
      switch (feedState.state) {
        case 'connected':
          this.status({ fill: 'green', shape: 'dot', text: `connected ${feedState.live} live${bad}` });
          break;
        case 'reconnecting': {
          const attempt = feedState.attempt ?? 1;
          // A few quick retries are routine; after that say what keeps failing.
          if (attempt >= ERROR_AFTER_ATTEMPTS && feedState.reason) this.status({ fill: 'red', shape: 'ring', text: `${shortReason(feedState.reason)} (attempt ${attempt})` });
          else this.status({ fill: 'yellow', shape: 'ring', text: `reconnecting (attempt ${attempt})` });
          break;
        }
        case 'stopped':
          this.status({});
          break;
        default:
          this.status({ fill: 'yellow', shape: 'ring', text: 'connecting' });
      }
    };

    try {
      if (!auth) throw new InputError('no genesys-auth config node selected', 'INVALID_CONFIG', 'auth');
      if (auth.configError) throw auth.configError;
      const offsetReference = (config.offsetReference || 'transcriptionStart') as OffsetReference;
      if (!OFFSET_REFERENCES.includes(offsetReference)) throw new InputError(`unknown offset reference "${offsetReference}"`, 'INVALID_CONFIG', 'offsetReference');
      const heartbeatS = config.heartbeatTimeout === undefined || config.heartbeatTimeout === '' ? 60 : Number(config.heartbeatTimeout);
      if (!Number.isFinite(heartbeatS) || heartbeatS < 0.01 || heartbeatS > 3600) throw new InputError('heartbeat timeout must be between 0.01 and 3600 seconds', 'INVALID_CONFIG', 'heartbeatTimeout');
      const shard = parseShard(config.shardIndex || 1, config.shardCount || 1);
      const t = config.tuning ?? {};
      feed = new TranscriptFeed({
        channel: {
          rest: auth.rest,
          tokens: auth.tokens,
          heartbeatTimeoutMs: heartbeatS * 1000,
          probeTimeoutMs: t.probeTimeoutMs ?? Math.min(10_000, heartbeatS * 1000),
          backoff: { initialMs: t.backoffInitialMs ?? 500, maxMs: t.backoffMaxMs ?? 15_000, jitter: 0.5 },
          ...(t.maxFrameBytes ? { maxFrameBytes: t.maxFrameBytes } : {}),
          ...(t.maintenanceIntervalMs ? { maintenanceIntervalMs: t.maintenanceIntervalMs } : {}),
        },
        conversationIds: idList(config.conversationIds),
        queueIds: idList(config.queueIds),
        userIds: idList(config.userIds),
        includePartials: config.partials !== false,
        forwardSummaries: config.summaries === true,
        forwardSuggestions: config.suggestions === true,
        offsetReference,
        shard,
      });
    } catch (err) {
      this.error(`genesys-transcript-in not started: ${errorMessage(err)}`);
      this.status({ fill: 'red', shape: 'ring', text: err instanceof InputError ? 'config error' : 'not configured' });
    }

    if (feed && auth) {
      const f = feed;
      f.on('utterances', ({ conversationId, utterances, envelope }) => {
        const genesys = { topicName: envelope.topicName, eventBody: envelope.eventBody };
        const count = utterances.length;
        const partsId = count > 1 ? RED.util.generateId() : undefined;
        utterances.forEach((u, index) => {
          const msg: NodeMessage = { topic: conversationId, payload: u, genesys };
          if (partsId) msg.parts = { id: partsId, index, count, type: 'array', len: 1 };
          this.send([msg, null]);
        });
      });
      f.on('lifecycle', (ev: LifecycleEvent, envelope) => {
        const msg: NodeMessage = { payload: ev, event: ev.event };
        if (ev.conversationId) msg.topic = ev.conversationId;
        if (envelope) msg.genesys = { topicName: envelope.topicName, eventBody: envelope.eventBody };
        this.send([null, msg]);
        if (ev.event === 'subscription-rejected') {
          this.warn(`subscription to ${ev.topic} rejected${ev.reason ? ` (${ev.reason})` : ''}${ev.missingPermissions.length ? `; missing permissions: ${ev.missingPermissions.join(', ')}` : ''}`);
        }
      });
      f.on('copilot', ({ kind, conversationId, body, envelope }) => {
        // payload = the platform body plus `event`, so lifecycle routing (payload.event) and the
        // summary validator (Copilot summary fields) both read it as is.
        this.send([null, { topic: conversationId, event: kind, payload: { event: kind, ...body }, genesys: { topicName: envelope.topicName, eventBody: envelope.eventBody } }]);
      });
      f.on('bad-frame', ({ error, raw }) => {
        badFrames++;
        this.error(error, { topic: undefined, payload: truncate(raw, RAW_FRAME_LIMIT), error: { message: error.message, code: error.code }, badFrameCount: badFrames });
        showStatus();
      });
      f.on('state', (s) => {
        feedState = s;
        showStatus();
      });
      auth.register(this.id, (s) => {
        authStatus = s;
        showStatus();
      });
      showStatus();
      f.start();
    }

    this.on('input', (msg, _send, done) => {
      try {
        if (!feed) throw new InputError('genesys-transcript-in is not running (see its configuration error)', 'NOT_RUNNING');
        const p = msg.payload;
        const action = isRecord(p) ? p.action : p;
        if (action !== 'subscribe' && action !== 'unsubscribe') {
          throw new InputError(`action must be "subscribe" or "unsubscribe" (in msg.payload.action or msg.payload; got ${JSON.stringify(action) ?? 'nothing'})`, 'INVALID_ACTION', 'payload.action');
        }
        let id: unknown;
        try {
          id = RED.util.getMessageProperty(msg, idProperty);
        } catch {
          id = undefined;
        }
        if (id === undefined || id === null || id === '') id = msg.topic;
        if (id === undefined || id === '') throw new InputError(`no conversation id in msg.${idProperty} or msg.topic`, 'INVALID_INPUT', idProperty);
        if (action === 'subscribe') {
          if (!feed.subscribe(id)) this.debug(`conversation ${String(id)} belongs to another shard; not subscribed`);
        } else if (!feed.unsubscribe(id)) {
          this.debug(`conversation ${String(id)} was not subscribed`);
        }
        done();
      } catch (err) {
        done(err instanceof Error ? err : new Error(errorMessage(err)));
      }
    });

    this.on('close', (_removed, done) => {
      auth?.deregister(this.id);
      const f = feed;
      feed = undefined;
      if (!f) return done();
      f.stop().then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType('genesys-transcript-in', GenesysTranscriptIn);
}
