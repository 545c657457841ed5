/**
 * genesys-redactor: a thin wrapper around lib/redact. Input: Utterances (transcript-in, aligner
 * segments / batches / transcripts), plain strings, or any message properties listed in the dialog;
 * lifecycle end events free the conversation's state. Output: the same message, redacted, with
 * msg.redaction = {entities, policy}. Nothing is sent when a message cannot be redacted.
 */
import { Redactor, conversationEnded, redactMessageValue, redactorOptionsFromDialog, type RedactionEntity } from '../../lib/redact';
import { Throttled } from '../../lib/util/throttle';
import { InputError, toError } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';
import { refuseInputs } from '../shared/invalid-config';

interface RedactorNodeConfig extends NodeDef {
  properties?: unknown;
  entities?: string;
  operator?: string;
  labels?: string;
  maskKeepLast?: string | number;
  threshold?: string | number;
  region?: string;
  keepLastFour?: boolean;
  spoken?: boolean;
  numbersMinDigits?: string | number;
  customPatterns?: string;
  allowList?: string;
  denyList?: string;
  rawEvent?: string;
  idleTimeoutS?: string | number;
  carryS?: string | number;
}

interface RedactorCredentials {
  hashKey?: string;
  [key: string]: string | undefined;
}

const STATUS_INTERVAL_MS = 1000;

function propertyList(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' && v.trim() ? v.split(',') : ['payload'];
  const out = list.map((p) => String(p).trim().replace(/^msg\./, '')).filter((p) => p.length > 0);
  if (out.length === 0) return ['payload'];
  for (const p of out) {
    if (p === 'redaction' || p === 'topic' || p === '_msgid') throw new InputError(`msg.${p} cannot be redacted`, 'INVALID_OPTIONS', 'properties');
  }
  return out;
}

export default function register(RED: NodeAPI): void {
  function GenesysRedactorNode(this: NodeInstance<object, RedactorCredentials>, config: RedactorNodeConfig): void {
    RED.nodes.createNode(this, config);
    let redactor: Redactor;
    let properties: string[];
    const rawEvent = config.rawEvent === 'redact' ? 'redact' : 'remove';
    try {
      properties = propertyList(config.properties);
      redactor = new Redactor(redactorOptionsFromDialog(config, this.credentials?.hashKey));
    } catch (err) {
      // Never echo dialog values here: the deny list and patterns may hold personal data.
      refuseInputs(this, err);
      return;
    }

    let redactedSpans = 0;
    const statusRedraw = new Throttled((): void => {
      this.status({ fill: redactor.conversations > 0 ? 'green' : 'grey', shape: 'dot', text: `${redactor.conversations} conv · ${redactedSpans} redacted` });
    }, STATUS_INTERVAL_MS);
    statusRedraw.run();

    this.on('input', (msg: NodeMessage, send, done) => {
      try {
        const ended = conversationEnded(msg.payload, msg.topic);
        if (ended !== undefined) {
          redactor.endConversation(ended);
          msg.topic = ended;
          send(msg);
          done();
          statusRedraw.request();
          return;
        }
        const topic = typeof msg.topic === 'string' && msg.topic ? msg.topic : undefined;
        // Redact every property first; the message is only changed and sent when all succeeded.
        const results = properties.map((p) => ({ p, r: redactMessageValue(redactor, RED.util.getMessageProperty(msg, p), p, { conversationId: topic }) }));
        const entities: RedactionEntity[] = [];
        const raw: string[] = [];
        let conversationId = topic;
        for (const { p, r } of results) {
          RED.util.setMessageProperty(msg, p, r.value, true);
          entities.push(...r.entities);
          raw.push(...r.raw);
          conversationId ??= r.conversationId;
        }
        if (msg.genesys !== undefined) {
          if (rawEvent === 'remove') delete msg.genesys;
          else msg.genesys = redactor.scrubValue(msg.genesys, raw);
        }
        msg.redaction = { entities, policy: redactor.policy };
        if (conversationId !== undefined) msg.topic = conversationId;
        redactedSpans += entities.length;
        send(msg);
        done();
      } catch (err) {
        // Catch nodes get the message too: strip what could not be redacted so it never travels on.
        for (const p of properties) RED.util.setMessageProperty(msg, p, undefined, false);
        delete msg.genesys;
        done(toError(err));
      }
      statusRedraw.request();
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      redactor.close();
      statusRedraw.cancel();
      this.status({});
      done();
    });
  }

  RED.nodes.registerType('genesys-redactor', GenesysRedactorNode, { credentials: { hashKey: { type: 'password' } } });
}
