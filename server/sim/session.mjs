/**
 * @file One simulated NavTalk v2 connection: the connect sequence, message handling in arrival order, response
 * and function-call turns, the energy VAD, and the WebRTC offer of the avatar's media (PROTOCOL.md §2–§8, §13).
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
import { connectFailure, parseSimOptions, publicQuery, resolvedAvatarId } from './options.mjs';
import { SessionLog, makeRedactor } from './session-log.mjs';
import { Speaker } from './speaker.mjs';
import { buildArguments, findTool, normalizeTools } from './tools.mjs';
import { base64ByteLength, isPlainObject, isStrictBase64 } from './util.mjs';
import { SIGNALING_TYPES, WebRtcEndpoint } from './webrtc.mjs';

/** @typedef {import('./options.mjs').SimOptions} SimOptions */
/** @typedef {import('./frames.mjs').ErrorKind} ErrorKind */
/** @typedef {import('./tools.mjs').SimTool} SimTool */
/** @typedef {{info?: (message: string) => void, warn?: (message: string) => void}} Logger */
/** @typedef {Record<string, unknown>} Message a parsed client frame */

const INPUT_CONFIG_WAIT_MS = 20; // time for an onopen input_config to arrive before success
const OUTPUT_ECHO_LIMIT = 200;
const GREETING = 'Hello! I am the NavTalk simulator. How can I help you?';
const IMAGE_REPLY = 'I see an image.';
const IMAGE_DATA_URL = /^data:(image\/[\w.+-]+);base64,(.*)$/s;
/** Types accepted and only recorded. */
const RECORD_ONLY_TYPES = ['realtime.input_text', 'realtime.input_audio_buffer.clear', 'realtime.input_audio_buffer.commit', 'session.update'];

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
  /** @type {WebRtcEndpoint|null} the WebRTC side; null with simOffer=off until the control API forces an offer */
  #webrtc = null;
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
  #responses = 0;
  #calls = 0;
  /** @type {Promise<void>} */
  #closed;
  /** @type {Map<string, (msg: Message) => void>} */
  #handlers = new Map(
    /** @type {[string, (msg: Message) => void][]} */ ([
      ['realtime.input_config', (msg) => this.#onInputConfig(msg)],
      ['realtime.input_function_call', (msg) => this.#onInputFunctionCall(msg)],
      ['conversation.item.create', (msg) => this.#onItemCreate(msg)],
      ['response.create', () => this.#onResponseCreate()],
      ['realtime.input_image', (msg) => this.#onInputImage(msg)],
      ['realtime.input_audio_buffer.append', (msg) => this.#onAudio(dataOf(msg)?.audio, 'realtime.input_audio_buffer.append')],
      ['input_audio_buffer.append', (msg) => this.#onAudio(msg.audio, 'input_audio_buffer.append')],
      ...RECORD_ONLY_TYPES.map((type) => [type, () => {}]),
      ...SIGNALING_TYPES.map((type) => [type, (/** @type {Message} */ msg) => this.#webrtc?.handle(type, msg.data)]),
    ]),
  );

  /**
   * Attaches to an open socket; call start() next.
   * @param {{ws: WebSocket, query: URLSearchParams, logger: Logger, onClose: () => void}} deps
   */
  constructor({ ws, query, logger, onClose }) {
    const { options, errors } = parseSimOptions(query);
    this.#ws = ws;
    this.#options = options;
    this.#logger = logger;
    this.log = new SessionLog({
      id: this.id,
      tag: options.tag,
      query: publicQuery(query),
      hasLicense: options.license !== null,
      redact: makeRedactor(options.license),
      rmsWindow: options.rmsWindow,
    });
    errors.forEach((error) => this.log.error(error));
    this.#speaker = new Speaker((step) => this.#emit(step));
    if (options.offer !== 'off') this.#webrtc = this.#createWebRtc();
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

  /** @returns {boolean} */
  get isOpen() {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Runs the connect sequence: a refusal, or success → (warning) → session.created → session.updated. */
  start() {
    this.#logger.info?.(`sim: open ${this.id}${this.tag === null ? '' : ` tag=${this.tag}`}`);
    const failure = connectFailure(this.#options);
    if (failure) this.#end(failure.kind, failure.message);
    else this.#later(INPUT_CONFIG_WAIT_MS, () => void this.#connected());
  }

  /** Sends a WebSocket-level ping (there is no JSON heartbeat). */
  ping() {
    if (this.isOpen) this.#ws.ping();
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
   * @returns {boolean} false if the socket is not open or the session is ending
   */
  renewOffer() {
    if (!this.isOpen || this.#ending) return false;
    this.#webrtc ??= this.#createWebRtc();
    void this.#webrtc.offer();
    return true;
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
      if (this.#ending) return;
    }
    this.#send(emptyFrame('realtime.session.created'));
    this.#later(this.#options.updateDelayMs, () => this.#sessionUpdated());
  }

  #sessionUpdated() {
    this.#updated = true;
    this.log.sessionUpdatedMs = this.log.elapsed();
    this.#send(emptyFrame('realtime.session.updated'));
    if (this.#options.offer === 'late') void this.#webrtc?.offer({ keepExisting: true });
    const { error } = this.#options;
    if (error) this.#later(error.afterMs, () => this.#end(error.kind));
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
    if (this.isOpen) this.#ws.close(1000, frame.message);
  }

  /** Stops every timer and turn and closes the WebRTC side; later input is only recorded. */
  #dispose() {
    this.#ending = true;
    this.#speaker.cancel();
    this.#webrtc?.close();
    this.#timers.forEach((timer) => clearTimeout(timer));
    this.#timers.clear();
  }

  /**
   * @param {number} ms
   * @param {() => void} action
   */
  #later(ms, action) {
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
   * Sends a turn step: its frame, and its word to the avatar's voice.
   * @param {import('./frames.mjs').Step} step
   */
  #emit(step) {
    this.#send(step.frame);
    if (step.voice) this.#webrtc?.speak(step.voice.word, step.voice.index);
  }

  /** @param {Record<string, unknown>} frame */
  #send(frame) {
    if (!this.isOpen) return;
    this.#ws.send(JSON.stringify(frame));
    this.log.frame('out', String(frame.type), frame);
  }

  /**
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) {
      this.log.frame('in', '(binary)', { bytes: bytes.length });
      this.log.error(`binary frame (${bytes.length} bytes): the protocol uses JSON text frames only`);
      return;
    }
    const text = bytes.toString('utf8');
    /** @type {unknown} */
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log.frame('in', '(invalid)', text);
      this.log.error('text frame is not JSON');
      return;
    }
    this.#dispatch(msg);
  }

  /** @param {unknown} msg a parsed frame */
  #dispatch(msg) {
    if (!isPlainObject(msg)) {
      this.log.frame('in', '(invalid)', msg);
      this.log.error('frame is not a JSON object');
      return;
    }
    const type = typeof msg.type === 'string' ? msg.type : null;
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
    if (this.#ending) return;
    if (!this.#ready) {
      this.log.error('response.create before conversation.connected.success');
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
    if (data.reply === 1 && this.#ready && !this.#ending) this.#speak(IMAGE_REPLY);
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
    if (!this.#updated || this.#ending) return;
    for (const event of this.#vad.push(decoded.samples)) {
      if (event === 'speech_started') this.#onSpeechStarted();
      else this.#onSpeechStopped();
    }
  }

  #onSpeechStarted() {
    this.#speaker.cancel();
    this.#webrtc?.hush();
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

  /** @param {string} text */
  #speak(text) {
    this.#responses += 1;
    const { fieldStyle: style, delayMs, audioDeltas: audio } = this.#options;
    const voice = this.#webrtc !== null; // the avatar speaks: the transcript follows its voice
    this.#speaker.play({
      steps: textTurnSteps(text, `resp_${this.#responses}`, { style, delayMs, audio, voice }),
      onDone: () => this.log.addConversation('assistant', text, false),
    });
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
    const { argsStyle, delayMs } = this.#options;
    this.#speaker.play({ steps: functionCallSteps({ n: this.#responses, callId, name: tool.name, args, argsStyle, delayMs }) });
  }
}
