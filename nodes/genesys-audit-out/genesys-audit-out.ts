/**
 * genesys-audit-out: a thin wrapper around lib/audit's writer. Each input message becomes one
 * hash-chained record; the message goes on with msg.audit = {seq, hash, file} only once that
 * record is on disk (written and fsync'ed), and done() follows. Close flushes everything queued.
 */
import { AuditWriter, type AuditAck, type AuditDiskError, type AuditStartError } from '../../lib/audit';
import { auditSettingsFromDialog, conversationOf, storageDecision, type AuditNodeSettings } from '../../lib/audit/dialog';
import { systemClock } from '../../lib/util/clock';
import { Throttled } from '../../lib/util/throttle';
import { InputError, errorMessage, toError } from '../../lib/util/errors';
import type { NodeAPI, NodeDef, NodeInstance, NodeMessage } from '../shared/red';
import { refuseInputs } from '../shared/invalid-config';

interface AuditOutConfig extends NodeDef {
  directory?: string;
  instance?: string;
  rotateMb?: string | number;
  rotateDaily?: boolean;
  store?: string;
  properties?: string;
  digestOnly?: boolean;
  kind?: string;
  kindType?: string;
  syncMs?: string | number;
  maxQueue?: string | number;
  unredacted?: string;
}

interface AuditOutCredentials {
  hmacKey?: string;
  [key: string]: string | undefined;
}

const STATUS_INTERVAL_MS = 500;
const WARN_INTERVAL_MS = 60_000;
const CLOSE_TIMEOUT_MS = 10_000;

export default function register(RED: NodeAPI): void {
  function GenesysAuditOutNode(this: NodeInstance<object, AuditOutCredentials>, config: AuditOutConfig): void {
    RED.nodes.createNode(this, config);
    let settings: AuditNodeSettings;
    let writer: AuditWriter;
    try {
      settings = auditSettingsFromDialog(config, {
        baseDir: typeof RED.settings.userDir === 'string' ? RED.settings.userDir : process.cwd(),
        env: process.env,
      });
      writer = new AuditWriter({
        ...settings.writer,
        key: this.credentials?.hmacKey || undefined,
        node: { id: this.id, type: this.type, name: this.name ?? '' },
      });
    } catch (err) {
      refuseInputs(this, err, 'AUDIT_BAD_CONFIG');
      return;
    }
    const kindType = config.kindType || 'str';
    const kindValue = config.kind ?? 'message';

    // ---- status, throttled: at most one update per STATUS_INTERVAL_MS ----
    let fatal: string | undefined;
    let diskCode: string | undefined;
    const statusRedraw = new Throttled((): void => {
      const s = writer.stats;
      if (fatal) this.status({ fill: 'red', shape: 'ring', text: `unavailable: ${fatal}` });
      else if (diskCode) this.status({ fill: 'red', shape: 'ring', text: `disk error ${diskCode}, ${s.queued} queued` });
      else if (s.queued >= (settings.writer.maxQueue ?? 10_000) * 0.8) this.status({ fill: 'yellow', shape: 'dot', text: `${s.written} written, queue ${s.queued} (near cap)` });
      else this.status({ fill: 'green', shape: 'dot', text: `${s.written} written, queue ${s.queued}` });
    }, STATUS_INTERVAL_MS);
    this.status({ fill: 'grey', shape: 'ring', text: 'starting' });

    writer.on('written', () => statusRedraw.request());
    writer.on('diskError', (err: AuditDiskError) => {
      // Once per failing streak as an error, then the status keeps showing it.
      if (diskCode === undefined) this.error(err.message);
      diskCode = err.code;
      statusRedraw.run();
    });
    writer.on('recovered', () => {
      this.log(`audit writes recovered in ${settings.writer.dir}`);
      diskCode = undefined;
      statusRedraw.run();
    });
    writer.on('repaired', (info: { file: string; removedBytes: number }) => {
      this.warn(`repaired ${info.file}: removed an incomplete last line (${info.removedBytes} bytes) left by a crash; the repair is recorded in the trail`);
    });
    writer.on('fatal', (err: AuditStartError) => {
      fatal = err.code;
      this.error(err.message);
      statusRedraw.run();
    });
    writer.start().then(() => statusRedraw.run(), () => undefined /* reported by 'fatal' */);

    let unredactedCount = 0;
    let lastUnredactedWarn = -Infinity;
    const warnUnredacted = (): void => {
      unredactedCount++;
      const now = systemClock.now();
      if (now - lastUnredactedWarn >= WARN_INTERVAL_MS) {
        lastUnredactedWarn = now;
        this.warn(`stored only the digest of ${unredactedCount} message(s) without msg.redaction (policy: digest only for unredacted content)`);
        unredactedCount = 0;
      }
    };

    this.on('input', (msg: NodeMessage, send, done) => {
      const fail = (err: unknown): void => {
        done(toError(err));
        statusRedraw.request();
      };
      // The callback form also serves flow/global context; for the other types it runs at once,
      // so the record is queued before a close that follows this message can stop the writer.
      RED.util.evaluateNodeProperty(kindValue, kindType, this, msg, (evalErr, kind) => {
        if (evalErr) return fail(evalErr);
        let durable: Promise<AuditAck>;
        try {
          if (typeof kind !== 'string' || kind.trim() === '') {
            throw new InputError(`the record kind must be a non-empty string (got ${kind === undefined ? 'nothing' : typeof kind})`, 'AUDIT_BAD_KIND', 'kind');
          }
          const decision = storageDecision(settings, msg.redaction);
          if (decision.downgraded) warnUnredacted();
          const data =
            settings.store === 'payload'
              ? msg.payload
              : Object.fromEntries(settings.properties.map((p) => [p, RED.util.getMessageProperty(msg, p)]));
          durable = writer.append({ kind, conversationId: conversationOf(msg.topic, msg.payload), data, digestOnly: decision.digestOnly });
        } catch (err) {
          return fail(err);
        }
        durable.then((ack) => {
          msg.audit = ack;
          send(msg);
          done();
          statusRedraw.request();
        }, fail);
      });
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      writer
        .close(CLOSE_TIMEOUT_MS)
        .catch((err: unknown) => this.error(`audit close: ${errorMessage(err)}`))
        .finally(() => {
          writer.removeAllListeners();
          statusRedraw.cancel();
          this.status({});
          done();
        });
    });
  }

  RED.nodes.registerType('genesys-audit-out', GenesysAuditOutNode, { credentials: { hmacKey: { type: 'password' } } });
}
