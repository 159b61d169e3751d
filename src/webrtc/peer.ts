import * as build from '../protocol/builders.js';
import type { CandidateInit, ClientMessage, IceServer, SdpInit } from '../protocol/types.js';
import type { ErrorDetail } from '../session/session-events.js';
import { TypedEventTarget } from '../session/typed-events.js';

export type PeerState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface PeerEventMap {
  /** The avatar's stream (video and voice); null when the peer connection is gone. */
  stream: MediaStream | null;
  state: PeerState;
  error: ErrorDetail;
}

export interface PeerOptions {
  /** Sends a signaling message to the server (the session socket, or the legacy signaling socket). */
  send(msg: ClientMessage | Record<string, unknown>): void;
  /** ICE servers set by the page; they win over the server's. */
  iceServers?: IceServer[];
  /** How long ICE may take to connect after the answer before it counts as failed. */
  connectTimeoutMs?: number;
}

/** Builds outgoing signaling messages (the legacy API wraps them differently). */
export interface SignalingMessages {
  /** Our answer, or our ICE-restart offer. */
  sdp(sdp: SdpInit): ClientMessage | Record<string, unknown>;
  candidate(c: CandidateInit): ClientMessage | Record<string, unknown>;
}

/**
 * Answers the server's WebRTC offer and receives the avatar's lip-synced video and voice. The server offers;
 * an offer that arrives before the ICE servers waits for them; candidates that arrive before the remote
 * description are queued; a new offer replaces the old peer connection. On ICE failure it restarts ICE once
 * (a client offer, answered by the server) before reporting `webrtc-failed`.
 */
