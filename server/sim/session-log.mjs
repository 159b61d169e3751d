/**
 * @file What the control API reports about each connection, and the bounded store of those logs.
 * The license value never enters a log: the query is stored without it, and every client-supplied string
 * that reaches a log passes through a redactor.
 */

import { performance } from 'node:perf_hooks';
import { AudioStats } from './audio.mjs';

const MAX_FRAMES_PER_LIST = 5000;
const MAX_ERRORS = 1000;
const MAX_STRING = 256;
const KEPT_PREFIX = 64;
const MAX_ITEMS = 100;
const MAX_DEPTH = 8;
const MIN_SUBSTRING_SECRET = 8;
const REDACTED = '[license]';

/** @typedef {(text: string) => string} Redactor */
/** @typedef {{t: number, type: string|null, msg: unknown, socket?: 'signaling'}} FrameEntry socket: set on frames of a legacy signaling socket */
/** @typedef {{role: string, text: string, history: boolean}} ConversationEntry */

/**
 * A secret of at least 8 characters is replaced wherever it occurs; a shorter one (e.g. the test values
 * "limit" or "ok") only when a whole string equals it, so that ordinary words in logs stay intact.
 * @param {string|null} secret
 * @returns {Redactor}
 */
export function makeRedactor(secret) {
  if (!secret) return (text) => text;
  if (secret.length < MIN_SUBSTRING_SECRET) return (text) => (text === secret ? REDACTED : text);
  return (text) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}

/**
 * A log-safe copy: redacted, with huge arrays and deep nesting cut and, unless `keepStrings`, long strings
 * (audio, images) shortened.
 * @param {unknown} value
 * @param {Redactor} redact
 * @param {boolean} [keepStrings]
 * @param {number} [depth]
 * @returns {unknown}
 */
