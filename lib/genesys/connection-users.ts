/**
 * The user registry of a genesys-auth config node, modelled on core MQTT's broker node: user
 * nodes register with a status listener, the config node fans its connection status out to all
 * of them (config nodes have no status of their own), and the first/last user hooks let the
 * owner start or stop work.
 */

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'error' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Short text for node.status (under ~20 characters). */
  text: string;
  /** Full reason for an error or a retry (safe to show: never a secret or token). */
  detail?: string;
  /** Error code, e.g. AUTH_FAILED, LOGIN_RATE_LIMITED. */
  code?: string;
}

export type ConnectionListener = (status: ConnectionStatus) => void;

export interface ConnectionUsersHooks {
  /** Called when the number of users goes from 0 to 1. */
  onFirstUser?: () => void;
  /** Called when the last user deregisters. */
  onLastUser?: () => void;
}

export class ConnectionUsers {
  private readonly users = new Map<string, ConnectionListener>();
  private current: ConnectionStatus = { state: 'idle', text: 'idle' };

  constructor(private readonly hooks: ConnectionUsersHooks = {}) {}

  /** Adds (or replaces) a user; it gets the current status right away. */
  register(userId: string, listener: ConnectionListener): void {
    const first = this.users.size === 0;
    this.users.set(userId, listener);
    safeCall(listener, this.current);
    if (first) this.hooks.onFirstUser?.();
  }

  /** Removes a user; returns false if it was not registered. */
  deregister(userId: string): boolean {
    const had = this.users.delete(userId);
    if (had && this.users.size === 0) this.hooks.onLastUser?.();
    return had;
  }

  /** Sets the shared status and fans it out to every user (only when it changed). */
  setStatus(status: ConnectionStatus): void {
    const c = this.current;
    if (c.state === status.state && c.text === status.text && c.detail === status.detail && c.code === status.code) return;
    this.current = status;
    for (const listener of [...this.users.values()]) safeCall(listener, status);
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  get size(): number {
    return this.users.size;
  }

  ids(): string[] {
    return [...this.users.keys()];
  }

  /** Forgets every user without calling hooks (the owner is closing). */
  clear(): void {
    this.users.clear();
  }
}

function safeCall(listener: ConnectionListener, status: ConnectionStatus): void {
  try {
    listener(status);
  } catch {
    // one user's faulty listener must not stop the fan-out to the others
  }
}
