import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../../../lib/audit/canonical';
import { sealRecord, type AuditRecord } from '../../../lib/audit/record';
import { verifyTrail, AuditKeyRequiredError, type BreakKind } from '../../../lib/audit/verify';
import { AuditWriter } from '../../../lib/audit/writer';
import { ManualClock } from '../../support/manual-clock';
import { removeDir, tempDir, trailFiles } from './helpers';

/** A trail of 30 records over 3 files of 10 lines each. */
async function makeTrail(dir: string, opts: { key?: string; instance?: string; n?: number } = {}): Promise<string[]> {
  const clock = new ManualClock(Date.UTC(2026, 4, 10, 12));
  const w = new AuditWriter({ dir, instance: opts.instance ?? 'inst-a', key: opts.key, clock, maxBatch: 10, rotateBytes: 0 });
  await w.start();
  const n = opts.n ?? 30;
  for (let i = 0; i < n; i += 10) {
    const batch = Array.from({ length: Math.min(10, n - i) }, (_, j) => w.append({ kind: 'utterance', conversationId: 'c-1', data: { i: i + j, text: `line ${i + j}` } }));
    clock.advance(20);
    await Promise.all(batch);
    // force the next batch into a new file: the writer rotates on a day change
    clock.advance(24 * 3600 * 1000);
  }
  await w.close();
  return trailFiles(dir);
}

function lines(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
}

function writeLines(dir: string, file: string, ls: string[]): void {
  writeFileSync(join(dir, file), ls.map((l) => `${l}\n`).join(''));
}

