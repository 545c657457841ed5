/**
 * HTTP Message Signatures (draft, later RFC 9421) as AudioHook uses them: hmac-sha256 over six
 * covered components, key = base64-decoded client secret, label sig1. Verifier for the server,
 * signer for the simulator. Rules mirror the reference server (reference/audiohook.md §1.3).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COVERED_COMPONENTS = [
  '@request-target',
  '@authority',
  'audiohook-organization-id',
  'audiohook-session-id',
  'audiohook-correlation-id',
  'x-api-key',
] as const;

export type HeaderBag = Record<string, string | string[] | undefined>;

/** What a verifier needs of an upgrade request: the raw URL as received and its headers. */
export interface SignedRequest {
  url: string;
  headers: HeaderBag;
}

type BareItem = string | number | boolean | { bytes: Buffer } | { token: string };
interface SigParams {
  [key: string]: BareItem;
}
interface InnerList {
  items: string[];
  params: SigParams;
}

// ---------- a small structured-fields (RFC 8941) reader for the two signature headers ----------

class SfReader {
  pos = 0;
  constructor(readonly text: string) {}
  fail(what: string): never {
    throw new Error(`${what} at offset ${this.pos}`);
  }
  skipSp(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
  skipOws(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }
  key(): string {
    const m = /^[a-z*][a-z0-9_\-.*]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected key');
    this.pos += m[0].length;
    return m[0];
  }
  bareItem(): BareItem {
    const c = this.text[this.pos];
    if (c === '"') {
      this.pos++;
      let out = '';
      for (;;) {
        const ch = this.text[this.pos++];
        if (ch === undefined) this.fail('unterminated string');
        if (ch === '\\') {
          const next = this.text[this.pos++];
          if (next !== '"' && next !== '\\') this.fail('bad escape');
          out += next;
        } else if (ch === '"') return out;
        else if (ch < ' ' || ch > '~') this.fail('bad string character');
        else out += ch;
      }
    }
    if (c === ':') {
      const end = this.text.indexOf(':', this.pos + 1);
      if (end < 0) this.fail('unterminated byte sequence');
      const b64 = this.text.slice(this.pos + 1, end);
      if (!/^[A-Za-z0-9+/=]*$/.test(b64)) this.fail('bad byte sequence');
      this.pos = end + 1;
      return { bytes: Buffer.from(b64, 'base64') };
    }
    if (c === '?') {
      const v = this.text[this.pos + 1];
      if (v !== '0' && v !== '1') this.fail('bad boolean');
      this.pos += 2;
      return v === '1';
    }
    const num = /^-?\d{1,15}(?:\.\d{1,3})?/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    const tok = /^[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]*/.exec(this.text.slice(this.pos));
    if (tok) {
      this.pos += tok[0].length;
      return { token: tok[0] };
    }
    return this.fail('expected item');
  }
  params(): SigParams {
    const out: SigParams = {};
    while (this.text[this.pos] === ';') {
      this.pos++;
      this.skipSp();
      const k = this.key();
      if (this.text[this.pos] === '=') {
        this.pos++;
        out[k] = this.bareItem();
      } else out[k] = true;
    }
    return out;
  }
  member(): InnerList | { item: BareItem; params: SigParams } {
    if (this.text[this.pos] === '(') {
      this.pos++;
      const items: string[] = [];
      for (;;) {
        this.skipSp();
        if (this.text[this.pos] === ')') {
          this.pos++;
          break;
        }
        const item = this.bareItem();
        if (typeof item !== 'string') this.fail('component names must be strings');
        this.params(); // component parameters (;sf, ;key) are not used by AudioHook
        items.push(item);
        const next = this.text[this.pos];
        if (next !== ' ' && next !== ')') this.fail('expected space or )');
      }
      return { items, params: this.params() };
    }
    return { item: this.bareItem(), params: this.params() };
  }
  dictionary(): Map<string, InnerList | { item: BareItem; params: SigParams }> {
    const out = new Map<string, InnerList | { item: BareItem; params: SigParams }>();
    this.skipSp();
    while (this.pos < this.text.length) {
      const k = this.key();
      if (this.text[this.pos] !== '=') this.fail('expected =');
      this.pos++;
      out.set(k, this.member());
      this.skipOws();
      if (this.pos >= this.text.length) break;
      if (this.text[this.pos] !== ',') this.fail('expected ,');
      this.pos++;
      this.skipOws();
      if (this.pos >= this.text.length) this.fail('trailing comma');
    }
    return out;
  }
}

function serializeItem(item: BareItem): string {
  if (typeof item === 'string') return `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (typeof item === 'number') return String(item);
  if (typeof item === 'boolean') return item ? '?1' : '?0';
  if ('bytes' in item) return `:${item.bytes.toString('base64')}:`;
  return item.token;
}

/** The signature-params value, re-encoded from the parsed form (as the reference verifier does). */
export function serializeSignatureParams(list: InnerList): string {
  const params = Object.entries(list.params)
    .map(([k, v]) => (v === true ? `;${k}` : `;${k}=${serializeItem(v)}`))
    .join('');
  return `(${list.items.map((i) => serializeItem(i)).join(' ')})${params}`;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const raw = headers[name] ?? headers[name.toLowerCase()];
  if (raw === undefined) return undefined;
  const joined = Array.isArray(raw) ? raw.join(', ') : raw;
  // obsolete line folding becomes one space; values are trimmed
  return joined.replace(/\r?\n[ \t]+/g, ' ').trim();
}

function componentValue(req: SignedRequest, name: string): string | undefined {
  if (name === '@request-target') return req.url;
  if (name === '@authority') return headerValue(req.headers, 'host')?.toLowerCase();
  if (name.startsWith('@')) return undefined;
  return headerValue(req.headers, name);
}

/** The signature base: one `"name": value` line per component, then `"@signature-params": …`. */
export function signatureBase(req: SignedRequest, components: readonly string[], signatureParams: string): string {
  const lines = components.map((c) => {
    const v = componentValue(req, c);
    if (v === undefined) throw new Error(`component ${c} missing from the request`);
    return `"${c}": ${v}`;
  });
  lines.push(`"@signature-params": ${signatureParams}`);
  return lines.join('\n');
}

function hmacBase64(secretBase64: string, base: string): Buffer {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(base, 'utf8').digest();
}

export interface VerifyOptions {
  /** The configured client secret, base64 as entered in Genesys. */
  clientSecret: string;
  /** The API key the request must carry (keyid must equal it). */
  apiKey: string;
  /** Unix seconds now. */
  nowSec: number;
  /** Oldest accepted `created`, seconds back from now. Default 10 (reference maxSignatureAge). */
  maxAgeSec?: number;
  /** Clock skew tolerated for `created` in the future and `expires` in the past. Default 3. */
  skewSec?: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Verifies the Signature / Signature-Input headers of an AudioHook upgrade request. */
export function verifySignature(req: SignedRequest, opts: VerifyOptions): VerifyResult {
  const input = headerValue(req.headers, 'signature-input');
  const signature = headerValue(req.headers, 'signature');
  if (!input || !signature) return { ok: false, reason: 'Signature headers missing' };
  let inputs;
  let sigs;
  try {
    inputs = new SfReader(input).dictionary();
    sigs = new SfReader(signature).dictionary();
  } catch (err) {
    return { ok: false, reason: `Malformed signature header: ${(err as Error).message}` };
  }
  // Use the first label that has both an input and a signature (Genesys uses sig1).
  let label: string | undefined;
  for (const k of inputs.keys()) if (sigs.has(k)) { label = k; break; }
  if (!label) return { ok: false, reason: 'No signature label matches Signature-Input' };
  const list = inputs.get(label);
  const sigMember = sigs.get(label);
  if (!list || !('items' in list)) return { ok: false, reason: 'Signature-Input is not an inner list' };
  if (!sigMember || 'items' in sigMember || typeof sigMember.item !== 'object' || !('bytes' in sigMember.item)) {
    return { ok: false, reason: 'Signature is not a byte sequence' };
  }
  const p = list.params;
  if (p.alg !== 'hmac-sha256') return { ok: false, reason: 'Unsupported signature algorithm' };
  for (const c of COVERED_COMPONENTS) if (!list.items.includes(c)) return { ok: false, reason: `Component ${c} not covered` };
  const keyid = p.keyid;
  if (typeof keyid !== 'string' || !constantTimeEqualText(keyid, opts.apiKey)) return { ok: false, reason: 'keyid does not match the API key' };
  if (typeof p.nonce !== 'string' || p.nonce.length < 22) return { ok: false, reason: 'Nonce missing or too short' };
  const skew = opts.skewSec ?? 3;
  const maxAge = opts.maxAgeSec ?? 10;
  if (typeof p.created !== 'number') return { ok: false, reason: 'created missing' };
  if (p.created > opts.nowSec + skew) return { ok: false, reason: 'Signature created in the future' };
  if (opts.nowSec - p.created > maxAge) return { ok: false, reason: 'Signature too old' };
  // A far-future expires is legal (the published example has one); only a past one fails.
  if (p.expires !== undefined && (typeof p.expires !== 'number' || p.expires < opts.nowSec - skew)) return { ok: false, reason: 'Signature expired' };
  let base: string;
  try {
    base = signatureBase(req, list.items, serializeSignatureParams(list));
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const expected = hmacBase64(opts.clientSecret, base);
  const given = sigMember.item.bytes;
  // timingSafeEqual needs equal lengths; compare against expected itself to keep timing uniform.
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : (timingSafeEqual(expected, expected), false);
  return same ? { ok: true } : { ok: false, reason: 'Signatures do not match' };
}

/** Constant-time string equality (hashes first so lengths never leak through timing). */
export function constantTimeEqualText(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export interface SignOptions {
  apiKey: string;
  clientSecret: string;
  nowSec: number;
  nonce?: string;
  /** Default created + 30 (reference client). */
  expires?: number;
}

/** Signature and Signature-Input headers for a request whose other headers are already set. */
export function signRequest(req: SignedRequest, opts: SignOptions): { 'Signature-Input': string; Signature: string } {
  const list: InnerList = {
    items: [...COVERED_COMPONENTS],
    params: {
      keyid: opts.apiKey,
      nonce: opts.nonce ?? randomBytes(18).toString('base64'),
      alg: 'hmac-sha256',
      created: opts.nowSec,
      expires: opts.expires ?? opts.nowSec + 30,
    },
  };
  const params = serializeSignatureParams(list);
  const mac = hmacBase64(opts.clientSecret, signatureBase(req, list.items, params));
  return { 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${mac.toString('base64')}:` };
}
