import { parseFrame } from '../protocol/normalize.js';
import type { CandidateInit, SdpInit, ServerEvent } from '../protocol/types.js';
import type { SignalingMessages } from './peer.js';
import type { Transport, TransportFactory } from '../transport/websocket-transport.js';
import { webSocketTransport } from '../transport/websocket-transport.js';

/** The legacy realtime path and the signaling path beside it (PROTOCOL.md §1, §7). */
export const LEGACY_REALTIME_PATH = '/api/realtime-api';
export const LEGACY_SIGNALING_PATH = '/api/webrtc';

/** The signaling URL of the legacy API: the realtime URL with its path swapped, `userId` added. */
export function legacySignalingUrl(realtimeUrl: string, userId: string, explicit?: string): string {
  const url = new URL(explicit ?? realtimeUrl);
  if (!explicit) {
    url.pathname = url.pathname.endsWith(LEGACY_REALTIME_PATH) ? url.pathname.slice(0, -LEGACY_REALTIME_PATH.length) + LEGACY_SIGNALING_PATH : LEGACY_SIGNALING_PATH;
    url.search = '';
  }
  url.searchParams.set('userId', userId);
  return url.href;
}

/** Outgoing legacy signaling messages: flat, each carrying `targetSessionId`. */
export function legacyMessages(targetSessionId: string): SignalingMessages {
  return {
    sdp: ({ type, sdp }: SdpInit) => ({ type, targetSessionId, sdp: { type, sdp } }),
    candidate: (candidate: CandidateInit) => ({ type: 'iceCandidate', targetSessionId, candidate }),
  };
}

/**
 * The legacy API's separate signaling socket: opened with `userId`, it sends `{type:'create', targetSessionId}`
 * and then carries offer, answer and candidates. Incoming signaling is handed over as normalised events.
 */
export class LegacySignaling {
  #transport: Transport | undefined;
  /** Frames waiting for the socket to open, `create` first; undefined once it is open. */
  #queue: string[] | undefined;

  constructor(url: string, targetSessionId: string, onEvent: (ev: ServerEvent) => void, factory: TransportFactory = webSocketTransport) {
    this.#queue = [JSON.stringify({ type: 'create', targetSessionId })];
    this.#transport = factory(url, {
      open: () => {
        for (const f of this.#queue!) this.#transport?.send(f);
        this.#queue = undefined;
      },
      message: (data) => {
        const r = parseFrame(data);
        if (r.kind === 'event' && r.event.type.startsWith('signaling-')) onEvent(r.event);
      },
      close: () => {
        this.#transport = undefined;
      },
    });
  }

  send(msg: object): void {
    const frame = JSON.stringify(msg);
    if (this.#queue) this.#queue.push(frame);
    else this.#transport?.send(frame);
  }

  close(): void {
    this.#transport?.close();
    this.#transport = undefined;
  }
}
