import { mainThreadMedia, startWorker } from '../audio/assets.js';
import type { MediaWorker } from '../audio/assets.js';
import { MicCapture } from '../audio/mic-capture.js';
import type { MicOptions } from '../audio/mic-capture.js';
import { PcmPlayer } from '../audio/pcm-player.js';
import type { PlayedDetail } from '../audio/pcm-player.js';
import { newUplinkStats } from '../worker/media-worker.js';
import type { EncoderStats, UplinkStats } from '../worker/media-worker.js';
import type { SessionConfig } from '../config.js';
import type { ServerEvent } from '../protocol/types.js';
import { workerTransport } from '../transport/worker-transport.js';
import { webSocketTransport } from '../transport/websocket-transport.js';
import { AvatarPeer } from '../webrtc/peer.js';
import { LegacySignaling, legacyMessages, legacySignalingUrl } from '../webrtc/legacy-signaling.js';
import type { PeerState } from '../webrtc/peer.js';
import type { ClientMessage } from '../protocol/types.js';
import type { SessionDeps } from './navtalk-session.js';
import { NavtalkSession } from './navtalk-session.js';
import type { SessionEventMap } from './session-events.js';
import { SESSION_EVENTS } from './session-events.js';
import { isReady } from './state.js';
import { TypedEventTarget } from './typed-events.js';

export interface MediaOptions {
  /** Conversation by typing only: the microphone is never requested and no worker is started. */
  textOnly: boolean;
  muted: boolean;
  /** Report the microphone level (`level` events, about 20 Hz) for a meter; off, the worklet posts nothing. */
  level?: boolean;
  mic: Omit<MicOptions, 'legacy' | 'level'>;
}

export interface CallEventMap extends SessionEventMap {
  /** Microphone level 0..1 (about 20 Hz). */
  level: number;
  /** Assistant PCM audio of one item finished playing or was cut (frames played, at 24 kHz). */
  played: PlayedDetail;
  /** The avatar's WebRTC stream (video and voice), or null when it is gone. */
  stream: MediaStream | null;
  /** The WebRTC connection's state. */
  'peer-state': PeerState;
}

export interface AudioStats {
  uplink: UplinkStats;
  /** The encoder's, once the media API has run one. */
  encoder?: EncoderStats;
  encoderMode: 'worker' | 'main-thread' | 'none';
  captureRate: number;
}

/** What the legacy clients use when the server names no ICE servers. */
const LEGACY_ICE_SERVERS = [{ urls: 'stun:stun.l.google.com:19302' }];

/**
 * One call: the NavTalk session plus its media. With a microphone, the media API (src/worker/media-worker.ts) holds
 * the socket and the whole audio uplink (capture frames in, encoded appends out to the socket): in a worker, so
 * audio never waits on the main thread, or, when no worker can start (CSP, old browser), the same API on the main
 * thread behind a MessageChannel. Text-only calls start neither: their socket is on the main thread. Everything the
 * call opens is released on stop(), on a fatal error, or when reconnecting gives up.
 */
export class NavtalkCall extends TypedEventTarget<CallEventMap> {
  readonly session: NavtalkSession;
  #media: MediaOptions;
  #worker: Promise<MediaWorker> | undefined;
  #mic: MicCapture | undefined;
  #player: PcmPlayer;
  readonly peer: AvatarPeer;
  /** Legacy API only: the separate signaling socket. */
  #legacy: LegacySignaling | undefined;
  #unsubscribe: (() => void)[] = [];
  #muted: boolean;
  #micStarting: Promise<void> | undefined;
  /** What the worker counted, kept when it is shut down. */
  #finalStats: AudioStats | undefined;

