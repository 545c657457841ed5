/**
 * Runs `scripts/start.mjs` (what `npm start` runs) as a child process on free ports with a fresh
 * user directory, for the browser and examples tests. Every wait is bounded; stop() always ends
 * the process tree it started (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface DemoProcess {
  editorUrl: string;
  /** Printed when the deployed flows serve the live page. */
  liveUrl?: string;
  /** The simulator's base URL as printed by the launcher (absent in real-org mode). */
  simUrl?: string;
  userDir: string;
  /** Everything the launcher and Node-RED printed so far. */
  output(): string;
  /** Lines Node-RED logged at [error] level so far. */
  errorLines(): string[];
  /**
   * Resolves when a line matching `re` appears in the output after character `fromOffset`
   * (default 0: at any time so far or later); rejects after timeoutMs.
   */
  waitForLine(re: RegExp, timeoutMs: number, fromOffset?: number): Promise<string>;
  /**
   * Resolves once output() holds every line Node-RED logged before the event the caller just
   * handled on another socket (a status or debug message on the editor comms socket): the log
   * line and the comms message arrive on different file descriptors, and the caller may run
   * before the pipe's data in the same event-loop turn. Not a delay: see the implementation.
   */
  outputCaughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Bound for the whole start-up (build, simulator, Node-RED, flow start). */
  timeoutMs?: number;
}

export async function startDemo(opts: StartOptions = {}): Promise<DemoProcess> {
  const port = await freePort();
  const userDir = mkdtempSync(join(tmpdir(), 'genesys-demo-'));
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), SIM_PORT: '0', DEMO_USER_DIR: userDir, ...opts.env },
  });
  let out = '';
  const waiters: Array<{ re: RegExp; from: number; resolve: (l: string) => void }> = [];
  const findLine = (re: RegExp, from: number): string | undefined => out.slice(from).split('\n').find((l) => re.test(l));
  const onData = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    for (const w of [...waiters]) {
      const line = findLine(w.re, w.from);
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));

  function waitForLine(re: RegExp, timeoutMs: number, fromOffset = 0): Promise<string> {
    const existing = findLine(re, fromOffset);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((res, rej) => {
      const w = {
        re,
        from: fromOffset,
        resolve: (l: string) => {
          clearTimeout(timer);
          res(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        rej(new Error(`no line matching ${re} within ${timeoutMs} ms; output so far:\n${out.slice(-4000)}`));
      }, timeoutMs);
      waiters.push(w);
      void exit.then(() => {
        if (waiters.includes(w)) {
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(timer);
          rej(new Error(`the demo exited before printing ${re}; output:\n${out.slice(-4000)}`));
        }
      });
    });
  }

  function outputCaughtUp(): Promise<void> {
    // Node-RED logs with console.log to this pipe, and libuv writes to a pipe at once when
    // nothing is queued (only what the kernel buffer cannot take waits, and this process keeps
    // reading). Its comms socket sends queued messages on a 50 ms timer, so a line logged before
    // or in the same tick as a status is in the pipe before that status's frame leaves. When the
    // frame's socket reads as ready, so does the pipe, and libuv runs the handlers of every ready
    // descriptor of one poll before the check phase: setImmediate fires after the pipe's 'data'
    // handler has appended those lines to `out`.
    return new Promise((r) => setImmediate(r));
  }

  async function stop(): Promise<void> {
    if (!exited) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(killTimer);
    }
    rmSync(userDir, { recursive: true, force: true });
  }

  try {
    await waitForLine(/Press Ctrl-C to stop/, opts.timeoutMs ?? 120_000);
    const lines = out.split('\n');
    const editorLine = lines.find((l) => /Node-RED editor:\s+http/.test(l))!;
    const liveLine = lines.find((l) => /Live page:\s+http/.test(l));
    const simLine = lines.find((l) => /simulator on http/.test(l));
    return {
      editorUrl: /(http\S+)/.exec(editorLine)![1],
      liveUrl: liveLine ? /(http\S+)/.exec(liveLine)![1] : undefined,
      simUrl: simLine ? /(http\S+)/.exec(simLine)![1] : undefined,
      userDir,
      output: () => out,
      errorLines: () => out.split('\n').filter((l) => / - \[error\] /.test(l)),
      waitForLine,
      outputCaughtUp,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
