/**
 * Property: an email address said in any mix of spoken and written parts — words joined by "dot",
 * "underscore" or a written '.', '_', '-', numbers said or written, "at" or a written '@', a domain
 * said with "dot" or written with dots — with random words around it, is redacted whole: every word
 * of its local part and its domain name lies inside an EMAIL span. Every address generated carries a
 * mark the detector documents as enough: a joiner, a written '@', an email mentioned or asked for,
 * or a mailbox provider's domain (an address like "anna at acme.com" with none of them stays, as a
 * website would).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor } from '../../../lib/redact';

const NAMES = ['john', 'maria', 'chen', 'r', 'jsmith', 'anna', 'lee', 'kowalski', 'dev', 'sam', 'x'];
const DOMAINS: string[][] = [['gmail', 'com'], ['yahoo', 'com'], ['example', 'org'], ['outlook', 'co', 'uk'], ['acme', 'io'], ['my-company', 'net']];
const PROVIDERS = new Set(['gmail', 'yahoo', 'outlook']);
const UNIT = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
// Words said around an address in the corpus' conversations, numbers and marks included.
const NEIGHBOURS = ['okay', 'thanks', 'so', 'um', 'please', 'is that right', 'my number is', '25 units', 'at 10:30', 'on june 3rd', 'the rest', 'card', 'yes', 'wait'];
const LEADS = ['', '', 'my email is ', "it's ", 'send it to ', 'email '];

const addressArb = fc.record({
  local: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 }),
  joiner: fc.constantFrom('.', '_', '-', ' dot ', ' underscore '),
  number: fc.option(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.boolean()), { nil: undefined }),
  at: fc.constantFrom(' at ', ' at ', '@'),
  domain: fc.constantFrom(...DOMAINS),
  domainJoiner: fc.constantFrom('.', ' dot '),
  lead: fc.constantFrom(...LEADS),
  asked: fc.boolean(),
  before: fc.array(fc.constantFrom(...NEIGHBOURS), { maxLength: 3 }),
  after: fc.array(fc.constantFrom(...NEIGHBOURS), { maxLength: 3 }),
  afterMark: fc.constantFrom(' ', '. ', ', '),
});

type Address = typeof addressArb extends fc.Arbitrary<infer T> ? T : never;

function render(a: Address): { text: string; email: string; marked: boolean } {
  let local = a.local.join(a.joiner);
  if (a.number) {
    const [n, written] = a.number;
    local += written ? String(n) : ` ${[...String(n)].map((d) => UNIT[Number(d)]).join(' ')}`;
  }
  const email = `${local}${a.at}${a.domain.join(a.domainJoiner)}`;
  const marked =
    /dot|underscore|@/.test(email) || (a.local.length > 1 && /[._-]/.test(a.joiner)) || a.lead.includes('email') || a.asked || PROVIDERS.has(a.domain[0]);
  const before = a.before.length ? `${a.before.join(' ')} ` : '';
  const after = a.after.length ? `${a.afterMark}${a.after.join(' ')}` : '';
  return { text: `${before}${a.lead}${email}${after}`, email, marked };
}

/** Words of the address that must be inside an entity: everything but joiners, "at" and endings. */
const NOT_SECRET = new Set(['dot', 'at', 'underscore', 'com', 'org', 'uk', 'io', 'co', 'net']);

describe('spoken and written emails (property)', () => {
  it('redacts every part of an address said in any mix of spoken and written parts', () => {
    const T0 = Date.UTC(2026, 0, 1, 9);
    fc.assert(
      fc.property(addressArb.filter((a) => render(a).marked), (a) => {
        const { text, email } = render(a);
        const r = new Redactor();
        try {
          if (a.asked) r.redactText('what is your email address', { conversationId: 'c', speaker: 'agent', startMs: T0, endMs: T0 + 1000 });
          const out = r.redactText(text, { conversationId: 'c', speaker: 'customer', startMs: T0 + 2000, endMs: T0 + 3000 });
          const start = text.indexOf(email);
          for (const w of email.matchAll(/[a-z0-9]+/gi)) {
            if (NOT_SECRET.has(w[0])) continue;
            const at = start + w.index;
            const covered = out.entities.some((e) => e.type === 'EMAIL' && e.start <= at && at + w[0].length <= e.end);
            assert.ok(covered, `"${w[0]}" of ${JSON.stringify(email)} left in ${JSON.stringify(out.text)} (from ${JSON.stringify(text)}${a.asked ? ', email asked for' : ''})`);
          }
        } finally {
          r.close();
        }
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 1500, seed: 20261122 },
    );
  });

  it('leaves an address-like phrase with no mark alone (the check is not vacuous)', () => {
    const r = new Redactor();
    try {
      assert.deepEqual(r.redactText('look at google.com for it').entities, []);
      assert.deepEqual(r.redactText('anna at acme.com').entities, []);
    } finally {
      r.close();
    }
  });
});
