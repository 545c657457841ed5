/**
 * bench/audit: durable audit records per second.
 *
 *   ours:     AuditWriter with group commit (default settings: 20 ms window, 1,000-record batches),
 *             the producer keeping up to 8,000 records in flight (below the 10,000 queue cap), as
 *             a busy flow would; a record counts when its append() resolved, i.e. after its fsync.
 *   baseline: the same records (same canonical form and hash chain) appended and fdatasync'ed one
 *             at a time, the straightforward durable logger.
 * Both run in this process, on the same disk, one after the other; the ratio is ours / baseline.
 * Goal (DESIGN.md): >= 50,000 durable records/s.
 *
 * The machine's load average is printed with the figures; on a shared machine compare the
 * per-CPU-second figure too (what one unshared core sustains while the disk keeps up), and use
 * --runs to repeat the group-commit run (each run printed, then the median).
 *
 *   npx tsx bench/audit.ts [--quick] [--records N] [--baseline-seconds S] [--in-flight N] [--runs N]
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { canonicalJson } from '../lib/audit/canonical';
import { GENESIS_HASH, sealParts } from '../lib/audit/record';
import { verifyTrail } from '../lib/audit/verify';
import { AuditWriter } from '../lib/audit/writer';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argNum = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : def;
};
const RECORDS = argNum('--records', quick ? 50_000 : 300_000);
const BASELINE_SECONDS = argNum('--baseline-seconds', quick ? 1 : 3);
const IN_FLIGHT = argNum('--in-flight', 8_000);
const RUNS = Math.max(1, argNum('--runs', 1));
const NODE = { id: 'bench-node', type: 'genesys-audit-out', name: 'bench' };

/** A redacted final utterance, the typical audit payload (~350 bytes as JSON). */
function payload(i: number): unknown {
  return {
    conversationId: `conv-${i % 200}`,
    utteranceId: `utt-${i}`,
    speaker: i % 2 ? 'agent' : 'customer',
    isFinal: true,
    text: 'sure, the card number is [CARD] and the expiry is [EXPIRY], thank you',
    startMs: 1_780_000_000_000 + i * 1000,
    endMs: 1_780_000_000_800 + i * 1000,
    redaction: { entities: [{ type: 'CARD', start: 25, end: 44, replacement: '[CARD]', score: 1, form: 'spoken' }] },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

interface GroupRun {
  rate: number;
  seconds: number;
  cpuSeconds: number;
  batches: number;
  p50: number;
  p99: number;
}

async function groupCommit(dir: string): Promise<GroupRun> {
  const writer = new AuditWriter({ dir, instance: 'bench', node: NODE });
  let batches = 0;
  writer.on('written', () => batches++);
  await writer.start();
  const latencies: number[] = [];
  let next = 0;
  let acked = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (next < RECORDS && next - acked < IN_FLIGHT) {
        const i = next++;
        const sample = i % 50 === 0;
        const started = sample ? performance.now() : 0;
        writer.append({ kind: 'utterance', conversationId: `conv-${i % 200}`, data: payload(i) }).then(() => {
          if (sample) latencies.push(performance.now() - started);
          if (++acked === RECORDS) resolve();
          else if (next < RECORDS && next - acked < IN_FLIGHT / 2) pump();
        }, reject);
      }
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await writer.close();
  latencies.sort((a, b) => a - b);
  return { rate: RECORDS / seconds, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, batches, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function oneByOne(dir: string): { rate: number; records: number; seconds: number; cpuSeconds: number } {
  const fd = openSync(join(dir, 'baseline.jsonl'), 'a');
  let prev = GENESIS_HASH;
  let n = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + BASELINE_SECONDS * 1000;
  try {
    while (performance.now() < deadline) {
      const sealed = sealParts(
        {
          alg: 'sha256',
          seq: n + 1,
          ts: new Date().toISOString(),
          instance: 'bench',
          node: NODE,
          conversationId: `conv-${n % 200}`,
          kind: 'utterance',
          dataMember: `"data":${canonicalJson(payload(n))}`,
          prevHash: prev,
        },
        undefined,
      );
      writeSync(fd, sealed.line);
      fdatasyncSync(fd);
      prev = sealed.hash;
      n++;
    }
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: n / seconds, records: n, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** A machine-speed reference printed beside the figures: JSON.stringify of one payload. */
function calibrate(): number {
  const sample = payload(1);
  let n = 0;
  const t0 = performance.now();
  for (let i = 0; i < 20_000; i++) n += JSON.stringify(sample).length;
  return n > 0 ? ((performance.now() - t0) * 1000) / 20_000 : NaN;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  try {
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const runs: GroupRun[] = [];
    for (let r = 0; r < RUNS; r++) {
      const dir = join(root, `group-${r}`);
      const run = await groupCommit(dir);
      // Every record the bench counted must be in a trail that verifies.
      const report = await verifyTrail(dir);
      if (!report.ok || report.records !== RECORDS) throw new Error(`the bench trail does not verify: ${JSON.stringify(report.break)}`);
      rmSync(dir, { recursive: true, force: true });
      runs.push(run);
    }
    const ours = [...runs].sort((a, b) => a.rate - b.rate)[Math.floor((runs.length - 1) / 2)]!;
    const base = oneByOne(root);
    const reference = calibrate();
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`audit bench (${quick ? 'quick' : 'full'}; Node ${process.version}; disk under ${tmpdir()}; ${IN_FLIGHT} records in flight; load average ${load} on ${availableCores()} cores at the start)`);
    const describe = (run: GroupRun): string =>
      `${fmt(run.rate)} durable records/s  (${fmt(RECORDS)} records in ${run.seconds.toFixed(2)} s, ${run.batches} write+fsync batches, ack latency p50 ${run.p50.toFixed(1)} ms / p99 ${run.p99.toFixed(1)} ms; ${fmt(RECORDS / run.cpuSeconds)} records per CPU-second; trail verified)`;
    if (runs.length > 1) runs.forEach((run, i) => console.log(`  group run ${i + 1}    : ${describe(run)}`));
    console.log(`  group commit   : ${runs.length > 1 ? 'median ' : ''}${describe(ours)}`);
    console.log(
      `                   ${fmt(RECORDS / ours.cpuSeconds)} records per CPU-second of this process (${ours.cpuSeconds.toFixed(2)} CPU-s for ${ours.seconds.toFixed(2)} s of wall time: the rate one unshared core would sustain while the disk keeps up)`,
    );
    console.log(
      `  baseline 1-by-1: ${fmt(base.rate)} durable records/s  (${fmt(base.records)} records in ${base.seconds.toFixed(2)} s, one append + fdatasync each; ${base.cpuSeconds.toFixed(2)} CPU-s)`,
    );
    console.log(`  ratio          : ${(ours.rate / base.rate).toFixed(1)}x`);
    console.log(`  machine reference: JSON.stringify of one payload takes ${reference.toFixed(2)} us here (about 1-2 us on an idle desktop core)`);
    console.log(`  goal >= 50,000 durable records/s: ${ours.rate >= 50_000 ? 'met' : 'NOT met'} (wall); ${RECORDS / ours.cpuSeconds >= 50_000 ? 'met' : 'NOT met'} per CPU-second`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
