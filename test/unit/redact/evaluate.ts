/**
 * Scores the redactor on the labelled corpus (test/fixtures/redaction/corpus.json): per-entity
 * precision, recall and F2 with span matching at IoU >= 0.75 (presidio-research convention), the
 * spoken-form totals, the false-positive rate on negative utterances, and a leak check (no 4-digit
 * fragment of any card or SSN in any output text or word). Each conversation runs through one
 * Redactor in order, as the node would see it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor, type RedactionEntity } from '../../../lib/redact';
import type { Corpus, GoldSpan } from '../../fixtures/redaction/generate-corpus';

export const MATCH_IOU = 0.75;

/** A NUMBER prediction (an unidentified digit run) is the right redaction for a part of these. */
const NUMBER_COVERS = new Set(['CARD', 'SSN', 'PHONE', 'ACCOUNT']);

export interface Score {
  tp: number;
  gold: number;
  predicted: number;
  precision: number;
  recall: number;
  f2: number;
}

export interface Evaluation {
  perType: Record<string, Score>;
  spoken: Score;
  overall: Score;
  negatives: number;
  falsePositiveUtterances: number;
  leaks: string[];
  misses: string[];
  extras: string[];
  utterances: number;
  conversations: number;
}

function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union === 0 ? 0 : inter / union;
}

function compatible(gold: GoldSpan, pred: RedactionEntity): boolean {
  return gold.type === pred.type || (pred.type === 'NUMBER' && NUMBER_COVERS.has(gold.type));
}

function score(tpGold: number, gold: number, tpPred: number, predicted: number): Score {
  const precision = predicted === 0 ? 1 : tpPred / predicted;
  const recall = gold === 0 ? 1 : tpGold / gold;
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  return { tp: tpGold, gold, predicted, precision, recall, f2 };
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/redaction/corpus.json'), 'utf8')) as Corpus;
}

export function evaluate(corpus: Corpus = loadCorpus()): Evaluation {
  const counts = new Map<string, { tpGold: number; gold: number; tpPred: number; pred: number }>();
  const bump = (type: string, k: 'tpGold' | 'gold' | 'tpPred' | 'pred') => {
    const c = counts.get(type) ?? { tpGold: 0, gold: 0, tpPred: 0, pred: 0 };
    c[k]++;
    counts.set(type, c);
  };
  const ev: Evaluation = {
    perType: {}, spoken: score(0, 0, 0, 0), overall: score(0, 0, 0, 0), negatives: 0, falsePositiveUtterances: 0,
    leaks: [], misses: [], extras: [], utterances: 0, conversations: corpus.conversations.length,
  };
  const sp = { tpGold: 0, gold: 0, tpPred: 0, pred: 0 };
  const all = { tpGold: 0, gold: 0, tpPred: 0, pred: 0 };
  const T0 = Date.UTC(2026, 0, 1, 9);
  for (const conv of corpus.conversations) {
    const redactor = new Redactor();
    conv.utterances.forEach((u, i) => {
      ev.utterances++;
      const startMs = T0 + i * 4000;
      const words = [...u.text.matchAll(/\S+/g)].map((m, k) => ({ text: m[0], startMs: startMs + k * 50, endMs: startMs + k * 50 + 40 }));
      const out = redactor.redactUtterance({
        conversationId: conv.id, utteranceId: `${conv.id}-${i}`, channel: u.speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL', speaker: u.speaker,
        isFinal: true, text: u.text, startMs, endMs: startMs + 3000, words, receivedAt: startMs + 3100,
      });
      const preds = out.entities;
      if (u.spans.length === 0) {
        ev.negatives++;
        if (preds.length > 0) {
          ev.falsePositiveUtterances++;
          ev.extras.push(`${conv.id}#${i} NEG "${u.text}" -> ${preds.map((p) => `${p.type}:"${u.text.slice(p.start, p.end)}"`).join(', ')}`);
        }
      }
      for (const g of u.spans) {
        bump(g.type, 'gold');
        all.gold++;
        if (g.form === 'spoken') sp.gold++;
        const hit = preds.some((p) => compatible(g, p) && iou(g, p) >= MATCH_IOU);
        if (hit) {
          bump(g.type, 'tpGold');
          all.tpGold++;
          if (g.form === 'spoken') sp.tpGold++;
        } else {
          ev.misses.push(`${conv.id}#${i} ${g.type}/${g.form} "${u.text.slice(g.start, g.end)}" in "${u.text}" -> ${preds.map((p) => `${p.type}:"${u.text.slice(p.start, p.end)}"`).join(', ') || 'nothing'}`);
        }
        // Leak check on every output field that carries text.
        if ((g.type === 'CARD' || g.type === 'SSN') && g.digits.length >= 4) {
          const outputs = [out.utterance.text, ...out.utterance.words.map((w) => w.text)].join(' ');
          const runs = outputs.replace(/\D/g, ' ').split(/\s+/).filter((r) => r.length >= 4);
          for (const r of runs) for (let k = 0; k + 4 <= r.length; k++) if (g.digits.includes(r.slice(k, k + 4))) ev.leaks.push(`${conv.id}#${i} ${r} of ${g.type}`);
          const spokenDigits = spokenDigitsOf(out.utterance.text);
          if (spokenDigits.length >= 4) for (let k = 0; k + 4 <= spokenDigits.length; k++) if (g.digits.includes(spokenDigits.slice(k, k + 4))) ev.leaks.push(`${conv.id}#${i} spoken ${spokenDigits} of ${g.type}`);
        }
      }
      for (const p of preds) {
        bump(p.type, 'pred');
        all.pred++;
        if (p.form === 'spoken') sp.pred++;
        const hit = u.spans.some((g) => compatible(g, p) && iou(g, p) >= MATCH_IOU);
        if (hit) {
          bump(p.type, 'tpPred');
          all.tpPred++;
          if (p.form === 'spoken') sp.tpPred++;
        } else if (u.spans.length > 0) {
          ev.extras.push(`${conv.id}#${i} EXTRA ${p.type}:"${u.text.slice(p.start, p.end)}" in "${u.text}"`);
        }
      }
    });
    redactor.close();
  }
  for (const [type, c] of counts) ev.perType[type] = score(c.tpGold, c.gold, c.tpPred, c.pred);
  ev.spoken = score(sp.tpGold, sp.gold, sp.tpPred, sp.pred);
  ev.overall = score(all.tpGold, all.gold, all.tpPred, all.pred);
  return ev;
}

