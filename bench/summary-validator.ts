/**
 * bench/summary-validator: validations per second and latency (p50 / p99) for one 150-token
 * summary against a 2,000-token source, beside the tokenizer alone as the baseline (counting the
 * same source and summary tokens with gpt-tokenizer, which any length check has to do).
 *
 *   npx tsx bench/summary-validator.ts            # 3,000 timed validations per mode
 *   npx tsx bench/summary-validator.ts --quick    # 500
 *
 * Modes, all with every check on (schema, length, personal data with lib/redact's detectors,
 * numbers, entities, support, negation):
 *   context    - the node's usual path: the source was indexed segment by segment as it arrived
 *                (SourceContexts), so a validation analyses only the summary;
 *   transcript - the source comes with the message (msg.transcript): tokenized, indexed and
 *                validated on every call.
 * Each run is timed in wall time and in CPU time of this thread (process.cpuUsage): on a shared,
 * overloaded machine the wall-time tail mostly measures waiting for a core.
 * The source is real call text (test/fixtures/summary), several calls joined to reach 2,000
 * tokens; the summary joins their faithful summaries to about 150 tokens.
 */
import { performance } from 'node:perf_hooks';
import { SourceContexts, SummaryValidator, parseSummaryInput, redactorDetectors, validatorOptions, transcriptTexts } from '../lib/summary';
import { systemClock } from '../lib/util/clock';
import { loadConversations } from '../test/fixtures/summary/cases';

const quick = process.argv.includes('--quick');
const ITERATIONS = quick ? 500 : 3000;
const WARMUP = quick ? 100 : 300;
const SOURCE_TOKENS = 2000;
const SUMMARY_TOKENS = 150;

const detectors = redactorDetectors(0.5);
const validator = new SummaryValidator(validatorOptions({ detector: detectors.summary }));
const count = validator.countTokens;

// Source: whole calls until 2,000 tokens; summary: their faithful summaries until ~150 tokens.
const conversations = loadConversations(`${__dirname}/../test/fixtures/summary`);
const turns: string[] = [];
const summaries: string[] = [];
let sourceTokens = 0;
for (const c of conversations) {
  if (sourceTokens >= SOURCE_TOKENS) break;
  for (const [, text] of c.turns) {
    turns.push(text);
    sourceTokens += count(text);
  }
  summaries.push(c.summary);
}
let summary = '';
for (const s of summaries) {
  if (count(`${summary} ${s}`) > SUMMARY_TOKENS + 20) break;
  summary = summary ? `${summary} ${s}` : s;
}
const fullSource = turns.join('\n');

const contexts = new SourceContexts({
  clock: systemClock,
  countTokens: count,
  idleTimeoutMs: 0,
  endGraceMs: 0,
  maxConversations: 10,
  maxCharsPerConversation: 1_000_000,
  detector: detectors.source,
  detectorMinScore: 0.5,
});
turns.forEach((text, i) => contexts.upsert('bench', { utteranceId: `u${i}`, text, speaker: i % 2 ? 'customer' : 'agent' }));
const context = contexts.get('bench');
if (!context) throw new Error('no context');

interface Result {
  name: string;
  perSec: number;
  mean: number;
  p50: number;
  p99: number;
  /** Percentiles of this thread's CPU time per run: on a loaded machine, wall time also counts the
   *  time the run waited for a core; CPU time is what the code itself costs (GC included). */
  cpuP50: number;
  cpuP99: number;
}

function measure(name: string, fn: () => unknown): Result {
  for (let i = 0; i < WARMUP; i++) fn();
  const times = new Float64Array(ITERATIONS);
  const cpu = new Float64Array(ITERATIONS);
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    times[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i] = (c.user + c.system) / 1000;
  }
  const total = performance.now() - start;
  const pct = (arr: Float64Array, q: number): number => {
    const sorted = Array.from(arr).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  };
  return { name, perSec: (ITERATIONS / total) * 1000, mean: total / ITERATIONS, p50: pct(times, 0.5), p99: pct(times, 0.99), cpuP50: pct(cpu, 0.5), cpuP99: pct(cpu, 0.99) };
}

let sink = 0;
const baseline = measure('tokenizer alone (source + summary)', () => {
  sink += count(fullSource) + count(summary);
});
const contextRun = measure('validator, context source', () => {
  const v = validator.validate(parseSummaryInput(summary), context);
  if (!v.valid) throw new Error(`faithful bench summary rejected: ${JSON.stringify(v.checks.filter((c) => !c.passed))}`);
});
const transcriptRun = measure('validator, msg.transcript', () => {
  const v = validator.validate(parseSummaryInput(summary), validator.sourceFromTexts(transcriptTexts(turns)));
  sink += v.ungrounded.length;
});
contexts.close();

const fmt = (n: number, d = 3): string => n.toFixed(d);
console.log(`summary-validator bench${quick ? ' (--quick)' : ''}: source ${count(fullSource)} tokens (${turns.length} utterances), summary ${count(summary)} tokens, ${ITERATIONS} timed runs each`);
console.log('Figures from a shared 2-core machine under load from other work; compare ratios, not absolutes.\n');
console.log('                                                          wall time          CPU time');
console.log('mode                                   validations/s    mean ms   p50 ms   p99 ms   p50 ms   p99 ms');
for (const r of [baseline, contextRun, transcriptRun]) {
  console.log(
    `${r.name.padEnd(38)} ${fmt(r.perSec, 0).padStart(13)}   ${fmt(r.mean).padStart(8)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.cpuP50).padStart(8)} ${fmt(r.cpuP99).padStart(8)}`,
  );
}
console.log(`\nratio context / tokenizer (mean time):    ${fmt(contextRun.mean / baseline.mean, 2)}x`);
console.log(`ratio transcript / tokenizer (mean time): ${fmt(transcriptRun.mean / baseline.mean, 2)}x`);
const verdict = (r: Result): string => `wall p99 ${fmt(r.p99)} ms ${r.p99 <= 5 ? 'met' : 'NOT met'}, CPU p99 ${fmt(r.cpuP99)} ms ${r.cpuP99 <= 5 ? 'met' : 'NOT met'}`;
console.log(`goal p99 <= 5 ms: context: ${verdict(contextRun)}; transcript: ${verdict(transcriptRun)}`);
if (sink < 0) console.log(sink);
