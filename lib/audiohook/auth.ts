/**
 * Authentication of an AudioHook upgrade request: the X-API-KEY header must equal the configured
 * key (constant-time), and when a client secret is configured the request must carry a valid
 * HMAC signature. With no secret configured, unsigned requests pass and signed ones fail, as in
 * the reference server (a signed request means the two sides disagree about the secret).
 */
import { constantTimeEqualText, verifySignature, type SignedRequest, type VerifyResult } from './signature';

export interface AuthConfig {
  apiKey: string;
  /** Base64 client secret; empty or undefined = signatures not used. */
  clientSecret?: string;
  maxSignatureAgeSec?: number;
  clockSkewSec?: number;
}

/** Failure reasons are safe to show: they never include a key, secret or signature. */
export function authenticateRequest(req: SignedRequest, cfg: AuthConfig, nowMs: number): VerifyResult {
  const raw = req.headers['x-api-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key) return { ok: false, reason: 'X-API-KEY header missing' };
  if (!cfg.apiKey || !constantTimeEqualText(key.trim(), cfg.apiKey)) return { ok: false, reason: 'Invalid API key' };
  const signed = req.headers['signature'] !== undefined || req.headers['signature-input'] !== undefined;
  if (!cfg.clientSecret) {
    return signed ? { ok: false, reason: 'Request is signed but no client secret is configured' } : { ok: true };
  }
  return verifySignature(req, {
    apiKey: cfg.apiKey,
    clientSecret: cfg.clientSecret,
    nowSec: Math.floor(nowMs / 1000),
    maxAgeSec: cfg.maxSignatureAgeSec,
    skewSec: cfg.clockSkewSec,
  });
}

/** A base64 secret as Genesys requires; used to reject a misconfigured dialog value early. */
export function isBase64Secret(secret: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 === 0;
}