describe('audit verifier', () => {
  let dir: string;
  let files: string[];
  beforeEach(async () => {
    dir = tempDir('audit-verify-');
    files = await makeTrail(dir);
    assert.equal(files.length, 3);
  });
  afterEach(() => removeDir(dir));

  async function expectBreak(kind: BreakKind, file: string, line: number, seq: number | null, detail?: RegExp): Promise<void> {
    const r = await verifyTrail(dir);
    assert.equal(r.ok, false, 'expected a broken trail');
    assert.deepEqual({ kind: r.break!.kind, file: r.break!.file, line: r.break!.line, seq: r.break!.seq }, { kind, file, line, seq }, r.break!.detail);
    if (detail) assert.match(r.break!.detail, detail);
  }

  it('reports OK with counts for an intact trail', async () => {
    const r = await verifyTrail(dir);
    assert.equal(r.ok, true);
    assert.equal(r.records, 30);
    assert.equal(r.files, 3);
    assert.equal(r.instances[0]!.lastSeq, 30);
    assert.equal(r.instances[0]!.firstSeq, 1);
  });

  it('edited: a changed value', async () => {
    const ls = lines(dir, files[1]!);
    ls[3] = ls[3]!.replace('"line 13"', '"line 99"');
    writeLines(dir, files[1]!, ls);
    await expectBreak('edited', files[1]!, 4, 14, /does not match its hash/);
  });

  it('edited: a record changed and re-hashed (the next record no longer links to it)', async () => {
    const ls = lines(dir, files[0]!);
    const rec = JSON.parse(ls[4]!) as AuditRecord;
    const { hash: _old, ...rest } = rec;
    rest.data = { i: 4, text: 'rewritten' };
    ls[4] = sealRecord(rest, undefined).line.trimEnd();
    writeLines(dir, files[0]!, ls);
    await expectBreak('edited', files[0]!, 5, 5, /was rewritten/);
  });

  it('edited: a line reformatted by hand (not canonical)', async () => {
    const ls = lines(dir, files[2]!);
    ls[0] = JSON.stringify(JSON.parse(ls[0]!), null, 0).replace('"kind":', '"kind": ');
    writeLines(dir, files[2]!, ls);
    await expectBreak('edited', files[2]!, 1, 21, /canonical/);
  });

  it('edited: a record whose data is nested too deep to serialise again', async () => {
    const ls = lines(dir, files[1]!);
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    ls[3] = ls[3]!.replace(/"data":\{[^}]*\}/, `"data":${deep}`);
    assert.ok(ls[3]!.includes(deep));
    writeLines(dir, files[1]!, ls);
    await expectBreak('edited', files[1]!, 4, 14, /not a valid audit record \(.*nested too deep/);
  });

  it('edited: a line that is not a record', async () => {
    const ls = lines(dir, files[1]!);
    ls[2] = 'hello';
    writeLines(dir, files[1]!, ls);
    await expectBreak('edited', files[1]!, 3, null, /not valid JSON/);
  });

  it('deleted: a record removed from the middle', async () => {
    const ls = lines(dir, files[1]!);
    ls.splice(5, 1);
    writeLines(dir, files[1]!, ls);
    await expectBreak('deleted', files[1]!, 6, 17, /seq 16 is missing/);
  });

  it('deleted: a whole file removed from the middle', async () => {
    rmSync(join(dir, files[1]!));
    await expectBreak('deleted', files[2]!, 1, 21, /1 file\(s\) before this one are missing/);
  });

  it('deleted: the first file removed (and --partial accepts an archived start)', async () => {
    rmSync(join(dir, files[0]!));
    await expectBreak('deleted', files[1]!, 1, 11, /starts at seq 11/);
    const partial = await verifyTrail(dir, { partial: true });
    assert.equal(partial.ok, true);
    assert.equal(partial.records, 20);
  });

  it('reordered: two records swapped', async () => {
    const ls = lines(dir, files[0]!);
    [ls[6], ls[7]] = [ls[7]!, ls[6]!];
    writeLines(dir, files[0]!, ls);
    await expectBreak('reordered', files[0]!, 7, 8, /seq 7 comes later/);
  });

  it('reordered: a record moved back', async () => {
    const ls = lines(dir, files[0]!);
    const [moved] = ls.splice(2, 1);
    ls.splice(8, 0, moved!);
    writeLines(dir, files[0]!, ls);
    await expectBreak('reordered', files[0]!, 3, 4);
  });

  it('truncated: the end of a file cut off (the next file starts after a gap)', async () => {
    const ls = lines(dir, files[0]!);
    writeLines(dir, files[0]!, ls.slice(0, 7));
    await expectBreak('truncated', files[1]!, 1, 11, /ends early: records seq 8\.\.10 are missing/);
  });

  it('truncated: an incomplete last line (a crash not yet repaired)', async () => {
    appendFileSync(join(dir, files[2]!), '{"alg":"sha256","conv');
    await expectBreak('truncated', files[2]!, 11, null, /incomplete line \(21 bytes\)/);
  });

  it('inserted: a copy of an earlier record', async () => {
    const ls = lines(dir, files[1]!);
    ls.splice(6, 0, ls[2]!);
    writeLines(dir, files[1]!, ls);
    await expectBreak('inserted', files[1]!, 7, 13, /copy of record seq 13/);
  });

  it('inserted: a forged record, well-formed and hashed, claiming the next seq', async () => {
    const ls = lines(dir, files[1]!);
    const predecessor = JSON.parse(ls[3]!) as AuditRecord;
    const forged = sealRecord(
      { v: 1, seq: 15, ts: predecessor.ts, instance: 'inst-a', node: predecessor.node, conversationId: 'c-1', kind: 'utterance', data: { text: 'never said' }, alg: 'sha256', prevHash: predecessor.hash },
      undefined,
    );
    ls.splice(4, 0, forged.line.trimEnd());
    writeLines(dir, files[1]!, ls);
    await expectBreak('inserted', files[1]!, 5, 15, /foreign/);
  });

  it('inserted: a record of another instance', async () => {
    const other = tempDir('audit-other-');
    try {
      const [otherFile] = await makeTrail(other, { instance: 'inst-b', n: 3 });
      const foreign = lines(other, otherFile!)[1]!;
      const ls = lines(dir, files[0]!);
      ls.splice(3, 0, foreign);
      writeLines(dir, files[0]!, ls);
      await expectBreak('inserted', files[0]!, 4, 2, /instance "inst-b"/);
    } finally {
      removeDir(other);
    }
  });

  it('truncated at the end: detectable only against a hash kept elsewhere (--expect-hash)', async () => {
    const ls = lines(dir, files[2]!);
    const anchor = (JSON.parse(ls[9]!) as AuditRecord).hash; // the last msg.audit.hash a flow sent on
    assert.equal((await verifyTrail(dir, { expectHash: anchor })).ok, true);
    writeLines(dir, files[2]!, ls.slice(0, 7));
    assert.equal((await verifyTrail(dir)).ok, true, 'without an anchor the cut trail looks complete');
    await expectBreakWith({ expectHash: anchor }, 'truncated', files[2]!, 8, 28, /no record has the expected hash/);
  });

  async function expectBreakWith(opts: { expectHash: string }, kind: BreakKind, file: string, line: number, seq: number, detail: RegExp): Promise<void> {
    const r = await verifyTrail(dir, opts);
    assert.equal(r.ok, false);
    assert.deepEqual({ kind: r.break!.kind, file: r.break!.file, line: r.break!.line, seq: r.break!.seq }, { kind, file, line, seq });
    assert.match(r.break!.detail, detail);
  }

  it('checks each instance of a shared directory separately', async () => {
    await makeTrail(dir, { instance: 'inst-b', n: 5 });
    const r = await verifyTrail(dir);
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.instances.map((i) => [i.instance, i.records]),
      [
        ['inst-a', 30],
        ['inst-b', 5],
      ],
    );
    assert.equal((await verifyTrail(dir, { instance: 'inst-b' })).records, 5);
  });
});

