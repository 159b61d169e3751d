/**
 * @file The legacy (v1) API's separate signaling socket, `/api/webrtc?userId=<id>` (PROTOCOL.md §7 legacy):
 * the client sends `{type:"create", targetSessionId}`, the simulator offers the avatar's media (the same
 * WebRtcEndpoint as v2) as `{type:"offer", targetSessionId, sdp:{type, sdp}}`, the client answers
 * `{type:"answer", targetSessionId, sdp}` (an object or the SDP string), and both sides trickle
 * `{type:"iceCandidate", targetSessionId, candidate:{candidate, sdpMid, sdpMLineIndex}}`.
 *
 * The socket is linked to the open legacy realtime session whose id equals `userId` (checked on open and on
 * `create`) or for which `targetSessionId` is `target-<id>`: its frames, a `signaling` object and the `webrtc`
 * stats go into that session's log, and the session's replies are voiced on this socket's peer. Without a
 * match it still offers (a plain avatar) and gets a log of its own (`signaling-<uuid>`, tagged by its own
 * `simTag`) with a validation error. `simOffer=off` on its query disables the media; `simIce` applies as in v2.
 */

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { legacySignalingFrame } from './dialect.mjs';
import { parseSimOptions, publicQuery } from './options.mjs';
import { SessionLog, SignalingStats, summarize } from './session-log.mjs';
import { decodeClientFrame, isPlainObject } from './util.mjs';
import { WebRtcEndpoint } from './webrtc.mjs';

/** @typedef {import('./session.mjs').SimSession} SimSession */
/** @typedef {import('./session.mjs').SignalingLink} SignalingLink */
/** @typedef {import('./session.mjs').Logger} Logger */
/** @typedef {import('./session-log.mjs').Redactor} Redactor */
/** @typedef {Record<string, unknown>} Message */
/** @typedef {{direction: 'in'|'out', type: string|null, msg: unknown, at: number}} EarlyFrame */

const MAX_EARLY = 200; // frames and errors kept before the socket is linked or given its own log

/**
 * @typedef {object} SignalingDeps
 * @property {WebSocket} ws
 * @property {URLSearchParams} query
 * @property {Logger} logger
 * @property {(userId: string|null, targetSessionId: string|null) => SimSession|null} findSession an open legacy
 *   session matching by id (`userId`) or by `target-<id>` (`targetSessionId`)
 * @property {(log: SessionLog) => void} addLog publishes a log of its own
 * @property {Redactor} redact hides the licenses of the open sessions (e.g. a license used as `userId`)
 * @property {() => void} onClose
 */

/** @implements {SignalingLink} */
export class LegacySignalingSocket {
  /** @type {WebRtcEndpoint|null} */
  endpoint = null;
  #openedAt = performance.now();
  /** @type {WebSocket} */
  #ws;
  #deps;
  #options;
  /** @type {URLSearchParams} */
  #query;
  /** @type {string|null} */
  #userId;
  /** @type {string|null} from the latest create */
  #target = null;
  #stats = new SignalingStats();
  /** @type {SimSession|null} */
  #session = null;
  /** @type {SessionLog|null} null until linked or given a log of its own */
  #log = null;
  /** @type {EarlyFrame[]} */
  #earlyFrames = [];
  /** @type {string[]} */
  #earlyErrors = [];
  #ending = false;
  #replaced = false; // a newer signaling socket took over the session
  /** @type {Promise<void>} */
  #closed;

