/**
 * @file One simulated NavTalk realtime connection: the connect sequence, message handling in arrival order,
 * response and function-call turns, the energy VAD, the WebRTC offer of the avatar's media (PROTOCOL.md §2–§8,
 * §13), and injected faults (faults.mjs).
 * The same logic serves both APIs: a v2 session (`/wss/v2/realtime-chat`) owns its WebRTC side; a legacy (v1)
 * session (`/api/realtime-api`, §10) has its own start sequence (session.created → session.session_id → the
 * client's session.update → session.updated), sends through the legacy dialect (dialect.mjs), and plays its
 * voice on the peer of the legacy signaling socket linked to it (legacy-signaling.mjs).
 * Nothing a client sends can make it throw: every problem becomes an entry in the log's `errors`.
 */

import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { EnergyVad, decodePcm16 } from './audio.mjs';
import {
  emptyFrame,
  errorFrame,
  functionCallSteps,
  successFrame,
  textTurnSteps,
  userTranscriptFrame,
  warningFrame,
} from './frames.mjs';
import { LEGACY_DIALECT, V2_DIALECT, legacySessionCreated, legacySessionId, legacySessionUpdated } from './dialect.mjs';
import { disorderedTurn, hugeFrame, junkTextFrames, randomBinaryFrames, untypedJsonFrames, withDropPoint } from './faults.mjs';
import { connectFailure, parseSimOptions, publicQuery, resolvedAvatarId } from './options.mjs';
import { SessionLog, makeRedactor } from './session-log.mjs';
import { Speaker } from './speaker.mjs';
import { buildArguments, findTool, normalizeTools } from './tools.mjs';
import { base64ByteLength, decodeClientFrame, isPlainObject, isStrictBase64 } from './util.mjs';
import { SIGNALING_TYPES, WebRtcEndpoint } from './webrtc.mjs';

/** @typedef {import('./options.mjs').SimOptions} SimOptions */
/** @typedef {import('./frames.mjs').ErrorKind} ErrorKind */
/** @typedef {import('./tools.mjs').SimTool} SimTool */
/** @typedef {import('./dialect.mjs').Api} Api */
/** @typedef {import('./dialect.mjs').Dialect} Dialect */
/** @typedef {import('./faults.mjs').FaultKind} FaultKind */
/** @typedef {import('./faults.mjs').FaultSource} FaultSource */
/** @typedef {import('./frames.mjs').Step} Step */
/**
 * What a legacy session sees of the signaling socket linked to it.
 * @typedef {object} SignalingLink
 * @property {WebRtcEndpoint|null} endpoint its WebRTC side (null until it offers, or with simOffer=off)
 * @property {() => boolean} forceOffer offers anew on a new peer connection (control API `{offer:true}`)
 * @property {() => void} replaced a newer signaling socket took over the session
 * @property {() => void} sessionClosed the session ended
 */
/** @typedef {{info?: (message: string) => void, warn?: (message: string) => void}} Logger */
/** @typedef {Record<string, unknown>} Message a parsed client frame */

const INPUT_CONFIG_WAIT_MS = 20; // time for an onopen input_config to arrive before success
const OUTPUT_ECHO_LIMIT = 200;
const GREETING = 'Hello! I am the NavTalk simulator. How can I help you?';
const IMAGE_REPLY = 'I see an image.';
const IMAGE_DATA_URL = /^data:(image\/[\w.+-]+);base64,(.*)$/s;
/** Types accepted and only recorded. */
const RECORD_ONLY_TYPES = ['realtime.input_text', 'realtime.input_audio_buffer.clear', 'realtime.input_audio_buffer.commit', 'session.update'];
const LEGACY_RECORD_ONLY_TYPES = ['input_audio_buffer.clear', 'input_audio_buffer.commit', 'response.cancel'];

/**
 * @param {Message} msg
 * @returns {Message|null} the `data` wrapper of a `realtime.*` message
 */
function dataOf(msg) {
  return isPlainObject(msg.data) ? msg.data : null;
}

/**
 * The text of a `message` item: its `input_text` (or `text`) parts joined.
 * @param {unknown} content
 * @returns {string|null}
 */
