import assert from 'node:assert/strict';
import { mulaw } from 'alawmulaw';
import { channelRms, decodeFrame, deinterleave, pcmToBuffer, samplesInFrame } from '../../../lib/audiohook/media';
import type { MediaParameter } from '../../../lib/audiohook/messages';
import { SessionMetrics, DEFAULT_THRESHOLDS, type QualityAlert } from '../../../lib/audiohook/metrics';
import { ChannelSynth, SynthAudioSource, defaultSpeechPattern, checkSpeechIntervals } from '../../../lib/sim/audio-synth';

const STEREO: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };
const L16: MediaParameter = { type: 'audio', format: 'L16', channels: ['internal', 'external'], rate: 8000 };

function zeroCrossings(pcm: Int16Array): number {
  let n = 0;
  for (let i = 1; i < pcm.length; i++) if ((pcm[i - 1] < 0) !== (pcm[i] < 0)) n++;
  return n;
}

describe('audiohook media', () => {
  it('de-interleaves in the selected channel order and decodes PCMU', () => {
    const ext = new Int16Array(1600).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    const int = new Int16Array(1600).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
    const e = mulaw.encode(ext);
    const n = mulaw.encode(int);
    const frame = Buffer.alloc(3200);
    for (let i = 0; i < 1600; i++) { frame[2 * i] = e[i]; frame[2 * i + 1] = n[i]; }
    assert.equal(samplesInFrame(frame, STEREO), 1600);
    const [a, b] = deinterleave(frame, STEREO);
    assert.deepEqual([...a], [...e]);
    assert.deepEqual([...b], [...n]);
    const d = decodeFrame(frame, STEREO);
    // 440 Hz vs 1 kHz over 0.2 s: ~176 and ~400 zero crossings
    assert.ok(Math.abs(zeroCrossings(d.external!) - 176) <= 2);
    assert.ok(Math.abs(zeroCrossings(d.internal!) - 400) <= 2);
    const rms = channelRms(frame, STEREO);
    assert.ok(Math.abs(rms[0] - 8000 / Math.SQRT2) < 200, String(rms[0]));
    assert.equal(pcmToBuffer(d.external!).readInt16LE(2), d.external![1]);
  });

  it('decodes L16 little-endian and rejects partial samples', () => {
    const frame = Buffer.alloc(8);
    frame.writeInt16LE(1000, 0); frame.writeInt16LE(-2000, 2); frame.writeInt16LE(3000, 4); frame.writeInt16LE(-4000, 6);
    const d = decodeFrame(frame, L16);
    assert.deepEqual([...d.internal!], [1000, 3000]);
    assert.deepEqual([...d.external!], [-2000, -4000]);
    assert.throws(() => samplesInFrame(Buffer.alloc(3), L16), /not a whole number/);
    assert.throws(() => samplesInFrame(Buffer.alloc(0), STEREO), /not a whole number/);
  });
});

describe('audiohook session metrics', () => {
  const thresholds = { ...DEFAULT_THRESHOLDS, silenceSeconds: 1, maxJitterMs: 20, lateFrameMs: 300, maxLossRatio: 0.1, maxRttMs: 100 };
  const silent = Buffer.alloc(3200, 0xff);

  it('measures jitter, late frames, silence per channel and loss', () => {
    const alerts: QualityAlert[] = [];
    const m = new SessionMetrics(STEREO, thresholds, (a) => alerts.push(a));
    let t = 1000;
    for (let i = 0; i < 10; i++) { m.frame(3200, 1600, channelRms(silent, STEREO), t); t += 200; }
    assert.equal(m.jitterMs, 0);
    assert.deepEqual(alerts.map((a) => [a.metric, a.channel]), [['silence', 'external'], ['silence', 'internal']]);
    t += 500; // one frame 500 ms late, then back in step
    m.frame(3200, 1600, [5000, 5000], t);
    t += 200;
    assert.equal(m.lateFrames, 1);
    assert.ok(m.jitterMs > 20);
    assert.ok(alerts.some((a) => a.metric === 'late' && a.value === 500));
    assert.ok(alerts.some((a) => a.metric === 'jitter'));
    m.gap(0.4);
    assert.ok(alerts.some((a) => a.metric === 'loss'));
    const s = m.summary();
    assert.equal(s.frames, 11);
    assert.equal(s.bytes, 35200);
    assert.equal(s.audioSeconds, 2.2);
    assert.equal(s.timelineSeconds, 2.6);
    assert.equal(s.channels.external?.longestSilenceSeconds, 2);
    assert.equal(s.alerts, alerts.length);
  });

  it('alerts once per crossing and re-arms when the metric recovers', () => {
    const alerts: QualityAlert[] = [];
    const m = new SessionMetrics(STEREO, thresholds, (a) => alerts.push(a));
    for (const rtt of [50, 150, 160, 40, 200]) m.rtt(rtt);
    assert.deepEqual(alerts.map((a) => a.value), [150, 200]);
  });

  it('a threshold of 0 turns the alert off', () => {
    const alerts: QualityAlert[] = [];
    const m = new SessionMetrics(STEREO, { ...thresholds, maxRttMs: 0, silenceSeconds: 0 }, (a) => alerts.push(a));
    m.rtt(10_000);
    for (let i = 0; i < 20; i++) m.frame(3200, 1600, [0, 0], i * 200);
    assert.equal(alerts.length, 0);
  });
});

describe('synthetic call audio', () => {
  it('is speech-like while a speaker talks and near silent otherwise, per channel', () => {
    const speech = [{ channel: 'external' as const, startMs: 0, endMs: 1000 }, { channel: 'internal' as const, startMs: 1000, endMs: 2000 }];
    const src = new SynthAudioSource({ speech });
    const first = channelRms(src.frame(1, 1600, ['external', 'internal'], 'PCMU'), STEREO);
    const second = channelRms(src.frame(6, 1600, ['external', 'internal'], 'PCMU'), STEREO);
    assert.ok(first[0] > 1000 && first[1] < 100, String(first));
    assert.ok(second[0] < 100 && second[1] > 1000, String(second));
    // the inverted channel order swaps the bytes
    const inv = channelRms(src.frame(1, 1600, ['internal', 'external'], 'PCMU'), { ...STEREO, channels: ['internal', 'external'] });
    assert.ok(inv[1] > 1000 && inv[0] < 100);
    const pcm = new ChannelSynth('internal', { speech }).render(8000, 1600);
    assert.ok(zeroCrossings(pcm) > 40);
  });

  it('has a default turn pattern and validates given intervals', () => {
    const p = defaultSpeechPattern(20_000);
    assert.ok(p.some((s) => s.channel === 'external') && p.some((s) => s.channel === 'internal'));
    assert.ok(p.every((s) => s.endMs <= 20_000));
    assert.throws(() => checkSpeechIntervals([{ channel: 'both', startMs: 0, endMs: 1 }]), /speech interval 0/);
    assert.throws(() => checkSpeechIntervals([{ channel: 'external', startMs: 5, endMs: 1 }]));
  });
});
