// First: it brings the session and media code, which the bundle then places first (the order gzip does best with).
import { NavtalkCall } from './session/navtalk-call.js';
import { html, nothing } from './ui/html.js';
import type { ConfigInput } from './config.js';
import { DEFAULT_SERVER_URL, buildSessionConfig } from './config.js';
import { emit } from './events.js';
import type { NavtalkEventName } from './events.js';
import type { Strings } from './i18n/strings.js';
import type { HistoryItem, IceServer, ToolDefinition } from './protocol/types.js';
import type { FunctionHandler } from './config.js';
import type { MediaOptions } from './session/navtalk-call.js';
import type { CallState } from './session/state.js';
import { isBusy } from './session/state.js';
import { playWithSound } from './webrtc/video-playback.js';
import type { ErrorDetail, SessionEventMap, TranscriptDetail } from './session/session-events.js';
import { SESSION_EVENTS } from './session/session-events.js';
import type { PropertyDeclaration, PropertyValues } from './ui/shadow-element.js';
import { ShadowElement } from './ui/shadow-element.js';
// From here the order is measured too: the strings after the base class, the stage before the controls.
import { stringsFor } from './i18n/strings.js';
import { stage } from './ui/stage.js';
import { QUIET, controls, errorBanner, launcher } from './ui/controls.js';
import { ICONS, icon } from './ui/icons.js';
import type { TranscriptLine } from './ui/transcript.js';
import { captionText, transcript } from './ui/transcript.js';
// The styles last, for the same reason.
import { styles } from './navtalk-avatar.styles.js';

/** Boolean attributes that are on unless set to `false`, `off`, `no` or `0`. */
const onByDefault = (v: string | null) => v === null || !/^(false|off|no|0)$/i.test(v.trim());

/** A property set only from script (objects, functions): no attribute. */
const SCRIPT_ONLY: PropertyDeclaration = { attribute: false };

/** Most transcript lines the UI keeps; older ones scroll away (the page keeps its own log from the events if it wants). */
const MAX_LINES = 200;

/** What a child `<script type="application/json">` may carry, for pages that cannot run their own script. */
interface InlineConfig {
  tools?: ToolDefinition[];
  history?: HistoryItem[];
  strings?: Partial<Strings>;
}

/**
 * A NavTalk real-time digital human: video, voice, live transcripts and function calls, configured by attributes.
 *
 * Configuration (connection attributes, `tools`, `history`, `text-only`, microphone options) is read when a call
 * starts: changes while idle apply to the next start; changes during a call apply to the next call, except
 * `muted` (at once), `text-only` turned on (mutes the microphone at once; it is released when the call ends), and
 * the presentation (`mode`, `position`, `open`, `lang`, `strings`), which re-renders at once.
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
 * @csspart panel - The card holding everything (inline), or the floating panel: a non-modal dialog.
 * @csspart header - The panel's header row (the `header` slot and, floating, the close button).
 * @csspart close-button - Closes the floating panel.
 * @csspart stage - The avatar's frame: video, poster, status and captions.
 * @csspart video - The avatar video.
 * @csspart poster - The placeholder over the video until it plays (animated while connecting).
 * @csspart status - The status line (the call state, in words; `data-state` holds the state).
 * @csspart captions - Live captions of the avatar's current reply, over the video.
 * @csspart sound-button - "Tap to turn on sound", when the browser blocked autoplay with sound.
 * @csspart stop-button - Stops the avatar's current reply (`interrupt()`); shown while it speaks.
 * @csspart error - The error banner (`data-code` holds the error code).
 * @csspart retry-button - Try again, in the error banner, when the call ended and trying again may help.
 * @csspart dismiss-button - Hides the error banner.
 * @csspart transcript - The conversation log.
 * @csspart message - One transcript message (`data-role`, `data-final`).
 * @csspart bubble - A message's text; also `user` or `assistant`: `::part(bubble user)`.
 * @csspart empty - The empty conversation's note (around the `empty` slot).
 * @csspart controls - The controls.
 * @csspart call-button - Start / end call.
 * @csspart mic-button - Mute toggle (`aria-pressed`), with the live microphone level.
 * @csspart mic-level - The live microphone level inside the mute toggle (its height follows the level).
 * @csspart text-input - The message box.
 * @csspart send-button - Send the typed message.
 * @csspart launcher - The floating launcher button (class `talking` while the avatar speaks with the panel closed).
 *
 * @slot header - The panel's header (default: the title).
 * @slot launcher-icon - The launcher's icon.
 * @slot empty - What the empty conversation shows.
 * @slot poster - What shows before the avatar's video plays (default: a silhouette).
 *
 * @cssprop --navtalk-accent - Accent: start button, user bubbles, launcher, focus ring.
 * @cssprop --navtalk-on-accent - Text on the accent.
 * @cssprop --navtalk-surface - Panel background.
 * @cssprop --navtalk-text - Text colour.
 * @cssprop --navtalk-muted-text - Secondary text (times, names, notes).
 * @cssprop --navtalk-border - Borders.
 * @cssprop --navtalk-danger - End call and errors.
 * @cssprop --navtalk-radius - Corner radius.
 * @cssprop --navtalk-font - Font family.
 * @cssprop --navtalk-launcher-size - Launcher diameter (default 56px).
 * @cssprop --navtalk-panel-width - Floating panel width (default 380px; a full-screen sheet under 640px).
 * @cssprop --navtalk-panel-height - Floating panel height (default 600px, within the viewport).
 * @cssprop --navtalk-offset - Distance of the launcher and panel from the viewport's edges (default 20px).
 * @cssprop --navtalk-z-index - Stacking of the launcher and panel.
 */
