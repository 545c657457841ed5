/**
 * genesys-interceptor: an AudioHook Monitor endpoint on Node-RED's own HTTP server. Thin wrapper:
 * reads the dialog, attaches lib/audiohook's router under httpNodeRoot, maps session events,
 * audio frames and quality alerts to the three outputs, and session control messages to the lib.
 */
import { AudioHookRouter, PathTakenError } from '../../lib/audiohook/router';
import { decodeFrame, pcmToBuffer } from '../../lib/audiohook/media';
import type { DisconnectReason, MediaFormat } from '../../lib/audiohook/messages';
import type { AudioFrame, ServerSession, SessionInfo } from '../../lib/audiohook/session';
import { InputError, errorMessage, toError } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage, SendFn } from '../shared/red';

interface InterceptorDef extends NodeDef {
  path?: string;
  authFailure?: 'session' | 'request';
  acceptPcmu?: boolean;
  acceptL16?: boolean;
  maxSessions?: number | string;
  idleTimeoutS?: number | string;
  maxRttMs?: number | string;
  maxLossRatio?: number | string;
  maxJitterMs?: number | string;
  silenceSeconds?: number | string;
  lateFrameMs?: number | string;
  audioOutput?: 'none' | 'raw' | 'decoded';
  frameGroup?: number | string;
}

interface Creds {
  apiKey?: string;
  clientSecret?: string;
}

const ACTIONS = ['pause', 'resume', 'disconnect'] as const;
type Action = (typeof ACTIONS)[number];
const DISCONNECT_REASONS: DisconnectReason[] = ['completed', 'unauthorized', 'error'];

function num(value: unknown, fallback: number, min = 0): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) && n >= min ? n : fallback;
}

