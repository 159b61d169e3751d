/**
 * @file One RTCPeerConnection of the simulator (wrtc) carrying the avatar's tracks: it offers, takes the
 * client's answer, answers client offers (renegotiation, ICE restart) and trickles candidates both ways.
 * Signaling operations run one after another, in arrival order; a failure is reported, never thrown.
 */

import { candidateEndpoint, incomingSdp, outgoingCandidate, outgoingSdp, sdpCandidates, usesRemoteCandidate } from './sdp.mjs';

/** @typedef {import('./media.mjs').Wrtc} Wrtc */
/** @typedef {import('./media.mjs').AvatarMedia} AvatarMedia */
/** @typedef {import('./sdp.mjs').IcePolicy} IcePolicy */
/** @typedef {import('./sdp.mjs').CandidateInit} CandidateInit */
/** @typedef {import('./session-log.mjs').WebRtcStats} WebRtcStats */
/** @typedef {import('@roamhq/wrtc').RTCPeerConnection} RTCPeerConnection */
/** @typedef {import('@roamhq/wrtc').RTCIceCandidate} RTCIceCandidate */

/**
 * @typedef {object} PeerDeps
 * @property {Wrtc} wrtc
 * @property {AvatarMedia} media gives the tracks
 * @property {IcePolicy} policy
 * @property {(frame: Record<string, unknown>) => void} send sends a JSON frame on the socket
 * @property {WebRtcStats} stats updated as things happen
 * @property {(message: string) => void} onError
 * @property {() => number} elapsed ms since the socket opened
 */

export class SimPeer {
  /** @type {RTCPeerConnection} */
  #pc;
  /** @type {PeerDeps} */
  #deps;
  /** @type {import('@roamhq/wrtc').MediaStreamTrack[]} */
  #tracks;
  /** @type {Promise<void>} the signaling operations, in order */
  #chain = Promise.resolve();
  /** @type {CandidateInit[]} client candidates waiting for the remote description */
  #remoteCandidates = [];
  /** @type {RTCIceCandidate[]|null} local candidates gathered before our description went out; null once it has */
  #localCandidates = [];
  /** @type {Map<string, string>} address of each remote candidate we use, by `port/protocol` (for the stats) */
  #remoteAddresses = new Map();
  /** @type {string|null} */
  #connectionState = null;
  #closed = false;

