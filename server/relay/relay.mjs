// The license relay: browsers connect without a license; the relay opens the upstream NavTalk socket with the
// license from its own environment and forwards frames both ways (signaling included). The license never reaches
// a browser or a log line. Stateless: run as many instances as you like behind any TLS proxy.
import { WebSocketServer, WebSocket } from 'ws';

export const DEFAULT_UPSTREAM = 'wss://transfer.navtalk.ai/wss/v2/realtime-chat';

/** Query parameters a browser may pass through; anything else (a license above all) is dropped. */
const PASSED_PARAMS = ['avatarId', 'name', 'characterName', 'model'];

export const RELAY_DEFAULTS = {
  /** Origins allowed to connect; empty: only pages served from the relay's own host. `*` allows any. */
  allowedOrigins: [],
  maxConnectionsPerIp: 4,
  maxSessions: 100,
  maxSessionMs: 30 * 60_000,
  /** Largest frame from a browser (audio chunks are ~3 KB, images a few hundred KB). */
  maxClientMessageBytes: 2 * 1024 * 1024,
  maxUpstreamMessageBytes: 16 * 1024 * 1024,
  /** Backlog above which the relay stops reading the other side until this one drains. */
  highWaterBytes: 1024 * 1024,
  /** Frames a browser may send before the upstream socket is open. */
  maxPendingFrames: 256,
  shutdownGraceMs: 5000,
  /** Behind a TLS proxy: take the client address from X-Forwarded-For and the host from X-Forwarded-Host. */
  trustProxy: false,
};

/**
 * @param {{ license: string, upstream?: string, log?: (line: string) => void } & Partial<typeof RELAY_DEFAULTS>} opts
 */
export function createRelay(opts) {
  const o = { ...RELAY_DEFAULTS, ...opts };
  const { license, upstream = DEFAULT_UPSTREAM } = o;
  if (!license) throw new Error('relay: no license configured (set NAVTALK_LICENSE)');
  // Belt and braces: nothing the relay logs may contain the license, whatever produced the line.
  const log = (line) => (o.log ?? (() => {}))(line.split(license).join('[license]'));
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxClientMessageBytes });
  const perIp = new Map();
  const sessions = new Set();
  let shuttingDown = false;

  const forwarded = (req, name) => (o.trustProxy ? String(req.headers[name] ?? '').split(',')[0].trim() : '');
  const clientIp = (req) => forwarded(req, 'x-forwarded-for') || req.socket.remoteAddress || '?';

  function originAllowed(req) {
    const origin = req.headers.origin ?? '';
    if (o.allowedOrigins.includes('*') || o.allowedOrigins.includes(origin)) return true;
    if (o.allowedOrigins.length) return false;
    try {
      return new URL(origin).host === (forwarded(req, 'x-forwarded-host') || req.headers.host);
    } catch {
      return false;
    }
  }

  function refuse(socket, status, text) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /** Forwards `from` → `to`; `notOpen` gets what arrives before `to` is open. */
  function pipe(from, to, notOpen) {
    // Back-pressure: while `to` has a large backlog, stop reading `from` (TCP pushes back on the sender).
    from.on('message', (data, isBinary) => {
      if (to.readyState !== WebSocket.OPEN) return notOpen?.(data, isBinary);
      to.send(data, { binary: isBinary });
      const raw = to._socket;
      if (to.bufferedAmount > o.highWaterBytes && raw && from._socket && !from._socket.isPaused()) {
        from._socket.pause();
        raw.once('drain', () => from._socket?.resume());
      }
    });
  }

  wss.on('connection', (client, req, ip) => {
    const incoming = new URL(req.url, 'http://relay');
    const target = new URL(upstream);
    for (const p of PASSED_PARAMS) if (incoming.searchParams.has(p)) target.searchParams.set(p, incoming.searchParams.get(p));
    target.searchParams.set('license', license);
    const up = new WebSocket(target.href, { maxPayload: o.maxUpstreamMessageBytes });
    const pending = [];
    const session = { client, up, closed: false };
    sessions.add(session);
    const started = Date.now();
    // The length cap ends the call the way NavTalk ends one (a close event), so the widget does not reconnect.
    const lifetime = setTimeout(() => {
      if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify({ type: 'conversation.connected.close', data: {}, message: 'Session length limit reached' }));
      closeBoth(4000, 'session length limit');
    }, o.maxSessionMs);

    function closeBoth(code = 1000, reason = '') {
      if (session.closed) return;
      session.closed = true;
      clearTimeout(lifetime);
      sessions.delete(session);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      const c = code >= 1000 && code < 5000 && ![1004, 1005, 1006, 1015].includes(code) ? code : 1011;
      for (const s of [client, up]) {
        if (s.readyState === WebSocket.OPEN) s.close(c, reason.slice(0, 120));
        else if (s.readyState === WebSocket.CONNECTING) s.terminate();
      }
      log(`relay: session closed after ${Date.now() - started} ms (${c}${reason ? ` ${reason}` : ''})`);
    }
    session.closeBoth = closeBoth;

    // Frames sent before the upstream socket opens wait (bounded), in order.
    pipe(client, up, (data, isBinary) => {
      if (up.readyState !== WebSocket.CONNECTING) return;
      if (pending.length < o.maxPendingFrames) pending.push([data, isBinary]);
      else closeBoth(1013, 'relay queue full');
    });
    pipe(up, client);
    up.on('open', () => {
      for (const [data, binary] of pending.splice(0)) up.send(data, { binary });
    });
    up.on('close', (code, reason) => closeBoth(code, reason.toString()));
    client.on('close', (code, reason) => closeBoth(code, reason.toString()));
    up.on('error', (err) => {
      log(`relay: upstream error (${err.code ?? err.message})`);
      closeBoth(1011, 'upstream unavailable');
    });
    client.on('error', (err) => {
      log(`relay: client error (${err.code ?? err.message})`);
      const tooLarge = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      closeBoth(tooLarge ? 1009 : 1011, tooLarge ? 'message too large' : 'client error');
    });
    log(`relay: session from ${ip} origin=${req.headers.origin ?? '-'} (${sessions.size} open)`);
  });

  return {
    wss,
    /** Sessions open now. */
    get size() {
      return sessions.size;
    },
    handleUpgrade(req, socket, head) {
      const ip = clientIp(req);
      if (shuttingDown) return refuse(socket, 503, 'Service Unavailable');
      if (!originAllowed(req)) {
        log(`relay: refused origin ${req.headers.origin ?? '-'} from ${ip}`);
        return refuse(socket, 403, 'Forbidden');
      }
      if ((perIp.get(ip) ?? 0) >= o.maxConnectionsPerIp || sessions.size >= o.maxSessions) {
        log(`relay: refused ${ip}: connection limit`);
        return refuse(socket, 429, 'Too Many Requests');
      }
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, ip));
    },
    /** Stops accepting, closes every session (1001) and waits for them, at most shutdownGraceMs. */
    async close() {
      shuttingDown = true;
      for (const s of sessions) s.closeBoth?.(1001, 'relay shutting down');
      const until = Date.now() + o.shutdownGraceMs;
      while ([...wss.clients].some((c) => c.readyState !== WebSocket.CLOSED) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
