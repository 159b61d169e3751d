/**
 * @file The WebRTC side of one simulated connection (PROTOCOL.md §7, v2 unified signaling): owns the avatar's
 * media and the current peer connection, makes offers (a new offer means a new peer connection), and routes
 * the client's signaling messages. Bad input is reported through `onError`, never thrown.
 */

import { AvatarMedia, loadWrtc } from './media.mjs';
import { SimPeer } from './peer.mjs';
import { parseCandidate, parseSessionDescription } from './sdp.mjs';

/** @typedef {import('./media.mjs').Wrtc} Wrtc */
/** @typedef {import('./sdp.mjs').IcePolicy} IcePolicy */
/** @typedef {import('./session-log.mjs').WebRtcStats} WebRtcStats */

/**
 * @typedef {object} EndpointDeps
 * @property {IcePolicy} policy
 * @property {(frame: Record<string, unknown>) => void} send sends a JSON frame on the socket
 * @property {WebRtcStats} stats
 * @property {(message: string) => void} onError
 * @property {() => number} elapsed ms since the socket opened
 */

/** The client → server signaling types this side handles. */
export const SIGNALING_TYPES = Object.freeze(['webrtc.signaling.answer', 'webrtc.signaling.offer', 'webrtc.signaling.iceCandidate']);

export class WebRtcEndpoint {
  /** @type {EndpointDeps} */
  #deps;
  /** @type {AvatarMedia|null} created with the first peer connection */
  #media = null;
  /** @type {SimPeer|null} */
  #peer = null;
  /** @type {Promise<void>} tasks run in order, each after the native module has loaded */
  #tail = Promise.resolve();
  #closed = false;

  /** @param {EndpointDeps} deps */
  constructor(deps) {
    this.#deps = deps;
    loadWrtc().catch(() => {}); // start loading now; a failure is reported by the first task
  }

  /**
   * Offers on a new peer connection, closing the current one.
   * @param {{keepExisting?: boolean}} [options] keepExisting: do nothing if a peer connection exists already
   *   (the client offered first)
   * @returns {Promise<void>} settles once the offer has been sent, or has failed (never rejects)
   */
  offer({ keepExisting = false } = {}) {
    return this.#run('offer', (wrtc) => {
      if (keepExisting && this.#peer) return undefined;
      return this.#replacePeer(wrtc).offer();
    });
  }

  /**
   * Handles one client signaling message.
   * @param {string} type one of {@link SIGNALING_TYPES}
   * @param {unknown} data its `data`
   */
  handle(type, data) {
    const { stats, onError } = this.#deps;
    if (type === 'webrtc.signaling.iceCandidate') {
      const parsed = parseCandidate(data);
      if ('error' in parsed) return onError(`${type}: ${parsed.error}`);
      if ('end' in parsed) return undefined; // end-of-candidates: nothing to do
      stats.candidatesReceived += 1;
      void this.#run('iceCandidate', () => this.#currentPeer(type)?.addCandidate(parsed.candidate));
      return undefined;
    }
    const kind = type === 'webrtc.signaling.offer' ? 'offer' : 'answer';
    const parsed = parseSessionDescription(data, kind);
    if ('error' in parsed) return onError(`${type}: ${parsed.error}`);
    if (kind === 'answer') {
      stats.answersReceived += 1;
      void this.#run('answer', () => this.#currentPeer(type)?.acceptAnswer(parsed.sdp));
    } else {
      stats.offersReceived += 1;
      void this.#run('offer', (wrtc) => (this.#peer ?? this.#replacePeer(wrtc)).acceptOffer(parsed.sdp));
    }
    return undefined;
  }

  /**
   * Queues the voice for one transcript word.
   * @param {string} word
   * @param {number} index
   */
  speak(word, index) {
    this.#media?.speak(word, index);
  }

  /** Silences the voice at once (barge-in). */
  hush() {
    this.#media?.hush();
  }

  /** Closes the peer connection and stops the media; later calls do nothing. */
  close() {
    this.#closed = true;
    this.#peer?.close();
    this.#peer = null;
    this.#media?.close();
  }

  /**
   * @param {string} type for the error when there is none
   * @returns {SimPeer|null}
   */
  #currentPeer(type) {
    if (!this.#peer) this.#deps.onError(`${type}: no peer connection (the simulator has not offered yet)`);
    return this.#peer;
  }

  /**
   * @param {Wrtc} wrtc
   * @returns {SimPeer}
   */
  #replacePeer(wrtc) {
    this.#peer?.close();
    const { policy, send, stats, onError, elapsed } = this.#deps;
    this.#media ??= new AvatarMedia({ wrtc, stats, onError });
    this.#peer = new SimPeer({ wrtc, media: this.#media, policy, send, stats, onError, elapsed });
    return this.#peer;
  }

  /**
   * Runs a task after the previous ones, once wrtc is loaded; nothing runs after close().
   * @param {string} label for errors
   * @param {(wrtc: Wrtc) => Promise<void>|void} task
   * @returns {Promise<void>} never rejects
   */
  #run(label, task) {
    this.#tail = this.#tail.then(async () => {
      if (this.#closed) return;
      try {
        const wrtc = await loadWrtc();
        if (!this.#closed) await task(wrtc);
      } catch (error) {
        if (!this.#closed) this.#deps.onError(`webrtc.signaling.${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.#tail;
  }
}