  /** @param {PeerDeps} deps */
  constructor(deps) {
    this.#deps = deps;
    const pc = new deps.wrtc.RTCPeerConnection({ iceServers: [] });
    this.#pc = pc;
    const { stream, tracks } = deps.media.createTracks();
    this.#tracks = tracks;
    tracks.forEach((track) => pc.addTrack(track, stream));
    pc.onicecandidate = (event) => this.#onLocalCandidate(event.candidate);
    pc.onconnectionstatechange = () => this.#onConnectionState();
    pc.oniceconnectionstatechange = () => {
      if (!this.#closed) deps.stats.iceConnectionState = pc.iceConnectionState;
    };
    Object.assign(deps.stats, { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, connectedAtMs: null, selectedPair: null });
  }

  /**
   * Creates an offer and sends it.
   * @returns {Promise<void>} settles once it has been sent (or failed)
   */
  offer() {
    return this.#enqueue('offer', async (pc) => {
      const offer = await pc.createOffer();
      if (this.#closed) return;
      await pc.setLocalDescription(offer);
      if (this.#closed) return;
      this.#sendDescription('offer', offer.sdp ?? '');
      this.#deps.stats.offers += 1;
    });
  }

  /**
   * The client's answer to our offer.
   * @param {string} sdp
   */
  acceptAnswer(sdp) {
    void this.#enqueue('answer', async (pc) => {
      if (pc.signalingState !== 'have-local-offer') throw new Error(`no offer is waiting for an answer (signaling state ${pc.signalingState})`);
      await pc.setRemoteDescription({ type: 'answer', sdp: this.#remoteSdp(sdp) });
      await this.#addQueuedCandidates(pc);
    });
  }

  /**
   * A client offer (renegotiation or ICE restart): answer it. A glare with our own pending offer is resolved by
   * dropping ours (the simulator is the polite side).
   * @param {string} sdp
   */
  acceptOffer(sdp) {
    void this.#enqueue('offer', async (pc) => {
      if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
      if (this.#closed) return;
      await pc.setRemoteDescription({ type: 'offer', sdp: this.#remoteSdp(sdp) });
      await this.#addQueuedCandidates(pc);
      if (this.#closed) return;
      const answer = await pc.createAnswer();
      if (this.#closed) return;
      this.#localCandidates ??= []; // an ICE restart gathers anew: hold the candidates until the answer is out
      await pc.setLocalDescription(answer);
      if (this.#closed) return;
      this.#sendDescription('answer', answer.sdp ?? '');
      this.#deps.stats.answersSent += 1;
    });
  }

  /**
   * A client candidate: used once the remote description is set; ignored when the ICE policy refuses it.
   * @param {CandidateInit} candidate
   */
  addCandidate(candidate) {
    if (!usesRemoteCandidate(candidate.candidate, this.#deps.policy)) return;
    this.#rememberRemote(candidate.candidate);
    void this.#enqueue('iceCandidate', async (pc) => {
      if (pc.remoteDescription) await pc.addIceCandidate(candidate);
      else this.#remoteCandidates.push(candidate);
    });
  }

  /** Stops this connection's tracks and closes it. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    const pc = this.#pc;
    pc.onicecandidate = null;
    pc.onconnectionstatechange = null;
    pc.oniceconnectionstatechange = null;
    this.#deps.media.stopTracks(this.#tracks);
    pc.close();
    Object.assign(this.#deps.stats, { connectionState: 'closed', iceConnectionState: 'closed' });
  }

  /**
   * Runs a signaling operation after the previous ones; reports its failure.
   * @param {string} label message type, for the error
   * @param {(pc: RTCPeerConnection) => Promise<void>} operation
   * @returns {Promise<void>} never rejects
   */
  #enqueue(label, operation) {
    const run = async () => {
      if (this.#closed) return;
      try {
        await operation(this.#pc);
      } catch (error) {
        if (!this.#closed) this.#deps.onError(`webrtc.signaling.${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    this.#chain = this.#chain.then(run);
    return this.#chain;
  }

  /**
   * A client description with the candidates the ICE policy refuses removed.
   * @param {string} sdp
   * @returns {string}
   */
  #remoteSdp(sdp) {
    const filtered = startFast(incomingSdp(sdp, this.#deps.policy));
    sdpCandidates(filtered).forEach((candidate) => this.#rememberRemote(candidate));
    return filtered;
  }

  /** @param {string} candidate */
  #rememberRemote(candidate) {
    const endpoint = candidateEndpoint(candidate);
    if (!endpoint) return;
    const cut = endpoint.lastIndexOf(':');
    const protocol = candidate.split(' ')[2]?.toLowerCase();
    this.#remoteAddresses.set(`${endpoint.slice(cut + 1)}/${protocol}`, endpoint.slice(0, cut));
  }

  /** @param {RTCPeerConnection} pc */
  async #addQueuedCandidates(pc) {
    for (const candidate of this.#remoteCandidates.splice(0)) {
      if (this.#closed) return;
      try {
        await pc.addIceCandidate(candidate);
      } catch (error) {
        this.#deps.onError(`webrtc.signaling.iceCandidate: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /**
   * Sends our offer or answer, then the candidates gathered meanwhile.
   * @param {'offer'|'answer'} type
   * @param {string} sdp
   */
  #sendDescription(type, sdp) {
    this.#deps.send({ type: `webrtc.signaling.${type}`, data: { sdp: { type, sdp: outgoingSdp(sdp, this.#deps.policy) } } });
    const early = this.#localCandidates ?? [];
    this.#localCandidates = null;
    early.forEach((candidate) => this.#sendCandidate(candidate));
  }

  /** @param {RTCIceCandidate|null} candidate null: gathering finished */
  #onLocalCandidate(candidate) {
    if (this.#closed || !candidate?.candidate) return;
    if (this.#localCandidates) this.#localCandidates.push(candidate);
    else this.#sendCandidate(candidate);
  }

  /** @param {RTCIceCandidate} candidate */
  #sendCandidate({ candidate, sdpMid, sdpMLineIndex }) {
    const text = outgoingCandidate(candidate, this.#deps.policy);
    if (text === null) return;
    this.#deps.send({ type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: text, sdpMid, sdpMLineIndex } } });
    this.#deps.stats.candidatesSent += 1;
  }

  #onConnectionState() {
    if (this.#closed) return;
    const state = this.#pc.connectionState;
    if (state === this.#connectionState) return; // wrtc repeats events
    this.#connectionState = state;
    const { stats } = this.#deps;
    stats.connectionState = state;
    if (state !== 'connected') return;
    stats.connectedAtMs ??= this.#deps.elapsed();
    void this.#recordSelectedPair();
  }

  /** Puts the addresses of the selected candidate pair into the stats (one getStats() per connect). */
  async #recordSelectedPair() {
    try {
      const report = await this.#pc.getStats();
      if (this.#closed) return;
      /** @type {Record<string, any>|undefined} */
      let pair;
      report.forEach((/** @type {Record<string, any>} */ entry) => {
        if (entry.type === 'transport' && entry.selectedCandidatePairId) pair = report.get(entry.selectedCandidatePairId);
      });
      report.forEach((/** @type {Record<string, any>} */ entry) => {
        if (!pair && entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') pair = entry;
      });
      if (!pair) return;
      // A peer-reflexive candidate's address is hidden in the stats: look it up among the client's candidates.
      const address = (/** @type {string} */ id) => {
        const candidate = report.get(id);
        return candidate?.address || candidate?.ip || this.#remoteAddresses.get(`${candidate?.port}/${candidate?.protocol}`) || null;
      };
      this.#deps.stats.selectedPair = { local: address(pair.localCandidateId), remote: address(pair.remoteCandidateId) };
    } catch {
      // Optional information.
    }
  }
}

/**
 * Loopback has bandwidth to spare: start the video sender at 2 Mbit/s instead of libwebrtc's 300 kbit/s, so the
 * pacer does not spread the first key frame over ~150 ms (x-google-start-bitrate on every video codec's fmtp).
 * @param {string} sdp
 * @returns {string}
 */
function startFast(sdp) {
  const lines = sdp.split(/\r?\n/);
  const out = [];
  let video = false;
  for (const line of lines) {
    if (line.startsWith('m=')) video = line.startsWith('m=video');
    if (video && line.startsWith('a=fmtp:') && !line.includes('x-google-start-bitrate')) out.push(`${line};x-google-start-bitrate=2000`);
    else if (video && /^a=rtpmap:\d+ (VP8|VP9|H264|AV1)\//.test(line) && !lines.some((l) => l.startsWith(`a=fmtp:${line.slice(9).split(' ')[0]} `))) {
      out.push(line, `a=fmtp:${line.slice(9).split(' ')[0]} x-google-start-bitrate=2000`);
    } else out.push(line);
  }
  return out.join('\r\n');
}
