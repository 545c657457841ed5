/**
 * Listens on the editor's /comms WebSocket the way the editor does, to see Debug sidebar messages
 * and node status changes of a running Node-RED (no admin auth in the demo settings).
 */
import WebSocket from 'ws';

export interface CommsMessage {
  topic: string;
  data: { id?: string; name?: string; msg?: string; format?: string; text?: string; fill?: string } & Record<string, unknown>;
}

export class CommsListener {
  readonly messages: CommsMessage[] = [];
  private readonly ws: WebSocket;
  private readonly waiters = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return;
      }
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
        if (m && typeof m === 'object' && typeof (m as CommsMessage).topic === 'string') this.messages.push(m as CommsMessage);
      }
      for (const w of [...this.waiters]) w();
    });
  }

  static open(editorUrl: string, topics: string[] = ['debug', 'status/#']): Promise<CommsListener> {
    const ws = new WebSocket(`${editorUrl.replace(/^http/, 'ws').replace(/\/?$/, '/')}comms`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('the editor comms socket did not open within 10 s'));
      }, 10_000);
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.once('open', () => {
        clearTimeout(timer);
        for (const topic of topics) ws.send(JSON.stringify({ subscribe: topic }));
        resolve(new CommsListener(ws));
      });
    });
  }

  /** Resolves with the first message (from index `from` on) matching `pred`; rejects after timeoutMs. */
  waitFor(pred: (m: CommsMessage) => boolean, timeoutMs: number, from = 0, what = 'a matching message'): Promise<CommsMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.messages.slice(from).find(pred);
        if (!found) return false;
        this.waiters.delete(onMessage);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const onMessage = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onMessage);
        reject(new Error(`no ${what} on the editor comms socket within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(onMessage);
      check();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
