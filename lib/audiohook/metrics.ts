/**
 * Per-session audio quality metrics and threshold alerts: client-reported ping round trip,
 * frame arrival jitter (RFC 3550 estimator), lost audio (declared discards and undeclared
 * position gaps), late frames, silence per channel (RMS), bytes and frames.
 * Alerts are edge-triggered: one when a metric crosses its threshold, re-armed when it recovers.
 */
import type { ChannelName, MediaParameter } from './messages';

export interface QualityThresholds {
  /** Alert when a ping reports a round trip above this (ms). 0 disables. */
  maxRttMs: number;
  /** Alert when lost / timeline exceeds this ratio (0..1). 0 disables. */
  maxLossRatio: number;
  /** Alert when interarrival jitter exceeds this (ms). 0 disables. */
  maxJitterMs: number;
  /** Alert when a channel stays below silenceRms for this long (s). 0 disables. */
  silenceSeconds: number;
  /** RMS (16-bit scale) under which a frame counts as silent. 100 ≈ -50 dBFS. */
  silenceRms: number;
  /** A frame arriving this much later than its place on the timeline is late (ms). 0 disables. */
  lateFrameMs: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  maxRttMs: 500,
  maxLossRatio: 0.01,
  maxJitterMs: 100,
  silenceSeconds: 30,
  silenceRms: 100,
  lateFrameMs: 1000,
};

export type QualityMetric = 'rtt' | 'loss' | 'jitter' | 'late' | 'silence';

export interface QualityAlert {
  metric: QualityMetric;
  value: number;
  threshold: number;
  channel?: ChannelName;
  /** Timeline position (s) when the alert fired. */
  positionSec: number;
}

export interface ChannelSummary {
  silentSeconds: number;
  longestSilenceSeconds: number;
  meanRms: number;
}

export interface MetricsSummary {
  frames: number;
  bytes: number;
  audioSeconds: number;
  timelineSeconds: number;
  discardedSeconds: number;
  gapSeconds: number;
  lostSeconds: number;
  lossRatio: number;
  rtt: { count: number; minMs: number | null; meanMs: number | null; maxMs: number | null; lastMs: number | null };
  jitterMs: number;
  maxJitterMs: number;
  lateFrames: number;
  maxLatenessMs: number;
  channels: Partial<Record<ChannelName, ChannelSummary>>;
  alerts: number;
}

interface ChannelState {
  silentRun: number;
  silentTotal: number;
  longest: number;
  rmsSum: number;
  alerted: boolean;
}

export class SessionMetrics {
  frames = 0;
  bytes = 0;
  samples = 0;
  discardedSeconds = 0;
  gapSeconds = 0;
  lateFrames = 0;
  maxLatenessMs = 0;
  jitterMs = 0;
  maxJitterMs = 0;
  alerts = 0;
  private rtts: number[] = [];
  private lastArrival: number | undefined;
  private lastMediaMs: number | undefined;
  private minOffsetMs: number | undefined;
  private armed: Record<'rtt' | 'loss' | 'jitter' | 'late', boolean> = { rtt: true, loss: true, jitter: true, late: true };
  private channels: ChannelState[] = [];

  constructor(
    private media: MediaParameter | null,
    private readonly thresholds: QualityThresholds,
    private readonly onAlert: (alert: QualityAlert) => void,
  ) {
    this.setMedia(media);
  }

  setMedia(media: MediaParameter | null): void {
    this.media = media;
    this.channels = (media?.channels ?? []).map(() => ({ silentRun: 0, silentTotal: 0, longest: 0, rmsSum: 0, alerted: false }));
  }

  get rate(): number {
    return this.media?.rate ?? 8000;
  }

  /** Timeline in seconds: samples received plus declared and undeclared gaps. */
  get timelineSeconds(): number {
    return this.samples / this.rate + this.discardedSeconds + this.gapSeconds;
  }

  get lossRatio(): number {
    const t = this.timelineSeconds;
    return t > 0 ? (this.discardedSeconds + this.gapSeconds) / t : 0;
  }

