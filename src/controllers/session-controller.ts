import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConfigInput } from '../config.js';
import { buildSessionConfig } from '../config.js';
import { emit } from '../events.js';
import type { NavtalkEventName } from '../events.js';
import type { SessionDeps } from '../session/navtalk-session.js';
import { NavtalkSession } from '../session/navtalk-session.js';
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
  #host: ReactiveControllerHost & HTMLElement;
  #config: () => ConfigInput;
  #deps: SessionDeps;
  #session: NavtalkSession | undefined;
  #unsubscribe: (() => void)[] = [];

  constructor(host: ReactiveControllerHost & HTMLElement, config: () => ConfigInput, deps: SessionDeps = {}) {
    this.#host = host;
    this.#config = config;
    this.#deps = deps;
    host.addController(this);
  }

  get session(): NavtalkSession | undefined {
    return this.#session;
  }

  hostDisconnected(): void {
    void this.stop();
  }

  start(): Promise<void> {
    if (this.#session && isBusy(this.#session.state)) return this.#session.start();
    this.#detach();
    this.error = undefined;
    this.lines = [];
    const built = buildSessionConfig(this.#config());
    if ('error' in built) {
      this.#onState(this.state, 'error');
      this.#report('error', (this.error = { code: 'config', message: built.error, fatal: true }));
      return Promise.resolve();
    }
    const session = (this.#session = new NavtalkSession(built.config, this.#deps));
    for (const name of FORWARDED) {
      this.#unsubscribe.push(session.on(name, (detail) => this.#onEvent(name, detail)));
    }
    return session.start();
  }

  async stop(): Promise<void> {
    await this.#session?.stop();
  }

  sendText(text: string): boolean {
    const s = this.#session;
    if (s && isBusy(s.state)) return s.sendText(text);
    if (typeof text !== 'string' || !text.trim()) return false;
    void this.start();
    return this.#session !== undefined && this.#session.sendText(text);
  }

  interrupt(): void {
    this.#session?.interrupt();
  }

  submitFunctionResult(callId: string, output: unknown): boolean {
    return this.#session?.submitFunctionResult(callId, output) ?? false;
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

  #report<K extends keyof SessionEventMap>(name: K, detail: SessionEventMap[K]) {
    emit(this.#host, `navtalk-${name}` as NavtalkEventName, detail as never);
  }

  #detach() {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#session = undefined;
  }
}
