/**
 * genesys-aligner: a thin wrapper around lib/align. Input: Utterances (transcript-in or hand-made)
 * and end-of-conversation events. Outputs: 1 segments / batches / transcripts, 2 alerts, 3 partials.
 */
import { Aligner, alignerOptionsFromDialog, type AlignerOutput } from '../../lib/align';
import { Throttled } from '../../lib/util/throttle';
import { toError } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage, SendFn } from '../shared/red';
import { refuseInputs } from '../shared/invalid-config';

interface AlignerNodeConfig extends NodeDef {
  property?: string;
  holdBackMs?: string | number;
  emit?: string;
  batchSize?: string | number;
  batchIntervalMs?: string | number;
  emitPartials?: boolean;
  latencyThresholdMs?: string | number;
  driftThresholdMs?: string | number;
  gapThresholdMs?: string | number;
  idleTimeoutS?: string | number;
  maxConversations?: string | number;
  maxSegmentsPerConversation?: string | number;
}

/** Status is redrawn at most this often (it is per message otherwise). */
const STATUS_INTERVAL_MS = 1000;

export default function register(RED: NodeAPI): void {
  function GenesysAlignerNode(this: NodeInstance, config: AlignerNodeConfig): void {
    RED.nodes.createNode(this, config);
    const property = config.property || 'payload';
    // The send of the input being handled: outputs it causes synchronously go through it;
    // outputs caused by timers (hold-back, batch interval, idle) use node.send.
    let inputSend: SendFn | undefined;

    const route = (out: AlignerOutput<NodeMessage>): void => {
      const send = inputSend ?? ((m) => this.send(m));
      // Upstream msg.parts (transcript-in splitting one event) no longer describes a sequence once
      // the timeline reorders, holds back and routes messages to other outputs: a Join would wait.
      if (out.kind === 'segment' || out.kind === 'partial' || out.kind === 'transcript') delete out.ctx?.parts;
      switch (out.kind) {
        case 'segment': {
          const msg = out.ctx ?? {};
          msg.topic = out.conversationId;
          msg.payload = out.segment;
          send([msg, null, null]);
          break;
        }
        case 'batch':
          send([{ topic: out.conversationId, payload: out.batch.segments, batch: { reason: out.batch.reason, count: out.batch.segments.length } }, null, null]);
          break;
        case 'partial': {
          const msg = out.ctx ?? {};
          msg.topic = out.conversationId;
          msg.payload = out.utterance;
          send([null, null, msg]);
          break;
        }
        case 'alert':
          send([null, { topic: out.conversationId, payload: out.alert }, null]);
          break;
        case 'transcript': {
          const msg = out.ctx ?? {};
          msg.topic = out.conversationId;
          msg.payload = out.transcript;
          send([msg, null, null]);
          statusRedraw.request();
          break;
        }
      }
    };

    let aligner: Aligner<NodeMessage>;
    try {
      aligner = new Aligner<NodeMessage>(alignerOptionsFromDialog(config), route);
    } catch (err) {
      refuseInputs(this, err);
      return;
    }

    const statusRedraw = new Throttled(() => {
      const { openConversations, emitted } = aligner.stats;
      this.status({ fill: openConversations > 0 ? 'green' : 'grey', shape: 'dot', text: `${openConversations} conv · ${emitted} seg` });
    }, STATUS_INTERVAL_MS);
    statusRedraw.run();

    this.on('input', (msg, send, done) => {
      inputSend = send;
      try {
        const topic = typeof msg.topic === 'string' ? msg.topic : undefined;
        aligner.ingest(RED.util.getMessageProperty(msg, property), msg, topic);
        done();
      } catch (err) {
        done(toError(err));
      } finally {
        inputSend = undefined;
        statusRedraw.request();
      }
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      // Held-back segments and pending batches go out now; every timer is cleared.
      aligner.close();
      statusRedraw.cancel();
      this.status({});
      done();
    });
  }

  RED.nodes.registerType('genesys-aligner', GenesysAlignerNode);
}
