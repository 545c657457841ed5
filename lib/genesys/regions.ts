/**
 * Genesys Cloud regions and the hosts derived from them (reference/genesys-api.md §1.3):
 * REST at https://api.<domain>, OAuth at https://login.<domain>, notification sockets at
 * wss://streaming.<domain>. "custom" takes separate API and login base URLs (proxies, the simulator).
 */
import { InputError } from '../util/errors';

export interface Region {
  /** Stable id stored in flows (the SDK key, e.g. us_east_1). */
  id: string;
  /** The region domain, e.g. mypurecloud.com. */
  domain: string;
  /** Readable name for the editor dropdown. */
  name: string;
}

/** Every region domain of PureCloudRegionHosts (SDK 262.0.0), in the SDK's order. */
export const REGIONS: readonly Region[] = Object.freeze([
  { id: 'us_east_1', domain: 'mypurecloud.com', name: 'Americas (US East)' },
  { id: 'us_east_2', domain: 'use2.us-gov-pure.cloud', name: 'Americas (US East 2, FedRAMP)' },
  { id: 'us_west_2', domain: 'usw2.pure.cloud', name: 'Americas (US West)' },
  { id: 'ca_central_1', domain: 'cac1.pure.cloud', name: 'Americas (Canada)' },
  { id: 'sa_east_1', domain: 'sae1.pure.cloud', name: 'Americas (São Paulo)' },
  { id: 'mx_central_1', domain: 'mxc1.pure.cloud', name: 'Americas (Mexico)' },
  { id: 'eu_west_1', domain: 'mypurecloud.ie', name: 'EMEA (Dublin)' },
  { id: 'eu_west_2', domain: 'euw2.pure.cloud', name: 'EMEA (London)' },
  { id: 'eu_central_1', domain: 'mypurecloud.de', name: 'EMEA (Frankfurt)' },
  { id: 'eu_central_2', domain: 'euc2.pure.cloud', name: 'EMEA (Zurich)' },
  { id: 'eusc_de_east_1', domain: 'edee1.eusc-pure.cloud', name: 'EMEA (EU Sovereign Cloud, Germany East)' },
  { id: 'me_central_1', domain: 'mec1.pure.cloud', name: 'EMEA (UAE)' },
  { id: 'ap_south_1', domain: 'aps1.pure.cloud', name: 'Asia Pacific (Mumbai)' },
  { id: 'ap_southeast_1', domain: 'apse1.pure.cloud', name: 'Asia Pacific (Southeast 1)' },
  { id: 'ap_southeast_2', domain: 'mypurecloud.com.au', name: 'Asia Pacific (Sydney)' },
  { id: 'ap_northeast_1', domain: 'mypurecloud.jp', name: 'Asia Pacific (Tokyo)' },
  { id: 'ap_northeast_2', domain: 'apne2.pure.cloud', name: 'Asia Pacific (Seoul)' },
  { id: 'ap_northeast_3', domain: 'apne3.pure.cloud', name: 'Asia Pacific (Osaka)' },
] satisfies Region[]);

/** The region id that selects custom base URLs. */
export const CUSTOM_REGION = 'custom';
export const DEFAULT_REGION = 'us_east_1';

/** Where a config node talks to. All URLs have no trailing slash. */
export interface RegionHosts {
  /** REST base, e.g. https://api.mypurecloud.com (paths /api/v2/... go under it). */
  apiBase: string;
  /** OAuth base, e.g. https://login.mypurecloud.com (POST /oauth/token goes under it). */
  loginBase: string;
  /** Notification socket base, e.g. wss://streaming.mypurecloud.com (informational: the
   * platform returns the full connectUri when a channel is created). */
  streamingBase: string;
  /** host[:port] of loginBase, for error messages ("check client id, secret and region"). */
  loginHost: string;
  /** The region id, or "custom". */
  region: string;
}

export function findRegion(id: string): Region | undefined {
  return REGIONS.find((r) => r.id === id);
}

/** Hosts of a known region (by id such as eu_central_1, or by domain such as mypurecloud.de). */
export function regionHosts(idOrDomain: string): RegionHosts {
  const region = REGIONS.find((r) => r.id === idOrDomain || r.domain === idOrDomain);
  if (!region) {
    throw new InputError(`Unknown Genesys Cloud region "${idOrDomain}"`, 'UNKNOWN_REGION');
  }
  return {
    apiBase: `https://api.${region.domain}`,
    loginBase: `https://login.${region.domain}`,
    streamingBase: `wss://streaming.${region.domain}`,
    loginHost: `login.${region.domain}`,
    region: region.id,
  };
}

/** True for hosts that never leave the machine: plain http is allowed only for these. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Validates one custom base URL: https anywhere, http only on loopback (the simulator, test
 * proxies), no credentials, query or fragment. Returns it without a trailing slash.
 */
export function normalizeBaseUrl(value: string, field: string): string {
  const text = (value ?? '').trim();
  if (!text) throw new InputError(`${field} is empty: enter a URL such as https://api.example.com`, 'INVALID_URL', field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${field} is not a valid URL: "${text}"`, 'INVALID_URL', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${field} must start with https:// (got ${url.protocol})`, 'INVALID_URL', field);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(
      `${field} uses plain http on ${url.hostname}: only https is allowed except for loopback hosts (127.0.0.1, localhost)`,
      'INSECURE_URL',
      field,
    );
  }
  if (url.username || url.password) throw new InputError(`${field} must not contain a user name or password`, 'INVALID_URL', field);
  if (url.search || url.hash) throw new InputError(`${field} must not contain a query or fragment`, 'INVALID_URL', field);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Hosts for custom base URLs (API and login separately). */
export function customHosts(apiBase: string, loginBase: string): RegionHosts {
  const api = normalizeBaseUrl(apiBase, 'API base URL');
  const login = normalizeBaseUrl(loginBase, 'Login base URL');
  return {
    apiBase: api,
    loginBase: login,
    streamingBase: api.replace(/^http/, 'ws'),
    loginHost: new URL(login).host,
    region: CUSTOM_REGION,
  };
}

export interface RegionSettings {
  region?: string;
  apiBase?: string;
  loginBase?: string;
}

/** Hosts from a config node's settings (region id, or "custom" with both base URLs). */
export function resolveHosts(settings: RegionSettings): RegionHosts {
  const region = (settings.region ?? '').trim() || DEFAULT_REGION;
  if (region === CUSTOM_REGION) return customHosts(settings.apiBase ?? '', settings.loginBase ?? '');
  return regionHosts(region);
}