  /** One audio frame: `samples` per channel, `rms` per channel, arrival time in ms. */
  frame(bytes: number, samples: number, rms: number[], arrivalMs: number): void {
    const mediaStartMs = this.timelineSeconds * 1000;
    const durationSec = samples / this.rate;
    this.frames++;
    this.bytes += bytes;
    // Jitter: difference between arrival spacing and media spacing (RFC 3550 §6.4.1).
    if (this.lastArrival !== undefined && this.lastMediaMs !== undefined) {
      const d = arrivalMs - this.lastArrival - (mediaStartMs - this.lastMediaMs);
      this.jitterMs += (Math.abs(d) - this.jitterMs) / 16;
      this.maxJitterMs = Math.max(this.maxJitterMs, this.jitterMs);
      this.edge('jitter', this.jitterMs, this.thresholds.maxJitterMs);
    }
    this.lastArrival = arrivalMs;
    this.lastMediaMs = mediaStartMs;
    // Lateness against the earliest arrival offset seen (the stream's own real-time anchor).
    const offset = arrivalMs - mediaStartMs;
    if (this.minOffsetMs === undefined || offset < this.minOffsetMs) this.minOffsetMs = offset;
    const lateness = offset - this.minOffsetMs;
    this.maxLatenessMs = Math.max(this.maxLatenessMs, lateness);
    if (this.thresholds.lateFrameMs > 0 && lateness > this.thresholds.lateFrameMs) {
      this.lateFrames++;
      this.edge('late', lateness, this.thresholds.lateFrameMs);
    } else this.armed.late = true;
    this.samples += samples;
    // Silence runs per channel.
    rms.forEach((level, c) => {
      const st = this.channels[c];
      if (!st) return;
      st.rmsSum += level * samples;
      if (level < this.thresholds.silenceRms) {
        st.silentRun += durationSec;
        st.silentTotal += durationSec;
        st.longest = Math.max(st.longest, st.silentRun);
        if (this.thresholds.silenceSeconds > 0 && !st.alerted && st.silentRun >= this.thresholds.silenceSeconds) {
          st.alerted = true;
          this.fire({ metric: 'silence', value: round(st.silentRun), threshold: this.thresholds.silenceSeconds, channel: this.media?.channels[c] });
        }
      } else {
        st.silentRun = 0;
        st.alerted = false;
      }
    });
  }

  /** The client declared a gap (discarded / resumed). */
  discarded(seconds: number): void {
    if (seconds <= 0) return;
    this.discardedSeconds += seconds;
    this.checkLoss();
    this.resetArrivalAnchor();
  }

  /** A message position ahead of the timeline: audio that never arrived and was not declared. */
  gap(seconds: number): void {
    if (seconds <= 0) return;
    this.gapSeconds += seconds;
    this.checkLoss();
  }

  /** A pause or resume: arrival timing restarts from the next frame. */
  resetArrivalAnchor(): void {
    this.lastArrival = undefined;
    this.lastMediaMs = undefined;
    this.minOffsetMs = undefined;
  }

  rtt(ms: number): void {
    this.rtts.push(ms);
    this.edge('rtt', ms, this.thresholds.maxRttMs);
  }

  private checkLoss(): void {
    this.edge('loss', round(this.lossRatio, 4), this.thresholds.maxLossRatio);
  }

  private edge(metric: 'rtt' | 'loss' | 'jitter' | 'late', value: number, threshold: number): void {
    if (threshold <= 0) return;
    if (value > threshold) {
      if (this.armed[metric]) {
        this.armed[metric] = false;
        this.fire({ metric, value: round(value), threshold });
      }
    } else this.armed[metric] = true;
  }

  private fire(a: Omit<QualityAlert, 'positionSec'>): void {
    this.alerts++;
    this.onAlert({ ...a, positionSec: round(this.timelineSeconds) });
  }

  summary(): MetricsSummary {
    const r = this.rtts;
    const channels: Partial<Record<ChannelName, ChannelSummary>> = {};
    this.media?.channels.forEach((name, c) => {
      const st = this.channels[c];
      channels[name] = {
        silentSeconds: round(st.silentTotal),
        longestSilenceSeconds: round(st.longest),
        meanRms: this.samples > 0 ? round(st.rmsSum / this.samples, 1) : 0,
      };
    });
    return {
      frames: this.frames,
      bytes: this.bytes,
      audioSeconds: round(this.samples / this.rate),
      timelineSeconds: round(this.timelineSeconds),
      discardedSeconds: round(this.discardedSeconds),
      gapSeconds: round(this.gapSeconds),
      lostSeconds: round(this.discardedSeconds + this.gapSeconds),
      lossRatio: round(this.lossRatio, 4),
      rtt: {
        count: r.length,
        minMs: r.length ? round(Math.min(...r)) : null,
        meanMs: r.length ? round(r.reduce((a, b) => a + b, 0) / r.length) : null,
        maxMs: r.length ? round(Math.max(...r)) : null,
        lastMs: r.length ? round(r[r.length - 1]) : null,
      },
      jitterMs: round(this.jitterMs),
      maxJitterMs: round(this.maxJitterMs),
      lateFrames: this.lateFrames,
      maxLatenessMs: round(this.maxLatenessMs),
      channels,
      alerts: this.alerts,
    };
  }
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
