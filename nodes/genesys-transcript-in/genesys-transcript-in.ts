/**
 * genesys-transcript-in: live transcripts from the Genesys Cloud Notifications API. Thin glue:
 * lib/transcript/transcript-feed.ts (topics, validation, normalizing, dedup, discovery) over
 * lib/genesys/channel-manager.ts (channels, sockets, faults). Output 1: one msg per transcript
 * result; output 2: lifecycle events and Copilot summaries / suggestions.
 */
import type { GenesysAuthConfig } from '../../lib/genesys/auth-config';
import type { ConnectionStatus } from '../../lib/genesys/connection-users';
import { feedOptionsFromDialog, type TranscriptInDialog } from '../../lib/transcript/feed-config';
import { subscriptionAction } from '../../lib/transcript/feed-request';
import { feedNotStartedStatus, feedStatus } from '../../lib/transcript/feed-status';
import { TranscriptFeed, type FeedState, type LifecycleEvent } from '../../lib/transcript/transcript-feed';
import { InputError, errorMessage, toError, truncate } from '../../lib/util/errors';
import { Throttled } from '../../lib/util/throttle';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';

type TranscriptInDef = NodeDef & TranscriptInDialog & { auth?: string; idProperty?: string };

/** Raw frames on error messages are cut to this many characters. */
const RAW_FRAME_LIMIT = 2048;

/** Bad-frame counts are redrawn at most this often; state changes show at once. */
const STATUS_INTERVAL_MS = 1000;

export default function register(RED: NodeAPI): void {
  function GenesysTranscriptIn(this: NodeInstance, config: TranscriptInDef): void {
    RED.nodes.createNode(this, config);
    const auth = config.auth ? (RED.nodes.getNode(config.auth) as GenesysAuthConfig | null) : null;
    const idProperty = config.idProperty || 'payload.conversationId';
    let feed: TranscriptFeed | undefined;
    let badFrames = 0;
    let feedState: FeedState = { state: 'idle', live: 0 };
    let authStatus: ConnectionStatus | undefined;
    const statusRedraw = new Throttled(() => this.status(feedStatus(feedState, authStatus, badFrames)), STATUS_INTERVAL_MS);

    try {
      if (!auth) throw new InputError('no genesys-auth config node selected', 'INVALID_CONFIG', 'auth');
      if (auth.configError) throw auth.configError;
      feed = new TranscriptFeed(feedOptionsFromDialog(config, auth));
    } catch (err) {
      this.error(`genesys-transcript-in not started: ${errorMessage(err)}`);
      this.status(feedNotStartedStatus(err));
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
        statusRedraw.request();
      });
      f.on('state', (s) => {
        feedState = s;
        statusRedraw.run();
      });
      auth.register(this.id, (s) => {
        authStatus = s;
        statusRedraw.run();
      });
      statusRedraw.run();
      f.start();
    }

    this.on('input', (msg, _send, done) => {
      try {
        if (!feed) throw new InputError('genesys-transcript-in is not running (see its configuration error)', 'NOT_RUNNING');
        const action = subscriptionAction(msg.payload);
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
        done(toError(err));
      }
    });

    this.on('close', (_removed, done) => {
      statusRedraw.cancel();
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
