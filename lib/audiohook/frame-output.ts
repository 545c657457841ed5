/**
 * Audio frames -> audio output payloads. Frames are grouped `groupSize` at a time (fewer on
 * flush); a group becomes one raw payload (the frames' bytes as received) or, decoded, one
 * 16-bit little-endian PCM payload per channel.
 */
import { decodeFrame, pcmToBuffer } from './media';
import type { ChannelName, MediaFormat } from './messages';
import type { AudioFrame } from './session';

export interface AudioDescription {
  format: MediaFormat;
  channels: ChannelName[];
  rate: number;
  /** Timeline position (s) of the group's first sample. */
  position: number;
  /** Samples per channel in the group. */
  samples: number;
  frames: number;
  /** Decoded output only. */
  encoding?: 'pcm_s16le';
  /** Decoded output only: the one channel in this payload. */
  channel?: ChannelName;
}

export interface AudioPayload {
  payload: Buffer;
  audio: AudioDescription;
}

export class FrameGrouper {
  private frames: AudioFrame[] = [];

  constructor(
    readonly mode: 'raw' | 'decoded',
    readonly groupSize: number,
  ) {
    if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`frame group must be an integer >= 1 (got ${groupSize})`);
  }

  /** Frames waiting for their group to fill. */
  get pending(): number {
    return this.frames.length;
  }

  /** Adds a frame; returns the group's payloads when it is full, else an empty list. */
  push(frame: AudioFrame): AudioPayload[] {
    this.frames.push(frame);
    return this.frames.length >= this.groupSize ? this.flush() : [];
  }

  /**
   * Payloads of the frames held so far (an empty list when none). Decoding a frame that is not
   * whole samples throws the media InputError; the group is dropped either way.
   */
  flush(): AudioPayload[] {
    if (this.frames.length === 0) return [];
    const frames = this.frames;
    this.frames = [];
    const first = frames[0];
    const audio: AudioDescription = {
      format: first.media.format,
      channels: first.media.channels,
      rate: first.media.rate,
      position: first.positionSec,
      samples: frames.reduce((n, f) => n + f.samples, 0),
      frames: frames.length,
    };
    if (this.mode === 'raw') return [{ payload: frames.length === 1 ? first.data : Buffer.concat(frames.map((f) => f.data)), audio }];
    const perChannel = first.media.channels.map((channel) => ({ channel, parts: [] as Buffer[] }));
    for (const f of frames) {
      const decoded = decodeFrame(f.data, f.media);
      for (const pc of perChannel) pc.parts.push(pcmToBuffer(decoded[pc.channel] as Int16Array));
    }
    return perChannel.map((pc) => ({
      payload: Buffer.concat(pc.parts),
      audio: { ...audio, format: 'L16', encoding: 'pcm_s16le', channel: pc.channel, channels: [pc.channel] },
    }));
  }
}
