import assert from 'node:assert/strict';
import { mulaw } from 'alawmulaw';
import { FrameGrouper } from '../../../lib/audiohook/frame-output';
import type { MediaParameter } from '../../../lib/audiohook/messages';
import { publicInfo, publicInfoForAudio, sessionTopic } from '../../../lib/audiohook/public-info';
import type { AudioFrame, SessionInfo } from '../../../lib/audiohook/session';
import { InputError } from '../../../lib/util/errors';

const STEREO: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };
const L16_MONO: MediaParameter = { type: 'audio', format: 'L16', channels: ['internal'], rate: 16000 };

/** A stereo PCMU frame: external samples count up from `base`, internal ones down. */
function stereoFrame(base: number, samples: number, positionSec: number): { frame: AudioFrame; external: number[]; internal: number[] } {
  const external = Array.from({ length: samples }, (_, i) => (base + i) * 64);
  const internal = Array.from({ length: samples }, (_, i) => -(base + i) * 64);
  const e = mulaw.encode(Int16Array.from(external));
  const n = mulaw.encode(Int16Array.from(internal));
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data[2 * i] = e[i];
    data[2 * i + 1] = n[i];
  }
  // What the decoder gives back (mu-law is lossy).
  return { frame: { data, media: STEREO, positionSec, samples }, external: [...mulaw.decode(e)], internal: [...mulaw.decode(n)] };
}

const pcm = (buf: Buffer): number[] => Array.from({ length: buf.length / 2 }, (_, i) => buf.readInt16LE(i * 2));

describe('audiohook frame output', () => {
  it('raw: groups N frames into one payload of their bytes, described by the first frame', () => {
    const g = new FrameGrouper('raw', 3);
    const frames = [0, 1, 2].map((k) => stereoFrame(k * 10, 10, k * 0.00125).frame);
    assert.deepEqual(g.push(frames[0]), []);
    assert.deepEqual(g.push(frames[1]), []);
    assert.equal(g.pending, 2);
    const out = g.push(frames[2]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].payload, Buffer.concat(frames.map((f) => f.data)));
    assert.deepEqual(out[0].audio, { format: 'PCMU', channels: ['external', 'internal'], rate: 8000, position: 0, samples: 30, frames: 3 });
    assert.equal(g.pending, 0);
  });

  it('raw: a single-frame group passes the frame bytes through uncopied', () => {
    const { frame } = stereoFrame(0, 8, 1.5);
    const [out] = new FrameGrouper('raw', 1).push(frame);
    assert.equal(out.payload, frame.data);
    assert.equal(out.audio.position, 1.5);
  });

  it('decoded: one 16-bit PCM payload per channel, in the media channel order', () => {
    const g = new FrameGrouper('decoded', 2);
    const a = stereoFrame(1, 4, 2);
    const b = stereoFrame(5, 4, 2.0005);
    g.push(a.frame);
    const out = g.push(b.frame);
    assert.deepEqual(out.map((o) => o.audio.channel), ['external', 'internal']);
    assert.deepEqual(pcm(out[0].payload), [...a.external, ...b.external]);
    assert.deepEqual(pcm(out[1].payload), [...a.internal, ...b.internal]);
    assert.deepEqual(out[1].audio, { format: 'L16', channels: ['internal'], rate: 8000, position: 2, samples: 8, frames: 2, encoding: 'pcm_s16le', channel: 'internal' });
  });

  it('decoded: L16 frames are read little-endian', () => {
    const data = Buffer.alloc(6);
    [1, -2, 32767].forEach((v, i) => data.writeInt16LE(v, i * 2));
    const [out] = new FrameGrouper('decoded', 1).push({ data, media: L16_MONO, positionSec: 0, samples: 3 });
    assert.deepEqual(pcm(out.payload), [1, -2, 32767]);
    assert.equal(out.audio.rate, 16000);
  });

  it('flush sends a partial group once, and nothing when empty', () => {
    const g = new FrameGrouper('raw', 5);
    assert.deepEqual(g.flush(), []);
    g.push(stereoFrame(0, 4, 0).frame);
    g.push(stereoFrame(4, 4, 0.0005).frame);
    const out = g.flush();
    assert.equal(out.length, 1);
    assert.equal(out[0].audio.frames, 2);
    assert.deepEqual(g.flush(), []);
  });

  it('a frame that is not whole samples fails decoding with InputError and the group is dropped', () => {
    const g = new FrameGrouper('decoded', 2);
    g.push(stereoFrame(0, 4, 0).frame);
    assert.throws(() => g.push({ data: Buffer.alloc(3), media: STEREO, positionSec: 0.0005, samples: 1 }), (err: unknown) => err instanceof InputError && err.code === 'BAD_FRAME');
    assert.equal(g.pending, 0);
    assert.equal(g.push(stereoFrame(0, 4, 0.001).frame).length, 0, 'a new group starts');
  });

  it('refuses a group size that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) assert.throws(() => new FrameGrouper('raw', n), RangeError);
  });

  describe('public session info', () => {
    const info: SessionInfo = {
      sessionId: 's1', conversationId: 'c1', media: STEREO, offered: [STEREO], position: 'PT1.5S', probe: false, state: 'active',
      organizationId: 'o1', correlationId: 'x1', language: 'en-US', customConfig: { a: 1 }, participant: { id: 'p1', ani: '+15550100', aniName: 'Test', dnis: '+15550199' },
    };

    it('keeps the identity and media, leaves out the offered list', () => {
      const p = publicInfo(info);
      assert.equal(p.offered, undefined);
      assert.deepEqual(Object.keys(p).sort(), ['conversationId', 'correlationId', 'customConfig', 'language', 'media', 'organizationId', 'participant', 'position', 'probe', 'sessionId', 'state']);
      assert.equal(publicInfoForAudio(info).position, undefined);
      assert.equal(publicInfoForAudio(info).sessionId, 's1');
    });

    it('topic is the conversation, else the session', () => {
      assert.equal(sessionTopic(info), 'c1');
      assert.equal(sessionTopic({ sessionId: 's2' }), 's2');
    });
  });
});
