import { LitElement, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import type { ConfigInput } from './config.js';
import { DEFAULT_SERVER_URL } from './config.js';
import { SessionController } from './controllers/session-controller.js';
import type { Strings } from './i18n/strings.js';
import { stringsFor } from './i18n/strings.js';
import { styles } from './navtalk-avatar.styles.js';
import type { HistoryItem, IceServer, ToolDefinition } from './protocol/types.js';
import type { FunctionHandler } from './session/function-calls.js';
import type { MediaOptions } from './session/navtalk-call.js';
import type { CallState } from './session/state.js';
import { isBusy } from './session/state.js';
import { playWithSound, unmute } from './webrtc/video-playback.js';

/** Boolean attributes that are on unless set to `false`, `off`, `no` or `0`. */
const onByDefault = {
  fromAttribute: (v: string | null) => v === null || !/^(false|off|no|0)$/i.test(v.trim()),
  toAttribute: (v: boolean) => (v ? null : 'false'),
};

/** What a child `<script type="application/json">` may carry, for pages that cannot run their own script. */
interface InlineConfig {
  tools?: ToolDefinition[];
  history?: HistoryItem[];
  strings?: Partial<Strings>;
}

/**
 * A NavTalk real-time digital human: video, voice, live transcripts and function calls, configured by attributes.
 *
 * @attr server-url - WebSocket endpoint: NavTalk, your relay, or the simulator.
 * @attr license - NavTalk license (visible to every visitor: use a relay on public pages).
 * @attr avatar-id - Avatar id (wins over `character`).
 * @attr character - Avatar name.
 * @attr api - `v2` (default) or `legacy`.
 * @attr voice - Voice sent in `realtime.input_config`.
 * @attr prompt - Prompt sent in `realtime.input_config`.
 * @attr mode - `inline` (default) or `floating`.
 * @attr position - Floating launcher corner: `bottom-right` (default) or `bottom-left`.
 * @attr open - Floating panel open (reflected).
 * @attr autostart - Start the call as soon as the element is connected.
 * @attr muted - Microphone muted (reflected).
 * @attr text-only - Conversation by typing; the microphone is never requested.
 * @attr chunk-ms - Audio per append message in milliseconds (default 40).
 * @attr echo-cancellation - Ask the browser for echo cancellation (default on; `false` turns it off).
 * @attr noise-suppression - Ask the browser for noise suppression (default on; `false` turns it off).
 * @attr auto-gain-control - Ask the browser for automatic gain control (default on; `false` turns it off).
 * @attr signaling-url - Legacy API only: the separate WebRTC signaling socket (default derived from server-url).
 * @attr assets-url - Folder holding self-hosted navtalk-*.worklet.js / navtalk-encoder.worker.js (strict CSP).
 * @attr lang - UI language (`en`, `zh-CN`); defaults to the page's.
 * @attr state - Read-only, reflected: the call state.
 *
 * @fires navtalk-state - `{state, previous}`
 * @fires navtalk-connected - `{sessionId}`
 * @fires navtalk-transcript - `{id, role, text, delta, final}`
 * @fires navtalk-function-call - `{callId, name, arguments, respond(output)}`
 * @fires navtalk-speech - `{speaking}`
 * @fires navtalk-error - `{code, message, fatal}`
 * @fires navtalk-disconnected - `{code, reason, willReconnect}`
 * @fires navtalk-warning - `{code, message}`
 *
 * @csspart panel - The card holding everything.
 * @csspart launcher - The floating launcher button.
 * @csspart video - The avatar video.
 * @csspart status - The status line.
 * @csspart error - The error banner.
 * @csspart transcript - The conversation log.
 * @csspart message - One transcript message.
 * @csspart controls - The row of controls.
 * @csspart call-button - Start / end call.
 * @csspart mic-button - Mute toggle.
 * @csspart text-input - The message box.
 * @csspart send-button - Send the typed message.
 * @csspart sound-button - "Tap to turn on sound", when the browser blocked autoplay with sound.
 *
 * @slot header - Content above the video.
 * @slot launcher-icon - The launcher's icon.
 */
export class NavtalkAvatarElement extends LitElement {
  static override styles = styles;

  static override properties = {
    serverUrl: { attribute: 'server-url' },
    license: { attribute: 'license' },
    avatarId: { attribute: 'avatar-id' },
    character: { attribute: 'character' },
    api: { attribute: 'api' },
    voice: { attribute: 'voice' },
    prompt: { attribute: 'prompt' },
    mode: { attribute: 'mode', reflect: true },
    position: { attribute: 'position', reflect: true },
    open: { attribute: 'open', type: Boolean, reflect: true },
    autostart: { attribute: 'autostart', type: Boolean },
    muted: { attribute: 'muted', type: Boolean, reflect: true },
    textOnly: { attribute: 'text-only', type: Boolean },
    chunkMs: { attribute: 'chunk-ms', type: Number },
    echoCancellation: { attribute: 'echo-cancellation', converter: onByDefault },
    noiseSuppression: { attribute: 'noise-suppression', converter: onByDefault },
    autoGainControl: { attribute: 'auto-gain-control', converter: onByDefault },
    assetsUrl: { attribute: 'assets-url' },
    signalingUrl: { attribute: 'signaling-url' },
    tools: { attribute: false },
    history: { attribute: false },
    functionHandlers: { attribute: false },
    strings: { attribute: false },
    functionTimeoutMs: { attribute: false },
    iceServers: { attribute: false },
    // `lang` itself stays the native HTMLElement property; this only makes a change re-render.
    _lang: { attribute: 'lang' },
  };

  declare serverUrl: string;
  declare license: string | undefined;
  declare avatarId: string | undefined;
  declare character: string | undefined;
  declare api: 'v2' | 'legacy';
  declare voice: string | undefined;
  declare prompt: string | undefined;
  declare mode: 'inline' | 'floating';
  declare position: 'bottom-right' | 'bottom-left';
  declare open: boolean;
  declare autostart: boolean;
  declare muted: boolean;
  declare textOnly: boolean;
  declare chunkMs: number;
  declare echoCancellation: boolean;
  declare noiseSuppression: boolean;
  declare autoGainControl: boolean;
  /** Legacy API only: the signaling socket URL (default: derived from server-url). */
  declare signalingUrl: string | undefined;
  /** Folder of the self-hosted worker and worklet files; defaults to the static `NavtalkAvatarElement.assetsUrl`. */
  declare assetsUrl: string | undefined;
  /** Default folder of self-hosted worker and worklet files for every element (undefined: Blob URLs). */
  static assetsUrl: string | undefined;
  /** Function tools the avatar may call (JSON-schema `{name, description, parameters}`). */
  declare tools: ToolDefinition[] | undefined;
  /** Earlier conversation; only `user` items are replayed to the server. */
  declare history: HistoryItem[] | undefined;
  /** Answers function calls by name; the result (or a thrown error) is sent back to the avatar. */
  declare functionHandlers: Record<string, FunctionHandler> | undefined;
  /** Overrides any UI string. */
  declare strings: Partial<Strings> | undefined;
  /** How long a function call may wait for its answer before the avatar is told it failed. */
  declare functionTimeoutMs: number;
  /** ICE servers for the avatar's WebRTC stream; by default those the server sends. */
  declare iceServers: IceServer[] | undefined;
  declare _lang: string | null;

  #session = new SessionController(this, () => this.#configInput());
  /** The browser blocked sound: the video plays muted until the visitor taps the sound control. */
  #soundBlocked = false;

  constructor() {
    super();
    this.serverUrl = DEFAULT_SERVER_URL;
    this.api = 'v2';
    this.mode = 'inline';
    this.position = 'bottom-right';
    this.open = false;
    this.autostart = false;
    this.muted = false;
    this.textOnly = false;
    this.chunkMs = 40;
    this.echoCancellation = true;
    this.noiseSuppression = true;
    this.autoGainControl = true;
    this.functionTimeoutMs = 20_000;
  }

  /** The call state (read-only; reflected on the `state` attribute for CSS). */
  get state(): CallState {
    return this.#session.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autostart && (this.mode !== 'floating' || this.open)) void this.start();
  }

  /** Starts the call. Resolves when the conversation is ready or the start failed (see `navtalk-error`). */
  start(): Promise<void> {
    return this.#session.start();
  }

  /** Ends the call and releases the microphone, media and socket. */
  stop(): Promise<void> {
    return this.#session.stop();
  }

  /** Sends a typed message (starting the call first when there is none). False for empty text. */
  sendText(text: string): boolean {
    return this.#session.sendText(text);
  }

  /** Stops the avatar's current reply playing locally. */
  interrupt(): void {
    this.#session.interrupt();
  }

  /** Answers a function call by id; false when unknown or already answered. */
  submitFunctionResult(callId: string, output: unknown): boolean {
    return this.#session.submitFunctionResult(callId, output);
  }

  #inlineConfig(): InlineConfig {
    const script = this.querySelector(':scope > script[type="application/json"]');
    if (!script?.textContent) return {};
    try {
      const parsed: unknown = JSON.parse(script.textContent);
      return parsed && typeof parsed === 'object' ? (parsed as InlineConfig) : {};
    } catch {
      return {};
    }
  }

  #configInput(): { input: ConfigInput; media: MediaOptions } {
    const inline = this.#inlineConfig();
    const chunkMs = Number.isFinite(this.chunkMs) ? Math.min(500, Math.max(10, this.chunkMs)) : 40;
    const media: MediaOptions = {
      textOnly: this.textOnly,
      muted: this.muted,
      level: true,
      mic: {
        chunkMs,
        echoCancellation: this.echoCancellation,
        noiseSuppression: this.noiseSuppression,
        autoGainControl: this.autoGainControl,
        assetsUrl: this.assetsUrl ?? (this.constructor as typeof NavtalkAvatarElement).assetsUrl,
      },
    };
    const input: ConfigInput = {
      serverUrl: this.serverUrl,
      license: this.license,
      avatarId: this.avatarId,
      character: this.character,
      api: this.api,
      voice: this.voice,
      prompt: this.prompt,
      tools: this.tools ?? inline.tools,
      history: this.history ?? inline.history,
      functionHandler: (name) => this.functionHandlers?.[name],
      functionTimeoutMs: this.functionTimeoutMs,
      iceServers: this.iceServers,
      signalingUrl: this.signalingUrl,
    };
    return { input, media };
  }

  get #strings(): Strings {
    const lang = this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language;
    return stringsFor(lang, this.strings ?? this.#inlineConfig().strings);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
    if (changed.has('muted')) this.#session.setMuted(this.muted);
    this.#syncVideo();
    if (changed.has('open') && this.open && this.autostart && this.mode === 'floating' && !isBusy(this.state)) void this.start();
  }

  /** Attaches the avatar's stream to the video (or clears it) and plays it with sound when allowed. */
  #syncVideo() {
    const video = this.renderRoot.querySelector('video');
    const stream = this.#session.stream;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (!stream) {
      this.#soundBlocked = false;
      return;
    }
    void playWithSound(video).then((result) => {
      if (result !== 'muted' || video.srcObject !== stream) return;
      this.#soundBlocked = true;
      this.#session.reportError({ code: 'autoplay-blocked', message: this.#strings.autoplayBlocked, fatal: false });
    });
  }

  #turnOnSound = async () => {
    const video = this.renderRoot.querySelector('video');
    if (video && (await unmute(video))) {
      this.#soundBlocked = false;
      this.requestUpdate();
    }
  };

  #toggleCall = () => {
    if (isBusy(this.state)) void this.stop();
    else void this.start();
  };

  #onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('text') as HTMLInputElement;
    if (this.sendText(input.value)) input.value = '';
  };

  #renderPanel(s: Strings) {
    const busy = isBusy(this.state);
    const err = this.#session.error;
    return html`<section class="panel" part="panel" role=${this.mode === 'floating' ? 'dialog' : 'region'} aria-label=${s.title}>
      <slot name="header"></slot>
      <video part="video" autoplay playsinline aria-label=${s.avatar}></video>
      ${this.#soundBlocked ? html`<button part="sound-button" type="button" @click=${this.#turnOnSound}>${s.turnOnSound}</button>` : nothing}
      <div class="status" part="status" role="status">${s.states[this.state]}</div>
      ${err ? html`<div class="error" part="error" role="alert" data-code=${err.code}>${err.message}</div>` : nothing}
      <ol class="transcript" part="transcript" role="log" aria-label=${s.transcriptLabel}>
        ${this.#session.lines.map(
          (l) => html`<li class="message" part="message" data-role=${l.role} data-final=${String(l.final)}>
            <span class="who">${l.role === 'user' ? s.you : s.avatar}</span><span class="text">${l.text}</span>
          </li>`,
        )}
      </ol>
      <div class="controls" part="controls">
        <button part="call-button" type="button" @click=${this.#toggleCall} aria-pressed=${busy ? 'true' : 'false'}>
          ${busy ? s.end : s.start}
        </button>
        ${this.textOnly
          ? nothing
          : html`<button part="mic-button" class="secondary" type="button" aria-pressed=${this.muted ? 'true' : 'false'} @click=${() => (this.muted = !this.muted)}>
              ${this.muted ? s.unmute : s.mute}
            </button>`}
        <form @submit=${this.#onSubmit}>
          <label class="visually-hidden" for="text">${s.inputLabel}</label>
          <input id="text" name="text" part="text-input" autocomplete="off" placeholder=${s.inputPlaceholder} maxlength="4000" />
          <button part="send-button" type="submit">${s.send}</button>
        </form>
      </div>
    </section>`;
  }

  protected override render() {
    const s = this.#strings;
    if (this.mode !== 'floating') return this.#renderPanel(s);
    return html`${this.open ? this.#renderPanel(s) : nothing}
      <button class="launcher" part="launcher" type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-label=${this.open ? s.closePanel : s.openLauncher} @click=${() => (this.open = !this.open)}>
        <slot name="launcher-icon">${this.open ? '×' : '💬'}</slot>
      </button>`;
  }
}
