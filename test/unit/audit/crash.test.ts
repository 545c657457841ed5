import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyTrail } from '../../../lib/audit/verify';
import { AuditWriter } from '../../../lib/audit/writer';
import { readRecords, removeDir, tempDir, trailFiles } from './helpers';
import { seededRandom } from '../../../lib/util/random';

const ROUNDS = Number(process.env.AUDIT_CRASH_ROUNDS ?? 16);

interface Round {
  acks: Map<number, string>;
  readySeq: number;
  repaired: boolean;
  stderr: string;
}

/** Runs the writer child, kills it with SIGKILL `delayMs` after it is ready (or at its first ack). */
function crashRound(dir: string, delayMs: number, atFirstAck: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { acks: new Map(), readySeq: -1, repaired: false, stderr: '' };
    let buf = '';
    let killArmed = false;
    const kill = () => child.kill('SIGKILL');
    child.stderr.on('data', (d: Buffer) => (round.stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [what, a, b] = line.split(' ');
        if (what === 'ack') {
          round.acks.set(Number(a), b!);
          if (atFirstAck && !killArmed) {
            killArmed = true;
            kill();
          }
        } else if (what === 'ready') {
          round.readySeq = Number(a);
          if (!atFirstAck && !killArmed) {
            killArmed = true;
            setTimeout(kill, delayMs);
          }
        } else if (what === 'repaired') round.repaired = true;
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer child exited by itself (code ${code}): ${round.stderr}`));
      else resolve(round);
    });
  });
}

describe('audit writer crash safety (SIGKILL at random moments)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = join(tempDir('audit-crash-'), 'trail');
  });
  after(() => removeDir(join(dir, '..')));

  it(`keeps a valid chain and every acknowledged record over ${ROUNDS} kills`, async () => {
    const seed = Number(process.env.AUDIT_CRASH_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const acked = new Map<number, string>();
    let tornSeen = 0;
    let tearsInjected = 0;
    let pendingTear = '';
    let repairsSeen = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const atFirstAck = round % 5 === 0;
      const delay = Math.floor(random() * 150);
      const r = await crashRound(dir, delay, atFirstAck);
      const ctx = `round ${round}, seed ${seed}, delay ${atFirstAck ? 'first ack' : `${delay} ms`}`;
      if (r.repaired) repairsSeen++;
      // what the previous rounds acknowledged survived this round's start
      const maxAcked = Math.max(0, ...acked.keys());
      assert.ok(r.readySeq >= maxAcked, `${ctx}: restarted at seq ${r.readySeq} but seq ${maxAcked} had been acknowledged`);
      for (const [seq, hash] of r.acks) acked.set(seq, hash);

      // the files hold a valid chain plus at most one incomplete last line
      const report = await verifyTrail(dir);
      if (!report.ok) {
        const b = report.break!;
        const files = trailFiles(dir);
        assert.equal(b.kind, 'truncated', `${ctx}: ${b.kind} at ${b.file}:${b.line}: ${b.detail}`);
        assert.equal(b.file, files.at(-1), `${ctx}: torn line not in the newest file`);
        assert.match(b.detail, /incomplete line/);
        tornSeen++;
      }
      // every acknowledged record is present, with the acknowledged hash
      const present = new Map(readRecords(dir).map((rec) => [rec.seq, rec.hash]));
      for (const [seq, hash] of acked) assert.equal(present.get(seq), hash, `${ctx}: acknowledged seq ${seq} missing or different`);
      if (pendingTear) {
        // this round's start replaced it with a repair record before reporting ready
        assert.ok(r.repaired, `${ctx}: the torn line left by the previous round was not repaired on start`);
        const text = trailFiles(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
        assert.equal(text.includes(pendingTear), false, `${ctx}: the torn line left by the previous round is still there`);
        pendingTear = '';
      }
      // SIGKILL rarely tears a write on Linux (a write() of a few pages completes before the signal
      // is delivered), so every 4th round also leaves what a crash in the middle of a write leaves:
      // the first part of a record that was never acknowledged. The next start must repair it.
      if (round % 4 === 0 && round < ROUNDS && report.ok) {
        const newest = join(dir, trailFiles(dir).at(-1)!);
        const marker = `{"alg":"sha256","torn":"round-${round}"`;
        const fake = `${marker},"conversationId":"c-1","data":{"i":-1,"text":"${'z'.repeat(200)}"},"instance":"crash"}`;
        appendFileSync(newest, fake.slice(0, marker.length + Math.floor(random() * (fake.length - marker.length))));
        const torn = await verifyTrail(dir);
        assert.equal(torn.break?.kind, 'truncated', `${ctx}: a torn last line must read as truncated`);
        pendingTear = marker;
        tearsInjected++;
      }
    }
    assert.ok(acked.size > 0, 'the children acknowledged records');

    // a clean start repairs whatever the last kill left and the whole trail verifies
    const w = new AuditWriter({ dir, instance: 'crash', rotateBytes: 64 * 1024 });
    await w.start();
    await w.append({ kind: 'crash-test-end' });
    await w.close();
    const final = await verifyTrail(dir);
    assert.equal(final.ok, true, JSON.stringify(final.break));
    assert.ok(final.records >= acked.size);
    // each repair made on a start is in the trail as a repair record
    assert.ok(final.repairs >= repairsSeen, `${final.repairs} repair records, ${repairsSeen} repairs reported`);
    assert.ok(final.repairs >= tearsInjected, `${final.repairs} repair records for ${tearsInjected} torn lines`);
    console.log(`      ${ROUNDS} kills (seed ${seed}): ${acked.size} acknowledged records, ${final.records} in the trail over ${final.files} files, ${tornSeen} torn last lines left by a kill, ${tearsInjected} injected, ${final.repairs} repair records`);
  });
});
