/**
 * @file The simulated NavTalk server: the v2 WebSocket endpoint (default `/wss/v2/realtime-chat`), the legacy
 * (v1) realtime endpoint (`/api/realtime-api`) and its separate signaling endpoint (`/api/webrtc`), plus the
 * `/__sim/` control API, either on its own loopback HTTP server or attached to an existing one (e.g. Vite's).
 * Each instance owns all of its state, so several can run in one process.
 */

import http from 'node:http';
import { WebSocketServer } from 'ws';
import { handleControlRequest, isControlUrl } from './control.mjs';
import { LegacySignalingSocket } from './legacy-signaling.mjs';
import { LogStore } from './session-log.mjs';
import { SimSession } from './session.mjs';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('node:stream').Duplex} Duplex */
/** @typedef {import('./session.mjs').Logger} Logger */
/** @typedef {(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void} Middleware */

/**
 * @typedef {object} SimServerOptions
 * @property {string} [host] interface to listen on (own server only); default 127.0.0.1
 * @property {number} [port] default 0: any free port (own server only)
 * @property {http.Server} [httpServer] attach to this server instead of listening
 * @property {string} [path] WebSocket path; default /wss/v2/realtime-chat
 * @property {string} [legacyPath] legacy realtime WebSocket path; default /api/realtime-api
 * @property {string} [signalingPath] legacy signaling WebSocket path; default /api/webrtc
 * @property {Logger} [logger] receives one line per connection open/close; default silent
 */

/**
 * @typedef {object} SimServer
 * @property {string} wsUrl e.g. ws://127.0.0.1:PORT/wss/v2/realtime-chat
 * @property {string} legacyWsUrl e.g. ws://127.0.0.1:PORT/api/realtime-api
 * @property {string} signalingWsUrl e.g. ws://127.0.0.1:PORT/api/webrtc
 * @property {string} httpUrl e.g. http://127.0.0.1:PORT (the control API is under /__sim/)
 * @property {number} port the listening port (for an attached server that is not listening yet: the `port` option)
 * @property {() => Promise<void>} close terminates every socket and timer; an attached server is left running
 * @property {(req: IncomingMessage, socket: Duplex, head: Buffer) => boolean} handleUpgrade takes the upgrade
 *   and returns true when the path is one of the simulator's; returns false and leaves the socket alone otherwise
 * @property {Middleware} middleware serves `/__sim/…` requests and passes the others to `next`
 * @property {() => void} reset forgets every session log
 */

const PING_INTERVAL_MS = 15_000;
const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

/** Middleware of the simulator attached to each HTTP server, for {@link simMiddleware}. */
const attachedMiddleware = /** @type {WeakMap<object, Middleware>} */ (new WeakMap());

/**
 * Connect-style middleware (e.g. for Vite's `server.middlewares.use`) that serves `/__sim/…` with the simulator
 * attached to the HTTP server that received the request, and calls `next()` for everything else.
 * @type {Middleware}
 */
export function simMiddleware(req, res, next) {
  const middleware = attachedMiddleware.get(/** @type {{server?: object}} */ (req.socket).server ?? {});
  if (middleware) middleware(req, res, next);
  else next();
}

/**
 * @param {SimServerOptions} [options]
 * @returns {Promise<SimServer>}
 */