export class NavtalkAvatarElement extends ShadowElement {
  static override styles = styles;

  // Attribute names are the properties' names in kebab case (`serverUrl` -> `server-url`); SCRIPT_ONLY properties have
  // none. custom-elements-manifest.config.mjs reads this object the same way for custom-elements.json.
  static override properties: Record<string, PropertyDeclaration> = {
    serverUrl: {},
    license: {},
    avatarId: {},
    character: {},
    api: {},
    voice: {},
    prompt: {},
    mode: { reflect: true },
    position: { reflect: true },
    open: { type: Boolean, reflect: true },
    autostart: { type: Boolean },
    muted: { type: Boolean, reflect: true },
    textOnly: { type: Boolean },
    chunkMs: { type: Number },
    echoCancellation: { converter: onByDefault },
    noiseSuppression: { converter: onByDefault },
    autoGainControl: { converter: onByDefault },
    assetsUrl: {},
    signalingUrl: {},
    tools: SCRIPT_ONLY,
    history: SCRIPT_ONLY,
    functionHandlers: SCRIPT_ONLY,
    strings: SCRIPT_ONLY,
    functionTimeoutMs: SCRIPT_ONLY,
    iceServers: SCRIPT_ONLY,
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

  /** The call state, as the last `navtalk-state` told it. */
  #state: CallState = 'idle';
  /** The current call (one NavtalkCall per call, made from the configuration when it starts). */
  #call: NavtalkCall | undefined;
  /** What the transcript shows: this call's messages, in order. */
  #lines: TranscriptLine[] = [];
  /** The latest error of this call. */
  #lastError: ErrorDetail | undefined;
  /** The error that ended the call: the banner keeps it over later, lesser errors until the next start. */
  #fatal: ErrorDetail | undefined;
  /** The microphone was denied or is missing in this call: the conversation goes on by typing. */
  #micLost = false;
  /** Microphone level 0..1 while the microphone is open. */
  #level = 0;
  /** The avatar's WebRTC stream, when there is one. */
  #stream: MediaStream | null = null;
  /** What the status region says: the state in words, once a change has held for 600 ms (a burst reads as its last). */
  #announced = '';
  /** The text waiting to be announced (the first one never is: it is what the page already shows). */
  #toAnnounce: string | undefined;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** The browser blocked sound: the video plays muted until the visitor taps the sound control. */
  #soundBlocked = false;
  /** The avatar's video is playing frames. */
  #live = false;
  /** The error the visitor dismissed (or that turning the sound on resolved). */
  #dismissed: ErrorDetail | undefined;
  /** Where focus goes after the next render (a gesture opened or closed the panel, or removed the focused control). */
  #focusNext: string | undefined;
  /** The transcript was scrolled to its end before this render: keep it there. */
  #stick = true;

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
    // Escape closes the floating panel from anywhere in the element (panel, launcher, slotted content).
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.isComposing && this.mode === 'floating' && this.open) {
        e.stopPropagation();
        this.#setOpen(false, 'launcher');
      }
    });
  }

  /** The call state (read-only; reflected on the `state` attribute for CSS). */
  get state(): CallState {
    return this.#state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autostart && (this.mode !== 'floating' || this.open)) void this.start();
  }

  /** Leaving the document ends the call (a pending announcement is harmless: a disconnected element does not render). */
  disconnectedCallback(): void {
    void this.stop();
  }

  /**
   * Starts the call (a new NavtalkCall from the current configuration; during one, that call's start). Resolves when
   * the conversation is ready or the start failed (see `navtalk-error`).
   */
  async start(): Promise<void> {
    if (this.#call && isBusy(this.#call.session.state)) return this.#call.start();
    this.#call?.dispose();
    this.#call = undefined;
    this.#level = 0;
    this.#stream = null;
    this.#lastError = undefined;
    this.#lines = [];
    const built = buildSessionConfig(this.#configInput());
    if ('error' in built) {
      this.#onEvent('state', { state: 'error', previous: this.#state });
      this.#onEvent('error', { code: 'config', message: built.error, fatal: true });
      return;
    }
    const call = (this.#call = new NavtalkCall(built.config, this.#mediaOptions()));
    for (const name of SESSION_EVENTS) call.on(name, (detail) => this.#onEvent(name, detail));
    call.on('level', (level) => {
      this.#level = level;
      this.requestUpdate();
    });
    call.on('stream', (stream) => {
      this.#stream = stream;
      this.requestUpdate();
    });
    return call.start();
  }

  /** Ends the call and releases the microphone, media and socket. */
  async stop(): Promise<void> {
    await this.#call?.stop();
  }

  /** Sends a typed message (starting the call first when there is none). False for empty text. */
  sendText(text: string): boolean {
    if (!(this.#call && isBusy(this.#call.session.state))) {
      if (typeof text !== 'string' || !text.trim()) return false;
      void this.start();
    }
    return this.#call?.session.sendText(text) ?? false;
  }

  /** Stops the avatar's current reply here: its transcript ends, its voice is silenced until the next reply. */
  interrupt(): void {
    this.#call?.session.interrupt();
  }

  /** Answers a function call by id; false when unknown or already answered. */
  submitFunctionResult(callId: string, output: unknown): boolean {
    return this.#call?.session.submitFunctionResult(callId, output) ?? false;
  }

  /** Keeps what the UI shows from a session event (or an error of the element's own), re-renders, and re-dispatches it. */
  #onEvent<K extends keyof SessionEventMap>(name: K, detail: SessionEventMap[K]) {
    if (name === 'state') {
      const d = detail as SessionEventMap['state'];
      this.#state = d.state;
      if (d.state === 'connecting') {
        this.#lastError = this.#fatal = undefined;
        if (d.previous !== 'reconnecting') this.#micLost = false;
      }
    } else if (name === 'transcript') this.#onTranscript(detail as TranscriptDetail);
    else if (name === 'error') {
      const e = (this.#lastError = detail as ErrorDetail);
      if (e.fatal) this.#fatal = e;
      // `mic-denied` or `mic-unavailable` during a call.
      else if (e.code.startsWith('mic-') && isBusy(this.#state)) this.#micLost = true;
    }
    this.requestUpdate();
    emit(this, `navtalk-${name}` as NavtalkEventName, detail as never);
  }

  /** Updates the event's line in place (every render maps the whole list), or adds it, dropping the oldest past MAX_LINES. */
  #onTranscript(t: TranscriptDetail) {
    const line = this.#lines.find((l) => l.id === t.id);
    if (line) {
      line.text = t.text;
      line.final = t.final;
    } else if (this.#lines.push({ ...t, at: Date.now() }) > MAX_LINES) this.#lines.shift();
  }

  /** The child JSON config's text when last read (renders read it for `strings`, often), and what it parsed to. */
  #inlineText: string | undefined;
  #inline: InlineConfig | undefined;

  /**
   * The child JSON config, parsed again only when its text changed; undefined when there is none or it is not JSON.
   * It may be any JSON value (null, a number): read its fields with `?.`, which finds none on those.
   */
  #inlineConfig(): InlineConfig | undefined {
    const text = this.querySelector(':scope > script[type="application/json"]')?.textContent;
    if (text !== this.#inlineText) {
      this.#inlineText = text;
      try {
        this.#inline = JSON.parse(text!);
      } catch {
        this.#inline = undefined;
      }
    }
    return this.#inline;
  }

  /** The microphone and media options of a call, from the current properties. */
  #mediaOptions(): MediaOptions {
    const chunkMs = Number.isFinite(this.chunkMs) ? Math.min(500, Math.max(10, this.chunkMs)) : 40;
    return {
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
  }

  /** What the call's configuration is built from: the current properties, with the child JSON's tools and history. */
  #configInput(): ConfigInput {
    const inline = this.#inlineConfig();
    return {
      serverUrl: this.serverUrl,
      license: this.license,
      avatarId: this.avatarId,
      character: this.character,
      api: this.api,
      voice: this.voice,
      prompt: this.prompt,
      tools: this.tools ?? inline?.tools,
      history: this.history ?? inline?.history,
      functionHandler: (name) => this.functionHandlers?.[name],
      functionTimeoutMs: this.functionTimeoutMs,
      iceServers: this.iceServers,
      signalingUrl: this.signalingUrl,
    };
  }

  /** The UI language: the element's `lang`, the nearest ancestor's (`closest` starts at the element), the page's, else the browser's. */
  get #langTag(): string {
    return this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language;
  }

  get #strings(): Strings {
    return stringsFor(this.#langTag, this.strings ?? this.#inlineConfig()?.strings);
  }

  #$<T extends HTMLElement>(part: string): T | null {
    return this.shadowRoot!.querySelector<T>(`[part~="${part}"]`);
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Closed while focus was inside the panel: focus would fall to the page; give it to the launcher.
    if (changed.has('open') && !this.open && this.#$('panel')?.contains(this.shadowRoot!.activeElement)) this.#focusNext ??= 'launcher';
    const log = this.#$('transcript');
    this.#stick = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 24;
  }

  protected override updated(changed: PropertyValues): void {
    if (this.getAttribute('state') !== this.#state) this.setAttribute('state', this.#state);
    if (changed.has('muted') || changed.has('textOnly')) this.#call?.setMuted(this.muted || this.textOnly);
    this.#syncVideo();
    this.#$('mic-level')?.style.setProperty('--_level', String(this.muted ? 0 : Math.min(1, this.#level * 1.6)));
    const log = this.#$('transcript');
    if (log && this.#stick) log.scrollTop = log.scrollHeight;
    if (this.#focusNext) {
      this.#$(this.#focusNext)?.focus();
      this.#focusNext = undefined;
    }
    if (changed.has('open') && this.open && this.autostart && this.mode === 'floating' && !isBusy(this.#state)) void this.start();
  }

  /** Attaches the avatar's stream to the video (or clears it) and plays it with sound when allowed. */
  #syncVideo() {
    const video = this.#$<HTMLVideoElement>('video');
    const stream = this.#stream;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (!stream) {
      this.#soundBlocked = false;
      return;
    }
    void playWithSound(video).then((result) => {
      if (result !== 'muted' || video.srcObject !== stream) return;
      this.#soundBlocked = true;
      this.#onEvent('error', { code: 'autoplay-blocked', message: this.#strings.autoplayBlocked, fatal: false });
    });
  }

  #onVideo = (e: Event) => {
    this.#live = e.type === 'playing';
    this.requestUpdate();
  };

  #turnOnSound = async () => {
    const video = this.#$<HTMLVideoElement>('video');
    if (video && (await playWithSound(video)) === 'playing') {
      this.#soundBlocked = false;
      if (this.#lastError?.code === 'autoplay-blocked') this.#dismissed = this.#lastError;
      this.#focusNext = 'call-button';
      this.requestUpdate();
    }
  };

  #stopReply = () => {
    this.#focusNext = 'text-input';
    this.interrupt();
  };

  #toggleCall = () => {
    if (isBusy(this.#state)) void this.stop();
    else void this.start();
  };

  #retry = () => {
    this.#focusNext = 'call-button';
    void this.start();
  };

  /** What the banner shows: the error that ended the call, else the latest one, unless dismissed. */
  get #error(): ErrorDetail | undefined {
    const err = (this.#state === 'error' && this.#fatal) || this.#lastError;
    return err === this.#dismissed || QUIET.has(err?.code as string) ? undefined : err;
  }

  #dismiss = () => {
    this.#dismissed = this.#error;
    this.#focusNext = 'text-input';
    this.requestUpdate();
  };

  #onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('text') as HTMLInputElement;
    if (this.sendText(input.value)) input.value = '';
  };

  #setOpen(open: boolean, focus: string | undefined) {
    this.open = open;
    this.#focusNext = focus;
  }

  #onLauncher = () => this.#setOpen(!this.open, this.open ? undefined : isBusy(this.#state) ? 'text-input' : 'call-button');

  /** Called on every render; acts on a change only. */
  #announce(text: string) {
    if (text === (this.#toAnnounce ??= text)) return;
    this.#toAnnounce = text;
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      this.#announced = text;
      this.requestUpdate();
    }, 600);
  }

  protected override render() {
    const s = this.#strings;
    const floating = this.mode === 'floating';
    const state = this.#state;
    const lines = this.#lines;
    const err = this.#error;
    this.#announce(s.states[state]);
    // No whitespace between the tags: it would ship as text in the template (and renders as nothing in these flex boxes).
    const close = floating
      ? html`<button class="quiet" part="close-button" aria-label=${s.closePanel} title=${s.closePanel} @click=${() => this.#setOpen(false, 'launcher')}>${icon(ICONS.close)}</button>`
      : nothing;
    return html`${floating ? launcher(s, this.open, !this.open && state === 'speaking', this.#onLauncher) : nothing}<section id="panel" class="panel" part="panel" role=${floating ? 'dialog' : 'region'} aria-label=${s.title} hidden=${floating && !this.open ? '' : nothing}><div class="header" part="header"><slot name="header"><span class="title">${s.title}</span></slot>${close}</div>${
      stage({ s, state, live: this.#live, caption: captionText(lines, state === 'speaking'), soundBlocked: this.#soundBlocked, onSound: this.#turnOnSound, onStop: this.#stopReply, onPlaying: this.#onVideo })
    }${err ? errorBanner(err, s, state === 'error', this.#retry, this.#dismiss) : nothing}${transcript(lines, s, this.#langTag)}${
      controls({ s, busy: isBusy(state), typing: this.textOnly || this.#micLost, muted: this.muted, onCall: this.#toggleCall, onMute: () => (this.muted = !this.muted), onSubmit: this.#onSubmit })
    }</section><div class="vh" role="status">${this.#announced}</div>`;
  }
}

/**
 * The element's writable properties with their own types (`state` is read-only): what framework bindings set
 * (React 19 JSX props, Vue template bindings) once the tag is registered.
 */
export type NavtalkAvatarProperties = Partial<
  Pick<
    NavtalkAvatarElement,
    | 'serverUrl'
    | 'license'
    | 'avatarId'
    | 'character'
    | 'api'
    | 'voice'
    | 'prompt'
    | 'mode'
    | 'position'
    | 'open'
    | 'autostart'
    | 'muted'
    | 'textOnly'
    | 'chunkMs'
    | 'echoCancellation'
    | 'noiseSuppression'
    | 'autoGainControl'
    | 'signalingUrl'
    | 'assetsUrl'
    | 'tools'
    | 'history'
    | 'functionHandlers'
    | 'strings'
    | 'functionTimeoutMs'
    | 'iceServers'
  >
>;
