import { strict as assert } from 'node:assert';
import { auditSettingsFromDialog, conversationOf, defaultInstance, parsePropertyList, storageDecision } from '../../../lib/audit/dialog';
import { InputError } from '../../../lib/util/errors';

const ctx = { baseDir: '/srv/node-red', env: {}, hostname: 'host-a' };

describe('audit-out dialog settings', () => {
  it('defaults: 64 MB and daily rotation, 20 ms sync, 10,000 queue cap, payload, digest policy', () => {
    const s = auditSettingsFromDialog({ directory: 'audit' }, ctx);
    assert.deepEqual(s, {
      writer: { dir: '/srv/node-red/audit', instance: 'host-a', rotateBytes: 64 * 1024 * 1024, rotateDaily: true, syncIntervalMs: 20, maxQueue: 10_000 },
      store: 'payload',
      properties: [],
      digestOnly: false,
      unredacted: 'digest',
    });
  });

  it('reads every field, strings from the editor included', () => {
    const s = auditSettingsFromDialog(
      { directory: '/var/audit', instance: 'eu-1', rotateMb: '0.5', rotateDaily: false, store: 'properties', properties: 'msg.payload.text, redaction,redaction', digestOnly: 'true', syncMs: '5', maxQueue: '100', unredacted: 'reject' },
      ctx,
    );
    assert.equal(s.writer.dir, '/var/audit');
    assert.equal(s.writer.instance, 'eu-1');
    assert.equal(s.writer.rotateBytes, 512 * 1024);
    assert.equal(s.writer.rotateDaily, false);
    assert.deepEqual(s.properties, ['payload.text', 'redaction']);
    assert.equal(s.digestOnly, true);
    assert.equal(s.writer.syncIntervalMs, 5);
    assert.equal(s.writer.maxQueue, 100);
    assert.equal(s.unredacted, 'reject');
  });

  it('refuses bad values with a clear InputError', () => {
    const bad = (c: Record<string, unknown>, re: RegExp) =>
      assert.throws(() => auditSettingsFromDialog({ directory: 'a', ...c }, ctx), (e: unknown) => e instanceof InputError && re.test(e.message));
    bad({ directory: ' ' }, /choose a directory/);
    bad({ instance: 'a b' }, /instance id/);
    bad({ rotateMb: -1 }, /rotation size/);
    bad({ syncMs: 'soon' }, /sync interval/);
    bad({ maxQueue: 0 }, /queue cap/);
    bad({ store: 'properties', properties: '' }, /at least one message property/);
    assert.throws(() => parsePropertyList('payload; rm -rf'), /not a message property path/);
  });

  it('instance: GENESYS_AUDIT_INSTANCE, else the host name made safe for file names', () => {
    assert.equal(defaultInstance({ GENESYS_AUDIT_INSTANCE: 'node-7' }, 'h'), 'node-7');
    assert.equal(defaultInstance({}, 'my host:1'), 'my-host-1');
  });

  it('unredacted policy: digest with a warning, or refusal; redacted or digest-only content passes', () => {
    const redaction = { entities: [], policy: {} };
    assert.deepEqual(storageDecision({ digestOnly: false, unredacted: 'digest' }, redaction), { digestOnly: false, downgraded: false });
    assert.deepEqual(storageDecision({ digestOnly: false, unredacted: 'digest' }, undefined), { digestOnly: true, downgraded: true });
    assert.deepEqual(storageDecision({ digestOnly: true, unredacted: 'reject' }, undefined), { digestOnly: true, downgraded: false });
    assert.throws(() => storageDecision({ digestOnly: false, unredacted: 'reject' }, { entities: 'no' }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_UNREDACTED');
  });

  it('conversation id: msg.topic, else payload.conversationId, else null', () => {
    assert.equal(conversationOf('c1', { conversationId: 'c2' }), 'c1');
    assert.equal(conversationOf(undefined, { conversationId: 'c2' }), 'c2');
    assert.equal(conversationOf('', 'text'), null);
  });
});