function messageText(content) {
  if (!Array.isArray(content)) return null;
  const text = content
    .filter((part) => isPlainObject(part) && (part.type === 'input_text' || part.type === 'text') && typeof part.text === 'string')
    .map((part) => part.text)
    .join(' ')
    .trim();
  return text === '' ? null : text;
}

export class SimSession {
  id = `sim-${randomUUID()}`;
  /** @type {SessionLog} */
  log;
  /** @type {WebSocket} */
  #ws;
  /** @type {SimOptions} */
  #options;
  /** @type {Logger} */
  #logger;
  /** @type {Speaker} */
  #speaker;
  /** @type {Dialect} */
  #dialect;
  /** @type {WebRtcEndpoint|null} v2: the WebRTC side; null with simOffer=off until the control API forces an offer */
  #webrtc = null;
  /** @type {SignalingLink|null} legacy: the linked signaling socket */
  #signaling = null;
  #vad = new EnergyVad();
  /** @type {Set<NodeJS.Timeout>} */
  #timers = new Set();
  /** @type {Map<string, SimTool>} registered tools by name */
  #tools = new Map();
  /** @type {Map<string, {name: string}>} function calls awaiting output, by call_id */
  #pendingCalls = new Map();
  /** @type {{name: string, output: string}[]} outputs the next response.create answers */
  #pendingOutputs = [];
  /** @type {string|null} latest live user text not yet answered */
  #pendingUserText = null;
  #ready = false; // success sent
  #updated = false; // session.updated sent
  #ending = false; // a fatal event was sent, or the socket closed
  #stalled = false; // a stall fault: nothing more goes out (control-API frames excepted)
  /** @type {{drop: FaultSource|null, disorder: FaultSource|null}} turn faults waiting for the next response turn */
  #armed = { drop: null, disorder: null };
  #responses = 0;
  #calls = 0;
  /** @type {Promise<void>} */
  #closed;
  /** @type {Map<string, (msg: Message) => void>} */
  #handlers;

