import type { StatusView } from '../util/status-view';

/** Quality alerts are counted over this window for the status ("2 alerts/1m"). */
export const ALERT_WINDOW_MS = 60_000;

/** grey ring when idle, green dot with live sessions, yellow while alerts are in the window. */
export function interceptorStatus(liveSessions: number, recentAlerts: number): StatusView {
  return {
    fill: recentAlerts > 0 ? 'yellow' : liveSessions > 0 ? 'green' : 'grey',
    shape: liveSessions > 0 ? 'dot' : 'ring',
    text: `${liveSessions} live${recentAlerts > 0 ? `, ${recentAlerts} alert${recentAlerts === 1 ? '' : 's'}/1m` : ''}`,
  };
}
