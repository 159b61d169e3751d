import type { HistoryItem, IceServer, ToolDefinition } from './protocol/types.js';
import { isIceServer, isObj } from './protocol/normalize.js';

/** Answers a function call from its parsed arguments: its result (or what its promise resolves to) is the output. */
export type FunctionHandler = (args: Record<string, unknown>) => unknown;

export const DEFAULT_SERVER_URL = 'wss://transfer.navtalk.ai/wss/v2/realtime-chat';
/** The legacy (v1) realtime endpoint, used with `api="legacy"` when no other server-url is set. */
export const LEGACY_SERVER_URL = 'wss://transfer.navtalk.ai/api/realtime-api';

export interface ReconnectPolicy {
  /** Tries after an unexpected loss before giving up (0 turns reconnecting off). */
  maxAttempts: number;
  /** First delay; each try doubles it, with ±25 % jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Everything a session needs, validated. Built from the element's attributes by {@link buildSessionConfig}. */
export interface SessionConfig {
  serverUrl: string;
  license?: string;
  avatarId?: string;
  character?: string;
  api: 'v2' | 'legacy';
  voice?: string;
  prompt?: string;
  tools: ToolDefinition[];
  history: HistoryItem[];
  /** Looked up when a function call arrives, so handlers set during a call apply. */
  functionHandler?: (name: string) => FunctionHandler | undefined;
  functionTimeoutMs: number;
  connectTimeoutMs: number;
  reconnect: ReconnectPolicy;
  /** ICE servers set by the page; they win over those from `conversation.connected.success`. */
  iceServers?: IceServer[];
  /** How long WebRTC may take to connect before it counts as failed (then one ICE restart). */
  webrtcTimeoutMs: number;
  /** Legacy API only: the separate signaling socket (default: the server URL with `/api/webrtc` as its path). */
  signalingUrl?: string;
}

export type ConfigInput = Partial<Omit<SessionConfig, 'api' | 'reconnect'>> & {
  iceServers?: IceServer[] | null;
  api?: string | null;
  reconnect?: Partial<ReconnectPolicy>;
};

export const DEFAULT_RECONNECT: ReconnectPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** The trimmed string, or undefined for a blank one or anything else. */
const clean = (v: string | null | undefined) => (typeof v === 'string' && v.trim()) || undefined;

/** An array of objects that each pass `valid` (the page may hand in anything). */
function arrayOf(value: unknown, valid: (item: Record<string, unknown>) => unknown): boolean {
  return Array.isArray(value) && value.every((item) => isObj(item) && valid(item));
}

/** Validates the inputs. Returns the config, or the message of a `config` error (never containing the license). */
export function buildSessionConfig(input: ConfigInput): { config: SessionConfig } | { error: string } {
  const api = clean(input.api) ?? 'v2';
  if (api !== 'v2' && api !== 'legacy') return { error: 'api must be "v2" or "legacy".' };
  let serverUrl = clean(input.serverUrl) ?? DEFAULT_SERVER_URL;
  if (api === 'legacy' && serverUrl === DEFAULT_SERVER_URL) serverUrl = LEGACY_SERVER_URL;
  let url: URL | undefined;
  try {
    url = new URL(serverUrl, globalThis.location?.href);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'ws:' && url?.protocol !== 'wss:') return { error: 'server-url must be a ws:// or wss:// URL.' };
  const signalingUrl = clean(input.signalingUrl);
  if (signalingUrl && !/^wss?:\/\//i.test(signalingUrl)) return { error: 'signaling-url must be a ws:// or wss:// URL.' };
  const avatarId = clean(input.avatarId);
  const character = clean(input.character);
  if (!avatarId && !character) return { error: 'avatar-id or character must be set.' };
  const tools = input.tools ?? [];
  if (!arrayOf(tools, (t) => typeof t.name === 'string' && t.name)) return { error: 'tools must be an array of {name, description, parameters}.' };
  const history = input.history ?? [];
  if (!arrayOf(history, (h) => typeof h.text === 'string')) return { error: 'history must be an array of {role, text}.' };
  const ice = input.iceServers ?? undefined;
  if (ice !== undefined && !arrayOf(ice, isIceServer)) {
    return { error: 'iceServers must be an array of {urls, username?, credential?}.' };
  }
  return {
    config: {
      serverUrl: url.href,
      license: clean(input.license),
      avatarId,
      character,
      api,
      voice: clean(input.voice),
      prompt: clean(input.prompt),
      tools,
      history,
      functionHandler: input.functionHandler,
      functionTimeoutMs: input.functionTimeoutMs ?? 20_000,
      connectTimeoutMs: input.connectTimeoutMs ?? 15_000,
      reconnect: { ...DEFAULT_RECONNECT, ...input.reconnect },
      iceServers: ice,
      webrtcTimeoutMs: input.webrtcTimeoutMs ?? 10_000,
      signalingUrl,
    },
  };
}

/** The socket URL: the server URL's own query kept, plus license and the avatar (URL-encoded). */
export function sessionUrl(config: SessionConfig): string {
  const url = new URL(config.serverUrl);
  const query = url.searchParams;
  if (config.license) query.set('license', config.license);
  if (config.avatarId) query.set('avatarId', config.avatarId);
  else if (config.character) query.set(config.api === 'legacy' ? 'characterName' : 'name', config.character);
  return url.href;
}
