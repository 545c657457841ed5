/**
 * The issue's acceptance gates on the labelled set (test/fixtures/summary): 45 hand-written calls,
 * each with a faithful summary and labelled variants built by construction (one edit each).
 * A variant counts as caught only when the check meant for it fails AND, for grounding edits,
 * an ungrounded span of that check overlaps the edited text.
 */
import assert from 'node:assert/strict';
import { SourceContexts, SummaryValidator, extractQuantities, parseSummaryInput, redactorDetectors, validatorOptions, type CheckId, type UngroundedKind, type Validation } from '../../../lib/summary';
import { tokenize } from '../../../lib/summary/text';
import { ManualClock } from '../../support/manual-clock';
import { buildCases, loadConversations, type LabelledCase, type Variant } from '../../fixtures/summary/cases';

const FIXTURES = `${__dirname}/../../fixtures/summary`;

const INTENDED: Record<Exclude<Variant, 'faithful'>, { check: CheckId; kinds?: UngroundedKind[] }> = {
  number: { check: 'numbers', kinds: ['number', 'amount', 'percent', 'date', 'time', 'duration'] },
  date: { check: 'numbers', kinds: ['number', 'amount', 'percent', 'date', 'time', 'duration'] },
  entity: { check: 'entities', kinds: ['entity', 'redaction-tag'] },
  negation: { check: 'negation', kinds: ['negation'] },
  'leak-phone': { check: 'personal-data' },
  'leak-card': { check: 'personal-data' },
  'leak-email': { check: 'personal-data' },
};

function caught(c: LabelledCase, v: Validation): boolean {
  if (c.variant === 'faithful') return false;
  const want = INTENDED[c.variant];
  if (!v.checks.some((ch) => ch.id === want.check && !ch.passed)) return false;
  if (!want.kinds) return true;
  return v.ungrounded.some((u) => want.kinds?.includes(u.kind) && u.start < (c.editEnd as number) && u.end > (c.editStart as number));
}

