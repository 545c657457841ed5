/**
 * The small part of the Node-RED runtime API the pack uses, typed here rather than through the
 * outdated @types/node-red. Only nodes/ imports this; lib/ never knows about Node-RED.
 */
import type { Server } from 'node:http';

export interface NodeMessage {
  _msgid?: string;
  topic?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type SendFn = (msg: NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface Node<Creds = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials: Creds;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): this;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): this;
  send: SendFn;
  status(status: NodeStatus | Record<string, never>): void;
  log(msg: unknown): void;
  warn(msg: unknown): void;
  error(err: unknown, msg?: NodeMessage): void;
  debug(msg: unknown): void;
  trace(msg: unknown): void;
}

type Handler = (req: HttpRequest, res: HttpResponse) => void;
export interface HttpRequest {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}
export interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
  send(body?: unknown): void;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    getNode(id: string): unknown;
    registerType(type: string, ctor: unknown, opts?: { credentials?: Record<string, { type: 'text' | 'password' }>; settings?: Record<string, unknown> }): void;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  httpAdmin: {
    get(path: string, ...handlers: unknown[]): void;
    post(path: string, ...handlers: unknown[]): void;
    _router?: { stack: Array<{ route?: { path: string } }> };
  };
  httpNode: unknown;
  server?: Server;
  settings: Record<string, unknown> & { httpNodeRoot?: string | false };
  auth: { needsPermission(permission: string): Handler };
  util: {
    evaluateNodeProperty(value: string, type: string, node: object, msg: NodeMessage | undefined, cb?: (err: Error | null, result: unknown) => void): unknown;
    getMessageProperty(msg: NodeMessage, expr: string): unknown;
    setMessageProperty(msg: NodeMessage, expr: string, value: unknown, createMissing?: boolean): boolean;
    cloneMessage<T extends NodeMessage>(msg: T): T;
    generateId(): string;
  };
  log: { info(m: unknown): void; warn(m: unknown): void; error(m: unknown): void; debug(m: unknown): void };
  _(key: string, subs?: Record<string, unknown>): string;
}

/** Node-RED constructor `this` type, for `function (this: NodeInstance, config)`. */
export type NodeInstance<Extra = object, Creds = Record<string, string | undefined>> = Node<Creds> & Extra;