export class AvatarPeer extends TypedEventTarget<PeerEventMap> {
  #opts: PeerOptions;
  #messages: SignalingMessages = { sdp: build.signalingSdp, candidate: build.signalingCandidate };
  #pc: RTCPeerConnection | undefined;
  #voiceMuted = false;
  #iceServers: IceServer[] | undefined;
  #pendingOffer: SdpInit | undefined;
  #queued: CandidateInit[] = [];
  #restarted = false;
  #state: PeerState = 'new';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(opts: PeerOptions) {
    super();
    this.#opts = opts;
  }

  get state(): PeerState {
    return this.#state;
  }

  /** Silences the avatar's voice here (its track disabled; video and connection untouched): interrupt(). */
  setVoiceMuted(muted: boolean): void {
    this.#voiceMuted = muted;
    for (const r of this.#pc?.getReceivers() ?? []) if (r.track.kind === 'audio') r.track.enabled = !muted;
  }

  /** The live peer connection, for diagnostics (stats). */
  get connection(): RTCPeerConnection | undefined {
    return this.#pc;
  }

  /** Switches how outgoing signaling messages are built (the legacy API learns its session id late). */
  useMessages(messages: SignalingMessages): void {
    this.#messages = messages;
  }

  /** ICE servers from `conversation.connected.success`; an offer waiting for them is answered now. */
  setIceServers(servers: IceServer[]): void {
    this.#iceServers = servers;
    const offer = this.#pendingOffer;
    this.#pendingOffer = undefined;
    if (offer) void this.handleOffer(offer);
  }

  async handleOffer(sdp: SdpInit): Promise<void> {
    if (this.#closed) return;
    if (!this.#iceServers && !this.#opts.iceServers) {
      this.#pendingOffer = sdp;
      return;
    }
    this.#teardownPc();
    this.#queued = [];
    this.#restarted = false;
    const pc = this.#createPc();
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: sdp.sdp });
      if (this.#pc !== pc) return;
      await this.#flushCandidates(pc);
      if (await this.#sendLocalDescription(pc)) this.#armTimeout(pc);
    } catch (err) {
      this.#failed(pc, err);
    }
  }

  /** The server's answer to our offer (ICE restart or renegotiation). */
  async handleAnswer(sdp: SdpInit): Promise<void> {
    const pc = this.#pc;
    if (!pc || pc.signalingState !== 'have-local-offer') return;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: sdp.sdp });
      await this.#flushCandidates(pc);
    } catch (err) {
      this.#failed(pc, err);
    }
  }

  async handleCandidate(c: CandidateInit): Promise<void> {
    const pc = this.#pc;
    if (!c.candidate) return; // end of candidates
    if (!pc || !pc.remoteDescription) {
      this.#queued.push(c);
      return;
    }
    await pc.addIceCandidate(c).catch(() => undefined);
  }

  /** Closes the peer connection; the peer can answer a later offer (a reconnect). */
  reset(): void {
    this.#teardownPc();
    this.#pendingOffer = undefined;
    this.#queued = [];
    this.#iceServers = undefined;
  }

  close(): void {
    this.#closed = true;
    this.reset();
    this.#setState('closed');
  }

  #createPc(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers: (this.#opts.iceServers ?? this.#iceServers ?? []) as RTCIceServer[] });
    this.#pc = pc;
    this.#setState('connecting');
    // Set before the remote description, so no track event is missed.
    pc.ontrack = (e) => {
      if (this.#pc !== pc) return;
      if (e.track.kind === 'audio') e.track.enabled = !this.#voiceMuted;
      this.emit('stream', e.streams[0] ?? new MediaStream([e.track]));
    };
    pc.onicecandidate = (e) => {
      if (this.#pc === pc && e.candidate?.candidate) this.#opts.send(this.#messages.candidate(e.candidate.toJSON() as CandidateInit));
    };
    pc.onconnectionstatechange = () => this.#onConnectionState(pc);
    return pc;
  }

  /** The connection state covers ICE and DTLS: `connected` means media flows, `failed` that ICE (or DTLS) failed. */
  #onConnectionState(pc: RTCPeerConnection) {
    if (this.#pc !== pc) return;
    const state = pc.connectionState;
    if (state === 'connected') {
      clearTimeout(this.#timer);
      this.#setState('connected');
    } else if (state === 'failed') {
      this.#onFailed(pc);
    }
  }

  #onFailed(pc: RTCPeerConnection) {
    if (this.#pc !== pc) return;
    if (this.#restarted) return this.#fail("The avatar's video connection failed (ICE).");
    this.#restarted = true;
    this.#setState('connecting');
    this.#armTimeout(pc);
    // After restartIce() the implicit offer is an ICE restart; the server answers it (handleAnswer).
    pc.restartIce();
    this.#sendLocalDescription(pc).catch((err) => this.#failed(pc, err));
  }

  #armTimeout(pc: RTCPeerConnection) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#pc === pc && this.#state !== 'connected') this.#onFailed(pc);
    }, this.#opts.connectTimeoutMs ?? 10_000);
  }

  /** Creates our answer (after an offer) or offer (in `stable`), sets and sends it; false when `pc` was replaced meanwhile. */
  async #sendLocalDescription(pc: RTCPeerConnection): Promise<boolean> {
    await pc.setLocalDescription();
    const sent = this.#pc === pc;
    if (sent) this.#opts.send(this.#messages.sdp(pc.localDescription as SdpInit));
    return sent;
  }

  async #flushCandidates(pc: RTCPeerConnection) {
    for (const c of this.#queued.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
  }

  /** Signaling of `pc` (an offer, our answer, the ICE restart) threw: a failure, unless `pc` was replaced meanwhile. */
  #failed(pc: RTCPeerConnection, err: unknown) {
    if (this.#pc === pc) this.#fail(`The avatar's video could not be set up (${(err as Error).name}).`);
  }

  #fail(message: string) {
    this.#teardownPc();
    this.#setState('failed');
    this.emit('error', { code: 'webrtc-failed', message, fatal: false });
  }

  #teardownPc() {
    clearTimeout(this.#timer);
    const pc = this.#pc;
    this.#pc = undefined;
    // Its handlers all check that it is still the current one, so they need no unhooking.
    if (!pc) return;
    pc.close();
    this.emit('stream', null);
  }

  #setState(state: PeerState) {
    if (state === this.#state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
