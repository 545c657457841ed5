import assert from 'node:assert/strict';
import { ServerSession, type SessionEnd, type SessionEvent, type SessionOptions } from '../../../lib/audiohook/session';
import type { MediaParameter, ServerMessage } from '../../../lib/audiohook/messages';
import type { QualityAlert } from '../../../lib/audiohook/metrics';
import { ManualClock } from '../../support/manual-clock';

const SID = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const ORG = 'd7934305-0972-4844-938e-9060eef73d05';
const CONV = '6a1bb35c-2c43-4b6e-a8f4-2bd0b1f9a3f1';
const STEREO: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };
const INVERTED: MediaParameter = { ...STEREO, channels: ['internal', 'external'] };
const MONO: MediaParameter = { ...STEREO, channels: ['external'] };

class Harness {
  clock = new ManualClock();
  sent: ServerMessage[] = [];
  events: SessionEvent[] = [];
  alerts: QualityAlert[] = [];
  ended?: SessionEnd;
  terminated = false;
  session: ServerSession;
  seq = 0;
  positionSec = 0;

  constructor(opts: Partial<SessionOptions> = {}) {
    this.session = new ServerSession(
      { send: (t) => this.sent.push(JSON.parse(t)), close: () => undefined, terminate: () => { this.terminated = true; } },
      { clock: this.clock, headers: { sessionId: SID, organizationId: ORG }, auth: { ok: true }, ...opts },
    );
    this.session.on('event', (e) => this.events.push(e));
    this.session.on('alert', (a) => this.alerts.push(a));
    this.session.on('end', (e) => { this.ended = e; });
  }
  msg(type: string, parameters: unknown, over: Record<string, unknown> = {}) {
    const serverseq = this.sent.length ? this.sent[this.sent.length - 1].seq : 0;
    this.session.handleText(JSON.stringify({ version: '2', id: SID, type, seq: ++this.seq, serverseq, position: `PT${this.positionSec}S`, parameters, ...over }));
    return this.sent[this.sent.length - 1];
  }
  open(media: MediaParameter[] = [STEREO, MONO], extra: Record<string, unknown> = {}) {
    return this.msg('open', { organizationId: ORG, conversationId: CONV, participant: { id: ORG, ani: '+1', aniName: 'A', dnis: '+2' }, media, ...extra });
  }
  audio(ms = 200, channels = 2) {
    const samples = (8000 * ms) / 1000;
    this.session.handleBinary(Buffer.alloc(samples * channels, 0xff));
    this.positionSec = Math.round((this.positionSec + ms / 1000) * 1e6) / 1e6;
  }
  last() {
    return this.sent[this.sent.length - 1];
  }
  types() {
    return this.sent.map((m) => m.type);
  }
}