describe('audit verifier, keyed chain', () => {
  let dir: string;
  let files: string[];
  const key = 'test-secret-not-real';
  beforeEach(async () => {
    dir = tempDir('audit-verify-key-');
    files = await makeTrail(dir, { key });
  });
  afterEach(() => removeDir(dir));

  it('verifies with the key, refuses to guess without it, fails with a wrong key', async () => {
    assert.equal((await verifyTrail(dir, { key })).ok, true);
    await assert.rejects(verifyTrail(dir), (e: unknown) => e instanceof AuditKeyRequiredError);
    const wrong = await verifyTrail(dir, { key: 'another-test-key' });
    assert.equal(wrong.ok, false);
    assert.equal(wrong.break!.kind, 'edited');
    assert.equal(wrong.break!.line, 1);
  });

  it('an attacker without the key cannot rebuild the chain: a re-hashed record is caught', async () => {
    const ls = lines(dir, files[0]!);
    const rec = JSON.parse(ls[4]!) as AuditRecord;
    const { hash: _h, ...rest } = rec;
    rest.data = { i: 4, text: 'rewritten' };
    // best effort without the key: plain SHA-256, or HMAC with a guessed key
    ls[4] = sealRecord(rest, Buffer.from('guess')).line.trimEnd();
    writeLines(dir, files[0]!, ls);
    const r = await verifyTrail(dir, { key });
    assert.equal(r.break!.kind, 'edited');
    assert.equal(r.break!.seq, 5);
    assert.match(r.break!.detail, /HMAC/);
  });

  it('a downgrade to a plain-SHA-256 record inside a keyed chain is caught', async () => {
    const ls = lines(dir, files[2]!);
    const rec = JSON.parse(ls[9]!) as AuditRecord;
    const { hash: _h, ...rest } = rec;
    rest.alg = 'sha256';
    ls[9] = sealRecord(rest, undefined).line.trimEnd();
    writeLines(dir, files[2]!, ls);
    const r = await verifyTrail(dir, { key });
    assert.equal(r.break!.kind, 'edited');
    assert.match(r.break!.detail, /not keyed/);
    assert.equal(sha256Hex(canonicalJson(rest)), JSON.parse(ls[9]!).hash);
  });
});
