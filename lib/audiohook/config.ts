/**
 * The genesys-interceptor dialog -> router and audio-output options: defaults, lower bounds,
 * accepted formats and the endpoint path under httpNodeRoot. A setting that leaves the endpoint
 * unable to listen is an InterceptorConfigError carrying the short status text for the node.
 */
import { dialogNumber } from '../util/dialog';
import { InputError } from '../util/errors';
import type { MediaFormat } from './messages';
import type { AuthFailureStrategy, RouterOptions } from './router';

/** Dialog fields as Node-RED stores them (numbers may arrive as strings). */
export interface InterceptorDialog {
  path?: string;
  authFailure?: string;
  acceptPcmu?: boolean;
  acceptL16?: boolean;
  maxSessions?: number | string;
  idleTimeoutS?: number | string;
  maxRttMs?: number | string;
  maxLossRatio?: number | string;
  maxJitterMs?: number | string;
  silenceSeconds?: number | string;
  lateFrameMs?: number | string;
  audioOutput?: string;
  frameGroup?: number | string;
}

/** What the runtime offers the endpoint. */
export interface InterceptorEnvironment {
  /** settings.httpNodeRoot: false disables HTTP nodes; undefined means "/". */
  httpNodeRoot: string | false | undefined;
  hasHttpServer: boolean;
  apiKey?: string;
  clientSecret?: string;
}

/** none: no audio messages; raw: the frames as received; decoded: 16-bit PCM, one msg per channel. */
export type AudioOutputMode = 'none' | 'raw' | 'decoded';

export interface InterceptorOptions {
  router: RouterOptions;
  audioOutput: AudioOutputMode;
  /** Frames per audio message (>= 1). */
  frameGroup: number;
}

export class InterceptorConfigError extends InputError {
  constructor(
    /** Short text for the node status. */
    readonly statusText: string,
    message: string,
    path?: string,
  ) {
    super(message, 'INVALID_CONFIG', path);
  }
}

const PATH_PATTERN = /^\/?[A-Za-z0-9._~\-/]+$/;

/** A number setting (util/dialog.ts), refused as this node's config errors are: with a status text. */
function setting(value: unknown, field: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  try {
    return dialogNumber(value, field, fallback, min, max);
  } catch (err) {
    throw new InterceptorConfigError(`invalid ${field}`, `genesys-interceptor: ${(err as Error).message}`, field);
  }
}

/** Joins httpNodeRoot and the dialog path into one absolute path without double slashes. */
export function endpointPath(httpNodeRoot: string, path: string): string {
  const joined = `/${httpNodeRoot}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

const AUDIO_OUTPUT_MODES: readonly AudioOutputMode[] = ['none', 'raw', 'decoded'];

/** The dialog's three choices; unset (a flow from before the setting) is "none", anything else is refused. */
export function audioOutputMode(value: unknown): AudioOutputMode {
  if (value === undefined || value === null || value === '') return 'none';
  if (typeof value === 'string' && (AUDIO_OUTPUT_MODES as readonly string[]).includes(value)) return value as AudioOutputMode;
  throw new InterceptorConfigError('invalid audio output', `genesys-interceptor: audio output ${JSON.stringify(value)} is not one of ${AUDIO_OUTPUT_MODES.join(', ')}`, 'audioOutput');
}

/** Checks, in order: HTTP enabled, server present, path, API key, at least one format. */
export function interceptorOptionsFromDialog(dialog: InterceptorDialog, env: InterceptorEnvironment): InterceptorOptions {
  if (env.httpNodeRoot === false) {
    throw new InterceptorConfigError('http nodes disabled', 'genesys-interceptor: httpNodeRoot is false in settings.js, so HTTP endpoints are disabled; set it to a path (e.g. "/") to receive AudioHook calls');
  }
  if (!env.hasHttpServer) throw new InterceptorConfigError('no HTTP server', 'genesys-interceptor: Node-RED has no HTTP server (RED.server is missing in this embedding)');
  const rawPath = (dialog.path ?? '').trim();
  if (!rawPath || !PATH_PATTERN.test(rawPath)) throw new InterceptorConfigError('invalid path', `genesys-interceptor: path "${rawPath}" is not a valid URL path`, 'path');
  const apiKey = env.apiKey ?? '';
  if (!apiKey) throw new InterceptorConfigError('no API key', 'genesys-interceptor: set the API key (the same one as in the Genesys AudioHook integration)', 'apiKey');
  const formats: MediaFormat[] = [];
  if (dialog.acceptPcmu !== false) formats.push('PCMU');
  if (dialog.acceptL16) formats.push('L16');
  if (formats.length === 0) throw new InterceptorConfigError('no format', 'genesys-interceptor: accept at least one audio format', 'acceptPcmu');

  const authFailure: AuthFailureStrategy = dialog.authFailure === 'request' ? 'request' : 'session';
  return {
    router: {
      path: endpointPath(typeof env.httpNodeRoot === 'string' ? env.httpNodeRoot : '/', rawPath),
      auth: { apiKey, clientSecret: env.clientSecret || undefined },
      authFailure,
      maxSessions: Math.floor(setting(dialog.maxSessions, 'maxSessions', 100, 0)),
      session: {
        acceptedFormats: formats,
        idleTimeoutMs: setting(dialog.idleTimeoutS, 'idleTimeoutS', 30, 1) * 1000,
        thresholds: {
          maxRttMs: setting(dialog.maxRttMs, 'maxRttMs', 500, 0),
          maxLossRatio: setting(dialog.maxLossRatio, 'maxLossRatio', 0.01, 0, 1),
          maxJitterMs: setting(dialog.maxJitterMs, 'maxJitterMs', 100, 0),
          silenceSeconds: setting(dialog.silenceSeconds, 'silenceSeconds', 30, 0),
          lateFrameMs: setting(dialog.lateFrameMs, 'lateFrameMs', 1000, 0),
        },
      },
    },
    audioOutput: audioOutputMode(dialog.audioOutput),
    frameGroup: Math.floor(setting(dialog.frameGroup, 'frameGroup', 1, 1)),
  };
}