describe('audiohook server session', () => {
  it('opens with the first stereo offer copied exactly and answers ping and close', () => {
    const h = new Harness();
    assert.equal(h.session.state, 'preparing');
    const opened = h.open([MONO, INVERTED, STEREO]);
    assert.equal(opened.type, 'opened');
    assert.deepEqual(opened.parameters, { media: [INVERTED] });
    assert.equal(opened.seq, 1);
    assert.equal(opened.clientseq, 1);
    assert.equal(h.session.state, 'active');
    h.audio();
    const pong = h.msg('ping', {});
    assert.deepEqual({ type: pong.type, seq: pong.seq, clientseq: pong.clientseq, parameters: pong.parameters }, { type: 'pong', seq: 2, clientseq: 2, parameters: {} });
    const closed = h.msg('close', { reason: 'end' });
    assert.equal(closed.type, 'closed');
    assert.equal(closed.clientseq, 3);
    assert.equal(h.session.state, 'closed');
    h.session.socketClosed();
    assert.equal(h.ended?.closeReason, 'end');
    assert.equal(h.ended?.clean, true);
    assert.equal(h.ended?.summary.frames, 1);
    assert.deepEqual(h.events.map((e) => e.event), ['opened', 'closed']);
  });

  it('selects no media when no offer is acceptable, and follows the format filter', () => {
    const h = new Harness({ acceptedFormats: ['L16'] });
    assert.deepEqual(h.open([STEREO]).parameters, { media: [] });
    const l16 = { ...MONO, format: 'L16' as const };
    assert.deepEqual(new Harness({ acceptedFormats: ['L16'] }).open([STEREO, l16]).parameters, { media: [l16] });
    assert.deepEqual(new Harness({ preferStereo: false }).open([MONO, STEREO]).parameters, { media: [MONO] });
  });

  it('tracks pause, resume, discarded and the timeline', () => {
    const h = new Harness();
    h.open();
    h.audio();
    assert.equal(h.session.pause(), true);
    assert.equal(h.last().type, 'pause');
    h.msg('paused', {});
    assert.equal(h.session.state, 'paused');
    assert.equal(h.session.resume(), true);
    assert.equal(h.last().type, 'resume');
    h.positionSec = 2.2;
    h.msg('resumed', { start: 'PT0.2S', discarded: 'PT2S' });
    assert.equal(h.session.state, 'active');
    h.audio();
    h.positionSec = 2.8;
    h.msg('discarded', { start: 'PT2.4S', discarded: 'PT0.4S' });
    h.audio();
    const end = (h.msg('close', { reason: 'end' }), h.session.socketClosed(), h.ended!);
    assert.equal(end.summary.discardedSeconds, 2.4);
    assert.equal(end.summary.gapSeconds, 0);
    assert.equal(end.summary.timelineSeconds, 3);
    assert.deepEqual(h.events.map((e) => e.event), ['opened', 'paused', 'resumed', 'discarded', 'closed']);
    assert.ok(h.alerts.some((a) => a.metric === 'loss'));
  });

  it('counts undeclared position gaps as lost audio', () => {
    const h = new Harness();
    h.open();
    h.audio();
    h.positionSec = 1.0; // 0.8 s never arrived
    h.msg('ping', {});
    h.msg('close', { reason: 'end' });
    h.session.socketClosed();
    assert.equal(h.ended?.summary.gapSeconds, 0.8);
    assert.equal(h.ended?.summary.lossRatio, 0.8);
  });

  it('answers update with updated and reports client errors', () => {
    const h = new Harness();
    h.open();
    assert.equal(h.msg('update', { language: 'fr-CA' }).type, 'updated');
    h.msg('error', { code: 408, message: 'Timeout waiting for pong' });
    assert.equal(h.session.info().language, 'fr-CA');
    assert.deepEqual(h.events.map((e) => e.event), ['opened', 'updated', 'error']);
    assert.equal(h.events[2].details.code, 408);
    assert.equal(h.msg('close', { reason: 'error' }).type, 'closed');
  });

  it('records client-reported round trips and alerts above the threshold', () => {
    const h = new Harness({ thresholds: { maxRttMs: 100 } });
    h.open();
    h.msg('ping', { rtt: 'PT0.02S' });
    h.msg('ping', { rtt: 'PT0.25S' });
    h.msg('ping', { rtt: 'PT0.3S' });
    assert.deepEqual(h.alerts.map((a) => [a.metric, a.value]), [['rtt', 250]]);
    h.msg('close', { reason: 'end' });
    h.session.socketClosed();
    assert.deepEqual(h.ended?.summary.rtt, { count: 3, minMs: 20, meanMs: 190, maxMs: 300, lastMs: 300 });
  });

  describe('protocol errors end the session with disconnect error, then closed', () => {
    const cases: Array<[string, (h: Harness) => void, RegExp]> = [
      ['malformed JSON', (h) => h.session.handleText('{"type":'), /not well-formed JSON/],
      ['unknown type', (h) => h.msg('dance', {}), /Unknown message type/],
      ['missing parameters', (h) => h.msg('ping', undefined), /missing parameters/],
      ['seq gap', (h) => h.msg('ping', {}, { seq: 7 }), /Invalid seq value 7, expected 2/],
      ['repeated seq', (h) => h.msg('ping', {}, { seq: 1 }), /Invalid seq value 1/],
      ['serverseq ahead', (h) => h.msg('ping', {}, { serverseq: 9 }), /Invalid serverseq/],
      ['id mismatch', (h) => h.msg('ping', {}, { id: ORG }), /id does not match/],
      ['second open', (h) => h.open(), /already open/],
      ['text too large', (h) => h.session.handleText(' '.repeat(70_000)), /too large/],
      ['frame too large', (h) => h.session.handleBinary(Buffer.alloc(70_000)), /frame too large/],
      ['partial sample', (h) => h.session.handleBinary(Buffer.alloc(3)), /not a whole number/],
      ['audio while paused', (h) => { h.msg('paused', {}); h.audio(); }, /while paused/],
      ['bad duration in resumed', (h) => h.msg('resumed', { start: 'PT1M', discarded: 'PT0S' }), /Invalid message/],
    ];
    for (const [name, act, re] of cases) {
      it(name, () => {
        const h = new Harness();
        h.open();
        act(h);
        const d = h.last();
        assert.equal(d.type, 'disconnect');
        assert.equal((d.parameters as { reason: string }).reason, 'error');
        assert.match((d.parameters as { info: string }).info, re);
        assert.equal(h.session.state, 'error');
        // Further garbage is ignored; the client's close gets closed.
        const n = h.sent.length;
        h.session.handleText('garbage');
        h.audio();
        assert.equal(h.sent.length, n);
        h.seq = 50;
        assert.equal(h.msg('close', { reason: 'disconnect' }).type, 'closed');
        h.session.socketClosed();
        assert.equal(h.ended?.disconnect?.reason, 'error');
        assert.equal(h.events.filter((e) => e.event === 'error').length, 1);
      });
    }

    it('audio or messages before open', () => {
      const h = new Harness();
      h.session.handleBinary(Buffer.alloc(320));
      assert.match((h.last().parameters as { info: string }).info, /before the session was opened/);
      const h2 = new Harness();
      h2.msg('ping', {});
      assert.match((h2.last().parameters as { info: string }).info, /Unexpected ping before open/);
    });

    it('audio with no media selected', () => {
      const h = new Harness({ acceptedFormats: ['L16'] });
      h.open([STEREO]);
      h.audio();
      assert.match((h.last().parameters as { info: string }).info, /no media was selected/);
    });
  });

  it('unauthorized: disconnect unauthorized no sooner than 500 ms after connect, no opened', () => {
    const h = new Harness({ auth: { ok: false, reason: 'Signatures do not match' } });
    h.clock.advance(100);
    h.open();
    assert.equal(h.session.state, 'unauthorized');
    assert.equal(h.sent.length, 0);
    h.clock.advance(399);
    assert.equal(h.sent.length, 0);
    h.clock.advance(1);
    assert.deepEqual(h.last().parameters, { reason: 'unauthorized', info: 'FAILED: Signatures do not match' });
    assert.equal(h.msg('close', { reason: 'disconnect' }).type, 'closed');
    assert.deepEqual(h.types(), ['disconnect', 'closed']);
  });

  it('unauthorized when the open organization differs from the header', () => {
    const h = new Harness();
    h.msg('open', { organizationId: CONV, conversationId: CONV, participant: { id: ORG, ani: '', aniName: '', dnis: '' }, media: [STEREO] });
    h.clock.advance(500);
    assert.match((h.last().parameters as { info: string }).info, /Organization id/);
  });

  it('server disconnect waits for close, drops the socket after the close timeout', () => {
    const h = new Harness({ closeTimeoutMs: 1000 });
    h.open();
    assert.equal(h.session.disconnect('completed', 'done by server'), true);
    assert.equal(h.session.state, 'closing');
    assert.equal(h.session.disconnect('completed'), false);
    h.msg('ping', {}); // still answered while closing
    assert.equal(h.last().type, 'pong');
    h.clock.advance(1000);
    assert.equal(h.terminated, true);
    assert.equal(h.ended?.closeReason, 'timeout');
    assert.equal(h.ended?.clean, false);
  });

  it('drops a client that never opens, disconnects an idle one, lingers after closed', () => {
    const a = new Harness({ openTimeoutMs: 1000 });
    a.clock.advance(1000);
    assert.equal(a.terminated, true);
    assert.equal(a.sent.length, 0);

    const b = new Harness({ idleTimeoutMs: 2000, closeTimeoutMs: 500 });
    b.open();
    b.clock.advance(1999);
    b.msg('ping', {});
    b.clock.advance(1999);
    assert.equal(b.session.state, 'active');
    b.clock.advance(1);
    assert.match((b.last().parameters as { info: string }).info, /No message for 2000 ms/);
    b.clock.advance(500);
    assert.equal(b.terminated, true);

    const c = new Harness({ lingerMs: 300 });
    c.open();
    c.msg('close', { reason: 'end' });
    c.clock.advance(300);
    assert.equal(c.terminated, true);
    assert.equal(c.ended?.closeReason, 'end');
    assert.equal(c.clock.pending, 0);
  });

  it('pause and resume are refused before open and after close', () => {
    const h = new Harness();
    assert.equal(h.session.pause(), false);
    h.open();
    h.msg('close', { reason: 'end' });
    assert.equal(h.session.resume(), false);
    assert.equal(h.session.disconnect('completed'), false);
  });

  it('a connection probe (null conversation id) is flagged', () => {
    const h = new Harness();
    h.msg('open', { organizationId: ORG, conversationId: '00000000-0000-0000-0000-000000000000', participant: { id: '00000000-0000-0000-0000-000000000000', ani: '', aniName: '', dnis: '' }, media: [STEREO] });
    assert.equal(h.events[0].info.probe, true);
  });
});
