import type { ReactiveController, ReactiveControllerHost } from '../ui/shadow-element.js';
import type { ConfigInput } from '../config.js';
import { buildSessionConfig } from '../config.js';
import { emit } from '../events.js';
import type { NavtalkEventName } from '../events.js';
import type { SessionDeps } from '../session/navtalk-session.js';
import type { MediaOptions } from '../session/navtalk-call.js';
import { NavtalkCall } from '../session/navtalk-call.js';
import type { ErrorDetail, SessionEventMap, TranscriptDetail } from '../session/session-events.js';
import type { CallState } from '../session/state.js';
import { isBusy } from '../session/state.js';

export interface TranscriptLine {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  final: boolean;
  at: number;
}

/** Session events re-dispatched on the element as `navtalk-<name>`. */
const FORWARDED = ['state', 'connected', 'transcript', 'function-call', 'speech', 'error', 'disconnected', 'warning'] as const;

/** Most lines the UI keeps; older ones scroll away (the page keeps its own log from the events if it wants). */
const MAX_LINES = 200;

/**
 * The one place the session meets Lit: creates a session per call from the host's current configuration,
 * re-dispatches its events on the host, keeps what the UI renders, and ends the call when the host leaves the DOM.
 */
export class SessionController implements ReactiveController {
  state: CallState = 'idle';
  lines: TranscriptLine[] = [];
  error: ErrorDetail | undefined;
  /** Microphone level 0..1 while the microphone is open. */
  level = 0;
  /** The avatar's WebRTC stream, when there is one. */
  stream: MediaStream | null = null;
  #host: ReactiveControllerHost & HTMLElement;
  #config: () => { input: ConfigInput; media: MediaOptions };
  #deps: SessionDeps;
  #call: NavtalkCall | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, config: () => { input: ConfigInput; media: MediaOptions }, deps: SessionDeps = {}) {
    this.#host = host;
    this.#config = config;
    this.#deps = deps;
    host.addController(this);
  }

  /** The current call, if any (for diagnostics and the benchmark). */
  get call(): NavtalkCall | undefined {
    return this.#call;
  }

  hostDisconnected(): void {
    void this.stop();
  }

  start(): Promise<void> {
    if (this.#call && isBusy(this.#call.session.state)) return this.#call.start();
    this.#detach();
    this.error = undefined;
    this.lines = [];
    const { input, media } = this.#config();
    const built = buildSessionConfig(input);
    if ('error' in built) {
      this.#onState(this.state, 'error');
      this.#report('error', (this.error = { code: 'config', message: built.error, fatal: true }));
      return Promise.resolve();
    }
    const call = (this.#call = new NavtalkCall(built.config, media, this.#deps));
    for (const name of FORWARDED) call.on(name, (detail) => this.#onEvent(name, detail));
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
    const s = this.#call?.session;
    if (s && isBusy(s.state)) return s.sendText(text);
    if (typeof text !== 'string' || !text.trim()) return false;
    void this.start();
    return this.#call !== undefined && this.#call.session.sendText(text);
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

  #onEvent<K extends (typeof FORWARDED)[number]>(name: K, detail: SessionEventMap[K]) {
    if (name === 'state') {
      const d = detail as SessionEventMap['state'];
      this.state = d.state;
      if (d.state === 'connecting') this.error = undefined;
    } else if (name === 'transcript') this.#onTranscript(detail as TranscriptDetail);
    else if (name === 'error') this.error = detail as ErrorDetail;
    this.#host.requestUpdate();
    this.#report(name, detail);
  }

  #onState(previous: CallState, state: CallState) {
    this.state = state;
    this.#host.requestUpdate();
    this.#report('state', { state, previous });
  }

  #onTranscript(t: TranscriptDetail) {
    const line = this.lines.find((l) => l.id === t.id);
    if (line) {
      line.text = t.text;
      line.final = t.final;
      this.lines = [...this.lines];
    } else {
      this.lines = [...this.lines.slice(-(MAX_LINES - 1)), { id: t.id, role: t.role, text: t.text, final: t.final, at: Date.now() }];
    }
  }

  /** Reports an error found by the element itself (e.g. autoplay blocked). */
  reportError(detail: ErrorDetail): void {
    this.error = detail;
    this.#host.requestUpdate();
    this.#report('error', detail);
  }

  #report<K extends keyof SessionEventMap>(name: K, detail: SessionEventMap[K]) {
    emit(this.#host, `navtalk-${name}` as NavtalkEventName, detail as never);
  }

  #detach() {
    this.#call?.dispose();
    this.#call = undefined;
    this.level = 0;
    this.stream = null;
  }
}
