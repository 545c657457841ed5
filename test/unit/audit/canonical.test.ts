import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonicalJson } from '../../../lib/audit/canonical';
import { CanonicalHeadBuilder, canonicalHead, sealParts, sealRecord, parseRecordLine, checkRecordHash, parseTrailFileName, trailFileName, type UnsignedRecord } from '../../../lib/audit/record';
import { InputError } from '../../../lib/util/errors';

describe('audit canonical form', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x y' } }), '{"a":{"c":"x y","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('sorts by UTF-16 code units (RFC 8785), not by locale', () => {
    assert.equal(canonicalJson({ é: 1, z: 2, Z: 3, '\u{1F600}': 4, '\uFB01': 5 }), '{"Z":3,"z":2,"é":1,"\u{1F600}":4,"\uFB01":5}');
  });

  it('follows JSON semantics for values JSON cannot hold', () => {
    assert.equal(canonicalJson({ u: undefined, f: () => 1, n: NaN, i: -Infinity, z: -0, a: [undefined, 1] }), '{"a":[null,1],"i":null,"n":null,"z":0}');
    assert.equal(canonicalJson(new Date(Date.UTC(2026, 0, 2))), '"2026-01-02T00:00:00.000Z"');
    assert.equal(canonicalJson(Buffer.from('hi')), '{"data":[104,105],"type":"Buffer"}');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson('line\nbreak "q" \u2028'), JSON.stringify('line\nbreak "q" \u2028'));
  });

  it('refuses BigInt and cycles with an InputError', () => {
    assert.throws(() => canonicalJson({ n: 10n }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_UNSERIALISABLE');
    const a: unknown[] = [];
    a.push({ a });
    assert.throws(() => canonicalJson(a), /circular/);
    const shared = { x: 1 };
    assert.equal(canonicalJson({ p: shared, q: shared }), '{"p":{"x":1},"q":{"x":1}}', 'a shared (non-cyclic) object is fine');
  });

  it('refuses data nested too deep for the stack with an InputError, not a RangeError', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(20000)}${']'.repeat(20000)}`);
    assert.throws(() => canonicalJson({ data: deep }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_UNSERIALISABLE' && /nested too deep/.test(e.message));
  });

  it('is stable under parse and re-serialise (what the verifier relies on)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalJson(v);
        assert.equal(canonicalJson(JSON.parse(c)), c);
      }),
      { numRuns: 300 },
    );
  });

  it("the writer's fast path builds exactly the generic canonical record", () => {
    const recordArb = fc.record({
      seq: fc.integer({ min: 1, max: 1e12 }),
      ts: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      instance: fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/),
      node: fc.record({ id: fc.string(), type: fc.string(), name: fc.string({ unit: 'binary' }) }),
      conversationId: fc.option(fc.string(), { nil: null }),
      kind: fc.string({ minLength: 1 }),
      data: fc.option(fc.jsonValue(), { nil: undefined }),
      digest: fc.boolean(),
      prevHash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      keyed: fc.boolean(),
    });
    fc.assert(
      fc.property(recordArb, (r) => {
        const key = r.keyed ? Buffer.from('test-secret-not-real') : undefined;
        const alg = r.keyed ? 'hmac-sha256' : 'sha256';
        const dataCanonical = r.data === undefined ? undefined : canonicalJson(r.data);
        const rec: UnsignedRecord = { v: 1, seq: r.seq, ts: r.ts, instance: r.instance, node: r.node, conversationId: r.conversationId, kind: r.kind, alg, prevHash: r.prevHash };
        let dataMember = '';
        if (r.digest) {
          rec.dataSha256 = 'a'.repeat(64);
          dataMember = `"dataSha256":"${'a'.repeat(64)}"`;
        } else if (dataCanonical !== undefined) {
          rec.data = r.data;
          dataMember = `"data":${dataCanonical}`;
        }
        const fast = sealParts({ alg, seq: r.seq, ts: r.ts, instance: r.instance, node: r.node, conversationId: r.conversationId, kind: r.kind, dataMember, prevHash: r.prevHash }, key);
        const slow = sealRecord(rec, key);
        assert.deepEqual(fast, slow);
        const parsed = parseRecordLine(fast.line.slice(0, -1));
        assert.deepEqual(checkRecordHash(parsed, fast.line.slice(0, -1), key), { hashOk: true, canonical: true });
      }),
      { numRuns: 120 },
    );
  });

  it("the writer's head builder (cached quoting) builds exactly canonicalHead, also when the node reference is changed in place", () => {
    const partsArb = fc.record({
      nodeIndex: fc.integer({ min: 0, max: 2 }),
      rename: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
      conversationId: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
      kind: fc.constantFrom('utterance', 'summary', 'k\u2028"\\', 'é'),
      dataMember: fc.constantFrom('', '"data":{"a":1}', `"dataSha256":"${'b'.repeat(64)}"`),
    });
    fc.assert(
      fc.property(fc.constantFrom<'sha256' | 'hmac-sha256'>('sha256', 'hmac-sha256'), fc.array(partsArb, { minLength: 1, maxLength: 20 }), (alg, list) => {
        const nodes = [
          { id: 'n1', type: 'genesys-audit-out', name: 'audit' },
          { id: 'n2', type: 't', name: '"quoted"' },
          { id: 'n1', type: 'genesys-audit-out', name: 'audit' },
        ];
        const builder = new CanonicalHeadBuilder(alg, 'inst-1');
        for (const p of list) {
          const node = nodes[p.nodeIndex]!;
          if (p.rename !== undefined) node.name = p.rename; // in place, same object
          const expected = canonicalHead({ alg, instance: 'inst-1', node, conversationId: p.conversationId, kind: p.kind, dataMember: p.dataMember });
          assert.equal(builder.build(node, p.conversationId, p.kind, p.dataMember), expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads a record\'s time only as the writer writes it', () => {
    const rec: UnsignedRecord = { v: 1, seq: 1, ts: '2026-11-22T09:15:00.123Z', instance: 'i', node: { id: 'n', type: 't', name: '' }, conversationId: null, kind: 'k', alg: 'sha256', prevHash: '0'.repeat(64) };
    const line = (ts: string) => sealRecord({ ...rec, ts }, undefined).line.slice(0, -1);
    assert.equal(parseRecordLine(line(rec.ts)).ts, rec.ts);
    for (const ts of ['2026-11-22', '2026-11-22T09:15:00Z', '2026-02-30T09:15:00.000Z', '2026-06-30T23:59:60.000Z', 'yesterday']) {
      assert.throws(() => parseRecordLine(line(ts)), /the record has an invalid ts/, ts);
    }
  });

  it('names files by instance, index and UTC day, and parses them back', () => {
    const name = trailFileName('eu-1.node-a', 12, '2026-05-10');
    assert.equal(name, 'audit-eu-1.node-a-000012-20260510.jsonl');
    assert.deepEqual(parseTrailFileName(name), { name, instance: 'eu-1.node-a', index: 12, day: '2026-05-10' });
    assert.equal(parseTrailFileName('audit-x.lock'), undefined);
    assert.equal(parseTrailFileName('audit-x-000001-2026.jsonl'), undefined);
  });
});
