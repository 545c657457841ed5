/**
 * What a genesys-auth config node offers its user nodes (transcript-in and later nodes), and the
 * lib object behind it. User nodes get the config node with RED.nodes.getNode(config.auth) and
 * use it through the GenesysAuthConfig interface only:
 *
 *   const auth = RED.nodes.getNode(config.auth) as unknown as GenesysAuthConfig | null;
 *   auth.register(node.id, (s) => node.status(...));   // status fan-out: connecting/connected/error
 *   const token = await auth.tokens.getToken();          // shared, cached, single-flight
 *   const res = await auth.rest.request({ method: 'POST', path: '/api/v2/notifications/channels' });
 *   node.on('close', (removed, done) => { auth.deregister(node.id); done(); });
 */
import { type ConnectionListener, type ConnectionStatus, ConnectionUsers } from './connection-users';
import { GenesysAuthError } from './errors';
import { type RegionHosts, resolveHosts } from './regions';
import { GenesysRestClient, type RestClientOptions } from './rest-client';
import { GenesysTokenProvider, type TokenProviderOptions, type TokenStatus } from './token-provider';
import type { RestClient, RestRequest, RestResponse, TokenSource } from './types';
import type { Clock } from '../util/clock';
import { errorMessage } from '../util/errors';

export interface GenesysAuthConfig {
  /** The config node's id. */
  readonly id: string;
  /** Shared OAuth token source (client credentials; cached, refreshed ahead, single-flight). */
  readonly tokens: TokenSource;
  /** Shared REST client on the region's API base (retries, 429, one refresh on 401). */
  readonly rest: RestClient;
  /**
   * api / login / streaming base URLs of the chosen region or custom URLs; undefined when the
   * settings are invalid (then `configError` says why and tokens/rest reject with it).
   */
  readonly regionHosts: RegionHosts | undefined;
  /** Why the settings are unusable (bad custom URL, missing client id/secret), if they are. */
  readonly configError: Error | undefined;
  /** The shared connection status (what register() listeners receive). */
  readonly connectionStatus: ConnectionStatus;
  /** Registers a user node: its listener gets the current status now and every change later. */
  register(userId: string, listener: ConnectionListener): void;
  /** Deregisters a user node (call it in the user node's close handler). */
  deregister(userId: string): void;
}

export interface AuthConnectionOptions {
  id: string;
  region?: string;
  apiBase?: string;
  loginBase?: string;
  clientId?: string;
  clientSecret?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  token?: Partial<TokenProviderOptions>;
  rest?: Partial<RestClientOptions>;
}

/** The lib side of a genesys-auth config node: one token provider and REST client, shared. */
export class GenesysAuthConnection implements GenesysAuthConfig {
  readonly id: string;
  readonly tokens: TokenSource;
  readonly rest: RestClient;
  readonly regionHosts: RegionHosts | undefined;
  readonly configError: Error | undefined;
  readonly provider: GenesysTokenProvider | undefined;
  private readonly users: ConnectionUsers;
  private readonly offStatus: () => void = () => undefined;
  private closed = false;

  constructor(opts: AuthConnectionOptions) {
    this.id = opts.id;
    this.users = new ConnectionUsers({ onFirstUser: () => this.warmUp() });
    let hosts: RegionHosts | undefined;
    let configError: Error | undefined;
    try {
      hosts = resolveHosts({ region: opts.region, apiBase: opts.apiBase, loginBase: opts.loginBase });
      if (!opts.clientId?.trim() || !opts.clientSecret) {
        configError = new GenesysAuthError('Genesys client id or client secret is not set: enter both in the genesys-auth config node', 'NOT_CONFIGURED');
      }
    } catch (err) {
      configError = new GenesysAuthError(`Genesys connection settings are invalid: ${errorMessage(err)}`, 'NOT_CONFIGURED');
    }
    this.regionHosts = hosts;
    this.configError = configError;

    if (hosts && !configError) {
      const provider = new GenesysTokenProvider({
        loginBase: hosts.loginBase,
        clientId: opts.clientId ?? '',
        clientSecret: opts.clientSecret ?? '',
        clock: opts.clock,
        fetch: opts.fetch,
        ...opts.token,
      });
      this.provider = provider;
      this.tokens = provider;
      this.rest = new GenesysRestClient({ apiBase: hosts.apiBase, tokens: provider, clock: opts.clock, fetch: opts.fetch, ...opts.rest });
      this.offStatus = provider.onStatus((s) => {
        // A background refresh while the token is still valid is not a state change for users.
        if (s.state === 'fetching' && this.users.status.state === 'connected') return;
        this.users.setStatus(toConnectionStatus(s));
      });
    } else {
      const error = configError!;
      this.tokens = { getToken: () => Promise.reject(error), invalidate: () => undefined };
      this.rest = { request: <T>(_req: RestRequest): Promise<RestResponse<T>> => Promise.reject(error) };
      this.users.setStatus({ state: 'error', text: 'not configured', detail: error.message, code: 'NOT_CONFIGURED' });
    }
  }

  get connectionStatus(): ConnectionStatus {
    return this.users.status;
  }

  get userCount(): number {
    return this.users.size;
  }

  register(userId: string, listener: ConnectionListener): void {
    if (this.closed) return;
    this.users.register(userId, listener);
  }

  deregister(userId: string): void {
    this.users.deregister(userId);
  }

  /** Releases everything: pending token retries stop, listeners are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offStatus();
    this.provider?.close();
    this.users.clear();
  }

  toString(): string {
    return `GenesysAuthConnection(${this.id}, ${this.regionHosts?.loginHost ?? 'not configured'})`;
  }

  /** The first user triggers a token fetch so a credentials problem shows at once. */
  private warmUp(): void {
    if (this.provider && this.provider.status.state === 'idle') this.provider.getToken().catch(() => undefined);
  }
}

/** Maps token provider states to the shared connection status shown under user nodes. */
export function toConnectionStatus(s: TokenStatus): ConnectionStatus {
  switch (s.state) {
    case 'idle':
      return { state: 'idle', text: 'idle' };
    case 'fetching':
      return { state: 'connecting', text: 'authenticating' };
    case 'retrying':
      return {
        state: 'connecting',
        text: `auth retry in ${Math.ceil((s.retryInMs ?? 0) / 1000)}s`,
        detail: s.error?.message,
        code: s.error?.code,
      };
    case 'ready':
      return { state: 'connected', text: 'authenticated' };
    case 'error':
      return {
        state: 'error',
        text: s.error?.code === 'AUTH_FAILED' ? 'auth failed' : 'login error',
        detail: s.error?.message,
        code: s.error?.code,
      };
    case 'closed':
      return { state: 'closed', text: 'closed' };
  }
}
