import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../util/errors';
import { dialogNumber } from '../util/dialog';
import { INSTANCE_PATTERN, validateInstance } from './record';
import type { AuditWriterOptions } from './writer';

/**
 * The genesys-audit-out dialog values, validated, and the storage policy for messages that carry
 * no msg.redaction. Kept here (not in the node file) so every rule is unit-tested.
 */
export interface AuditDialogConfig {
  directory?: unknown;
  instance?: unknown;
  rotateMb?: unknown;
  rotateDaily?: unknown;
  store?: unknown;
  properties?: unknown;
  digestOnly?: unknown;
  syncMs?: unknown;
  maxQueue?: unknown;
  unredacted?: unknown;
}

export type StoreWhat = 'payload' | 'properties';
export type UnredactedPolicy = 'digest' | 'reject';

export interface AuditNodeSettings {
  writer: Pick<AuditWriterOptions, 'dir' | 'instance' | 'rotateBytes' | 'rotateDaily' | 'syncIntervalMs' | 'maxQueue'>;
  store: StoreWhat;
  /** Message property paths (without `msg.`) stored in 'properties' mode. */
  properties: string[];
  digestOnly: boolean;
  unredacted: UnredactedPolicy;
}

export interface DialogContext {
  /** Relative directories resolve against this (Node-RED's userDir). */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  hostname?: string;
}

/** The instance id of this runtime: dialog value, else GENESYS_AUDIT_INSTANCE, else the host name. */
export function defaultInstance(env: NodeJS.ProcessEnv, host = hostname()): string {
  const fromEnv = env.GENESYS_AUDIT_INSTANCE?.trim();
  if (fromEnv) return fromEnv;
  const cleaned = host.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return INSTANCE_PATTERN.test(cleaned) ? cleaned : 'node-red';
}

export function parsePropertyList(v: unknown): string[] {
  const raw = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  const out = raw.map((p) => p.trim().replace(/^msg\./, '')).filter((p) => p.length > 0);
  for (const p of out) {
    if (!/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(p)) {
      throw new InputError(`"${p.slice(0, 60)}" is not a message property path (e.g. payload.text)`, 'AUDIT_BAD_CONFIG', 'properties');
    }
  }
  return [...new Set(out)];
}

export function auditSettingsFromDialog(config: AuditDialogConfig, ctx: DialogContext): AuditNodeSettings {
  const dirText = typeof config.directory === 'string' ? config.directory.trim() : '';
  if (!dirText) throw new InputError('choose a directory for the audit files', 'AUDIT_BAD_CONFIG', 'directory');
  const dir = isAbsolute(dirText) ? dirText : resolve(ctx.baseDir, dirText);
  const instanceText = typeof config.instance === 'string' ? config.instance.trim() : '';
  const instance = validateInstance(instanceText || defaultInstance(ctx.env, ctx.hostname));
  const store: StoreWhat = config.store === 'properties' ? 'properties' : 'payload';
  const properties = store === 'properties' ? parsePropertyList(config.properties) : [];
  if (store === 'properties' && properties.length === 0) {
    throw new InputError('list at least one message property to store (e.g. payload.text, redaction)', 'AUDIT_BAD_CONFIG', 'properties');
  }
  const rotateMb = dialogNumber(config.rotateMb, 'rotation size (MB)', 64, 0, 1024 * 1024, 'AUDIT_BAD_CONFIG');
  return {
    writer: {
      dir,
      instance,
      rotateBytes: Math.round(rotateMb * 1024 * 1024),
      rotateDaily: config.rotateDaily === undefined ? true : config.rotateDaily === true || config.rotateDaily === 'true',
      syncIntervalMs: Math.round(dialogNumber(config.syncMs, 'sync interval (ms)', 20, 0, 10_000, 'AUDIT_BAD_CONFIG')),
      maxQueue: Math.round(dialogNumber(config.maxQueue, 'queue cap', 10_000, 1, 10_000_000, 'AUDIT_BAD_CONFIG')),
    },
    store,
    properties,
    digestOnly: config.digestOnly === true || config.digestOnly === 'true',
    unredacted: config.unredacted === 'reject' ? 'reject' : 'digest',
  };
}

/** True when the message carries the redactor's contract: msg.redaction = {entities: [...], policy}. */
export function hasRedaction(redaction: unknown): boolean {
  return typeof redaction === 'object' && redaction !== null && Array.isArray((redaction as { entities?: unknown }).entities);
}

/**
 * Whether to store content or only its digest for one message. Content without msg.redaction is
 * either reduced to its digest (policy 'digest', `downgraded` tells the node to warn) or refused.
 */
export function storageDecision(settings: Pick<AuditNodeSettings, 'digestOnly' | 'unredacted'>, redaction: unknown): { digestOnly: boolean; downgraded: boolean } {
  if (settings.digestOnly || hasRedaction(redaction)) return { digestOnly: settings.digestOnly, downgraded: false };
  if (settings.unredacted === 'reject') {
    throw new InputError(
      'message has no msg.redaction: the audit policy refuses to store content that did not pass a redactor (route it through genesys-redactor, or store digests only)',
      'AUDIT_UNREDACTED',
      'redaction',
    );
  }
  return { digestOnly: true, downgraded: true };
}

/** The conversation a message belongs to: msg.topic, else payload.conversationId. */
export function conversationOf(topic: unknown, payload: unknown): string | null {
  if (typeof topic === 'string' && topic) return topic;
  const cid = typeof payload === 'object' && payload !== null ? (payload as { conversationId?: unknown }).conversationId : undefined;
  return typeof cid === 'string' && cid ? cid : null;
}
