/**
 * genesys-auth: the config node holding the region and OAuth client credentials. Thin glue: the
 * shared token provider, REST client and user registry live in lib/genesys/auth-config.ts; user
 * nodes use the GenesysAuthConfig interface exported there.
 */
import { GenesysAuthConnection, type GenesysAuthConfig } from '../../lib/genesys/auth-config';
import type { ConnectionListener } from '../../lib/genesys/connection-users';
import { prepareTestConnection, testConnection } from '../../lib/genesys/test-connection';
import { InputError, errorMessage } from '../../lib/util/errors';
import type { HttpRequest, HttpResponse, NodeAPI, NodeDef, NodeInstance } from '../shared/red';

export type { GenesysAuthConfig } from '../../lib/genesys/auth-config';

interface GenesysAuthDef extends NodeDef {
  region?: string;
  apiBase?: string;
  loginBase?: string;
}

interface GenesysAuthCredentials {
  clientId?: string;
  clientSecret?: string;
  [key: string]: string | undefined;
}

type GenesysAuthNode = NodeInstance<GenesysAuthConfig & { connection: GenesysAuthConnection }, GenesysAuthCredentials>;

export default function register(RED: NodeAPI): void {
  function GenesysAuth(this: GenesysAuthNode, config: GenesysAuthDef): void {
    RED.nodes.createNode(this, config);
    const connection = new GenesysAuthConnection({
      id: this.id,
      region: config.region,
      apiBase: config.apiBase,
      loginBase: config.loginBase,
      clientId: this.credentials?.clientId,
      clientSecret: this.credentials?.clientSecret,
    });
    if (connection.configError) this.warn(connection.configError.message);

    let lastState = '';
    connection.provider?.onStatus((s) => {
      // Log transitions once (never the token): failures as warnings, the rest at debug level.
      if (s.state === lastState) return;
      lastState = s.state;
      if (s.state === 'error' && s.error) this.warn(s.error.message);
      else if (s.state === 'ready') this.debug(`token obtained, valid until ${new Date(s.expiresAt ?? 0).toISOString()}`);
    });

    // The GenesysAuthConfig surface for user nodes.
    Object.defineProperties(this, {
      connection: { value: connection },
      tokens: { value: connection.tokens },
      rest: { value: connection.rest },
      regionHosts: { value: connection.regionHosts },
      configError: { value: connection.configError },
      connectionStatus: { get: () => connection.connectionStatus },
      register: { value: (userId: string, listener: ConnectionListener) => connection.register(userId, listener) },
      deregister: { value: (userId: string) => connection.deregister(userId) },
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      connection.close();
      done();
    });
  }

  RED.nodes.registerType('genesys-auth', GenesysAuth, {
    credentials: { clientId: { type: 'text' }, clientSecret: { type: 'password' } },
  });

  // "Test connection" in the dialog. Uses the typed secret, or the stored one (by node id) when
  // the field is unchanged, and then only against the deployed node's own hosts.
  RED.httpAdmin.post('/genesys-auth/test-connection', RED.auth.needsPermission('genesys-auth.write'), (req: HttpRequest, res: HttpResponse) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = typeof body.id === 'string' ? body.id : '';
    const deployed = id ? (RED.nodes.getNode(id) as Partial<GenesysAuthConfig> | null) : null;
    const storedSecret = id ? RED.nodes.getCredentials(id)?.clientSecret : undefined;
    let input;
    try {
      input = prepareTestConnection(body, { hosts: deployed?.regionHosts, clientSecret: storedSecret });
    } catch (err) {
      res.status(400).json({ ok: false, message: errorMessage(err), code: err instanceof InputError ? err.code : undefined });
      return;
    }
    testConnection(input).then(
      (result) => res.status(200).json(result),
      (err: unknown) => res.status(500).json({ ok: false, message: errorMessage(err) }),
    );
  });
}
