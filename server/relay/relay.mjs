// The license relay: browsers connect without a license; the relay opens the upstream NavTalk socket with the
// license from its own environment and forwards frames both ways. The license never reaches a browser or a log.
import { WebSocketServer, WebSocket } from 'ws';

export const DEFAULT_UPSTREAM = 'wss://transfer.navtalk.ai/wss/v2/realtime-chat';

/** Query parameters a browser may pass through; anything else (a license above all) is dropped. */
const PASSED_PARAMS = ['avatarId', 'name', 'characterName', 'model'];
const MAX_PENDING_FRAMES = 256;

/**
 * @param {{ license: string, upstream?: string, allowedOrigins?: string[], maxMessageBytes?: number,
 *           log?: (line: string) => void }} opts
 * @returns {{ wss: WebSocketServer, handleUpgrade(req, socket, head): void, close(): Promise<void> }}
 */
export function createRelay(opts) {
  const { license, upstream = DEFAULT_UPSTREAM, allowedOrigins = [], maxMessageBytes = 4 * 1024 * 1024, log = () => {} } = opts;
  if (!license) throw new Error('relay: no license configured (set NAVTALK_LICENSE)');
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const originAllowed = (origin) => allowedOrigins.length === 0 || allowedOrigins.includes('*') || allowedOrigins.includes(origin);

  wss.on('connection', (client, req) => {
    const incoming = new URL(req.url, 'http://relay');
    const target = new URL(upstream);
    for (const p of PASSED_PARAMS) if (incoming.searchParams.has(p)) target.searchParams.set(p, incoming.searchParams.get(p));
    target.searchParams.set('license', license);
    const up = new WebSocket(target.href, { maxPayload: maxMessageBytes });
    const pending = [];
    const closeBoth = (code = 1000, reason = '') => {
      const c = code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1011;
      for (const s of [client, up]) if (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING) s.close(c, reason.slice(0, 120));
    };
    client.on('message', (data, isBinary) => {
      if (up.readyState === WebSocket.OPEN) up.send(data, { binary: isBinary });
      else if (pending.length < MAX_PENDING_FRAMES) pending.push([data, isBinary]);
      else closeBoth(1013, 'relay queue full');
    });
    up.on('open', () => {
      for (const [data, binary] of pending.splice(0)) up.send(data, { binary });
    });
    up.on('message', (data, isBinary) => {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    });
    up.on('close', (code, reason) => closeBoth(code, reason.toString()));
    client.on('close', (code, reason) => closeBoth(code, reason.toString()));
    up.on('error', (err) => {
      log(`relay: upstream error (${err.code ?? err.message})`);
      closeBoth(1011, 'upstream unavailable');
    });
    client.on('error', () => closeBoth(1011));
    log(`relay: session from ${req.socket.remoteAddress} origin=${req.headers.origin ?? '-'}`);
  });

  return {
    wss,
    handleUpgrade(req, socket, head) {
      if (!originAllowed(req.headers.origin ?? '')) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
