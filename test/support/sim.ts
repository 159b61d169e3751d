// Browser-side helpers for tests that talk to the simulated NavTalk server started by servers-plugin.mjs.

export interface Servers {
  simWs: string;
  simHttp: string;
  cdn: string;
  /** License relays in front of the simulator: `open` (allows this page), `strict` (allows another origin only),
   * `tight` (2 connections per IP, 1.5 s sessions). */
  relays: { open: string; strict: string; tight: string };
}

let servers: Promise<Servers> | undefined;
export const getServers = (): Promise<Servers> => (servers ??= fetch('/__servers').then((r) => r.json() as Promise<Servers>));

let n = 0;
/** A tag unique to this test, so it finds its own connections in the simulator's log. */
export const uniqueTag = (name = 't'): string => `${name}-${Date.now().toString(36)}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

/**
 * The simulator's socket URL with simulator options (simTag and sim* query parameters). The simulator's WebRTC
 * media is off unless a test asks for it (`simOffer: 'late' | 'early'`): it costs a video encoder per session.
 */
export async function simUrl(tag: string, opts: Record<string, string | number> = {}): Promise<string> {
  const url = new URL((await getServers()).simWs);
  url.searchParams.set('simTag', tag);
  for (const [k, v] of Object.entries({ simOffer: 'off', ...opts })) url.searchParams.set(k, String(v));
  return url.href;
}

export interface SimMessage {
  t: number;
  type: string;
  msg: any;
}
export interface SimSession {
  id: string;
  tag: string;
  query: Record<string, string>;
  hasLicense: boolean;
  closedAt: number | null;
  closeCode: number | null;
  received: SimMessage[];
  sent: SimMessage[];
  conversation: { role: string; text: string; history: boolean }[];
  tools: any[];
  inputConfig: { voice?: string; prompt?: string; tools?: any[] } | null;
  functionOutputs: { call_id: string; output: string }[];
  audio: any;
  webrtc: any;
  signaling?: any;
  errors: string[];
}

export async function simLog(tag: string): Promise<SimSession[]> {
  const res = await fetch(`${(await getServers()).simHttp}/__sim/log?tag=${encodeURIComponent(tag)}`);
  return ((await res.json()) as { sessions: SimSession[] }).sessions;
}

/** Sends raw frames to every open socket of `tag`: strings as text as they are, objects as JSON, {binary} as binary. */
export async function simSend(tag: string, frames: unknown[]): Promise<number> {
  const res = await fetch(`${(await getServers()).simHttp}/__sim/send?tag=${encodeURIComponent(tag)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ frames }),
  });
  return ((await res.json()) as { sent: number }).sent;
}

/** Polls the simulator's log until `check` passes (the server side of a test has no events to wait on). */
export async function waitForLog<T>(tag: string, check: (sessions: SimSession[]) => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const until = performance.now() + timeoutMs;
  let last: SimSession[] = [];
  while (performance.now() < until) {
    last = await simLog(tag);
    const v = check(last);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`simulator log for ${tag} never matched: ${JSON.stringify(last).slice(0, 2000)}`);
}

/** Resolves with the detail of the next `type` event on `target` that satisfies `pred`; rejects after a timeout. */
export function nextEvent<T = any>(target: EventTarget, type: string, pred: (detail: T) => boolean = () => true, timeoutMs = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, on);
      reject(new Error(`timed out waiting for ${type}`));
    }, timeoutMs);
    const on = (e: Event) => {
      const d = (e as CustomEvent<T>).detail;
      if (!pred(d)) return;
      clearTimeout(timer);
      target.removeEventListener(type, on);
      resolve(d);
    };
    target.addEventListener(type, on);
  });
}

/** Records every event of the given types on `target`, in order. */
export function record(target: EventTarget, types: string[]): { type: string; detail: any }[] {
  const log: { type: string; detail: any }[] = [];
  for (const type of types) target.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  return log;
}