/** Joins httpNodeRoot and the dialog path into one absolute path without double slashes. */
export function endpointPath(httpNodeRoot: string, path: string): string {
  const joined = `/${httpNodeRoot}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** The public part of a session for msg.audiohook. */
function publicInfo(info: SessionInfo): Record<string, unknown> {
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

export default function (RED: NodeAPI): void {
  function GenesysInterceptorNode(this: NodeInstance<{ router?: AudioHookRouter }, Creds>, config: InterceptorDef): void {
    RED.nodes.createNode(this, config);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- handlers below run with other `this`
    const node = this;
    const audioOutput = config.audioOutput ?? 'none';
    const frameGroup = Math.floor(num(config.frameGroup, 1, 1));
    const formats: MediaFormat[] = [];
    if (config.acceptPcmu !== false) formats.push('PCMU');
    if (config.acceptL16) formats.push('L16');
    const alertTimes: number[] = [];
    let statusTimer: NodeJS.Timeout | undefined;
    let closing = false;

    const fail = (text: string, err: string) => {
      node.status({ fill: 'red', shape: 'ring', text });
      node.error(err, { payload: err, topic: 'audiohook' });
      // Control messages to an endpoint that is not listening fail visibly too.
      node.on('input', (_msg, _send, done) => done(new InputError(err, 'NOT_LISTENING')));
    };

    const root = RED.settings.httpNodeRoot;
    if (root === false) return fail('http nodes disabled', 'genesys-interceptor: httpNodeRoot is false in settings.js, so HTTP endpoints are disabled; set it to a path (e.g. "/") to receive AudioHook calls');
    if (!RED.server) return fail('no HTTP server', 'genesys-interceptor: Node-RED has no HTTP server (RED.server is missing in this embedding)');
    const rawPath = (config.path ?? '').trim();
    if (!rawPath || !/^\/?[A-Za-z0-9._~\-/]+$/.test(rawPath)) return fail('invalid path', `genesys-interceptor: path "${rawPath}" is not a valid URL path`);
    const apiKey = node.credentials?.apiKey ?? '';
    if (!apiKey) return fail('no API key', 'genesys-interceptor: set the API key (the same one as in the Genesys AudioHook integration)');
    if (formats.length === 0) return fail('no format', 'genesys-interceptor: accept at least one audio format');
    const fullPath = endpointPath(typeof root === 'string' ? root : '/', rawPath);

    const router = new AudioHookRouter({
      path: fullPath,
      auth: { apiKey, clientSecret: node.credentials?.clientSecret || undefined },
      authFailure: config.authFailure === 'request' ? 'request' : 'session',
      maxSessions: Math.floor(num(config.maxSessions, 100, 0)),
      session: {
        acceptedFormats: formats,
        idleTimeoutMs: num(config.idleTimeoutS, 30, 1) * 1000,
        thresholds: {
          maxRttMs: num(config.maxRttMs, 500),
          maxLossRatio: num(config.maxLossRatio, 0.01),
          maxJitterMs: num(config.maxJitterMs, 100),
          silenceSeconds: num(config.silenceSeconds, 30),
          lateFrameMs: num(config.lateFrameMs, 1000),
        },
      },
    });
    try {
      router.attach(RED.server);
    } catch (err) {
      return fail(err instanceof PathTakenError ? 'path taken' : 'attach failed', `genesys-interceptor: ${errorMessage(err)}`);
    }
    node.router = router;

    const updateStatus = () => {
      statusTimer = undefined;
      if (closing) return;
      const now = Date.now();
      while (alertTimes.length && alertTimes[0] < now - 60_000) alertTimes.shift();
      const live = router.sessions.size;
      const alerts = alertTimes.length;
      node.status({
        fill: alerts > 0 ? 'yellow' : live > 0 ? 'green' : 'grey',
        shape: live > 0 ? 'dot' : 'ring',
        text: `${live} live${alerts > 0 ? `, ${alerts} alert${alerts === 1 ? '' : 's'}/1m` : ''}`,
      });
      // Alerts age out of the one-minute window: look again later while any are counted.
      if (alerts > 0) scheduleStatus(10_000);
    };
    const scheduleStatus = (ms = 250) => {
      if (!statusTimer && !closing) statusTimer = setTimeout(updateStatus, ms);
    };
    updateStatus();

    router.on('rejected', (r) => node.warn(`AudioHook upgrade rejected (${r.status}): ${r.reason}`));
    router.on('session', (session: ServerSession) => {
      scheduleStatus();
      let groupFrames: AudioFrame[] = [];
      // Session identity for audio messages, refreshed on each session event rather than per frame.
      let audioInfo: Record<string, unknown> | undefined;
      session.on('event', (e) => {
        audioInfo = undefined;
        const msg: NodeMessage = {
          topic: e.info.conversationId ?? e.info.sessionId,
          payload: e.event,
          event: e.event,
          audiohook: publicInfo(e.info),
          details: e.details,
        };
        if (e.event === 'closed') flushAudio(node.send.bind(node));
        node.send([msg, null, null]);
        if (e.event === 'error' && e.details.source !== 'client') node.warn(`AudioHook session ${e.info.sessionId}: ${String(e.details.message)}`);
      });
      session.on('alert', (a, info) => {
        alertTimes.push(Date.now());
        scheduleStatus();
        node.send([
          null,
          null,
          {
            topic: info.conversationId ?? info.sessionId,
            payload: { ...a, sessionId: info.sessionId, conversationId: info.conversationId },
            event: 'alert',
            audiohook: publicInfo(info),
          },
        ]);
      });
      session.on('end', (end) => {
        scheduleStatus();
        node.send([
          null,
          null,
          {
            topic: end.info.conversationId ?? end.info.sessionId,
            payload: { ...end.summary, closeReason: end.closeReason, clean: end.clean, disconnect: end.disconnect },
            event: 'summary',
            audiohook: publicInfo(end.info),
          },
        ]);
      });
      if (audioOutput !== 'none') {
        session.on('audio', (frame) => {
          groupFrames.push(frame);
          if (groupFrames.length >= frameGroup) flushAudio(node.send.bind(node));
        });
      }
      function flushAudio(send: SendFn): void {
        if (groupFrames.length === 0) return;
        const frames = groupFrames;
        groupFrames = [];
        const first = frames[0];
        // Without position: msg.audio.position is the frame's own place on the timeline.
        const info = (audioInfo ??= (({ position: _position, ...rest }) => rest)(publicInfo(session.info())));
        const topic = session.conversationId ?? session.sessionId;
        const audio = {
          format: first.media.format,
          channels: first.media.channels,
          rate: first.media.rate,
          position: first.positionSec,
          samples: frames.reduce((n, f) => n + f.samples, 0),
          frames: frames.length,
        };
        if (audioOutput === 'raw') {
          send([null, { topic, payload: frames.length === 1 ? first.data : Buffer.concat(frames.map((f) => f.data)), audio, audiohook: info }, null]);
          return;
        }
        const perChannel = first.media.channels.map((channel) => ({ channel, parts: [] as Buffer[] }));
        for (const f of frames) {
          const decoded = decodeFrame(f.data, f.media);
          for (const pc of perChannel) pc.parts.push(pcmToBuffer(decoded[pc.channel] as Int16Array));
        }
        send([
          null,
          perChannel.map((pc) => ({ topic, payload: Buffer.concat(pc.parts), audio: { ...audio, format: 'L16', encoding: 'pcm_s16le', channel: pc.channel, channels: [pc.channel] }, audiohook: info })),
          null,
        ]);
      }
    });

    node.on('input', (msg, _send, done) => {
      try {
        const src = (msg.payload && typeof msg.payload === 'object' && !Buffer.isBuffer(msg.payload) ? msg.payload : msg) as Record<string, unknown>;
        const action = (msg.action ?? src.action) as unknown;
        if (typeof action !== 'string' || !ACTIONS.includes(action as Action)) {
          throw new InputError(`msg.action must be one of ${ACTIONS.join(', ')}`, 'BAD_ACTION', 'action');
        }
        const sessionId = (msg.sessionId ?? src.sessionId) as unknown;
        const conversationId = (msg.conversationId ?? src.conversationId) as unknown;
        if (typeof sessionId !== 'string' && typeof conversationId !== 'string') {
          throw new InputError('give msg.sessionId or msg.conversationId of the session to control', 'NO_TARGET', 'sessionId');
        }
        const reason = (msg.reason ?? src.reason ?? 'completed') as unknown;
        if (action === 'disconnect' && !DISCONNECT_REASONS.includes(reason as DisconnectReason)) {
          throw new InputError(`msg.reason must be one of ${DISCONNECT_REASONS.join(', ')}`, 'BAD_REASON', 'reason');
        }
        const targets = [...router.sessions].filter((s) => (typeof sessionId === 'string' ? s.sessionId === sessionId : s.conversationId === conversationId));
        if (targets.length === 0) throw new InputError(`no live AudioHook session for ${typeof sessionId === 'string' ? `session ${sessionId}` : `conversation ${String(conversationId)}`}`, 'NO_SESSION');
        const info = typeof msg.info === 'string' ? msg.info : undefined;
        const applied = targets.filter((s) =>
          action === 'pause' ? s.pause() : action === 'resume' ? s.resume() : s.disconnect(reason as DisconnectReason, info),
        );
        if (applied.length === 0) throw new InputError(`session is ${targets[0].state}: cannot ${action} it now`, 'BAD_STATE');
        msg.topic = targets[0].conversationId ?? targets[0].sessionId;
        msg.audiohook = publicInfo(targets[0].info());
        done();
      } catch (err) {
        done(toError(err));
      }
    });

    node.on('close', (_removed, done) => {
      closing = true;
      if (statusTimer) clearTimeout(statusTimer);
      statusTimer = undefined;
      router
        .detach(2000)
        .catch(() => undefined)
        .finally(() => {
          node.router = undefined;
          done();
        });
    });
  }

  RED.nodes.registerType('genesys-interceptor', GenesysInterceptorNode, {
    credentials: { apiKey: { type: 'password' }, clientSecret: { type: 'password' } },
  });
}
