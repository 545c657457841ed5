/**
 * Synthetic call audio for the AudioHook simulator: speech-like voiced bursts (a harmonic series
 * on a gliding pitch, shaped into ~4 syllables per second, plus a little breath noise) while a
 * speaker talks, near-silent comfort noise otherwise. Driven by per-speaker speech intervals so
 * conversation scripts can line the audio up with their transcripts.
 */
import { mulaw } from 'alawmulaw';
import type { ChannelName, MediaFormat } from '../audiohook/messages';
import { seededRandom } from '../util/random';

export interface SpeechInterval {
  channel: ChannelName;
  startMs: number;
  endMs: number;
}

/** Alternating turns (customer, then agent) with pauses between, repeated over the duration. */
export function defaultSpeechPattern(durationMs: number): SpeechInterval[] {
  const turns: Array<[ChannelName, number, number]> = [
    ['external', 300, 2600],
    ['internal', 3000, 6200],
    ['external', 6600, 7600],
    ['internal', 8000, 9400],
  ];
  const period = 10_000;
  const out: SpeechInterval[] = [];
  for (let base = 0; base < durationMs; base += period) {
    for (const [channel, s, e] of turns) {
      if (base + s >= durationMs) break;
      out.push({ channel, startMs: base + s, endMs: Math.min(durationMs, base + e) });
    }
  }
  return out;
}

/** Validates intervals from outside (scripts, CLI). */
export function checkSpeechIntervals(intervals: unknown): SpeechInterval[] {
  if (!Array.isArray(intervals)) throw new TypeError('speech intervals must be an array');
  return intervals.map((iv, i) => {
    const v = iv as Partial<SpeechInterval>;
    if ((v.channel !== 'external' && v.channel !== 'internal') || typeof v.startMs !== 'number' || typeof v.endMs !== 'number' || !(v.endMs >= v.startMs) || v.startMs < 0) {
      throw new TypeError(`speech interval ${i} must be {channel:'external'|'internal', startMs, endMs >= startMs}`);
    }
    return { channel: v.channel, startMs: v.startMs, endMs: v.endMs };
  });
}

const PITCH: Record<ChannelName, number> = { external: 205, internal: 118 };

export interface SynthOptions {
  speech: SpeechInterval[];
  rate?: number;
  seed?: number;
  /** Peak amplitude of speech (16-bit scale). Default 9000. */
  level?: number;
}

/** 16-bit PCM for one channel, sample by sample. */
export class ChannelSynth {
  private readonly rate: number;
  private readonly intervals: SpeechInterval[];
  private readonly random: () => number;
  private readonly level: number;

  constructor(readonly channel: ChannelName, opts: SynthOptions) {
    this.rate = opts.rate ?? 8000;
    this.intervals = opts.speech.filter((s) => s.channel === channel).sort((a, b) => a.startMs - b.startMs);
    this.random = seededRandom((opts.seed ?? 7) + (channel === 'external' ? 1 : 2));
    this.level = opts.level ?? 9000;
  }

  speaking(ms: number): SpeechInterval | undefined {
    return this.intervals.find((s) => ms >= s.startMs && ms < s.endMs);
  }

  /** `count` samples starting at sample index `start`. */
  render(start: number, count: number): Int16Array {
    const out = new Int16Array(count);
    const f0 = PITCH[this.channel];
    for (let i = 0; i < count; i++) {
      const n = start + i;
      const t = n / this.rate;
      const ms = t * 1000;
      const noise = this.random() * 2 - 1;
      const iv = this.speaking(ms);
      if (!iv) {
        out[i] = Math.round(noise * 6); // comfort noise, about -75 dBFS
        continue;
      }
      const local = (ms - iv.startMs) / 1000;
      // Syllables: raised-cosine envelope at ~4 Hz, with 20 ms fades at the turn edges.
      const syllable = 0.25 + 0.75 * Math.pow(Math.sin(Math.PI * 4.2 * local), 2);
      const edge = Math.min(1, (ms - iv.startMs) / 20, (iv.endMs - ms) / 20);
      const pitch = f0 * (1 + 0.08 * Math.sin(2 * Math.PI * 0.7 * t));
      let v = 0;
      for (let k = 1; k <= 6; k++) v += Math.sin(2 * Math.PI * pitch * k * t) / k;
      out[i] = Math.round(this.level * edge * syllable * (0.55 * v + 0.08 * noise));
    }
    return out;
  }
}

/** Encodes one channel's PCM to the wire format. */
export function encodeSamples(pcm: Int16Array, format: MediaFormat): Uint8Array {
  if (format === 'PCMU') return mulaw.encode(pcm);
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i], i * 2);
  return out;
}

/** Supplies interleaved wire-format frames for a selected media. */
export interface AudioSource {
  frame(index: number, samplesPerChannel: number, channels: ChannelName[], format: MediaFormat): Buffer;
}

/** Interleaves per-channel encoded samples (1 or 2 bytes each) in channel order. */
export function interleave(parts: Uint8Array[], bytesPerSample: number): Buffer {
  if (parts.length === 1) return Buffer.from(parts[0]);
  const n = parts[0].length / bytesPerSample;
  const out = Buffer.allocUnsafe(n * bytesPerSample * parts.length);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (const p of parts) {
      for (let b = 0; b < bytesPerSample; b++) out[o++] = p[i * bytesPerSample + b];
    }
  }
  return out;
}

/** Synthesises frames from speech intervals; frames are cached by index (scripts are finite). */
export class SynthAudioSource implements AudioSource {
  private readonly synth: Record<ChannelName, ChannelSynth>;
  private readonly cache = new Map<string, Buffer>();

  constructor(opts: SynthOptions, private readonly cacheFrames = true) {
    this.synth = { external: new ChannelSynth('external', opts), internal: new ChannelSynth('internal', opts) };
  }

  frame(index: number, samples: number, channels: ChannelName[], format: MediaFormat): Buffer {
    const key = `${index}/${samples}/${channels.join(',')}/${format}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const parts = channels.map((c) => encodeSamples(this.synth[c].render(index * samples, samples), format));
    const out = interleave(parts, format === 'L16' ? 2 : 1);
    if (this.cacheFrames) this.cache.set(key, out);
    return out;
  }
}

/** Loops a fixed number of synthesised frames: cheap audio for load tests. */
export class LoopedAudioSource implements AudioSource {
  private readonly inner: SynthAudioSource;
  constructor(private readonly loopFrames: number, opts: SynthOptions) {
    this.inner = new SynthAudioSource(opts);
  }
  frame(index: number, samples: number, channels: ChannelName[], format: MediaFormat): Buffer {
    return this.inner.frame(index % this.loopFrames, samples, channels, format);
  }
}
