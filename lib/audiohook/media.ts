/**
 * AudioHook media: headerless binary frames, samples interleaved in the order of the selected
 * `channels`. PCMU is 1 byte per sample (decoded with alawmulaw); L16 is 2 bytes, read
 * little-endian (host order of the reference implementation; the protocol does not say).
 */
import { mulaw } from 'alawmulaw';
import { InputError } from '../util/errors';
import { bytesPerSample, type ChannelName, type MediaParameter } from './messages';

/** Bytes of one sample across all channels. */
export function bytesPerSampleFrame(media: MediaParameter): number {
  return bytesPerSample(media.format) * media.channels.length;
}

/** Samples per channel in a frame; throws InputError when the frame is not whole samples. */
export function samplesInFrame(frame: Uint8Array, media: MediaParameter): number {
  const unit = bytesPerSampleFrame(media);
  if (frame.length === 0 || frame.length % unit !== 0) {
    throw new InputError(`audio frame of ${frame.length} bytes is not a whole number of ${unit}-byte samples`, 'BAD_FRAME');
  }
  return frame.length / unit;
}

/** Splits an interleaved frame into one raw buffer per channel (same encoding). */
export function deinterleave(frame: Uint8Array, media: MediaParameter): Buffer[] {
  const n = samplesInFrame(frame, media);
  const ch = media.channels.length;
  const bps = bytesPerSample(media.format);
  if (ch === 1) return [Buffer.from(frame.buffer, frame.byteOffset, frame.length)];
  const out = media.channels.map(() => Buffer.allocUnsafe(n * bps));
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const src = (i * ch + c) * bps;
      const dst = i * bps;
      out[c][dst] = frame[src];
      if (bps === 2) out[c][dst + 1] = frame[src + 1];
    }
  }
  return out;
}

/** Decodes a frame to 16-bit PCM per channel, keyed by channel name. */
export function decodeFrame(frame: Uint8Array, media: MediaParameter): Partial<Record<ChannelName, Int16Array>> {
  const parts = deinterleave(frame, media);
  const out: Partial<Record<ChannelName, Int16Array>> = {};
  media.channels.forEach((name, i) => {
    const raw = parts[i];
    if (media.format === 'PCMU') out[name] = mulaw.decode(raw);
    else {
      const pcm = new Int16Array(raw.length / 2);
      for (let s = 0; s < pcm.length; s++) pcm[s] = raw.readInt16LE(s * 2);
      out[name] = pcm;
    }
  });
  return out;
}

/** 16-bit little-endian PCM bytes of an Int16Array (for msg.payload). */
export function pcmToBuffer(pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i], i * 2);
  return out;
}

// Squared decoded value per mu-law byte: RMS per channel without decoding every frame.
const MULAW_SQUARED = new Float64Array(256);
for (let b = 0; b < 256; b++) {
  const v = mulaw.decodeSample(b);
  MULAW_SQUARED[b] = v * v;
}

/**
 * RMS level (16-bit scale) of each channel of a frame, in channel order. Runs on every frame of
 * every session, so PCMU uses a squared-value table and scalar accumulators, and reads every
 * `stride`-th sample (default 2: 4 kHz is plenty to tell speech from silence).
 */
export function channelRms(frame: Uint8Array, media: MediaParameter, stride = 2): number[] {
  const n = samplesInFrame(frame, media);
  const ch = media.channels.length;
  const step = Math.max(1, Math.floor(stride));
  let count = 0;
  if (media.format === 'PCMU') {
    const table = MULAW_SQUARED;
    if (ch === 2) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < n; i += step, count++) {
        a += table[frame[2 * i]];
        b += table[frame[2 * i + 1]];
      }
      return [Math.sqrt(a / count), Math.sqrt(b / count)];
    }
    let a = 0;
    for (let i = 0; i < n; i += step, count++) a += table[frame[i]];
    return [Math.sqrt(a / count)];
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.length);
  const sums = new Float64Array(ch);
  for (let i = 0; i < n; i += step, count++) {
    for (let c = 0; c < ch; c++) {
      const v = view.getInt16((i * ch + c) * 2, true);
      sums[c] += v * v;
    }
  }
  return Array.from(sums, (s) => Math.sqrt(s / count));
}
