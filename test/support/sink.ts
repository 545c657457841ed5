/**
 * Collects the messages that reach a test-helper node; until(n) resolves once n have arrived in
 * total. Tests wait on it instead of sleeping.
 */
export class MessageSink<M> {
  readonly messages: M[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(node: { on(e: 'input', fn: (msg: M) => void): void }) {
    node.on('input', (msg) => {
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (this.messages.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  until(count: number): Promise<M[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve) => this.waiters.push({ count, resolve: () => resolve(this.messages) }));
  }
}
