import { MicCapture } from '../audio/mic-capture.js';
import type { MicOptions } from '../audio/mic-capture.js';
import { PcmPlayer } from '../audio/pcm-player.js';
import type { SessionConfig } from '../config.js';
import type { ServerEvent } from '../protocol/types.js';
import { AudioUplink } from './audio-uplink.js';
import type { UplinkOptions } from './audio-uplink.js';
import type { SessionDeps } from './navtalk-session.js';
import { NavtalkSession } from './navtalk-session.js';
import type { SessionEventMap } from './session-events.js';
import { TypedEventTarget } from './typed-events.js';

export interface MediaOptions {
  /** Conversation by typing only: the microphone is never requested. */
  textOnly: boolean;
  muted: boolean;
  mic: Omit<MicOptions, 'legacy'>;
  uplink?: Partial<UplinkOptions>;
}

export interface CallEventMap extends SessionEventMap {
  /** Microphone level 0..1 (about 20 Hz). */
  level: number;
}

const FORWARDED = ['state', 'connected', 'transcript', 'function-call', 'speech', 'error', 'disconnected', 'warning'] as const;

/**
 * One call: the NavTalk session plus the media around it (microphone uplink, PCM playback). Owns every resource
 * it opens and releases them all on stop(), a fatal error, or when reconnecting gives up.
 */
export class NavtalkCall extends TypedEventTarget<CallEventMap> {
  readonly session: NavtalkSession;
  #media: MediaOptions;
  #mic: MicCapture | undefined;
  #uplink: AudioUplink;
  #player: PcmPlayer;
  #unsubscribe: (() => void)[] = [];
  #muted: boolean;

  constructor(config: SessionConfig, media: MediaOptions, deps: SessionDeps = {}) {
    super();
    this.#media = media;
    this.#muted = media.muted;
    const session = (this.session = new NavtalkSession(config, deps));
    this.#uplink = new AudioUplink(session, (message) => this.emit('warning', { code: 'audio-dropped', message }), media.uplink);
    this.#player = new PcmPlayer(media.mic.assetsUrl);
    this.#player.on('warning', (w) => this.emit('warning', w));
    for (const name of FORWARDED) this.#unsubscribe.push(session.on(name, (d) => this.emit(name, d as never)));
    this.#unsubscribe.push(
      session.on('server-event', (ev) => this.#onServerEvent(ev)),
      session.on('interrupt', () => this.#player.flush()),
      session.on('ended', ({ final }) => {
        if (final) void this.#release();
      }),
    );
  }

  get micActive(): boolean {
    return this.#mic !== undefined;
  }

  /** Upload statistics (mic-to-wire latencies, drops) and the encoder's. */
  async audioStats() {
    return { uplink: this.#uplink.stats, encoder: await this.#mic?.stats(), encoderMode: this.#mic?.encoder ?? 'none', captureRate: this.#mic?.sampleRate ?? 0 };
  }

  /** Starts the session and, unless text-only, the microphone alongside it. Resolves when both are settled. */
  async start(): Promise<void> {
    this.#player.prepare();
    const ready = this.session.start();
    if (!this.#media.textOnly && !this.#mic) await Promise.all([ready, this.#startMic()]);
    else await ready;
  }

  async #startMic() {
    const mic = (this.#mic = new MicCapture({ ...this.#media.mic, legacy: this.session.config.api === 'legacy' }));
    mic.on('chunk', (c) => this.#uplink.push(c));
    mic.on('level', (l) => this.emit('level', l));
    mic.on('warning', (w) => this.emit('warning', w));
    mic.on('error', (e) => {
      if (this.#mic === mic) this.#mic = undefined;
      this.emit('error', e);
    });
    mic.setMuted(this.#muted);
    if (!(await mic.start()) && this.#mic === mic) this.#mic = undefined;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#mic?.setMuted(muted);
  }

  async stop(): Promise<void> {
    await this.session.stop();
    await this.#release();
  }

  dispose(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  #onServerEvent(ev: ServerEvent) {
    if (ev.type === 'audio-delta') this.#player.push(ev.id ?? 'audio', ev.audio);
    else if (ev.type === 'audio-done') this.#player.end(ev.id ?? 'audio');
  }

  async #release() {
    this.#uplink.clear();
    const mic = this.#mic;
    this.#mic = undefined;
    await Promise.all([mic?.stop(), this.#player.close()]);
  }
}