  constructor(config: SessionConfig, media: MediaOptions, deps: SessionDeps = {}) {
    super();
    this.#media = media;
    this.#muted = media.muted;
    const transport =
      deps.transport ?? ((url, handlers) => (this.#worker ? workerTransport(this.#worker) : webSocketTransport)(url, handlers));
    const session = (this.session = new NavtalkSession(config, { ...deps, transport }));
    this.#player = new PcmPlayer(media.mic.assetsUrl);
    this.#forward(this.#player, ['warning', 'played']);
    const peer = (this.peer = new AvatarPeer({
      send: (msg) => (this.#legacy ? this.#legacy.send(msg) : session.send(msg as ClientMessage)),
      iceServers: config.iceServers,
      connectTimeoutMs: config.webrtcTimeoutMs,
    }));
    this.#forward(peer, ['stream', 'error']);
    peer.on('state', (state) => {
      // The avatar's voice comes over WebRTC once it is connected: PCM deltas must not play on top of it.
      this.#player.suppressed = state === 'connected' && peer.connection!.getReceivers().some((r) => r.track.kind === 'audio');
      this.emit('peer-state', state);
    });
    this.#unsubscribe.push(
      ...this.#forward(session, SESSION_EVENTS),
      session.on('state', ({ state }) => {
        void this.#worker?.then((w) => w.api.setReady(isReady(state)));
        // Legacy: without a session id from the server, signaling opens once the session is ready.
        if (config.api === 'legacy' && state === 'listening' && !this.#legacy) this.#openLegacySignaling();
      }),
      session.on('server-event', (ev) => this.#onServerEvent(ev)),
      session.on('interrupt', () => this.#player.flush()),
      session.on('silence', (on) => peer.setVoiceMuted(on)),
      session.on('connected', () => peer.setIceServers(session.iceServers)),
      session.on('ended', ({ final }) => {
        this.#legacy?.close();
        this.#legacy = undefined;
        peer.reset();
        if (final) void this.#release();
      }),
    );
  }

  /** Re-emits these events of `source` on the call, unchanged; returns the unsubscribers. */
  #forward<M extends object>(source: TypedEventTarget<M>, names: readonly (keyof M & keyof CallEventMap & string)[]) {
    return names.map((name) => source.on(name, (detail) => this.emit(name, detail as never)));
  }

  get micActive(): boolean {
    return this.#mic !== undefined;
  }

  /** Upload statistics (mic-to-wire latencies, drops) and the encoder's. */
  async audioStats(): Promise<AudioStats> {
    const w = await this.#worker;
    if (!w) return this.#finalStats ?? { uplink: newUplinkStats(), encoderMode: 'none', captureRate: 0 };
    // A capture rate means the microphone's pipeline is built: frames flow to the media API.
    const captureRate = this.#mic?.sampleRate ?? 0;
    return { ...(await w.api.stats()), encoderMode: captureRate ? w.mode : 'none', captureRate };
  }

  /** Starts the session and, unless text-only, the media worker and the microphone alongside it. */
  async start(): Promise<void> {
    if (!this.#media.textOnly) {
      this.#worker ??= startWorker(this.#media.mic.assetsUrl).catch(() => {
        this.emit('warning', { code: 'audio-fallback', message: 'No worker here: audio is encoded and sent on the main thread.' });
        return mainThreadMedia();
      });
    }
    const ready = this.session.start();
    // One microphone per call: a second start() while the first is still opening it waits for the same one.
    if (!this.#media.textOnly && !this.#mic) this.#micStarting ??= this.#startMic().finally(() => (this.#micStarting = undefined));
    await Promise.all([ready, this.#micStarting]);
  }

  async #startMic() {
    const w = await this.#worker!;
    const mic = (this.#mic = new MicCapture({ ...this.#media.mic, level: this.#media.level ?? false, legacy: this.session.config.api === 'legacy' }, w.api));
    this.#forward(mic, ['level', 'warning']);
    mic.on('error', (e) => {
      if (this.#mic === mic) this.#mic = undefined;
      this.emit('error', e);
    });
    mic.setMuted(this.#muted);
    // A failed start emits `error` (above: the call forgets the mic), unless the call released it meanwhile.
    await mic.start();
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

  /** Legacy API: the separate signaling socket, keyed by the session id when the server sent one. */
  #openLegacySignaling(sessionId?: string) {
    const c = this.session.config;
    const userId = sessionId ?? c.license ?? (this.session.sessionId || 'navtalk-avatar');
    const target = sessionId ? `target-${sessionId}` : userId;
    this.peer.useMessages(legacyMessages(target));
    this.peer.setIceServers(c.iceServers ?? LEGACY_ICE_SERVERS);
    this.#legacy = new LegacySignaling(legacySignalingUrl(c.serverUrl, userId, c.signalingUrl), target, (ev) => this.#onServerEvent(ev));
  }

  #onServerEvent(ev: ServerEvent) {
    switch (ev.type) {
      case 'legacy-session-id':
        if (this.session.config.api === 'legacy' && !this.#legacy) this.#openLegacySignaling(ev.sessionId);
        break;
      case 'audio-delta':
        this.#player.push(ev.id ?? 'audio', ev.audio);
        break;
      case 'audio-done':
        this.#player.end(ev.id ?? 'audio');
        break;
      case 'signaling-offer':
        void this.peer.handleOffer(ev.sdp);
        break;
      case 'signaling-answer':
        void this.peer.handleAnswer(ev.sdp);
        break;
      case 'signaling-candidate':
        void this.peer.handleCandidate(ev.candidate);
        break;
      default:
        break;
    }
  }

  async #release() {
    if (this.#worker) this.#finalStats = await this.audioStats();
    const mic = this.#mic;
    this.#mic = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    this.peer.close();
    this.#legacy?.close();
    this.#legacy = undefined;
    await Promise.all([
      mic?.stop(),
      this.#player.close(),
      worker?.then(async (w) => {
        await w.api.shutdown().catch(() => undefined);
        w.end();
      }),
    ]);
  }
}