  /** @param {SignalingDeps} deps */
  constructor(deps) {
    const { ws, query } = deps;
    this.#ws = ws;
    this.#deps = deps;
    this.#query = query;
    this.#userId = query.get('userId') || null;
    const { options, errors } = parseSimOptions(query, 'legacy');
    this.#options = options;
    errors.forEach((error) => this.#error(error));
    ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
    ws.on('error', (error) => this.#error(`signaling socket error: ${error.message}`));
    this.#closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.#ending = true;
        this.#closeEndpoint();
        this.#session?.detachSignaling(this);
        this.#session = null;
        if (!this.#log) this.#ownLog(`signaling: no realtime session matches userId=${this.#userId ?? '(missing)'} and no create arrived`);
        const log = /** @type {SessionLog} */ (this.#log);
        Object.assign(this.#stats, { closedAtMs: log.elapsed(), closeCode: code });
        deps.logger.info?.(`sim: closed signaling ${this.#userId ?? ''} (${code})`);
        deps.onClose();
        resolve();
      });
    });
  }

  /** @returns {boolean} */
  get isOpen() {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Links at once when `userId` names an open legacy session. */
  start() {
    this.#deps.logger.info?.(`sim: open signaling userId=${this.#deps.redact(this.#userId ?? '(missing)')}`);
    if (this.#userId === null) this.#error('signaling: the userId query parameter is missing');
    const session = this.#deps.findSession(this.#userId, null);
    if (session) this.#link(session);
  }

  /** Sends a WebSocket-level ping. */
  ping() {
    if (this.isOpen) this.#ws.ping();
  }

  /**
   * Drops the socket at once (server shutdown).
   * @returns {Promise<void>} resolves when it has closed
   */
  terminate() {
    this.#ending = true;
    this.#closeEndpoint();
    this.#ws.terminate();
    return this.#closed;
  }

  /**
   * Offers on a new peer connection (after create, or for the control API's `{offer:true}`), also with simOffer=off.
   * @returns {boolean} false if the socket is closing, has no log yet, or was replaced
   */
  forceOffer() {
    const log = this.#log;
    if (this.#ending || this.#replaced || !this.isOpen || !log) return false;
    this.endpoint ??= new WebRtcEndpoint({
      policy: this.#options.ice,
      send: (frame) => this.#sendSignaling(frame),
      stats: log.webrtc,
      onError: (message) => this.#error(message.replace(/^webrtc\.signaling\./, 'signaling ').replace(/\bdata\./g, '')),
      elapsed: () => log.elapsed(),
    });
    void this.endpoint.offer();
    return true;
  }

  /** A newer signaling socket took over the session: this one's media stops; it is recorded only from now on. */
  replaced() {
    this.#replaced = true;
    this.#closeEndpoint();
    this.#session = null;
    this.#error('signaling: a newer signaling socket was linked to the session; this one no longer carries its media');
  }

  /** The linked session ended: the media stops and the socket closes. */
  sessionClosed() {
    this.#session = null;
    this.#closeEndpoint();
    if (this.isOpen) this.#ws.close(1000, 'session closed');
  }

  #closeEndpoint() {
    this.endpoint?.close();
    this.endpoint = null;
  }

  /** @param {SimSession} session */
  #link(session) {
    if (!session.attachSignaling(this)) return false;
    this.#session = session;
    this.#adopt(session.log);
    return true;
  }

  /** @param {string} reason the validation error */
  #ownLog(reason) {
    const redact = this.#deps.redact;
    const query = Object.fromEntries(Object.entries(publicQuery(this.#query)).map(([key, value]) => [key, redact(value)]));
    const log = new SessionLog({
      id: `signaling-${randomUUID()}`,
      tag: this.#options.tag,
      query,
      hasLicense: this.#options.license !== null,
      redact,
      api: 'legacy',
      origin: this.#openedAt,
    });
    this.#deps.addLog(log);
    this.#adopt(log);
    this.#error(reason);
  }

  /**
   * Records into this log from now on, with what came before.
   * @param {SessionLog} log
   */
  #adopt(log) {
    this.#log = log;
    this.#stats.connectedAtMs = log.elapsedAt(this.#openedAt);
    this.#stats.userId = this.#userId === null ? null : this.#deps.redact(this.#userId);
    log.signaling = this.#stats;
    for (const { direction, type, msg, at } of this.#earlyFrames.splice(0)) log.frame(direction, type, msg, { socket: 'signaling', at });
    this.#earlyErrors.splice(0).forEach((error) => log.error(error));
  }

  /**
   * @param {'in'|'out'} direction
   * @param {string|null} type
   * @param {unknown} msg
   */
  #record(direction, type, msg) {
    const safe = summarize(msg, this.#deps.redact);
    if (this.#log) this.#log.frame(direction, type, safe, { socket: 'signaling' });
    else if (this.#earlyFrames.length < MAX_EARLY) this.#earlyFrames.push({ direction, type, msg: safe, at: performance.now() });
  }

  /** @param {string} text */
  #error(text) {
    const safe = this.#deps.redact(text);
    if (this.#log) this.#log.error(safe);
    else if (this.#earlyErrors.length < MAX_EARLY) this.#earlyErrors.push(safe);
  }

  /** @param {Record<string, unknown>} frame */
  #send(frame) {
    if (!this.isOpen) return;
    this.#ws.send(JSON.stringify(frame));
    this.#record('out', String(frame.type), frame);
  }

  /**
   * A v2 signaling frame of the WebRTC side, sent in the legacy form.
   * @param {Record<string, unknown>} frame
   */
  #sendSignaling(frame) {
    const out = legacySignalingFrame(frame, this.#target ?? this.#userId ?? '');
    if (out.type === 'offer') this.#stats.offers += 1;
    if (out.type === 'iceCandidate') this.#stats.candidatesSent += 1;
    this.#send(out);
  }

  /**
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const frame = decodeClientFrame(data, isBinary);
    if (frame.kind === 'binary') {
      this.#record('in', '(binary)', { bytes: frame.bytes });
      this.#error(`signaling: binary frame (${frame.bytes} bytes): the protocol uses JSON text frames only`);
      return;
    }
    if (frame.kind !== 'message') {
      this.#record('in', '(invalid)', frame.kind === 'not-json' ? frame.text : frame.value);
      this.#error(frame.kind === 'not-json' ? 'signaling: text frame is not JSON' : 'signaling: frame is not a JSON object');
      return;
    }
    const { msg, type } = frame;
    this.#record('in', type, msg);
    try {
      this.#dispatch(type, msg);
    } catch (error) {
      this.#error(`signaling: internal error on ${type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * @param {string|null} type
   * @param {Message} msg
   */
  #dispatch(type, msg) {
    switch (type) {
      case 'create':
        this.#onCreate(msg);
        break;
      case 'answer':
        this.#stats.answersReceived += 1;
        this.#checkTarget(type, msg);
        this.endpoint?.handle('webrtc.signaling.answer', msg);
        break;
      case 'offer':
        this.#checkTarget(type, msg);
        this.endpoint?.handle('webrtc.signaling.offer', msg);
        break;
      case 'iceCandidate': {
        const candidate = isPlainObject(msg.candidate) ? msg.candidate.candidate : msg.candidate;
        if (candidate !== null && candidate !== undefined && candidate !== '') this.#stats.candidatesReceived += 1;
        this.#checkTarget(type, msg);
        this.endpoint?.handle('webrtc.signaling.iceCandidate', msg);
        break;
      }
      default:
        this.#error(`signaling: unknown type: ${type ?? '(missing)'}`);
    }
  }

  /** @param {Message} msg */
  #onCreate(msg) {
    this.#stats.creates += 1;
    const target = msg.targetSessionId;
    if (typeof target === 'string' && target !== '') {
      this.#target = target;
      this.#stats.targetSessionId = this.#deps.redact(target);
    } else {
      this.#error('signaling create: targetSessionId must be a non-empty string');
    }
    if (!this.#log) {
      const session = this.#deps.findSession(this.#userId, this.#target);
      if (!session || !this.#link(session)) {
        const target = this.#target ?? '(missing)';
        this.#ownLog(`signaling: no realtime session matches userId=${this.#userId ?? '(missing)'} or targetSessionId=${target} (expected the id from session.session_id, or target-<id>); offering a plain avatar`);
      }
    }
    if (this.#options.offer !== 'off') this.forceOffer();
  }

  /**
   * Reports a message whose targetSessionId differs from the one in create.
   * @param {string} type
   * @param {Message} msg
   */
  #checkTarget(type, msg) {
    if (this.#target !== null && msg.targetSessionId !== this.#target) {
      this.#error(`signaling ${type}: targetSessionId ${JSON.stringify(msg.targetSessionId) ?? 'undefined'} differs from create's`);
    }
  }
}
