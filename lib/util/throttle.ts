import { systemClock, type Clock, type TimerHandle } from './clock';

/**
 * Runs a task at most once per interval: a request after a quiet interval runs at once, requests
 * inside the interval coalesce into one trailing run. Nodes redraw their status through it, since
 * a status per message would flood the editor's comms socket.
 */
export class Throttled {
  private timer: TimerHandle | undefined;
  private lastRunAt = -Infinity;

  constructor(
    private readonly task: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Runs the task now if it has not run within the interval, else once when the interval ends. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastRunAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  /** Runs the task now, replacing any pending trailing run. */
  run(): void {
    this.cancel();
    this.lastRunAt = this.clock.now();
    this.task();
  }

  /** Drops a pending trailing run (on close). */
  cancel(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
