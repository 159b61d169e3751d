import type { UpdateHost } from '../ui/shadow-element.js';
import type { ConfigInput } from '../config.js';
import { buildSessionConfig } from '../config.js';
import { emit } from '../events.js';
import type { NavtalkEventName } from '../events.js';
import type { MediaOptions } from '../session/navtalk-call.js';
import { NavtalkCall } from '../session/navtalk-call.js';
import type { ErrorDetail, SessionEventMap, TranscriptDetail } from '../session/session-events.js';
import { SESSION_EVENTS } from '../session/session-events.js';
import type { CallState } from '../session/state.js';
import { isBusy } from '../session/state.js';

export interface TranscriptLine {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  final: boolean;
  at: number;
}

/** Most lines the UI keeps; older ones scroll away (the page keeps its own log from the events if it wants). */
const MAX_LINES = 200;

/**
 * The one place the session meets the element: creates a session per call from the host's current configuration,
 * re-dispatches its events on the host, and keeps what the UI renders. The host stops it when it leaves the DOM.
 */
export class SessionController {
  state: CallState = 'idle';
  lines: TranscriptLine[] = [];
  error: ErrorDetail | undefined;
  /** The error that ended the call: the banner keeps it over later, lesser errors until the next start. */
  fatal: ErrorDetail | undefined;
  /** The microphone was denied or is missing in this call: the conversation goes on by typing. */
  micLost = false;
  /** Microphone level 0..1 while the microphone is open. */
  level = 0;
  /** The avatar's WebRTC stream, when there is one. */
  stream: MediaStream | null = null;
  #host: UpdateHost & HTMLElement;
  #config: () => { input: ConfigInput; media: MediaOptions };
  #call: NavtalkCall | undefined;

  constructor(host: UpdateHost & HTMLElement, config: () => { input: ConfigInput; media: MediaOptions }) {
    this.#host = host;
    this.#config = config;
  }

  async start(): Promise<void> {
    if (this.#call && isBusy(this.#call.session.state)) return this.#call.start();
    this.#call?.dispose();
    this.#call = undefined;
    this.level = 0;
    this.stream = null;
    this.error = undefined;
    this.lines = [];
    const { input, media } = this.#config();
    const built = buildSessionConfig(input);
    if ('error' in built) {
      this.#onEvent('state', { state: 'error', previous: this.state });
      this.#onEvent('error', { code: 'config', message: built.error, fatal: true });
      return;
    }
    const call = (this.#call = new NavtalkCall(built.config, media));
    for (const name of SESSION_EVENTS) call.on(name, (detail) => this.#onEvent(name, detail));
    call.on('level', (level) => {
      this.level = level;
      this.#host.requestUpdate();
    });
    call.on('stream', (stream) => {
      this.stream = stream;
      this.#host.requestUpdate();
    });
    return call.start();
  }

  async stop(): Promise<void> {
    await this.#call?.stop();
  }

  sendText(text: string): boolean {
    if (!(this.#call && isBusy(this.#call.session.state))) {
      if (typeof text !== 'string' || !text.trim()) return false;
      void this.start();
    }
    return this.#call?.session.sendText(text) ?? false;
  }

  setMuted(muted: boolean): void {
    this.#call?.setMuted(muted);
  }

  interrupt(): void {
    this.#call?.session.interrupt();
  }

  submitFunctionResult(callId: string, output: unknown): boolean {
    return this.#call?.session.submitFunctionResult(callId, output) ?? false;
  }

  /** Reports an error found by the element itself (e.g. autoplay blocked). */
  reportError(detail: ErrorDetail): void {
    this.#onEvent('error', detail);
  }

  /** Keeps what the UI shows from a session event, re-renders, and re-dispatches the event on the host. */
  #onEvent<K extends keyof SessionEventMap>(name: K, detail: SessionEventMap[K]) {
    if (name === 'state') {
      const d = detail as SessionEventMap['state'];
      this.state = d.state;
      if (d.state === 'connecting') {
        this.error = this.fatal = undefined;
        if (d.previous !== 'reconnecting') this.micLost = false;
      }
    } else if (name === 'transcript') this.#onTranscript(detail as TranscriptDetail);
    else if (name === 'error') {
      const e = (this.error = detail as ErrorDetail);
      if (e.fatal) this.fatal = e;
      // `mic-denied` or `mic-unavailable` during a call.
      else if (e.code.startsWith('mic-') && isBusy(this.state)) this.micLost = true;
    }
    this.#host.requestUpdate();
    emit(this.#host, `navtalk-${name}` as NavtalkEventName, detail as never);
  }

  #onTranscript(t: TranscriptDetail) {
    const line = this.lines.find((l) => l.id === t.id);
    if (line) {
      line.text = t.text;
      line.final = t.final;
      this.lines = [...this.lines];
    } else {
      this.lines = [...this.lines.slice(-(MAX_LINES - 1)), { ...t, at: Date.now() }];
    }
  }
}
