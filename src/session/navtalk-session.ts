import type { SessionConfig } from '../config.js';
import { sessionUrl } from '../config.js';
import * as build from '../protocol/builders.js';
import { parseFrame } from '../protocol/normalize.js';
import type { ClientMessage, ErrorCode, IceServer, MalformedReason, ServerEvent } from '../protocol/types.js';
import { isFatal } from '../protocol/types.js';
import type { Transport, TransportFactory } from '../transport/websocket-transport.js';
import { webSocketTransport } from '../transport/websocket-transport.js';
import type { SessionEventMap, TranscriptDetail } from './session-events.js';
import type { CallState } from './state.js';
import { canMove, isBusy, isReady } from './state.js';
import { TypedEventTarget } from './typed-events.js';

/** Public events plus what the media parts (microphone, player, WebRTC) listen to. */
export interface SessionInternalEventMap extends SessionEventMap {
  /** Every normalised server event, after the session acted on it. */
  'server-event': ServerEvent;
  /** Playback of assistant audio must stop now (barge-in or interrupt()). */
  interrupt: undefined;
  /** interrupt() cut a reply the server goes on sending: its voice must be silenced here (true) until the cut
   * lifts (false) when another reply or the visitor's next turn begins. */
  silence: boolean;
  /** The socket is gone (stop, fatal error or loss); media parts release what they hold for it. */
  ended: { final: boolean };
}

export interface SessionDeps {
  transport?: TransportFactory;
  random?: () => number;
}

const CLOSE_NORMAL = 1000;

/** A transcript item as its last event told it, without that event's `delta`. */
type TranscriptItem = Omit<TranscriptDetail, 'delta'>;

/**
 * One NavTalk v2 conversation over one WebSocket: the state machine, history replay, transcripts, function
 * calls, error mapping and reconnection. No DOM, no Lit: it reports through typed events.
 */
export class NavtalkSession extends TypedEventTarget<SessionInternalEventMap> {
  readonly config: SessionConfig;
  #transportFactory: TransportFactory;
  #random: () => number;
  #transport: Transport | undefined;
  #state: CallState = 'idle';
  #sessionId = '';
  #iceServers: IceServer[] = [];
  /** This connection's assistant transcript items by the server's reply id (unique per connection only). */
  #replies = new Map<string, TranscriptItem>();
  /** The assistant item deltas without a reply id go to, until it is finished or cut. */
  #openItem: TranscriptItem | undefined;
  /** Numbers the transcript items: their ids (`assistant-<n>`, `user-<n>`) are unique in the whole call. */
  #items = 0;
  /** Every function call id seen (servers may repeat the done event), with its timeout while it waits for its answer.
   * Each call is answered exactly once: by respond(), its handler's result, or an error output when time is up. */
  #calls = new Map<string, ReturnType<typeof setTimeout> | undefined>();
  #malformedReported = new Set<MalformedReason>();
  /** Typed before the session was ready: sent once it is. Nothing the visitor says is lost. */
  #queuedTexts: string[] = [];
  /** What the visitor said (or typed and was sent) in this call, replayed after a reconnect so the avatar keeps its
   * context. Queued texts join it when they are sent, so none is replayed and then sent again. */
  #said: string[] = [];
  /** The connect timeout while connecting, the backoff delay while reconnecting: never both at once. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  /** The id of the reply being streamed (its latest event's; undefined when the server sends no ids). */
  #replyId: string | undefined;
  /** The reply interrupt() cut, by id (undefined: the server sends no ids); null when none is cut. NavTalk has no
   * cancel message, so the server goes on sending it: its events are dropped here until the cut lifts. */
  #cut: string | undefined | null = null;

  constructor(config: SessionConfig, deps: SessionDeps = {}) {
    super();
    this.config = config;
    this.#transportFactory = deps.transport ?? webSocketTransport;
    this.#random = deps.random ?? Math.random;
  }

  get state(): CallState {
    return this.#state;
  }
  get sessionId(): string {
    return this.#sessionId;
  }
  get iceServers(): IceServer[] {
    return this.#iceServers;
  }

