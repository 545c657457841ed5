/**
 * genesys-interceptor: an AudioHook Monitor endpoint on Node-RED's own HTTP server. Thin wrapper:
 * reads the dialog, attaches lib/audiohook's router under httpNodeRoot, maps session events,
 * audio frames and quality alerts to the three outputs, and session control messages to the lib.
 */
import { interceptorOptionsFromDialog, InterceptorConfigError, type InterceptorDialog, type InterceptorOptions } from '../../lib/audiohook/config';
import { applyControlRequest, parseControlRequest } from '../../lib/audiohook/control';
import { FrameGrouper, type AudioPayload } from '../../lib/audiohook/frame-output';
import { publicInfo, publicInfoForAudio, sessionTopic } from '../../lib/audiohook/public-info';
import { AudioHookRouter, PathTakenError } from '../../lib/audiohook/router';
import type { ServerSession } from '../../lib/audiohook/session';
import { ALERT_WINDOW_MS, interceptorStatus } from '../../lib/audiohook/status';
import { InputError, errorMessage, toError } from '../../lib/util/errors';
import { SlidingWindowCounter } from '../../lib/util/sliding-window';
import { Throttled } from '../../lib/util/throttle';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';

type InterceptorDef = NodeDef & InterceptorDialog;

interface Creds {
  apiKey?: string;
  clientSecret?: string;
}

/** Status is redrawn at most this often (sessions and alerts come in bursts). */
const STATUS_INTERVAL_MS = 250;

export default function (RED: NodeAPI): void {
  function GenesysInterceptorNode(this: NodeInstance<{ router?: AudioHookRouter }, Creds>, config: InterceptorDef): void {
    RED.nodes.createNode(this, config);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- handlers below run with other `this`
    const node = this;

    const fail = (text: string, err: string) => {
      node.status({ fill: 'red', shape: 'ring', text });
      node.error(err, { payload: err, topic: 'audiohook' });
      // Control messages to an endpoint that is not listening fail visibly too.
      node.on('input', (_msg, _send, done) => done(new InputError(err, 'NOT_LISTENING')));
    };

    let options: InterceptorOptions;
    try {
      options = interceptorOptionsFromDialog(config, {
        httpNodeRoot: RED.settings.httpNodeRoot,
        hasHttpServer: Boolean(RED.server),
        apiKey: node.credentials?.apiKey,
        clientSecret: node.credentials?.clientSecret,
      });
    } catch (err) {
      return fail(err instanceof InterceptorConfigError ? err.statusText : 'invalid configuration', errorMessage(err));
    }
    const router = new AudioHookRouter(options.router);
    try {
      if (RED.server) router.attach(RED.server);
    } catch (err) {
      return fail(err instanceof PathTakenError ? 'path taken' : 'attach failed', `genesys-interceptor: ${errorMessage(err)}`);
    }
    node.router = router;

    let closing = false;
    const statusRedraw = new Throttled(() => {
      if (!closing) node.status(interceptorStatus(router.sessions.size, recentAlerts.count()));
    }, STATUS_INTERVAL_MS);
    // Alerts age out of the window: redraw when one does.
    const recentAlerts = new SlidingWindowCounter(ALERT_WINDOW_MS, () => statusRedraw.request());
    statusRedraw.run();

    router.on('rejected', (r) => node.warn(`AudioHook upgrade rejected (${r.status}): ${r.reason}`));
    router.on('session', (session: ServerSession) => {
      statusRedraw.request();
      const grouper = options.audioOutput === 'none' ? undefined : new FrameGrouper(options.audioOutput, options.frameGroup);
      // Session identity for audio messages, refreshed on each session event rather than per frame.
      let audioInfo: Record<string, unknown> | undefined;
      const sendAudio = (payloads: AudioPayload[]): void => {
        if (payloads.length === 0) return;
        const topic = sessionTopic(session);
        audioInfo ??= publicInfoForAudio(session.info());
        node.send([null, payloads.map((p) => ({ topic, ...p, audiohook: audioInfo })), null]);
      };

      session.on('event', (e) => {
        audioInfo = undefined;
        if (e.event === 'closed' && grouper) sendAudio(grouper.flush());
        node.send([{ topic: sessionTopic(e.info), payload: e.event, event: e.event, audiohook: publicInfo(e.info), details: e.details }, null, null]);
        if (e.event === 'error' && e.details.source !== 'client') node.warn(`AudioHook session ${e.info.sessionId}: ${String(e.details.message)}`);
      });
      session.on('alert', (a, info) => {
        recentAlerts.record();
        statusRedraw.request();
        const payload = { ...a, sessionId: info.sessionId, conversationId: info.conversationId };
        node.send([null, null, { topic: sessionTopic(info), payload, event: 'alert', audiohook: publicInfo(info) }]);
      });
      session.on('end', (end) => {
        statusRedraw.request();
        const payload = { ...end.summary, closeReason: end.closeReason, clean: end.clean, disconnect: end.disconnect };
        node.send([null, null, { topic: sessionTopic(end.info), payload, event: 'summary', audiohook: publicInfo(end.info) }]);
      });
      if (grouper) session.on('audio', (frame) => sendAudio(grouper.push(frame)));
    });

    node.on('input', (msg: NodeMessage, _send, done) => {
      try {
        const target = applyControlRequest(parseControlRequest(msg), router.sessions);
        msg.topic = sessionTopic(target);
        msg.audiohook = publicInfo(target.info());
        done();
      } catch (err) {
        done(toError(err));
      }
    });

    node.on('close', (_removed, done) => {
      closing = true;
      statusRedraw.cancel();
      recentAlerts.clear();
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
