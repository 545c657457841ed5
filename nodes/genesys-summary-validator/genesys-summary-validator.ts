/**
 * genesys-summary-validator: a thin wrapper around lib/summary. Source segments (Utterances, the
 * aligner's or redactor's output) update a per-conversation context and produce no output; end
 * events free it; a summary (Copilot event, LLM object or string) is validated against msg.transcript
 * or that context and leaves on output 1 (valid) or 2 (rejected) with msg.validation.
 */
import { DEFAULT_COPILOT_SCHEMA, DEFAULT_LLM_SCHEMA, SummaryValidationEngine, summaryOptionsFromDialog, type SummaryDialogConfig } from '../../lib/summary';
import { systemClock } from '../../lib/util/clock';
import { Throttled } from '../../lib/util/throttle';
import { toError } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';
import { refuseInputs } from '../shared/invalid-config';

interface SummaryNodeConfig extends NodeDef, SummaryDialogConfig {
  summaryProperty?: string;
  transcriptProperty?: string;
}

const STATUS_INTERVAL_MS = 1000;

function propertyName(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.trim() ? v.trim().replace(/^msg\./, '') : fallback;
}

export default function register(RED: NodeAPI): void {
  function GenesysSummaryValidatorNode(this: NodeInstance, config: SummaryNodeConfig): void {
    RED.nodes.createNode(this, config);
    const summaryProperty = propertyName(config.summaryProperty, 'payload');
    const transcriptProperty = propertyName(config.transcriptProperty, 'transcript');
    let engine: SummaryValidationEngine;
    try {
      engine = new SummaryValidationEngine(summaryOptionsFromDialog(config), systemClock, (id, reason) => {
        this.warn(`dropped the source of conversation ${id} (${reason === 'idle' ? 'idle timeout' : 'too many open conversations'})`);
      });
    } catch (err) {
      refuseInputs(this, err);
      return;
    }

    let valid = 0;
    let rejected = 0;
    const statusRedraw = new Throttled((): void => {
      this.status({ fill: rejected > 0 ? 'yellow' : engine.conversations > 0 ? 'green' : 'grey', shape: 'dot', text: `${engine.conversations} conv · ${valid} valid · ${rejected} rejected` });
    }, STATUS_INTERVAL_MS);
    statusRedraw.run();

    this.on('input', (msg: NodeMessage, send, done) => {
      try {
        const result = engine.handle(
          msg,
          RED.util.getMessageProperty(msg, summaryProperty),
          transcriptProperty === summaryProperty ? undefined : RED.util.getMessageProperty(msg, transcriptProperty),
        );
        if (result.kind === 'validated') {
          if (result.conversationId !== undefined) msg.topic = result.conversationId;
          msg.validation = result.validation;
          if (result.validation.valid) valid++;
          else rejected++;
          send(result.validation.valid ? [msg, null] : [null, msg]);
        }
        done();
      } catch (err) {
        done(toError(err));
      }
      statusRedraw.request();
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      engine.close();
      statusRedraw.cancel();
      this.status({});
      done();
    });
  }

  RED.nodes.registerType('genesys-summary-validator', GenesysSummaryValidatorNode);

  // The dialog's "insert default schema" buttons read the built-in schemas from here (one copy).
  RED.httpAdmin.get('/genesys-summary-validator/default-schemas', RED.auth.needsPermission('genesys-summary-validator.read'), (_req: unknown, res: { json(body: unknown): void }) => {
    res.json({ copilot: DEFAULT_COPILOT_SCHEMA, llm: DEFAULT_LLM_SCHEMA });
  });
}
