/**
 * Writes what lib/redact outputs for a large fixed set of inputs, one JSON line per output, so two
 * versions can be compared byte for byte (speed work must not change behaviour):
 *
 *   npx tsx bench/redactor-outputs.ts /tmp/before.jsonl     (on the old commit)
 *   npx tsx bench/redactor-outputs.ts /tmp/after.jsonl      (on the new one)
 *   cmp /tmp/before.jsonl /tmp/after.jsonl
 *
 * Inputs: the labelled corpus and seven fresh samples of its templates, the corpus as sentence-length
 * finals, the simulator's six calls, and 150 fuzzed conversations of words near the detectors' edges;
 * six configurations (defaults, no spoken forms, no last-four and a higher threshold, payment cards
 * masked, custom pattern + allow and deny lists with pseudonyms, keyed hash). Outputs: redacted text,
 * words, entities and raw spans of finals (with conversation state), partials, scrubString, and
 * stateless detect with and without carried state. Deterministic (seeded); not a test: it has no
 * expected values, only the previous version's.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Detector, Redactor, type RedactorOptions } from '../lib/redact';
import { loadScripts } from '../lib/sim/conversations/script';
import type { Utterance } from '../lib/transcript/utterance';
import { seededRandom } from '../lib/util/random';
import { buildCorpus } from '../test/fixtures/redaction/generate-corpus';

interface Conversation {
  id: string;
  utterances: Array<{ speaker: string; text: string }>;
}

const out: string[] = [];
const T0 = Date.UTC(2026, 0, 1, 9);

function utterance(conv: string, i: number, speaker: string, text: string, isFinal = true): Utterance {
  const startMs = T0 + i * 4000;
  const words = [...text.matchAll(/\S+/g)].map((m, k) => ({ text: m[0], startMs: startMs + k * 50, endMs: startMs + k * 50 + 40 }));
  // Now and then a word the text does not hold (engines can disagree with themselves).
  if (i % 7 === 3 && words.length > 1) words[1] = { ...words[1], text: `${words[1].text}x` };
  return {
    conversationId: conv, utteranceId: `${conv}-${i}`, channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL', speaker: i % 11 === 5 ? 'unknown' : speaker,
    isFinal, text, startMs, endMs: startMs + 3000, words, receivedAt: startMs + 3100,
  } as Utterance;
}

const CONFIGS: RedactorOptions[] = [
  {},
  { detector: { spoken: false } },
  { detector: { keepLastFour: false, threshold: 0.7 } },
  { detector: { entities: ['CARD', 'CVV', 'EXPIRY', 'NUMBER'] }, operator: { kind: 'mask', maskKeepLast: 4 } },
  { detector: { customPatterns: [{ name: 'ORDER', pattern: 'ord-\\d{4}' }], denyList: ['acme', 'fatima'], allowList: ['4111111111111111', 'robert'] }, operator: { kind: 'pseudonym' } },
  { operator: { kind: 'hash', hashKey: 'k'.repeat(32) } },
];

function run(tag: string, conversations: Conversation[], configs = CONFIGS): void {
  configs.forEach((cfg, ci) => {
    const finals = new Redactor({ idleMs: 0, ...cfg });
    const partials = new Redactor({ idleMs: 0, ...cfg });
    for (const c of conversations) {
      c.utterances.forEach((u, i) => {
        const res = finals.redactUtterance(utterance(c.id, i, u.speaker, u.text));
        out.push(JSON.stringify([tag, ci, res.utterance.text, res.utterance.words.map((w) => w.text), res.entities, res.raw]));
        if (i % 3 === 0) {
          const p = partials.redactUtterance(utterance(c.id, i, u.speaker, u.text, false));
          out.push(JSON.stringify([`${tag}P`, ci, p.utterance.text, p.entities]));
        }
        if (i % 5 === 0) out.push(JSON.stringify([`${tag}S`, ci, finals.scrubString(`${u.text} ${res.raw[0] ?? ''}`, res.raw)]));
      });
    }
  });
  const d = new Detector();
  for (const c of conversations) {
    for (const u of c.utterances) {
      const carried = d.detect(u.text, { contexts: new Set(['CARD']), pending: { type: 'NUMBER', digits: '4111', complete: false } });
      out.push(JSON.stringify([`${tag}D`, d.detect(u.text).entities, carried.entities]));
    }
  }
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/redactor-outputs.ts <output.jsonl>');
  process.exit(2);
}

const SEED = 0x5eed1234;
for (const seed of [SEED, 101, 202, 303, 404, 505, 606, 707]) run(`corpus${seed}`, buildCorpus(seed).conversations, seed === SEED ? CONFIGS : CONFIGS.slice(0, 2));
run(
  'joined',
  buildCorpus(SEED).conversations.map((conv) => {
    const joined: Array<{ speaker: string; text: string }> = [];
    const open = new Map<string, { speaker: string; text: string }>();
    for (const u of conv.utterances) {
      const cur = open.get(u.speaker);
      if (cur && cur.text.length + 2 + u.text.length <= 200) cur.text += `. ${u.text}`;
      else {
        const fresh = { speaker: u.speaker, text: u.text };
        joined.push(fresh);
        open.set(u.speaker, fresh);
      }
      if (open.get(u.speaker)!.text.length >= 80) open.delete(u.speaker);
    }
    return { id: conv.id, utterances: joined };
  }),
  CONFIGS.slice(0, 2),
);
run('sim', loadScripts().map((s) => ({ id: s.id, utterances: s.utterances.map((u) => ({ speaker: u.channel === 'INTERNAL' ? 'agent' : 'customer', text: u.transcript })) })));

const random = seededRandom(12345);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const VOCABULARY = (
  'zero oh o one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty fifty ninety hundred thousand double triple ' +
  'um uh dash hyphen card credit number numbers digits visa cvv security code on the back expiry expires exp social security ssn phone cell call me back email at dot gmail com underscore ' +
  "account member policy zip code date of birth born my name is this is speaking with i'm james whitaker robert chen fatima O'Brien José Zoë " +
  'street avenue rd apt suite in since around about after dollars percent units minutes am pm a m p m january march may june first third fifth st nd th ' +
  'ending in last four okay go ahead mhm yes sure who am i speaking with may i have your full name spell that s m i t h j o h n ord-1234 acme ' +
  'press for billing version moved back ip address iban GB82WEST12345698765432 192.168.1.20 2001:db8::1 john.smith@example.com 4111111111111111 4111 1111 1111 1111 ' +
  '078-05-1120 415-555-0132 (212) 555 7788 +44 20 7946 0958 12/05/1984 07/28 $49.99 1,250 12.50 2.9 10:30 90210 SW1A 1AA'
).split(' ');
const PUNCTUATION = [',', '.', '?', '-', '', '', '', ''];
for (let c = 0; c < 150; c++) {
  const utterances: Array<{ speaker: string; text: string }> = [];
  for (let i = 0; i < 30; i++) {
    const n = 1 + Math.floor(random() * 14);
    const words: string[] = [];
    for (let k = 0; k < n; k++) {
      let w = random() < 0.25 ? String(Math.floor(random() * 10 ** (1 + Math.floor(random() * 6)))) : pick(VOCABULARY);
      if (random() < 0.1) w = w[0].toUpperCase() + w.slice(1);
      words.push(w + pick(PUNCTUATION));
    }
    utterances.push({ speaker: random() < 0.5 ? 'agent' : 'customer', text: words.join(random() < 0.1 ? '  ' : ' ') });
  }
  run(`fuzz${c}`, [{ id: `f${c}`, utterances }], CONFIGS.slice(0, c % 3 === 0 ? 6 : 1));
}

const text = `${out.join('\n')}\n`;
writeFileSync(file, text);
console.log(`${out.length} outputs, sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 16)}, written to ${file}`);
