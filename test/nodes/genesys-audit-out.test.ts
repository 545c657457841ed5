import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import auditNode from '../../nodes/genesys-audit-out/genesys-audit-out';
import { canonicalJson, sha256Hex } from '../../lib/audit/canonical';
import type { AuditRecord } from '../../lib/audit/record';
import { verifyTrail } from '../../lib/audit/verify';
import { helper } from '../support/node-red';
import { MessageSink } from '../support/sink';
import { removeDir, tempDir } from '../unit/audit/helpers';

interface Msg {
  topic?: string;
  payload?: unknown;
  audit?: { seq: number; hash: string; file: string };
  error?: { message: string; source?: { id: string } };
  status?: { fill?: string; text?: string };
  [k: string]: unknown;
}

class Sink extends MessageSink<Msg> {}

const REDACTION = { entities: [{ type: 'CARD', start: 11, end: 30, replacement: '[CARD]', score: 1, form: 'spoken' }], policy: { operator: 'tag' } };

function records(dir: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) out.push(JSON.parse(line) as AuditRecord);
  }
  return out;
}

describe('genesys-audit-out node', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = tempDir('audit-node-');
    dir = join(root, 'trail');
  });
  afterEach(async () => {
    await helper.unload();
    removeDir(root);
  });

  async function load(config: Record<string, unknown> = {}, creds: Record<string, unknown> = {}, extraNodes: Record<string, unknown>[] = []) {
    const flow = [
      { id: 'tab', type: 'tab', label: 'test' },
      { id: 'audit', z: 'tab', type: 'genesys-audit-out', name: 'audit trail', directory: dir, instance: 'node-test', ...config, wires: [['out']] },
      { id: 'out', z: 'tab', type: 'helper' },
      { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', z: 'tab', type: 'helper' },
      { id: 'completer', z: 'tab', type: 'complete', scope: ['audit'], uncaught: false, wires: [['completed']] },
      { id: 'completed', z: 'tab', type: 'helper' },
      ...extraNodes,
    ];
    await helper.load(auditNode, flow, { audit: creds });
    return {
      audit: helper.getNode('audit') as { receive(msg: Msg): void },
      out: new Sink(helper.getNode('out')),
      caught: new Sink(helper.getNode('caught')),
      completed: new Sink(helper.getNode('completed')),
    };
  }

  it('sends msg.audit only once the record is on disk, then completes', async () => {
    const n = await load();
    const payload = { conversationId: 'conv-9', text: 'my card is [CARD]' };
    let seenOnDisk: AuditRecord | undefined;
    helper.getNode('out').on('input', (msg: Msg) => {
      // at the moment the message arrives, its record is already in the file
      seenOnDisk = records(dir).find((r) => r.hash === msg.audit?.hash);
    });
    n.audit.receive({ topic: 'conv-9', payload, redaction: REDACTION, keep: 'me' });
    const [msg] = await n.out.until(1);
    assert.equal(msg!.audit!.seq, 1);
    assert.match(msg!.audit!.hash, /^[0-9a-f]{64}$/);
    assert.equal(msg!.audit!.file, join(dir, 'audit-node-test-000001-' + new Date().toISOString().slice(0, 10).replace(/-/g, '') + '.jsonl'));
    assert.equal(msg!.keep, 'me', 'the incoming message is reused');
    assert.ok(seenOnDisk, 'record on disk before the message was sent');
    assert.deepEqual(seenOnDisk!.data, payload);
    assert.equal(seenOnDisk!.conversationId, 'conv-9');
    assert.equal(seenOnDisk!.kind, 'message');
    assert.deepEqual(seenOnDisk!.node, { id: 'audit', type: 'genesys-audit-out', name: 'audit trail' });
    assert.equal(seenOnDisk!.instance, 'node-test');
    await n.completed.until(1);
  });

  it('reads the record kind from a message property (typedInput) and keeps the chain over many messages', async () => {
    const n = await load({ kind: 'auditKind', kindType: 'msg' });
    for (let i = 0; i < 50; i++) n.audit.receive({ topic: 'c1', payload: { i }, redaction: REDACTION, auditKind: i % 2 ? 'summary' : 'utterance' });
    const msgs = await n.out.until(50);
    assert.deepEqual(
      msgs.map((m) => m.audit!.seq).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const recs = records(dir);
    assert.equal(recs.filter((r) => r.kind === 'summary').length, 25);
    assert.equal((await verifyTrail(dir)).ok, true);
    // a missing kind is an input error
    n.audit.receive({ payload: 1, redaction: REDACTION });
    const [err] = await n.caught.until(1);
    assert.match(err!.error!.message, /record kind must be a non-empty string/);
  });

  it('unredacted content with policy "digest": stores only the digest, warns, still sends', async () => {
    const n = await load({ unredacted: 'digest' });
    const payload = { text: 'card 4111 1111 1111 1111' };
    n.audit.receive({ topic: 'c2', payload });
    const [msg] = await n.out.until(1);
    assert.equal(msg!.audit!.seq, 1);
    const [rec] = records(dir);
    assert.equal(rec!.data, undefined);
    assert.equal(rec!.dataSha256, sha256Hex(canonicalJson(payload)));
    // (The whole number: hashes, times and ids in the file may hold any four digits by chance.)
    assert.equal(readFileSync(msg!.audit!.file, 'utf8').includes('4111 1111 1111 1111'), false);
    const warnings = helper.log().args.filter((a: unknown[]) => (a[0] as { level?: number; msg?: string }).level === 30 && /without msg.redaction/.test(String((a[0] as { msg?: string }).msg)));
    assert.equal(warnings.length, 1);
  });

  it('unredacted content with policy "reject": done(err) for Catch, nothing written or sent', async () => {
    const n = await load({ unredacted: 'reject' });
    n.audit.receive({ topic: 'c3', payload: { text: 'card 4111 1111 1111 1111' } });
    const [caught] = await n.caught.until(1);
    assert.match(caught!.error!.message, /no msg.redaction/);
    assert.equal(caught!.error!.source!.id, 'audit');
    // a redacted message right after is fine, and is record 1: nothing was written for the refused one
    n.audit.receive({ topic: 'c3', payload: { text: '[CARD]' }, redaction: REDACTION });
    const [msg] = await n.out.until(1);
    assert.equal(msg!.audit!.seq, 1);
    assert.equal(n.out.messages.length, 1);
    assert.equal(records(dir).length, 1);
  });

  it('stores chosen properties, or only their digest', async () => {
    const n = await load({ store: 'properties', properties: 'payload.text, msg.redaction, topic', digestOnly: false });
    n.audit.receive({ topic: 'c4', payload: { text: 'hello', secret: 'not stored' }, redaction: REDACTION });
    await n.out.until(1);
    const [rec] = records(dir);
    assert.deepEqual(rec!.data, { 'payload.text': 'hello', redaction: REDACTION, topic: 'c4' });
    await helper.unload();
    removeDir(dir);
    const d = await load({ store: 'properties', properties: 'payload.text', digestOnly: true });
    d.audit.receive({ topic: 'c4', payload: { text: 'hello' } });
    await d.out.until(1);
    const [digest] = records(dir);
    assert.equal(digest!.dataSha256, sha256Hex(canonicalJson({ 'payload.text': 'hello' })));
  });

  it('close flushes and fsyncs everything queued before done, and releases the lock', async () => {
    const n = await load({ syncMs: 5000 });
    for (let i = 0; i < 5; i++) n.audit.receive({ topic: 'c5', payload: { i }, redaction: REDACTION });
    assert.equal(records(dir).length, 0, 'still waiting for the group-commit timer');
    await helper.unload();
    const recs = records(dir);
    assert.equal(recs.length, 5);
    assert.equal(existsSync(join(dir, 'audit-node-test.lock')), false, 'lock released');
    assert.equal((await verifyTrail(dir)).records, 5);
  });

  it('back-pressure: beyond the queue cap a message is refused for Catch; the queued ones are written', async () => {
    const n = await load({ syncMs: 5000, maxQueue: 2 });
    for (let i = 0; i < 5; i++) n.audit.receive({ topic: 'c6', payload: { i }, redaction: REDACTION });
    const errs = await n.caught.until(3);
    for (const e of errs) assert.match(e.error!.message, /audit queue full \(2 records waiting/);
    await helper.unload();
    assert.deepEqual(
      records(dir).map((r) => (r.data as { i: number }).i),
      [0, 1],
    );
  });

  it('keyed chain from the HMAC key credential', async () => {
    const key = 'test-secret-not-real';
    const n = await load({}, { hmacKey: key });
    n.audit.receive({ topic: 'c7', payload: 'x', redaction: REDACTION });
    await n.out.until(1);
    const [rec] = records(dir);
    assert.equal(rec!.alg, 'hmac-sha256');
    assert.equal((await verifyTrail(dir, { key })).ok, true);
    assert.equal(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!), 'utf8').includes(key), false);
  });

  it('a second node on the same directory and instance is refused: red status, inputs go to Catch', async () => {
    const statusNodes = [
      { id: 'audit2', z: 'tab', type: 'genesys-audit-out', name: 'dup', directory: dir, instance: 'node-test', wires: [['out']] },
      { id: 'st', z: 'tab', type: 'status', scope: ['audit2'], wires: [['statuses']] },
      { id: 'statuses', z: 'tab', type: 'helper' },
    ];
    const n = await load({}, {}, statusNodes);
    const statuses = new Sink(helper.getNode('statuses'));
    let red: Msg | undefined;
    while (!red) {
      const all = await statuses.until(statuses.messages.length + 1);
      red = all.find((m) => m.status?.fill === 'red');
    }
    assert.match(red.status!.text!, /unavailable: AUDIT_LOCKED/);
    // exactly one of the two holds the lock; the other refuses its input
    n.audit.receive({ topic: 'c8', payload: 1, redaction: REDACTION });
    (helper.getNode('audit2') as { receive(m: Msg): void }).receive({ topic: 'c8', payload: 2, redaction: REDACTION });
    const [caught] = await n.caught.until(1);
    assert.match(caught!.error!.message, /audit trail unavailable: .*already writes instance "node-test"/);
    await n.out.until(1);
  });

  it('a disk error shows in the status, holds the message back, and it goes on once the disk is back', async () => {
    const n = await load({}, {}, [
      { id: 'st', z: 'tab', type: 'status', scope: ['audit'], wires: [['statuses']] },
      { id: 'statuses', z: 'tab', type: 'helper' },
    ]);
    const statuses = new Sink(helper.getNode('statuses'));
    n.audit.receive({ topic: 'c9', payload: 1, redaction: REDACTION });
    await n.out.until(1);
    rmSync(dir, { recursive: true, force: true });
    n.audit.receive({ topic: 'c9', payload: 2, redaction: REDACTION });
    let red: Msg | undefined;
    while (!red) red = (await statuses.until(statuses.messages.length + 1)).find((m) => m.status?.fill === 'red');
    assert.match(red.status!.text!, /^disk error (AUDIT_FILE_REMOVED|ENOENT), 1 queued$/);
    assert.equal(n.out.messages.length, 1, 'not sent while its record is not on disk');
    mkdirSync(dir);
    const [, second] = await n.out.until(2);
    assert.equal(second!.audit!.seq, 2);
    assert.equal(records(dir).length, 1, 'written into a new file in the restored directory');
    let green: Msg | undefined;
    while (!green) green = (await statuses.until(statuses.messages.length + 1)).slice(-1).find((m) => m.status?.fill === 'green');
  });

  it('invalid configuration: error status and done(err) per message', async () => {
    const n = await load({ instance: 'bad/instance' });
    n.audit.receive({ payload: 1 });
    const [caught] = await n.caught.until(1);
    assert.match(caught!.error!.message, /invalid configuration: audit instance id/);
  });
});