const WORD_DIGITS: Record<string, string> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
/** Digits of consecutive spoken digit words left in an output (a leak check independent of the parser). */
function spokenDigitsOf(text: string): string {
  let best = '';
  let cur = '';
  for (const w of text.toLowerCase().split(/[^a-z]+/)) {
    const d = WORD_DIGITS[w];
    if (d !== undefined) cur += d;
    else {
      if (cur.length > best.length) best = cur;
      cur = '';
    }
  }
  return cur.length > best.length ? cur : best;
}

export function formatEvaluation(ev: Evaluation): string {
  const pct = (n: number) => (n * 100).toFixed(1).padStart(6);
  const lines = [`corpus: ${ev.conversations} conversations, ${ev.utterances} utterances, ${ev.negatives} negative`, 'type       gold  pred   prec    rec     F2'];
  const row = (name: string, s: Score) => `${name.padEnd(9)} ${String(s.gold).padStart(5)} ${String(s.predicted).padStart(5)} ${pct(s.precision)} ${pct(s.recall)} ${pct(s.f2)}`;
  for (const type of Object.keys(ev.perType).sort()) lines.push(row(type, ev.perType[type]));
  lines.push(row('spoken', ev.spoken), row('overall', ev.overall));
  lines.push(`false positives on negatives: ${ev.falsePositiveUtterances}/${ev.negatives} (${pct(ev.falsePositiveUtterances / Math.max(1, ev.negatives)).trim()}%)`);
  lines.push(`card/SSN digit fragments (4+) left in outputs: ${ev.leaks.length}`);
  return lines.join('\n');
}

if (require.main === module) {
  const ev = evaluate();
  console.log(formatEvaluation(ev));
  if (process.argv.includes('--details')) {
    console.log('\nmisses:\n' + ev.misses.join('\n'));
    console.log('\nextras:\n' + ev.extras.join('\n'));
    console.log('\nleaks:\n' + ev.leaks.join('\n'));
  }
}
