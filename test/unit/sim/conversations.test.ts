import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCES, renderScript } from '../../../lib/sim/conversations/authoring';
import { CONVERSATIONS_DIR, loadScripts } from '../../../lib/sim/conversations/script';
import { luhnValid } from '../../../lib/redact/checksums';

const scripts = loadScripts();

describe('lib/sim/conversations (scripted calls)', () => {
  it('has the six scenarios, generated from authoring.ts and up to date', () => {
    assert.deepEqual(scripts.map((s) => s.id).sort(), ['address-change', 'billing-dispute', 'card-replacement', 'insurance-claim', 'tech-support-router', 'travel-change']);
    for (const src of SOURCES) {
      assert.equal(readFileSync(join(CONVERSATIONS_DIR, `${src.id}.json`), 'utf8'), renderScript(src), `${src.id}.json is stale: run npx tsx lib/sim/conversations/authoring.ts`);
    }
  });

  for (const s of scripts) {
    describe(s.id, () => {
      it('has 1 to 4 minutes of speech from both speakers, in time order', () => {
        const speech = s.utterances.reduce((a, u) => a + u.durationMs, 0);
        assert.ok(speech >= 60_000 && speech <= 240_000, `speech ${speech} ms`);
        assert.ok(s.utterances.some((u) => u.channel === 'INTERNAL') && s.utterances.some((u) => u.channel === 'EXTERNAL'));
        for (let i = 1; i < s.utterances.length; i++) {
          const prev = s.utterances[i - 1]!;
          assert.ok(s.utterances[i]!.offsetMs >= prev.offsetMs + prev.durationMs, `overlap at ${i}`);
        }
      });

      it('has word timings inside each utterance, words matching the transcript, and partials', () => {
        let partials = 0;
        for (const u of s.utterances) {
          assert.equal(u.words.map((w) => w.word).join(' '), u.transcript);
          let t = u.offsetMs;
          for (const w of u.words) {
            assert.ok(w.offsetMs >= t && w.durationMs > 0 && w.confidence > 0 && w.confidence <= 1);
            t = w.offsetMs + w.durationMs;
          }
          assert.equal(t, u.offsetMs + u.durationMs);
          for (const p of u.partials) assert.ok(p.wordCount >= 1 && p.wordCount < u.words.length);
          partials += u.partials.length;
        }
        assert.ok(partials > s.utterances.length / 2);
      });

      it('speaks numbers as words, never digits', () => {
        for (const u of s.utterances) assert.doesNotMatch(u.transcript, /\d/);
      });

      it('carries fake but checksum-valid personal data', () => {
        const ids = new Set(s.utterances.map((u) => u.utteranceId));
        for (const p of s.personalData) {
          assert.ok(p.utteranceIds.length > 0 && p.utteranceIds.every((id) => ids.has(id)));
          if (p.type === 'card') {
            assert.ok(luhnValid(p.value), `${p.value} fails Luhn`);
            assert.ok(p.utteranceIds.length >= 3, 'card numbers are split across utterances');
          }
          if (p.type === 'ssn') {
            const [area, group, serial] = p.value.split('-');
            assert.ok(area !== '000' && area !== '666' && !area!.startsWith('9') && group !== '00' && serial !== '0000');
          }
          if (p.type === 'phone') assert.match(p.value, /^\d{3}-555-01\d\d$/, 'fictional 555-01xx numbers only');
          if (p.type === 'email') assert.match(p.value, /@example\.com$/);
        }
        assert.ok(s.personalData.some((p) => p.type === 'name'));
      });

      it('has a faithful and a flawed Copilot summary, and speech intervals for the AudioHook client', () => {
        assert.ok(s.summaries.some((x) => x.variant === 'faithful' && x.flaw === ''));
        assert.ok(s.summaries.some((x) => x.variant !== 'faithful' && x.flaw.length > 0));
        assert.deepEqual(
          s.speechIntervals,
          s.utterances.map((u) => ({ channel: u.channel === 'INTERNAL' ? 'internal' : 'external', startMs: u.offsetMs, endMs: u.offsetMs + u.durationMs })),
        );
      });
    });
  }
});