export function summarize(value, redact, keepStrings = false, depth = 0) {
  if (typeof value === 'string') return keepStrings ? redact(value) : shorten(redact(value));
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarize(item, redact, keepStrings, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[+${value.length - MAX_ITEMS} items]`);
    return items;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redact(key), summarize(item, redact, keepStrings, depth + 1)]),
  );
}

/**
 * @param {string} text
 * @returns {string}
 */
function shorten(text) {
  return text.length > MAX_STRING ? `${text.slice(0, KEPT_PREFIX)}…[${text.length} chars]` : text;
}

/** @typedef {{local: string|null, remote: string|null}} SelectedPair */
/**
 * @typedef {Omit<WebRtcStats, 'toJSON'|'selectedPair'> & {selectedPair?: SelectedPair}} WebRtcSummary
 */

/**
 * What the simulator's WebRTC side did (PROTOCOL.md §7): signaling counts, the state of the current peer
 * connection, and how much media went out. Times are ms since the connection opened.
 */
export class WebRtcStats {
  offers = 0; // offers sent (one per peer connection the simulator created)
  answersReceived = 0;
  offersReceived = 0; // client offers (renegotiation, ICE restart)
  answersSent = 0;
  candidatesSent = 0;
  candidatesReceived = 0; // end-of-candidates markers not included
  /** @type {string|null} of the current peer connection; null before the first one */
  connectionState = null;
  /** @type {string|null} */
  iceConnectionState = null;
  /** @type {number|null} when the current peer connection first reached `connected` */
  connectedAtMs = null;
  framesSent = 0; // video frames handed to the video track
  audioFramesSent = 0; // 10 ms audio frames handed to the audio track
  /** @type {SelectedPair|null} addresses of the selected ICE candidate pair */
  selectedPair = null;

  /** @returns {WebRtcSummary} the fields, without `selectedPair` while it is unknown */
  toJSON() {
    const { selectedPair, ...rest } = this;
    return selectedPair ? { ...rest, selectedPair } : rest;
  }
}

/**
 * The legacy API's separate signaling socket (PROTOCOL.md §7 legacy) linked to a session: message counts on
 * that socket (end-of-candidates markers not included in the candidate counts). Times are ms on the timeline
 * of the log it belongs to.
 */
export class SignalingStats {
  /** @type {number|null} */
  connectedAtMs = null;
  /** @type {string|null} the `userId` query parameter */
  userId = null;
  /** @type {string|null} from the latest `create` */
  targetSessionId = null;
  creates = 0;
  offers = 0;
  answersReceived = 0;
  candidatesSent = 0;
  candidatesReceived = 0;
  /** @type {number|null} */
  closedAtMs = null;
  /** @type {number|null} */
  closeCode = null;
}

/**
 * @typedef {object} FaultEntry
 * @property {import('./faults.mjs').FaultKind} kind
 * @property {number} atMs when it fired (for drop-mid-turn: when the socket was dropped; for out-of-order: when
 *   the reordered turn's first frame went out)
 * @property {import('./faults.mjs').FaultSource} via `query` (simFault) or `control` (POST /__sim/send)
 * @property {string} [responseId] the turn a turn fault hit
 */

/**
 * Everything recorded about one connection. Times `t` are ms since the connection opened.
 */
export class SessionLog {
  #origin = performance.now();
  /** @type {Redactor} */
  #redact;
  /** @type {FrameEntry[]} */
  received = [];
  /** @type {FrameEntry[]} */
  sent = [];
  droppedFrames = 0;
  /** @type {ConversationEntry[]} */
  conversation = [];
  /** @type {unknown[]} the registered tools */
  tools = [];
  /** @type {{voice: unknown, prompt: unknown, tools: unknown}|null} as sent; tools null when absent */
  inputConfig = null;
  /** @type {{call_id: string, name: string, arguments: Record<string, unknown>}[]} */
  functionCalls = [];
  /** @type {{call_id: unknown, output: unknown}[]} */
  functionOutputs = [];
  /** @type {{t: number, mime: string, bytes: number, reply: unknown}[]} */
  images = [];
  audio;
  /** @type {number|null} */
  sessionUpdatedMs = null;
  webrtc = new WebRtcStats();
  /** @type {SignalingStats|null} legacy API: the linked signaling socket */
  signaling = null;
  /** @type {{instructions: unknown, voice: unknown, tools: unknown}|null} legacy API: the latest session.update */
  sessionUpdate = null;
  /** @type {FaultEntry[]} */
  faults = [];
  /** @type {string[]} */
  errors = [];
  droppedErrors = 0;
  openedAt = new Date().toISOString();
  /** @type {string|null} */
  closedAt = null;
  /** @type {number|null} */
  closeCode = null;

  /**
   * @param {{id: string, tag: string|null, query: Record<string, string>, hasLicense: boolean, redact: Redactor,
   *   rmsWindow?: number, api?: import('./dialect.mjs').Api, origin?: number}} init origin: `performance.now()`
   *   of time 0 (default: now)
   */
  constructor({ id, tag, query, hasLicense, redact, rmsWindow = 0, api = 'v2', origin }) {
    this.audio = new AudioStats(rmsWindow);
    if (origin !== undefined) this.#origin = origin;
    this.api = api;
    this.id = id;
    this.tag = tag;
    this.query = query;
    this.hasLicense = hasLicense;
    this.#redact = redact;
  }

  /** @returns {number} ms since the connection opened */
  elapsed() {
    return this.elapsedAt(performance.now());
  }

  /**
   * @param {number} at a `performance.now()` time
   * @returns {number} ms since the connection opened
   */
  elapsedAt(at) {
    return Math.round(at - this.#origin);
  }

  /**
   * @param {string} text
   * @returns {string} with this connection's license hidden
   */
  redact(text) {
    return this.#redact(text);
  }

  /**
   * @param {'in'|'out'} direction
   * @param {string|null} type
   * @param {unknown} msg
   * @param {{socket?: 'signaling', at?: number}} [options] socket: a legacy signaling socket's frame;
   *   at: `performance.now()` when it passed (default now)
   */
  frame(direction, type, msg, { socket, at } = {}) {
    const list = direction === 'in' ? this.received : this.sent;
    if (list.length >= MAX_FRAMES_PER_LIST) {
      this.droppedFrames += 1;
      return;
    }
    /** @type {FrameEntry} */
    const entry = { t: at === undefined ? this.elapsed() : this.elapsedAt(at), type: type === null ? null : this.#redact(type), msg: summarize(msg, this.#redact) };
    if (socket) entry.socket = socket;
    list.push(entry);
  }

  /**
   * @param {import('./faults.mjs').FaultKind} kind
   * @param {import('./faults.mjs').FaultSource} via
   * @param {string} [responseId]
   */
  fault(kind, via, responseId) {
    this.faults.push({ kind, atMs: this.elapsed(), via, ...(responseId === undefined ? {} : { responseId }) });
  }

  /** @param {string} text a validation problem caused by the client */
  error(text) {
    if (this.errors.length >= MAX_ERRORS) this.droppedErrors += 1;
    else this.errors.push(shorten(this.#redact(text)));
  }

  /**
   * @param {string} role
   * @param {string} text
   * @param {boolean} history true for items received before realtime.session.updated
   */
  addConversation(role, text, history) {
    this.conversation.push({ role: this.#redact(role), text: this.#redact(text), history });
  }

  /** @param {import('./tools.mjs').SimTool[]} tools all registered tools */
  setTools(tools) {
    this.tools = tools.map((tool) => summarize(tool, this.#redact, true));
  }

  /**
   * Records a realtime.input_config as the client sent it.
   * @param {unknown} voice
   * @param {unknown} prompt
   * @param {unknown} tools
   */
  setInputConfig(voice, prompt, tools) {
    const safe = (/** @type {unknown} */ value) => summarize(value ?? null, this.#redact, true);
    this.inputConfig = { voice: safe(voice), prompt: safe(prompt), tools: safe(tools) };
  }

  /**
   * Records a legacy session.update as the client sent it.
   * @param {unknown} instructions
   * @param {unknown} voice
   * @param {unknown} tools
   */
  setSessionUpdate(instructions, voice, tools) {
    const safe = (/** @type {unknown} */ value) => summarize(value ?? null, this.#redact, true);
    this.sessionUpdate = { instructions: safe(instructions), voice: safe(voice), tools: safe(tools) };
  }

  /**
   * @param {string} callId
   * @param {string} name
   * @param {Record<string, unknown>} args
   */
  addFunctionCall(callId, name, args) {
    this.functionCalls.push({ call_id: callId, name, arguments: /** @type {Record<string, unknown>} */ (summarize(args, this.#redact)) });
  }

  /**
   * @param {unknown} callId
   * @param {unknown} output
   */
  addFunctionOutput(callId, output) {
    this.functionOutputs.push({ call_id: summarize(callId, this.#redact), output: summarize(output, this.#redact, true) });
  }

  /** @param {number} code */
  close(code) {
    this.closedAt = new Date().toISOString();
    this.closeCode = code;
    this.audio.release();
  }

  toJSON() {
    return {
      id: this.id,
      api: this.api,
      tag: this.tag,
      query: this.query,
      hasLicense: this.hasLicense,
      openedAt: this.openedAt,
      closedAt: this.closedAt,
      closeCode: this.closeCode,
      sessionUpdatedMs: this.sessionUpdatedMs,
      received: this.received,
      sent: this.sent,
      droppedFrames: this.droppedFrames,
      conversation: this.conversation,
      tools: this.tools,
      inputConfig: this.inputConfig,
      functionCalls: this.functionCalls,
      functionOutputs: this.functionOutputs,
      images: this.images,
      audio: this.audio.summary(this.sessionUpdatedMs),
      webrtc: this.webrtc.toJSON(),
      signaling: this.signaling,
      sessionUpdate: this.sessionUpdate,
      faults: this.faults,
      errors: this.errors,
      droppedErrors: this.droppedErrors,
    };
  }
}

/**
 * The logs of the most recent sessions (oldest dropped first).
 */
export class LogStore {
  /** @type {SessionLog[]} */
  #logs = [];
  #limit;

  /** @param {number} [limit] */
  constructor(limit = 200) {
    this.#limit = limit;
  }

  /** @param {SessionLog} log */
  add(log) {
    this.#logs.push(log);
    if (this.#logs.length > this.#limit) this.#logs.splice(0, this.#logs.length - this.#limit);
  }

  /**
   * @param {string|undefined} tag undefined: every session
   * @returns {SessionLog[]}
   */
  find(tag) {
    return tag === undefined ? [...this.#logs] : this.#logs.filter((log) => log.tag === tag);
  }

  clear() {
    this.#logs = [];
  }
}