  /** Opens the call. Resolves once the session is ready or has ended; never rejects (errors are events). */
  start(): Promise<void> {
    if (!isBusy(this.#state)) {
      this.#said = [];
      this.#attempt = 0;
      this.#connect();
    }
    // Settled: ready for input (`listening` or later) or out of the call (`closed`, `error`).
    return new Promise((resolve) => {
      const check = () => {
        if (isBusy(this.#state) && !isReady(this.#state)) return;
        off();
        resolve();
      };
      const off = this.on('state', check);
      check();
    });
  }

  /** Ends the call and releases the socket and every timer. Idempotent. */
  async stop(): Promise<void> {
    const wasOpen = this.#transport !== undefined;
    this.#teardown();
    this.#queuedTexts = [];
    this.#move('closed'); // not from idle: nothing was open
    if (wasOpen) this.emit('disconnected', { code: CLOSE_NORMAL, reason: 'stopped', willReconnect: false });
    this.emit('ended', { final: true });
  }

  /** Sends a typed message and asks for a reply. Queued while connecting; false when there is no call. */
  sendText(text: string): boolean {
    const t = typeof text === 'string' ? text.trim() : '';
    if (!t || !isBusy(this.#state)) return false;
    this.#nextTurn();
    this.#userItem(t);
    if (isReady(this.#state)) this.#say(t);
    else this.#queuedTexts.push(t);
    return true;
  }

  /** Answers a function call; false when the id is unknown or already answered. */
  submitFunctionResult(callId: string, output: unknown): boolean {
    const timer = this.#calls.get(callId);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.#calls.set(callId, undefined);
    this.#nextTurn();
    this.#askReply(build.functionOutput(callId, build.outputToString(output)));
    return true;
  }

  /** Stops the current reply here: its transcript ends where it is, its audio stops, and what the server still
   * sends of it is dropped, its WebRTC voice silenced, until another reply begins (with a server that sends no
   * reply ids: until the visitor's next turn). */
  interrupt(): void {
    if (this.#state === 'speaking') {
      this.#finishItem();
      this.#cut = this.#replyId;
      this.emit('silence', true);
      this.#move('listening');
    } else this.#openItem = undefined;
    this.emit('interrupt', undefined);
  }

  /** The cut is over: another reply begins (or, from a server without ids, the visitor's next turn). */
  #liftCut() {
    if (this.#cut === null) return;
    this.#cut = null;
    this.emit('silence', false);
  }

  /** The visitor takes a turn: without reply ids, nothing else can tell the next reply from the cut one. */
  #nextTurn() {
    if (this.#cut === undefined) this.#liftCut();
  }

  /** Tracks which reply is streaming; true for an event of the cut reply (to be dropped). */
  #isCutReply(ev: ServerEvent): boolean {
    if (!('id' in ev)) return false; // not an event of a reply (only they carry its id, undefined when none is sent)
    if (ev.id !== undefined && ev.type !== 'response-done') this.#replyId = ev.id;
    if (this.#cut === null) return false;
    if (this.#cut === undefined || ev.id === undefined || ev.id === this.#cut) return true;
    this.#liftCut();
    return false;
  }

  /** Sends one client message; false when the socket is not open. */
  send(msg: ClientMessage): boolean {
    return this.sendFrame(JSON.stringify(msg));
  }

  /** Sends an already-serialised frame (the audio path builds its frames off the main thread). */
  sendFrame(frame: string): boolean {
    return this.#transport?.send(frame) ?? false;
  }

  /** Sends the visitor's turn (typed text or a function's output) and asks the avatar to reply. */
  #askReply(msg: ClientMessage) {
    this.send(msg);
    this.send(build.responseCreate());
    this.#move('thinking');
  }

  #connect() {
    this.#liftCut();
    this.#replyId = undefined;
    this.#move('connecting');
    this.#replies.clear(); // a new connection numbers its replies afresh
    this.#openItem = undefined;
    this.#sessionId = '';
    this.#malformedReported.clear();
    try {
      this.#transport = this.#transportFactory(sessionUrl(this.config), {
        open: () => {
          const msg = this.config.api === 'v2' && build.inputConfig(this.config);
          if (msg) this.send(msg);
        },
        message: (data) => this.#onFrame(data),
        close: (code, reason) => this.#onClose(code, reason),
      });
    } catch {
      this.#fail('config', 'server-url cannot be opened as a WebSocket.');
      return;
    }
    this.#timer = setTimeout(() => {
      this.#lost(4000, 'connect timeout', `NavTalk did not confirm the connection within ${this.config.connectTimeoutMs} ms.`);
    }, this.config.connectTimeoutMs);
  }

  #onFrame(data: unknown) {
    const result = parseFrame(data);
    if (result.kind === 'malformed') {
      if (!this.#malformedReported.has(result.reason)) {
        this.#malformedReported.add(result.reason);
        this.#error('protocol', `Dropped a malformed frame (${result.detail}).`);
      }
      return;
    }
    if (result.kind === 'ignored' || this.#isCutReply(result.event)) return;
    try {
      this.#handle(result.event);
      this.emit('server-event', result.event);
    } catch (err) {
      // A listener's bug must not take the session down, nor escape into the page as a socket callback error.
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  #handle(ev: ServerEvent) {
    switch (ev.type) {
      case 'connected':
        clearTimeout(this.#timer);
        this.#sessionId = ev.sessionId;
        this.#iceServers = ev.iceServers;
        this.#move('connected');
        this.emit('connected', { sessionId: ev.sessionId });
        break;
      case 'warning':
        this.emit('warning', { code: 'server-warning', message: ev.message });
        break;
      case 'server-error':
        if (isFatal(ev.code)) this.#fail(ev.code, ev.message);
        else this.#error(ev.code, ev.message);
        break;
      case 'session-created': {
        const c = this.config;
        if (c.api === 'legacy') this.send(build.legacySessionUpdate(c));
        for (const msg of [...build.historyMessages(c.history), ...this.#said.map(build.userText)]) this.send(msg);
        break;
      }
      case 'session-updated':
        this.#onReady();
        break;
      case 'speech-started':
        this.#nextTurn();
        this.#openItem = undefined; // later deltas without an id start a new item
        this.emit('interrupt', undefined);
        this.emit('speech', { speaking: true });
        this.#move('listening');
        break;
      case 'speech-stopped':
        this.emit('speech', { speaking: false });
        this.#move('thinking');
        break;
      case 'user-transcript':
        if (ev.text.trim()) {
          this.#userItem(ev.text);
          this.#said.push(ev.text);
        }
        break;
      case 'assistant-delta': {
        const item = this.#assistantItem(ev.id);
        if (!item.final) {
          this.#openItem = item;
          item.text += ev.delta;
          this.emit('transcript', { ...item, delta: ev.delta });
        }
        this.#move('speaking');
        break;
      }
      case 'assistant-done':
        this.#finishItem(ev.id, ev.text);
        break;
      case 'audio-delta':
        this.#move('speaking');
        break;
      case 'audio-done':
      case 'response-done':
        if (isReady(this.#state)) this.#move('listening'); // not before the session is ready
        break;
      case 'function-call': {
        const { callId, name, arguments: args } = ev;
        if (this.#calls.has(callId)) break;
        const ms = this.config.functionTimeoutMs;
        const respond = (output: unknown) => this.submitFunctionResult(callId, output);
        this.#calls.set(
          callId,
          setTimeout(() => {
            const error = `No answer from the page for ${name} (${callId}) in ${ms} ms.`;
            if (respond({ error })) this.#error('function-timeout', error);
          }, ms),
        );
        this.#move('thinking');
        this.emit('function-call', { callId, name, arguments: args, respond });
        // The page's handler, if any, answers a call still unanswered with its result, or with {error} when it fails.
        const handler = this.config.functionHandler?.(name);
        if (handler && this.#calls.get(callId) !== undefined)
          Promise.resolve()
            .then(() => handler(args))
            .then(respond, (err: unknown) => respond({ error: err instanceof Error ? err.message : String(err) }));
        break;
      }
      default:
        break;
    }
  }

  /** The assistant item of reply `id` (else the open one), created empty when there is none. */
  #assistantItem(id: string | undefined): TranscriptItem {
    let item = id === undefined ? this.#openItem : this.#replies.get(id);
    if (!item) {
      item = { id: `assistant-${++this.#items}`, role: 'assistant', text: '', final: false };
      if (id !== undefined) this.#replies.set(id, item);
    }
    return item;
  }

  /** Finalises the assistant item of reply `id` (else the open one) with the server's `text` (else the text it has),
   * once. Without arguments it ends the open item as it stands (interrupt()), if there is one. */
  #finishItem(id?: string, text?: string) {
    if (id === undefined && !this.#openItem && text === undefined) return;
    const item = this.#assistantItem(id);
    if (item.final) return;
    const full = text ?? item.text;
    const delta = full.startsWith(item.text) ? full.slice(item.text.length) : full;
    item.text = full;
    item.final = true;
    if (this.#openItem === item) this.#openItem = undefined;
    this.emit('transcript', { ...item, delta });
  }

  /** A finished user utterance (spoken and transcribed, or typed). */
  #userItem(text: string) {
    this.emit('transcript', { id: `user-${++this.#items}`, role: 'user', text, delta: text, final: true });
  }

  #onReady() {
    clearTimeout(this.#timer);
    if (this.#state === 'connecting') this.#move('connected');
    if (this.#state !== 'connected') return;
    this.#attempt = 0;
    this.#move('listening');
    for (const t of this.#queuedTexts.splice(0)) this.#say(t);
  }

  /** Sends a typed text as a turn of its own, and keeps it to replay. */
  #say(text: string) {
    this.#said.push(text);
    this.#askReply(build.userText(text));
  }

  #onClose(code: number, reason: string) {
    this.#transport = undefined;
    if (!isBusy(this.#state)) return; // stopped or failed already
    if (/insufficient points/i.test(reason)) {
      this.#fail('insufficient-balance', `NavTalk reported insufficient-balance (${reason}).`, code, reason);
      return;
    }
    this.#lost(code, reason, `The connection to NavTalk was lost (code ${code}).`);
  }

  /** An unexpected loss: reconnect with backoff while tries remain, else end the call with a `network` error. */
  #lost(code: number, reason: string, message: string) {
    this.#teardown();
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.config.reconnect;
    const willReconnect = this.#attempt < maxAttempts;
    this.emit('disconnected', { code, reason, willReconnect });
    this.#error('network', message);
    this.emit('ended', { final: !willReconnect });
    if (!willReconnect) {
      this.#move('error');
      return;
    }
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** this.#attempt) * (0.75 + 0.5 * this.#random());
    this.#attempt++;
    this.#move('reconnecting');
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  /** A fatal error: report it, close the socket, no reconnect. `closeCode` is given when the server closed it. */
  #fail(code: ErrorCode, message: string, closeCode?: number, reason = message) {
    const wasOpen = this.#transport !== undefined;
    this.#teardown();
    this.#queuedTexts = [];
    this.#move('error');
    this.#error(code, message);
    if (wasOpen || closeCode) this.emit('disconnected', { code: closeCode ?? CLOSE_NORMAL, reason, willReconnect: false });
    this.emit('ended', { final: true });
  }

  #error(code: ErrorCode, message: string) {
    this.emit('error', { code, message, fatal: isFatal(code) });
  }

  /** Closes the socket (normally: code 1000, no reason) and drops every timer and pending function call. */
  #teardown() {
    clearTimeout(this.#timer);
    for (const [callId, timer] of this.#calls) {
      clearTimeout(timer);
      this.#calls.set(callId, undefined); // unanswered, and still refused if the server repeats it
    }
    const t = this.#transport;
    this.#transport = undefined;
    t?.close();
  }

  #move(next: CallState) {
    const previous = this.#state;
    if (!canMove(previous, next)) return;
    this.#state = next;
    this.emit('state', { state: next, previous });
  }
}
