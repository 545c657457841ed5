/**
 * The "Test connection" check of the genesys-auth dialog: fetch a token with the given
 * credentials and call GET /api/v2/tokens/me (no permission needed, reference §1.1). Also the
 * rules for which secret to use: the one typed in the dialog, or the stored one when the field
 * still shows the placeholder, but then only against the login host the node is deployed with,
 * so a changed URL can never send a stored secret somewhere new.
 */
import { GenesysApiError, GenesysAuthError } from './errors';
import { type RegionHosts, resolveHosts } from './regions';
import { GenesysRestClient } from './rest-client';
import { GenesysTokenProvider } from './token-provider';
import { InputError, errorMessage } from '../util/errors';

/** What the editor shows in a password field whose value is stored but not sent to the browser. */
export const PASSWORD_PLACEHOLDER = '__PWRD__';

export interface TestConnectionInput {
  hosts: RegionHosts;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface TestConnectionResult {
  ok: boolean;
  message: string;
  code?: string;
  organization?: { id: string; name: string };
  oauthClient?: { id: string; name?: string };
  correlationId?: string;
}

/** The deployed node's view, when the dialog asks to reuse its stored secret. */
export interface StoredAuthSettings {
  hosts?: RegionHosts;
  clientSecret?: string;
}

/** Validates the dialog's request body and picks the secret (throws InputError with a clear message). */
export function prepareTestConnection(body: unknown, stored: StoredAuthSettings | undefined): TestConnectionInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InputError('The request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const text = (k: string): string => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const hosts = resolveHosts({ region: text('region'), apiBase: text('apiBase'), loginBase: text('loginBase') });
  const clientId = text('clientId').trim();
  if (!clientId) throw new InputError('Enter the client id', 'MISSING_CLIENT_ID', 'clientId');
  const typed = text('clientSecret');
  if (typed && typed !== PASSWORD_PLACEHOLDER) return { hosts, clientId, clientSecret: typed };
  if (!stored?.clientSecret) {
    throw new InputError('Enter the client secret (no secret is stored for this node yet)', 'MISSING_CLIENT_SECRET', 'clientSecret');
  }
  if (!stored.hosts || stored.hosts.loginBase !== hosts.loginBase || stored.hosts.apiBase !== hosts.apiBase) {
    throw new InputError(
      `The region or URLs differ from the deployed node: type the client secret again to test against ${hosts.loginHost}`,
      'SECRET_FOR_OTHER_HOST',
      'clientSecret',
    );
  }
  return { hosts, clientId, clientSecret: stored.clientSecret };
}

/** Fetches a token and GET /api/v2/tokens/me; never throws, never returns the secret or token. */
export async function testConnection(input: TestConnectionInput): Promise<TestConnectionResult> {
  const provider = new GenesysTokenProvider({
    loginBase: input.hosts.loginBase,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    timeoutMs: input.timeoutMs ?? 10_000,
    maxAttempts: 1,
    fetch: input.fetch,
  });
  try {
    const rest = new GenesysRestClient({ apiBase: input.hosts.apiBase, tokens: provider, timeoutMs: input.timeoutMs ?? 10_000, maxRetries: 0, fetch: input.fetch });
    const res = await rest.request<TokenInfo>({ method: 'GET', path: '/api/v2/tokens/me' });
    const org = res.body?.organization;
    if (!org || typeof org.id !== 'string') {
      return { ok: false, message: `GET /api/v2/tokens/me on ${input.hosts.apiBase} answered without an organization`, correlationId: res.correlationId };
    }
    const client = res.body.OAuthClient;
    const name = typeof org.name === 'string' ? org.name : org.id;
    return {
      ok: true,
      message: `Connected to organization "${name}" (${org.id})${client?.name ? ` as OAuth client "${client.name}"` : ''}`,
      organization: { id: org.id, name },
      oauthClient: client?.id ? { id: client.id, name: client.name } : undefined,
      correlationId: res.correlationId,
    };
  } catch (err) {
    if (err instanceof GenesysAuthError) return { ok: false, message: err.message, code: err.code, correlationId: err.details.correlationId };
    if (err instanceof GenesysApiError) return { ok: false, message: err.message, code: err.code ?? `HTTP_${err.status}`, correlationId: err.correlationId };
    return { ok: false, message: errorMessage(err) };
  } finally {
    provider.close();
  }
}

interface TokenInfo {
  organization?: { id?: string; name?: string };
  OAuthClient?: { id?: string; name?: string };
}
