/**
 * genesys-transcript-in status: feed state, auth state and bad-frame count -> what the node shows.
 * Pure, so every combination is unit-tested rather than driven through a live platform.
 */
import type { ConnectionStatus } from '../genesys/connection-users';
import { InputError } from '../util/errors';
import type { StatusView } from '../util/status-view';
import type { FeedState } from './transcript-feed';

/** Reconnect attempts shown as yellow "reconnecting" before the status turns red with the reason. */
export const ERROR_AFTER_ATTEMPTS = 4;

/** "Genesys API POST /api/v2/... failed: HTTP 503 ..." -> "HTTP 503"; network codes in words. */
export function shortReason(reason: string): string {
  const http = /HTTP \d{3}/.exec(reason);
  if (http) return http[0];
  if (/ECONNREFUSED|connection refused/i.test(reason)) return 'connection refused';
  if (/ETIMEDOUT|timed? ?out/i.test(reason)) return 'timed out';
  if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return 'host not found';
  return reason.length > 32 ? `${reason.slice(0, 31)}…` : reason;
}

/** An auth error wins unless the feed is connected anyway; 'stopped' clears the status. */
export function feedStatus(feed: FeedState, auth: ConnectionStatus | undefined, badFrames: number): StatusView {
  if (auth?.state === 'error' && feed.state !== 'connected') return { fill: 'red', shape: 'ring', text: auth.text || 'auth error' };
  switch (feed.state) {
    case 'connected':
      return { fill: 'green', shape: 'dot', text: `connected ${feed.live} live${badFrames > 0 ? ` (${badFrames} bad frames)` : ''}` };
    case 'reconnecting': {
      const attempt = feed.attempt ?? 1;
      // A few quick retries are routine; after that say what keeps failing.
      if (attempt >= ERROR_AFTER_ATTEMPTS && feed.reason) return { fill: 'red', shape: 'ring', text: `${shortReason(feed.reason)} (attempt ${attempt})` };
      return { fill: 'yellow', shape: 'ring', text: `reconnecting (attempt ${attempt})` };
    }
    case 'stopped':
      return {};
    default:
      return { fill: 'yellow', shape: 'ring', text: 'connecting' };
  }
}

/** Status of a node that could not start: bad settings, or something else (no auth node). */
export function feedNotStartedStatus(err: unknown): StatusView {
  return { fill: 'red', shape: 'ring', text: err instanceof InputError ? 'config error' : 'not configured' };
}