export async function createSimServer({
  host = '127.0.0.1',
  port = 0,
  httpServer,
  path = '/wss/v2/realtime-chat',
  legacyPath = '/api/realtime-api',
  signalingPath = '/api/webrtc',
  logger = {},
} = {}) {
  const store = new LogStore();
  /** @type {Set<SimSession>} */
  const sessions = new Set();
  /** @type {Set<LegacySignalingSocket>} */
  const signalers = new Set();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const pinger = setInterval(() => {
    sessions.forEach((session) => session.ping());
    signalers.forEach((signaler) => signaler.ping());
  }, PING_INTERVAL_MS);
  /** @type {Map<string, 'v2'|'legacy'|'signaling'>} */
  const routes = new Map([[signalingPath, 'signaling'], [legacyPath, 'legacy'], [path, 'v2']]);
  /** @type {Promise<void>|null} */
  let closing = null;

  /** @param {string|undefined} tag */
  const matching = (tag) => [...sessions].filter((session) => tag === undefined || session.tag === tag);
  const control = {
    logs: (/** @type {string|undefined} */ tag) => store.find(tag),
    openSessions: matching,
    reset: () => store.clear(),
  };

  /** @type {Middleware} */
  function middleware(req, res, next) {
    if (isControlUrl(req.url)) void handleControlRequest(req, res, control);
    else next();
  }

  /**
   * @param {IncomingMessage} req
   * @param {Duplex} socket
   * @param {Buffer} head
   * @returns {boolean}
   */
  function handleUpgrade(req, socket, head) {
    const url = parseUrl(req.url);
    const route = url ? routes.get(url.pathname) : undefined;
    if (!url || !route) return false;
    if (closing) {
      socket.destroy();
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.terminate();
        return;
      }
      if (route === 'signaling') {
        const signaler = new LegacySignalingSocket({
          ws,
          query: url.searchParams,
          logger,
          findSession: findLegacySession,
          addLog: (log) => store.add(log),
          redact: (text) => [...sessions].reduce((result, session) => session.log.redact(result), text),
          onClose: () => signalers.delete(signaler),
        });
        signalers.add(signaler);
        signaler.start();
        return;
      }
      const session = new SimSession({ ws, query: url.searchParams, logger, onClose: () => sessions.delete(session), api: route });
      sessions.add(session);
      store.add(session.log);
      session.start();
    });
    return true;
  }

  /**
   * The open legacy session a signaling socket belongs to: its id is `userId`, or `targetSessionId` is `target-<id>`.
   * @param {string|null} userId
   * @param {string|null} targetSessionId
   * @returns {SimSession|null}
   */
  function findLegacySession(userId, targetSessionId) {
    for (const session of sessions) {
      if (session.api !== 'legacy' || !session.isOpen) continue;
      if (session.id === userId || (targetSessionId !== null && targetSessionId === `target-${session.id}`)) return session;
    }
    return null;
  }

  const ownServer = httpServer ? null : http.createServer((req, res) => middleware(req, res, () => notFound(res)));
  /** @type {(req: IncomingMessage, socket: Duplex, head: Buffer) => void} */
  const onUpgrade = ownServer
    ? (req, socket, head) => {
        if (!handleUpgrade(req, socket, head)) refuseUpgrade(socket);
      }
    : (req, socket, head) => {
        handleUpgrade(req, socket, head);
      };
  const server = ownServer ?? /** @type {http.Server} */ (httpServer);
  server.on('upgrade', onUpgrade);
  if (ownServer) {
    try {
      await listen(ownServer, port, host);
    } catch (error) {
      clearInterval(pinger);
      throw error;
    }
    ownServer.on('error', (error) => logger.warn?.(`sim: http server error: ${error.message}`));
  } else {
    attachedMiddleware.set(server, middleware);
  }

  async function close() {
    closing ??= (async () => {
      clearInterval(pinger);
      await Promise.all([...sessions].map((session) => session.terminate()));
      await Promise.all([...signalers].map((signaler) => signaler.terminate()));
      await new Promise((resolve) => wss.close(() => resolve(undefined)));
      server.off('upgrade', onUpgrade);
      if (ownServer) {
        ownServer.closeAllConnections();
        await new Promise((resolve) => ownServer.close(() => resolve(undefined)));
      } else {
        attachedMiddleware.delete(server);
      }
    })();
    return closing;
  }

  /** @returns {{hostname: string, port: number}} */
  const authority = () => {
    const address = server.address();
    if (!address || typeof address === 'string') return { hostname: host, port };
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    return { hostname: ownServer || wildcard ? host : address.address, port: address.port };
  };
  const origin = () => {
    const { hostname, port: actualPort } = authority();
    return `${hostname.includes(':') ? `[${hostname}]` : hostname}:${actualPort}`;
  };

  return {
    get wsUrl() {
      return `ws://${origin()}${path}`;
    },
    get legacyWsUrl() {
      return `ws://${origin()}${legacyPath}`;
    },
    get signalingWsUrl() {
      return `ws://${origin()}${signalingPath}`;
    },
    get httpUrl() {
      return `http://${origin()}`;
    },
    get port() {
      return authority().port;
    },
    close,
    handleUpgrade,
    middleware,
    reset: control.reset,
  };
}

/**
 * @param {string|undefined} url
 * @returns {URL|null}
 */
function parseUrl(url) {
  try {
    return new URL(url ?? '/', 'http://sim.invalid');
  } catch {
    return null;
  }
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** @param {ServerResponse} res */
function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found' }));
}

/** @param {Duplex} socket */
function refuseUpgrade(socket) {
  socket.on('error', () => socket.destroy());
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}
