/**
 * Out-of-sample check: the simulator's scripted calls (lib/sim/conversations, written for
 * transcript-in, with faithful and flawed Copilot summaries) go through the validator the way the
 * demo flow sends them: raw Utterances, and the redactor's output of them (msg.redaction).
 * Faithful summaries must pass; each flawed one must fail the check its flaw belongs to.
 */
import assert from 'node:assert/strict';
import { loadScripts, type ConversationScript } from '../../../lib/sim/conversations/script';
import { Redactor, redactMessageValue, redactorOptionsFromDialog } from '../../../lib/redact';
import { SummaryValidationEngine, summaryOptionsFromDialog, type CheckId } from '../../../lib/summary';
import { ManualClock } from '../../support/manual-clock';

const EXPECTED: Record<string, CheckId | undefined> = { faithful: undefined, 'swapped-number': 'numbers', 'invented-entity': 'entities', 'leaked-phone': 'personal-data' };

function utterances(script: ConversationScript): Array<Record<string, unknown>> {
  return script.utterances.map((u) => ({
    conversationId: script.id,
    utteranceId: u.utteranceId,
    channel: u.channel,
    isFinal: true,
    text: u.transcript,
    startMs: u.offsetMs,
    endMs: u.offsetMs + u.durationMs,
  }));
}

for (const mode of ['raw segments', 'redacted segments'] as const) {
  describe(`summary validator on the simulator's scripted calls (${mode})`, () => {
    const scripts = loadScripts();
    const clock = new ManualClock();
    const engine = new SummaryValidationEngine(summaryOptionsFromDialog({}), clock);
    const redactor = new Redactor(redactorOptionsFromDialog({}));
    after(() => {
      engine.close();
      redactor.close();
    });

    for (const script of scripts) {
      it(`${script.id}: ${script.summaries.map((s) => s.variant).join(', ')}`, () => {
        for (const u of utterances(script)) {
          const msg: Record<string, unknown> = { topic: script.id, payload: u };
          if (mode === 'redacted segments') {
            const r = redactMessageValue(redactor, u, 'payload', { conversationId: script.id });
            msg.payload = r.value;
            msg.redaction = { entities: r.entities };
          }
          assert.equal(engine.handle(msg, msg.payload, undefined).kind, 'source');
        }
        for (const s of script.summaries) {
          const payload = { event: 'summary', conversationId: script.id, ...s.body };
          const r = engine.handle({ topic: script.id, payload }, payload, undefined);
          assert.equal(r.kind, 'validated');
          if (r.kind !== 'validated') return;
          const failed = r.validation.checks.filter((c) => !c.passed).map((c) => c.id);
          const want = EXPECTED[s.variant];
          if (mode === 'redacted segments' && script.personalData.length) {
            assert.match(r.validation.checks.find((c) => c.id === 'personal-data')?.detail ?? '', /redacted upstream in this conversation: [A-Z]/);
          }
          if (want === undefined) assert.deepEqual(failed, [], `${s.variant}: ${JSON.stringify(r.validation.checks.filter((c) => !c.passed))}`);
          else assert.ok(failed.includes(want), `${s.variant} (${s.flaw}) not caught by ${want}: ${failed.join(', ')}`);
        }
        engine.handle({ payload: { event: 'conversation-ended', conversationId: script.id } }, undefined, undefined);
      });
    }
  });
}
