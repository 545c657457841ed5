/**
 * Flow JSON helpers for the examples and browser tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './demo-process';

export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  credentials?: Record<string, string>;
  [key: string]: unknown;
}

export interface DemoValues {
  simulatorExampleUrl: string;
  simulatorClient: { id: string; secret: string };
  queueId: string;
  audiohookPath: string;
  audiohookApiKey: string;
  audiohookClientSecretBase64: string;
}

export const demoValues = JSON.parse(readFileSync(join(repoRoot, 'demo', 'demo-values.json'), 'utf8')) as DemoValues;

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

/**
 * What a user does after importing an example, as its Comment says: point the config node at the
 * running simulator and type the demo credentials. Credentials travel in the deploy request, as
 * the editor sends them; they are never part of the example files.
 */
export function fillExampleForSimulator(flow: FlowNode[], simUrl: string): FlowNode[] {
  const filled = replaceDeep(flow, demoValues.simulatorExampleUrl, simUrl) as FlowNode[];
  return filled.map((n) => {
    const credentials = CREDENTIALS_BY_TYPE[n.type];
    return credentials ? { ...n, credentials: { ...credentials } } : n;
  });
}

const CREDENTIALS_BY_TYPE: Record<string, Record<string, string>> = {
  'genesys-auth': { clientId: demoValues.simulatorClient.id, clientSecret: demoValues.simulatorClient.secret },
  'genesys-interceptor': { apiKey: demoValues.audiohookApiKey, clientSecret: demoValues.audiohookClientSecretBase64 },
};
