// AvatarPeer against a second, in-page RTCPeerConnection playing the server's part (a canvas video and an
// oscillator voice): real WebRTC, signaling by hand, so each ordering can be forced.
import { expect } from '@open-wc/testing';
import { AvatarPeer } from '../../src/webrtc/peer.js';
import type { CandidateInit } from '../../src/protocol/types.js';

interface Sent {
  type: string;
  data: { sdp?: { type: string; sdp: string }; candidate?: CandidateInit };
}

function fakeServer() {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 480;
  const g = canvas.getContext('2d')!;
  let n = 0;
  const draw = setInterval(() => {
    g.fillStyle = `hsl(${n++ % 360} 60% 50%)`;
    g.fillRect(0, 0, 320, 480);
  }, 40);
  const audio = new AudioContext();
  const osc = audio.createOscillator();
  const dest = audio.createMediaStreamDestination();
  osc.connect(dest);
  osc.start();
  const stream = new MediaStream([...canvas.captureStream(25).getVideoTracks(), ...dest.stream.getAudioTracks()]);
  const pc = new RTCPeerConnection();
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
  const candidates: RTCIceCandidateInit[] = [];
  pc.onicecandidate = (e) => e.candidate && candidates.push(e.candidate.toJSON());
  return {
    pc,
    candidates,
    async offer() {
      const o = await pc.createOffer();
      await pc.setLocalDescription(o);
      return { type: 'offer' as const, sdp: o.sdp! };
    },
    close() {
      clearInterval(draw);
      pc.close();
      void audio.close();
    },
  };
}

const until = <T>(check: () => T | undefined, what: string, ms = 8000) =>
  new Promise<T>((resolve, reject) => {
    const t0 = performance.now();
    const tick = () => {
      const v = check();
      if (v) resolve(v);
      else if (performance.now() - t0 > ms) reject(new Error(`timed out: ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });

function frames(video: HTMLVideoElement, count: number) {
  return new Promise<number>((resolve) => {
    let seen = 0;
    const on = () => (++seen >= count ? resolve(video.videoWidth) : video.requestVideoFrameCallback(on));
    video.requestVideoFrameCallback(on);
  });
}

describe('AvatarPeer (real WebRTC in the page)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('holds an offer that arrives before the ICE servers, then answers, trickles and plays', async () => {
    const server = fakeServer();
    const sent: Sent[] = [];
    const peer = new AvatarPeer({ send: (m) => sent.push(m as Sent) });
    cleanups.push(() => server.close(), () => peer.close());
    let stream: MediaStream | null = null;
    peer.on('stream', (s) => (stream = s));

    await peer.handleOffer(await server.offer());
    expect(sent).to.deep.equal([]);
    // Candidates from the server before the answer are queued, not lost.
    await until(() => server.candidates.length > 0 || undefined, 'server candidates');
    for (const c of server.candidates) await peer.handleCandidate(c as CandidateInit);

    peer.setIceServers([]);
    const answer = await until(() => sent.find((m) => m.type === 'webrtc.signaling.answer'), 'answer');
    expect(answer.data.sdp!.type).to.equal('answer');
    await server.pc.setRemoteDescription(answer.data.sdp as RTCSessionDescriptionInit);
    await until(() => sent.some((m) => m.type === 'webrtc.signaling.iceCandidate') || undefined, 'client candidates');
    for (const m of sent.filter((x) => x.type === 'webrtc.signaling.iceCandidate')) {
      expect(m.data.candidate).to.have.property('candidate').that.is.a('string');
      await server.pc.addIceCandidate(m.data.candidate as RTCIceCandidateInit);
    }
    await until(() => peer.state === 'connected' || undefined, 'connected');
    const s = await until(() => stream ?? undefined, 'stream');
    expect(s.getVideoTracks()).to.have.length(1);
    expect(s.getAudioTracks()).to.have.length(1);
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = s;
    await video.play();
    expect(await frames(video, 5)).to.equal(320);
  });

  it('replaces the peer connection on a new offer and closes the old one', async () => {
    const a = fakeServer();
    const b = fakeServer();
    const sent: Sent[] = [];
    const peer = new AvatarPeer({ send: (m) => sent.push(m as Sent) });
    cleanups.push(() => a.close(), () => b.close(), () => peer.close());
    peer.setIceServers([]);
    await peer.handleOffer(await a.offer());
    const first = peer.connection!;
    await peer.handleOffer(await b.offer());
    expect(first.signalingState).to.equal('closed');
    expect(peer.connection).not.to.equal(first);
    expect(sent.filter((m) => m.type === 'webrtc.signaling.answer')).to.have.length(2);
  });

  it('reports webrtc-failed after one ICE restart when ICE cannot connect', async () => {
    const server = fakeServer();
    const sent: Sent[] = [];
    const peer = new AvatarPeer({ send: (m) => sent.push(m as Sent), connectTimeoutMs: 300 });
    cleanups.push(() => server.close(), () => peer.close());
    const errors: string[] = [];
    peer.on('error', (e) => errors.push(e.code));
    peer.setIceServers([]);
    // The server never learns the answer or any candidate: ICE cannot connect.
    await peer.handleOffer(await server.offer());
    const restart = await until(() => sent.find((m) => m.type === 'webrtc.signaling.offer'), 'ICE restart offer');
    expect(restart.data.sdp!.sdp).to.contain('a=ice-ufrag');
    await until(() => errors.length || undefined, 'webrtc-failed');
    expect(errors).to.deep.equal(['webrtc-failed']);
    expect(peer.state).to.equal('failed');
    expect(peer.connection).to.equal(undefined);
  });
});
