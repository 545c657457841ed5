import assert from 'node:assert/strict';
import { LearnedValues, SummaryValidator, parseSummaryInput, redactorDetectors, validatorOptions, type Validation } from '../../../lib/summary';
import { InputError } from '../../../lib/util/errors';

const SOURCE = [
  'Thanks for calling Acme Mobile.',
  'hi I was charged twice this month, eighty nine ninety nine on march third',
  'I see the duplicate charge. I will refund it within five business days.',
  "okay, and I don't want to cancel my unlimited plus plan",
];

const detectors = redactorDetectors(0.5);
const check = (v: Validation, id: string) => v.checks.find((c) => c.id === id);

describe('SummaryValidator', () => {
  const validator = new SummaryValidator(validatorOptions({ detector: detectors.summary }));
  const source = validator.sourceFromTexts(SOURCE);

  it('accepts a faithful Copilot summary and lists every check', () => {
    const v = validator.validate(
      parseSummaryInput({
        conversationId: 'c1',
        summary: { text: 'The customer was charged $89.99 twice, on March 3rd. The agent will refund the duplicate charge within 5 business days.' },
        reason: { text: 'Duplicate charge' },
        followupActions: [{ text: 'Refund the duplicate charge' }],
        extractedEntities: [{ label: 'plan', value: 'Unlimited Plus' }],
      }),
      source,
    );
    assert.equal(v.valid, true, JSON.stringify(v));
    assert.deepEqual(v.checks.map((c) => c.id), ['schema', 'personal-data', 'length', 'numbers', 'entities', 'support', 'negation']);
    assert.ok((v.summaryTokens ?? 0) > 10 && (v.sourceTokens ?? 0) > 40);
  });

  it('lists schema errors with paths, not values', () => {
    const v = validator.validate(parseSummaryInput({ conversationId: 'c1', summary: { text: 'The customer was charged twice.' }, extractedEntities: [{ label: 7 }] }), source);
    const schema = check(v, 'schema');
    assert.equal(schema?.passed, false);
    assert.match(schema?.detail ?? '', /\/extractedEntities\/0 must have property 'value'/);
    assert.match(schema?.detail ?? '', /\/extractedEntities\/0\/label must be string/);
  });

  it('checks a custom schema, required fields and banned phrases', () => {
    const v2 = new SummaryValidator(
      validatorOptions({
        schema: { custom: '{"type":"object","required":["summary","followups"],"properties":{"followups":{"type":"array","minItems":1}}}' },
        requiredFields: ['summary', 'resolution'],
        bannedPhrases: ['as an AI', 'guarantee'],
      }),
    );
    const v = v2.validate(parseSummaryInput({ summary: 'As an AI I guarantee the customer was charged twice.' }), source);
    assert.match(check(v, 'schema')?.detail ?? '', /must have property 'followups'/);
    assert.equal(check(v, 'required-fields')?.detail, 'missing or empty: resolution');
    assert.equal(check(v, 'banned-phrases')?.detail, '"as an AI" in summary; "guarantee" in summary');
    assert.throws(() => new SummaryValidator(validatorOptions({ schema: { custom: '{not json' } })), InputError);
  });

  it('counts tokens with the chosen BPE encoding and applies min, max and ratio', () => {
    const tight = new SummaryValidator(validatorOptions({ length: { minTokens: 1, maxTokens: 8, maxRatio: 0.1 } }));
    const v = tight.validate(parseSummaryInput('The customer was charged twice this month for the plan.'), tight.sourceFromTexts(SOURCE));
    assert.match(check(v, 'length')?.detail ?? '', /tokens > max 8; ratio 0\.\d+ > max 0\.1/);
    const cl = new SummaryValidator(validatorOptions({ length: { encoding: 'cl100k_base' } }));
    assert.equal(cl.countTokens('hello world'), 2);
    assert.throws(() => new SummaryValidator(validatorOptions({ length: { encoding: 'nope' as never } })), /unknown tokenizer encoding/);
  });

  it('names ungrounded spans by sentence and kind', () => {
    const v = validator.validate(parseSummaryInput('The customer was charged $98.99 by Verizon. The customer cancelled the Unlimited Plus plan.'), source);
    assert.equal(v.valid, false);
    const kinds = v.ungrounded.map((u) => [u.kind, u.span]);
    assert.deepEqual(kinds, [['amount', '$98.99'], ['entity', 'Verizon'], ['negation', 'cancelled']]);
    assert.equal(v.ungrounded[0]?.sentence, 'The customer was charged $98.99 by Verizon.');
  });

  it('flags personal data by type and masks it in reported sentences', () => {
    const v = validator.validate(parseSummaryInput('The customer was charged $55 on March 3rd; reach them at (415) 555-2671 or jo@example.com.'), source);
    const pd = check(v, 'personal-data');
    assert.equal(pd?.passed, false);
    assert.match(pd?.detail ?? '', /PHONE/);
    assert.match(pd?.detail ?? '', /EMAIL/);
    const json = JSON.stringify(v);
    assert.ok(!json.includes('2671') && !json.includes('jo@example.com'), json);
    assert.ok(v.ungrounded.some((u) => u.sentence.includes('[PHONE]')));
  });

  it('does not take an amount said about the card or the account for its number', () => {
    const v = validator.validate(parseSummaryInput('The card on the account was charged 89.99 twice, on March 3rd.'), source);
    assert.equal(check(v, 'personal-data')?.passed, true, JSON.stringify(check(v, 'personal-data')));
  });

  it('flags values seen as personal data in this conversation, even when the detectors miss them in the summary', () => {
    const learned = new LearnedValues();
    learned.learn('NAME', 'Maria Lopez', 'maria lopez');
    learned.learn('ACCOUNT', 'four four two nine one seven', '442917');
    // no detectors: only what the conversation taught
    const learnedOnly = new SummaryValidator(validatorOptions());
    const v = learnedOnly.validate(parseSummaryInput('Ms. Lopez asked about account 442917 and the charge on March 3rd.'), { ...source, learned });
    const pd = check(v, 'personal-data');
    assert.equal(pd?.passed, false);
    assert.equal(pd?.detail, 'personal data in payload: ACCOUNT (seen in this conversation), NAME (seen in this conversation)');
    assert.ok(!JSON.stringify(v).includes('Lopez') && !JSON.stringify(v).includes('442917'));
    // a short last-four reference is below the default fragment length
    const ok = learnedOnly.validate(parseSummaryInput('The customer confirmed the account ending 2917 was charged on March 3rd.'), { ...source, learned });
    assert.equal(check(ok, 'personal-data')?.passed, true);
  });

  it('accepts redaction tags the source has and rejects invented ones', () => {
    const redacted = validator.sourceFromTexts(['I want to dispute this charge, I gave you my number [PHONE_1] and the charge was ten dollars']);
    const ok = validator.validate(parseSummaryInput('The customer gave [PHONE_1] and disputed a $10 charge.'), redacted);
    assert.equal(check(ok, 'entities')?.passed, true);
    const bad = validator.validate(parseSummaryInput('The customer gave [PHONE_2] and disputed a $10 charge.'), redacted);
    assert.deepEqual(bad.ungrounded.map((u) => [u.kind, u.span]), [['redaction-tag', '[PHONE_2]']]);
  });

  it('runs only the enabled checks', () => {
    const only = new SummaryValidator(
      validatorOptions({ schema: { enabled: false }, length: { enabled: false }, personalData: { enabled: false }, grounding: { numbers: true, entities: false, support: false, negation: false } }),
    );
    const v = only.validate(parseSummaryInput('Verizon charged $98.99.'), source);
    assert.deepEqual(v.checks.map((c) => c.id), ['numbers']);
    assert.deepEqual(v.ungrounded.map((u) => u.kind), ['amount']);
  });
});