  /**
   * Attaches to an open socket; call start() next.
   * @param {{ws: WebSocket, query: URLSearchParams, logger: Logger, onClose: () => void, api?: Api}} deps
   */
  constructor({ ws, query, logger, onClose, api = 'v2' }) {
    const { options, errors } = parseSimOptions(query, api);
    this.#ws = ws;
    this.#options = options;
    this.#logger = logger;
    this.#dialect = api === 'legacy' ? LEGACY_DIALECT : V2_DIALECT;
    this.#handlers = new Map(api === 'legacy' ? this.#legacyHandlers() : this.#v2Handlers());
    this.log = new SessionLog({
      id: this.id,
      tag: options.tag,
      query: publicQuery(query),
      hasLicense: options.license !== null,
      redact: makeRedactor(options.license),
      rmsWindow: options.rmsWindow,
      api,
    });
    errors.forEach((error) => this.log.error(error));
    this.#speaker = new Speaker((step) => this.#emit(step));
    if (api === 'v2' && options.offer !== 'off') this.#webrtc = this.#createWebRtc();
    ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
    ws.on('error', (error) => this.log.error(`socket error: ${error.message}`));
    this.#closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.#dispose();
        this.log.close(code);
        this.#logger.info?.(`sim: closed ${this.id} (${code})`);
        onClose();
        resolve();
      });
    });
  }

  /** @returns {string|null} */
  get tag() {
    return this.#options.tag;
  }

  /** @returns {Api} */
  get api() {
    return this.#dialect.api;
  }

  /** @returns {boolean} */
  get isOpen() {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /**
   * Runs the connect sequence: a refusal, or (v2) success → (warning) → session.created → session.updated, or
   * (legacy) session.created → session.session_id, then session.updated once the client's session.update came.
   * With simFault=stall: nothing.
   */
  start() {
    this.#logger.info?.(`sim: open ${this.api === 'legacy' ? 'legacy ' : ''}${this.id}${this.tag === null ? '' : ` tag=${this.tag}`}`);
    if (this.#options.fault?.kind === 'stall') {
      this.#stall('stall', 'query');
      return;
    }
    const failure = connectFailure(this.#options);
    if (failure) this.#end(failure.kind, failure.message);
    else if (this.api === 'legacy') this.#legacyCreated();
    else this.#later(INPUT_CONFIG_WAIT_MS, () => void this.#connected());
  }

  /** Sends a WebSocket-level ping (there is no JSON heartbeat); not while stalled. */
  ping() {
    if (this.isOpen && !this.#stalled) this.#ws.ping();
  }

  /**
   * Sends an arbitrary frame for the control API, bypassing the protocol.
   * @param {string|Buffer} data
   * @param {{binary: boolean, type: string|null, msg: unknown}} record how to log it
   * @returns {boolean} false if the socket is not open
   */
  inject(data, { binary, type, msg }) {
    if (!this.isOpen) return false;
    this.#ws.send(data, { binary });
    this.log.frame('out', type, msg);
    return true;
  }

  /**
   * Closes the socket for the control API.
   * @param {number} code a valid close code
   * @param {string} reason at most 123 bytes
   * @returns {boolean} false if the socket is not open
   */
  injectClose(code, reason) {
    if (!this.isOpen) return false;
    this.log.frame('out', '(close)', { code, reason });
    this.#ws.close(code, reason);
    return true;
  }

  /**
   * Control API: offers anew on a new peer connection, closing the current one (also with simOffer=off).
   * Legacy: on the linked signaling socket.
   * @returns {boolean} false if the socket is not open, the session is ending, or (legacy) no signaling socket is linked
   */
  renewOffer() {
    if (!this.isOpen || this.#ending) return false;
    if (this.api === 'legacy') return this.#signaling?.forceOffer() ?? false;
    this.#webrtc ??= this.#createWebRtc();
    void this.#webrtc.offer();
    return true;
  }

  /**
   * Control API: fires a fault now (see faults.mjs). Turn faults wait for the next response turn; the stall
   * kinds stop all output from now on.
   * @param {FaultKind} kind
   * @returns {boolean} false if the socket is not open or the session is ending
   */
  injectFault(kind) {
    if (!this.isOpen || this.#ending) return false;
    this.#fireFault(kind, 'control');
    return true;
  }

  /**
   * Legacy: links a signaling socket; its peer plays this session's voice. A previously linked one is told it
   * was replaced.
   * @param {SignalingLink} link
   * @returns {boolean} false if this session is not a legacy one or is ending
   */
  attachSignaling(link) {
    if (this.api !== 'legacy' || this.#ending || !this.isOpen) return false;
    const previous = this.#signaling;
    this.#signaling = link;
    if (previous && previous !== link) previous.replaced();
    return true;
  }

  /** @param {SignalingLink} link a signaling socket that closed or was replaced */
  detachSignaling(link) {
    if (this.#signaling === link) this.#signaling = null;
  }

  /**
   * Drops the connection at once (server shutdown).
   * @returns {Promise<void>} resolves when the socket has closed and the log is final
   */
  terminate() {
    this.#dispose();
    this.#ws.terminate();
    return this.#closed;
  }

  async #connected() {
    this.#ready = true;
    this.#send(successFrame(this.id));
    if (this.#options.warn) this.#send(warningFrame(resolvedAvatarId(this.#options), this.#options.name));
    if (this.#options.offer === 'early') {
      await this.#webrtc?.offer();
      if (this.#ending || this.#stalled) return;
    }
    this.#send(emptyFrame('realtime.session.created'));
    this.#later(this.#options.updateDelayMs, () => this.#sessionUpdated());
  }

  #sessionUpdated() {
    this.#send(emptyFrame('realtime.session.updated'));
    this.#goLive();
    if (this.#options.offer === 'late' && !this.#stalled) void this.#webrtc?.offer({ keepExisting: true });
  }

  /** Both APIs, once session.updated has gone out: the session is live; starts the simError and simFault timers. */
  #goLive() {
    this.#updated = true;
    this.log.sessionUpdatedMs = this.log.elapsed();
    const { error, fault } = this.#options;
    if (error) this.#later(error.afterMs, () => this.#end(error.kind));
    if (!fault || fault.kind === 'stall') return;
    const fire = () => this.#fireFault(fault.kind, 'query');
    if (fault.afterMs === 0) fire(); // at once: a client message may otherwise beat even a 0 ms timer
    else this.#later(fault.afterMs, fire);
  }

  /** Legacy: the start of the sequence, right after the socket opened. */
  #legacyCreated() {
    this.#ready = true;
    this.#send(legacySessionCreated(this.id));
    this.#send(legacySessionId(this.id));
  }

  /**
   * Legacy `session.update {session:{instructions, voice, tools, …}}`: recorded, tools registered, answered
   * with session.updated (the first one makes the session live).
   * @param {Message} msg
   */
  #onSessionUpdate(msg) {
    const { session } = msg;
    if (!isPlainObject(session)) {
      this.log.error('session.update: missing session object');
      return;
    }
    if (session.tools !== undefined) this.#registerTools(session.tools, 'session.update');
    this.log.setSessionUpdate(session.instructions, session.voice, session.tools);
    if (this.#ending || this.#stalled) return;
    this.#send(legacySessionUpdated(this.id, session));
    if (!this.#updated) this.#goLive();
  }

  /**
   * Sends a fatal event and closes the socket (1000).
   * @param {ErrorKind} kind
   * @param {string} [message]
   */
  #end(kind, message) {
    const frame = errorFrame(kind, message);
    this.#send(frame);
    this.#dispose();
    if (this.isOpen) this.#ws.close(1000, this.#dialect.closeReason(kind, frame.message));
  }

  /** Stops every timer and turn and closes the WebRTC side; later input is only recorded. */
  #dispose() {
    this.#ending = true;
    this.#speaker.cancel();
    this.#webrtc?.close();
    const link = this.#signaling;
    this.#signaling = null;
    link?.sessionClosed();
    this.#clearTimers();
  }

  #clearTimers() {
    this.#timers.forEach((timer) => clearTimeout(timer));
    this.#timers.clear();
  }

  /** @returns {WebRtcEndpoint|null} where the avatar's voice plays: v2's own WebRTC side, or the linked signaling socket's */
  get #avatar() {
    return this.#webrtc ?? this.#signaling?.endpoint ?? null;
  }

  /**
   * @param {FaultKind} kind
   * @param {FaultSource} via
   */
  #fireFault(kind, via) {
    switch (kind) {
      case 'drop-mid-turn':
        this.#armed.drop = via;
        break;
      case 'out-of-order':
        this.#armed.disorder = via;
        break;
      case 'stall':
      case 'stall-after-ready':
        this.#stall(kind, via);
        break;
      case 'garbage':
        this.log.fault(kind, via);
        junkTextFrames().forEach((text) => this.#sendRaw(text, '(raw)', text));
        untypedJsonFrames().forEach((frame) => this.#sendRaw(JSON.stringify(frame), null, frame));
        break;
      case 'binary':
        this.log.fault(kind, via);
        randomBinaryFrames().forEach((bytes) => this.#sendRaw(bytes, '(binary)', { bytes: bytes.length }));
        break;
      case 'huge':
        this.log.fault(kind, via);
        this.#send(hugeFrame(), { force: true });
        break;
      default:
        break;
    }
  }

  /**
   * Stops all output: the running turn, the voice, the pending timers (connect sequence, simError, simFault),
   * pings. The socket stays open; input is still read and logged, but nothing is answered.
   * @param {FaultKind} kind
   * @param {FaultSource} via
   */
  #stall(kind, via) {
    if (this.#stalled) return;
    this.#stalled = true;
    this.log.fault(kind, via);
    this.#speaker.cancel();
    this.#avatar?.hush();
    this.#clearTimers();
  }

  /**
   * Runs an action later, unless the session ends or stalls first.
   * @param {number} ms
   * @param {() => void} action
   */
  #later(ms, action) {
    if (this.#ending || this.#stalled) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }

  /** @returns {WebRtcEndpoint} */
  #createWebRtc() {
    return new WebRtcEndpoint({
      policy: this.#options.ice,
      send: (frame) => this.#send(frame),
      stats: this.log.webrtc,
      onError: (message) => this.log.error(message),
      elapsed: () => this.log.elapsed(),
    });
  }

  /**
   * Sends a turn step: its frame, and its word to the avatar's voice; fires a turn fault marked on it.
   * @param {Step} step
   */
  #emit(step) {
    if (step.fault?.kind === 'out-of-order') this.log.fault('out-of-order', step.fault.via, step.fault.responseId);
    this.#send(step.frame);
    if (step.voice && !this.#stalled) this.#avatar?.speak(step.voice.word, step.voice.index);
    if (step.fault?.kind === 'drop-mid-turn' && this.#armed.drop !== null && this.isOpen) {
      this.#armed.drop = null;
      this.log.fault('drop-mid-turn', step.fault.via, step.fault.responseId);
      this.#dispose();
      this.#ws.terminate(); // no close frame: the client sees 1006
    }
  }

  /**
   * Sends a v2-shaped frame in this session's dialect (one or more wire frames). Nothing goes out while stalled
   * unless forced.
   * @param {Record<string, unknown>} frame
   * @param {{force?: boolean}} [options]
   */
  #send(frame, { force = false } = {}) {
    if (!this.isOpen || (this.#stalled && !force)) return;
    for (const out of this.#dialect.outgoing(frame)) {
      this.#ws.send(JSON.stringify(out));
      this.log.frame('out', String(out.type), out);
    }
  }

  /**
   * Sends a frame as is (fault junk), also while stalled.
   * @param {string|Buffer} data
   * @param {string|null} type as logged
   * @param {unknown} msg as logged
   */
  #sendRaw(data, type, msg) {
    if (!this.isOpen) return;
    this.#ws.send(data, { binary: Buffer.isBuffer(data) });
    this.log.frame('out', type, msg);
  }

  /**
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const frame = decodeClientFrame(data, isBinary);
    if (frame.kind === 'binary') {
      this.log.frame('in', '(binary)', { bytes: frame.bytes });
      this.log.error(`binary frame (${frame.bytes} bytes): the protocol uses JSON text frames only`);
      return;
    }
    if (frame.kind !== 'message') {
      this.log.frame('in', '(invalid)', frame.kind === 'not-json' ? frame.text : frame.value);
      this.log.error(frame.kind === 'not-json' ? 'text frame is not JSON' : 'frame is not a JSON object');
      return;
    }
    this.#dispatch(frame.msg, frame.type);
  }

  /**
   * @param {Record<string, unknown>} msg a parsed frame
   * @param {string|null} type
   */
  #dispatch(msg, type) {
    this.log.frame('in', type, msg);
    const handler = type === null ? undefined : this.#handlers.get(type);
    if (!handler) {
      this.log.error(`unknown type: ${type ?? '(missing)'}`);
      return;
    }
    try {
      handler(msg);
    } catch (error) {
      this.log.error(`internal error on ${type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** @returns {[string, (msg: Message) => void][]} */
  #v2Handlers() {
    return [
      ['realtime.input_config', (msg) => this.#onInputConfig(msg)],
      ['realtime.input_function_call', (msg) => this.#onInputFunctionCall(msg)],
      ['conversation.item.create', (msg) => this.#onItemCreate(msg)],
      ['response.create', () => this.#onResponseCreate()],
      ['realtime.input_image', (msg) => this.#onInputImage(msg)],
      ['realtime.input_audio_buffer.append', (msg) => this.#onAudio(dataOf(msg)?.audio, 'realtime.input_audio_buffer.append')],
      ['input_audio_buffer.append', (msg) => this.#onAudio(msg.audio, 'input_audio_buffer.append')],
      ...RECORD_ONLY_TYPES.map((type) => /** @type {[string, () => void]} */ ([type, () => {}])),
      ...SIGNALING_TYPES.map((type) => /** @type {[string, (msg: Message) => void]} */ ([type, (msg) => {
        if (!this.#stalled) this.#webrtc?.handle(type, msg.data);
      }])),
    ];
  }

  /** @returns {[string, (msg: Message) => void][]} the legacy (v1) client messages: flat OpenAI Realtime names */
  #legacyHandlers() {
    return [
      ['session.update', (msg) => this.#onSessionUpdate(msg)],
      ['conversation.item.create', (msg) => this.#onItemCreate(msg)],
      ['response.create', () => this.#onResponseCreate()],
      ['input_audio_buffer.append', (msg) => this.#onAudio(msg.audio, 'input_audio_buffer.append')],
      ...LEGACY_RECORD_ONLY_TYPES.map((type) => /** @type {[string, () => void]} */ ([type, () => {}])),
    ];
  }

  /** @param {Message} msg */
  #onInputConfig(msg) {
    const config = this.#jsonContent(msg, 'realtime.input_config');
    if (config === undefined) return;
    if (!isPlainObject(config)) {
      this.log.error('realtime.input_config: content must encode an object {voice, prompt, tools}');
      return;
    }
    if (config.tools !== undefined) this.#registerTools(config.tools, 'realtime.input_config');
    this.log.setInputConfig(config.voice, config.prompt, config.tools);
  }

  /** @param {Message} msg */
  #onInputFunctionCall(msg) {
    const tools = this.#jsonContent(msg, 'realtime.input_function_call');
    if (tools !== undefined) this.#registerTools(tools, 'realtime.input_function_call');
  }

  /**
   * Parses `data.content`, which the protocol sends as a JSON string.
   * @param {Message} msg
   * @param {string} label
   * @returns {unknown} undefined when unusable
   */
  #jsonContent(msg, label) {
    const content = dataOf(msg)?.content;
    if (typeof content === 'string') {
      try {
        return JSON.parse(content);
      } catch {
        this.log.error(`${label}: data.content is not valid JSON`);
        return undefined;
      }
    }
    this.log.error(`${label}: data.content must be a JSON string`);
    return typeof content === 'object' && content !== null ? content : undefined;
  }

  /**
   * Registers the valid tools; a later tool replaces one of the same name.
   * @param {unknown} value
   * @param {string} label
   */
  #registerTools(value, label) {
    const { tools, errors } = normalizeTools(value);
    errors.forEach((error) => this.log.error(`${label}: ${error}`));
    tools.forEach((tool) => this.#tools.set(tool.name, tool));
    this.log.setTools([...this.#tools.values()]);
  }

  /** @param {Message} msg */
  #onItemCreate(msg) {
    const { item } = msg;
    if (!isPlainObject(item)) {
      this.log.error('conversation.item.create: missing top-level item');
    } else if (item.type === 'message') {
      this.#onMessageItem(item);
    } else if (item.type === 'function_call_output') {
      this.#onFunctionOutput(item);
    } else {
      this.log.error(`conversation.item.create: unsupported item type ${JSON.stringify(item.type)}`);
    }
  }

  /** @param {Message} item */
  #onMessageItem(item) {
    const text = messageText(item.content);
    if (typeof item.role !== 'string' || text === null) {
      this.log.error('conversation.item.create: a message needs a role and input_text content');
      return;
    }
    const history = !this.#updated;
    this.log.addConversation(item.role, text, history);
    if (item.role === 'user' && !history) this.#pendingUserText = text;
  }

  /** @param {Message} item */
  #onFunctionOutput({ call_id: callId, output }) {
    this.log.addFunctionOutput(callId, output);
    const call = typeof callId === 'string' ? this.#pendingCalls.get(callId) : undefined;
    if (!call) {
      this.log.error(`function_call_output: call_id ${JSON.stringify(callId) ?? 'undefined'} is not pending`);
    } else if (typeof output !== 'string') {
      this.log.error('function_call_output: output must be a string');
    } else {
      this.#pendingCalls.delete(/** @type {string} */ (callId));
      this.#pendingOutputs.push({ name: call.name, output });
    }
  }

  /** Answers, in order of preference: tool outputs, the latest user text, or (once) the greeting. */
  #onResponseCreate() {
    if (this.#ending || this.#stalled) return;
    if (!this.#ready) {
      this.log.error(`response.create before ${this.api === 'legacy' ? 'session.created' : 'conversation.connected.success'}`);
    } else if (this.#pendingOutputs.length > 0) {
      const text = this.#pendingOutputs
        .map(({ name, output }) => `The ${name} result is: ${output.slice(0, OUTPUT_ECHO_LIMIT)}`)
        .join(' ');
      this.#pendingOutputs = [];
      this.#speak(text);
    } else if (this.#pendingUserText !== null) {
      const text = this.#pendingUserText;
      this.#pendingUserText = null;
      this.#respondTo(text);
    } else if (this.#options.greeting && this.#responses === 0) {
      this.#speak(GREETING);
    }
  }

  /** @param {Message} msg */
  #onInputImage(msg) {
    const data = dataOf(msg);
    const match = typeof data?.content === 'string' ? IMAGE_DATA_URL.exec(data.content) : null;
    if (!data || !match || match[2] === '' || !isStrictBase64(match[2])) {
      this.log.error('realtime.input_image: data.content must be a data:image/…;base64,… URL');
      return;
    }
    if (data.reply !== undefined && data.reply !== 0 && data.reply !== 1) {
      this.log.error('realtime.input_image: data.reply must be 0 or 1');
    }
    this.log.images.push({ t: this.log.elapsed(), mime: match[1], bytes: base64ByteLength(match[2]), reply: data.reply ?? null });
    if (data.reply === 1 && this.#ready && !this.#ending && !this.#stalled) this.#speak(IMAGE_REPLY);
  }

  /**
   * @param {unknown} audio base64 PCM16
   * @param {string} type the message type, for error messages
   */
  #onAudio(audio, type) {
    const decoded = decodePcm16(audio);
    if ('error' in decoded) {
      this.log.error(`${type}: ${decoded.error}`);
      return;
    }
    this.log.audio.add(decoded.samples, this.log.elapsed(), !this.#updated);
    if (!this.#updated || this.#ending || this.#stalled) return;
    for (const event of this.#vad.push(decoded.samples)) {
      if (event === 'speech_started') this.#onSpeechStarted();
      else this.#onSpeechStopped();
    }
  }

  #onSpeechStarted() {
    this.#speaker.cancel();
    this.#avatar?.hush();
    this.#send(emptyFrame('realtime.input_audio_buffer.speech_started'));
  }

  #onSpeechStopped() {
    const { say, fieldStyle } = this.#options;
    this.#send(emptyFrame('realtime.input_audio_buffer.speech_stopped'));
    this.#send(userTranscriptFrame(say, fieldStyle));
    this.log.addConversation('user', say, false);
    this.#respondTo(say);
  }

  /** @param {string} text what the user said or typed */
  #respondTo(text) {
    const tool = findTool(this.#tools.values(), text);
    if (tool) this.#callTool(tool, text);
    else this.#speak(`You said: ${text}`);
  }

  /**
   * Plays a reply turn; an armed turn fault (out-of-order, drop-mid-turn) reshapes it.
   * @param {string} text
   */
  #speak(text) {
    this.#responses += 1;
    const id = `resp_${this.#responses}`;
    const { fieldStyle: style, delayMs, audioDeltas: audio } = this.#options;
    const voice = this.#avatar !== null; // the avatar speaks: the transcript follows its voice
    let steps = textTurnSteps(text, id, { style, delayMs, audio, voice });
    if (this.#armed.disorder) {
      steps = disorderedTurn(steps, { id, style, via: this.#armed.disorder });
      this.#armed.disorder = null;
    }
    if (this.#armed.drop) steps = withDropPoint(steps, { id, via: this.#armed.drop }).steps;
    this.#speaker.play({ steps, onDone: () => this.log.addConversation('assistant', text, false) });
  }

  /**
   * @param {SimTool} tool
   * @param {string} text
   */
  #callTool(tool, text) {
    this.#responses += 1;
    this.#calls += 1;
    const callId = `call_${this.#calls}`;
    const args = buildArguments(tool, text);
    this.#pendingCalls.set(callId, { name: tool.name });
    this.log.addFunctionCall(callId, tool.name, args);
    const { delayMs } = this.#options;
    const argsStyle = this.api === 'legacy' ? 'string' : this.#options.argsStyle; // legacy: always a JSON string
    this.#speaker.play({ steps: functionCallSteps({ n: this.#responses, callId, name: tool.name, args, argsStyle, delayMs }) });
  }
}