describe('summary validator on the labelled set', function () {
  this.timeout(60_000);
  const conversations = loadConversations(FIXTURES);
  const cases = buildCases(conversations);
  const detectors = redactorDetectors(0.5);
  const validator = new SummaryValidator(validatorOptions({ detector: detectors.summary }));
  const sources = new SourceContexts({
    clock: new ManualClock(),
    countTokens: validator.countTokens,
    idleTimeoutMs: 0,
    endGraceMs: 0,
    maxConversations: 1000,
    maxCharsPerConversation: 1_000_000,
    detector: detectors.source,
    detectorMinScore: 0.5,
  });
  for (const c of conversations) c.turns.forEach(([speaker, text], i) => sources.upsert(c.id, { utteranceId: `${c.id}-${i}`, text, speaker }));
  const results = cases.map((c) => ({ c, v: validator.validate(parseSummaryInput(c.summary), sources.get(c.conversation.id) as NonNullable<ReturnType<typeof sources.get>>) }));
  const rate = (variants: Variant[], ok: (r: (typeof results)[number]) => boolean): { hit: number; total: number; rate: number; misses: string[] } => {
    const sel = results.filter((r) => variants.includes(r.c.variant));
    const hits = sel.filter(ok);
    return { hit: hits.length, total: sel.length, rate: hits.length / sel.length, misses: sel.filter((r) => !ok(r)).map((r) => `${r.c.conversation.id}/${r.c.variant}`) };
  };

  after(() => sources.close());

  it('has at least 40 calls, every edit applied exactly once, realistic variety', () => {
    assert.ok(conversations.length >= 40, `${conversations.length} conversations`);
    assert.equal(new Set(conversations.map((c) => c.id)).size, conversations.length, 'ids are unique');
    assert.equal(cases.length, conversations.length * 8);
    const openings = new Set(conversations.map((c) => c.turns[0]?.[1].split(' ').slice(0, 3).join(' ')));
    assert.ok(openings.size >= conversations.length - 2, 'calls do not share a template opening');
  });

  it('rejects at most 5% of faithful summaries', () => {
    const r = rate(['faithful'], (x) => x.v.valid);
    console.log(`      faithful accepted ${r.hit}/${r.total}${r.misses.length ? ` (rejected: ${r.misses.join(', ')})` : ''}`);
    assert.ok(1 - r.rate <= 0.05, `faithful rejected ${((1 - r.rate) * 100).toFixed(1)}%: ${r.misses.join(', ')}`);
  });

  it('catches at least 95% of swapped numbers, amounts, dates and times', () => {
    const r = rate(['number', 'date'], (x) => caught(x.c, x.v));
    console.log(`      numbers/dates caught ${r.hit}/${r.total}${r.misses.length ? ` (missed: ${r.misses.join(', ')})` : ''}`);
    assert.ok(r.rate >= 0.95, `caught ${(r.rate * 100).toFixed(1)}%`);
  });

  it('catches at least 90% of invented or swapped entities', () => {
    const r = rate(['entity'], (x) => caught(x.c, x.v));
    console.log(`      entities caught ${r.hit}/${r.total}${r.misses.length ? ` (missed: ${r.misses.join(', ')})` : ''}`);
    assert.ok(r.rate >= 0.9, `caught ${(r.rate * 100).toFixed(1)}%`);
  });

  it('catches at least 80% of negation flips', () => {
    const r = rate(['negation'], (x) => caught(x.c, x.v));
    console.log(`      negation flips caught ${r.hit}/${r.total}${r.misses.length ? ` (missed: ${r.misses.join(', ')})` : ''}`);
    assert.ok(r.rate >= 0.8, `caught ${(r.rate * 100).toFixed(1)}%`);
  });

  it('reports (no gate) how often an amount swapped for another amount said in the same call is caught', () => {
    // FactCC-style in-call swap: the hardest case for lexical grounding, since the value is in the call.
    let total = 0;
    let hit = 0;
    for (const c of conversations) {
      const amounts = new Set<number>();
      for (const [, text] of c.turns) for (const q of extractQuantities(tokenize(text))) if (q.kind === 'amount' && q.value !== undefined) amounts.add(q.value);
      // every amount the faithful summary states, swapped for another amount of the same call
      for (const claim of extractQuantities(tokenize(c.summary))) {
        if (claim.kind !== 'amount' || claim.value === undefined) continue;
        const other = [...amounts].find((v) => v !== claim.value && Math.abs(v - (claim.value as number)) > 0.005);
        if (other === undefined) continue;
        const written = Number.isInteger(other) ? `$${other.toLocaleString('en-US')}` : `$${other.toFixed(2)}`;
        const swapped = c.summary.slice(0, claim.start) + written + c.summary.slice(claim.end);
        total++;
        const v = validator.validate(parseSummaryInput(swapped), sources.get(c.id) as NonNullable<ReturnType<typeof sources.get>>);
        if (v.ungrounded.some((u) => u.kind === 'amount' && u.start === claim.start)) hit++;
      }
    }
    console.log(`      in-call amount swaps caught ${hit}/${total} (reported only; the issue's gates use values not said in the call)`);
    assert.ok(total >= 10, `only ${total} in-call swaps could be built`);
  });

  it('catches every leaked phone number, card and email, and never reports the value', () => {
    const r = rate(['leak-phone', 'leak-card', 'leak-email'], (x) => caught(x.c, x.v));
    console.log(`      leaks caught ${r.hit}/${r.total}`);
    assert.equal(r.rate, 1, `missed: ${r.misses.join(', ')}`);
    for (const { c, v } of results.filter((x) => x.c.variant.startsWith('leak'))) {
      const value = c.summary.slice(c.editStart, c.editEnd);
      const json = JSON.stringify(v);
      assert.ok(!json.includes(value), `${c.conversation.id}/${c.variant}: raw value in msg.validation`);
      // not even a 4-digit piece of it, nor the email's local part
      for (const piece of value.match(/\d{4,}/g) ?? []) assert.ok(!json.includes(piece), `${c.conversation.id}/${c.variant}: digits ${piece} in msg.validation`);
      if (value.includes('@')) assert.ok(!json.includes(value.split('@')[0] as string), `${c.conversation.id}: email local part in msg.validation`);
    }
  });
});