describe('parseSummaryInput', () => {
  it('reads Copilot events, LLM objects with chosen fields, and strings', () => {
    const copilot = parseSummaryInput({ event: 'summary', conversationId: 'c1', summary: { text: 'a' }, headline: { text: 'b' }, followupActions: [{ text: 'c' }, { text: ' ' }] });
    assert.deepEqual(copilot.fields.map((f) => f.path), ['summary.text', 'headline.text', 'followupActions[0].text']);
    const llm = parseSummaryInput({ summary: 'a', notes: { text: 'n' }, followups: ['x', 'y'] }, ['summary', 'notes', 'followups']);
    assert.deepEqual(llm.fields.map((f) => f.path), ['summary', 'notes.text', 'followups[0]', 'followups[1]']);
    assert.equal(parseSummaryInput('plain').shape, 'text');
  });

  it('rejects input without text with a clear InputError', () => {
    assert.throws(() => parseSummaryInput(''), /summary text is empty/);
    assert.throws(() => parseSummaryInput(42), /must be a string or an object \(got number\)/);
    assert.throws(() => parseSummaryInput({ conversationId: 'c1', summary: { text: '' }, errorType: 'CONVERSATION_TOO_SHORT' }), /no summary text \(errorType CONVERSATION_TOO_SHORT\)/);
    assert.throws(() => parseSummaryInput({ other: 'x' }), /no text in summary, reason, resolution, followups/);
  });

  it('rejects arrays nested too deep or containing themselves with an InputError, not a stack overflow', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(3000)}"x"${']'.repeat(3000)}`);
    assert.throws(() => parseSummaryInput({ summary: deep }), (err: unknown) => err instanceof InputError && err.code === 'INVALID_SUMMARY' && /nests arrays more than 32 deep/.test(err.message));
    const cyclic: unknown[] = ['x'];
    cyclic.push(cyclic);
    assert.throws(() => parseSummaryInput({ summary: cyclic }), (err: unknown) => err instanceof InputError && err.path === 'summary[1]' && /cyclic array/.test(err.message));
    // The same array twice side by side is not a cycle; 32 levels are still read.
    const shared = ['x'];
    assert.deepEqual(parseSummaryInput({ summary: [shared, shared] }).fields.map((f) => f.path), ['summary[0][0]', 'summary[1][0]']);
    const ok: unknown = JSON.parse(`${'['.repeat(32)}"x"${']'.repeat(32)}`);
    assert.equal(parseSummaryInput({ summary: ok }).fields.length, 1);
  });

  it('rejects text fields holding more than 10,000 values with an InputError, not a walk of 2^32 visits', () => {
    // One array shared twice per level: not cyclic, 31 levels deep, 2^31 leaves.
    let shared: unknown = ['x'];
    for (let level = 0; level < 30; level++) shared = [shared, shared];
    const tooMany = (err: unknown) => err instanceof InputError && err.code === 'INVALID_SUMMARY' && /more than 10000 values/.test(err.message);
    assert.throws(() => parseSummaryInput({ summary: shared }), tooMany);
    // A sparse array made in a flow is refused by its length, before the walk.
    assert.throws(() => parseSummaryInput({ summary: new Array(1e9) }), tooMany);
    // The budget is shared by all text fields; a summary of 4,000 followups is read.
    const followups = Array.from({ length: 4000 }, (_, i) => `follow up ${i}`);
    assert.equal(parseSummaryInput({ summary: 'ok', followups }).fields.length, 4001);
    assert.throws(() => parseSummaryInput({ summary: followups, reason: followups, resolution: followups }), tooMany);
  });
});
