// The avatar's video and voice end to end: the simulator (a real WebRTC peer in Node) offers a drawn talking head
// and a synthetic voice over the session socket; the browser answers, trickles ICE and plays them.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { buildSessionConfig } from '../../src/config.js';
import type { ConfigInput } from '../../src/config.js';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { NavtalkCall } from '../../src/session/navtalk-call.js';
import { nextEvent, record, simLog, simSend, simUrl, uniqueTag, waitForLog } from '../support/sim.js';

/** Resolves after `count` more decoded frames of `video`, with the frame's size. */
function frames(video: HTMLVideoElement, count: number) {
  return new Promise<{ width: number; height: number; presented: number }>((resolve) => {
    let seen = 0;
    const on: VideoFrameRequestCallback = (_now, meta) => {
      if (++seen >= count) resolve({ width: meta.width, height: meta.height, presented: meta.presentedFrames });
      else video.requestVideoFrameCallback(on);
    };
    video.requestVideoFrameCallback(on);
  });
}

const calls: NavtalkCall[] = [];
afterEach(async () => {
  await Promise.all(calls.splice(0).map((c) => c.stop()));
});

async function mediaCall(tag: string, sim: Record<string, string | number> = {}, input: ConfigInput = {}) {
  const built = buildSessionConfig({ avatarId: 'x', serverUrl: await simUrl(tag, { simOffer: 'late', ...sim }), ...input });
  if ('error' in built) throw new Error(built.error);
  const call = new NavtalkCall(built.config, { textOnly: true, muted: false, mic: { chunkMs: 40, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  calls.push(call);
  return call;
}

/** Resolves once the call's WebRTC connection is up (it may already be). */
const peerConnected = (call: NavtalkCall) =>
  call.peer.state === 'connected' ? Promise.resolve() : nextEvent(call, 'peer-state', (s) => s === 'connected', 10000).then(() => undefined);

/** Plays the call's stream in an unmuted media element (remote audio is only decoded when something plays it). */
async function play(call: NavtalkCall) {
  const stream = await waitStream(call);
  const video = document.createElement('video');
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  await video.play();
  return { video, stream, done: () => video.remove() };
}
async function waitStream(call: NavtalkCall): Promise<MediaStream> {
  const tracks = call.peer.connection?.getReceivers().map((x) => x.track) ?? [];
  return tracks.length ? new MediaStream(tracks) : nextEvent<MediaStream>(call, 'stream', (s) => s !== null, 10000);
}

/** Received audio so far (inbound-rtp totalAudioEnergy and totalSamplesDuration). */
async function audioEnergy(pc: RTCPeerConnection) {
  const stats = await pc.getStats();
  for (const s of stats.values()) if (s.type === 'inbound-rtp' && s.kind === 'audio') return { energy: s.totalAudioEnergy as number, duration: s.totalSamplesDuration as number };
  return { energy: 0, duration: 0 };
}
/** Audio energy per second received between two readings of audioEnergy(). */
const energyRate = (a: { energy: number; duration: number }, b: { energy: number; duration: number }) =>
  (b.energy - a.energy) / Math.max(1e-3, b.duration - a.duration);

/** A started call whose WebRTC stream is connected and playing in a page video element. */
async function playingCall(tag: string) {
  const call = await mediaCall(tag);
  await call.start();
  await peerConnected(call);
  return { call, ...(await play(call)), pc: call.peer.connection! };
}

/** Peak RMS of what the page hears from `track` over `count` video frames (WebAudio: a disabled track is silence). */
async function heard(video: HTMLVideoElement, analyser: AnalyserNode, count: number, skip = 0) {
  const buf = new Float32Array(analyser.fftSize);
  let peak = 0;
  let n = 0;
  await new Promise<void>((resolve) => {
    const on = () => {
      n++;
      if (n > skip) {
        analyser.getFloatTimeDomainData(buf);
        peak = Math.max(peak, Math.sqrt(buf.reduce((a, x) => a + x * x, 0) / buf.length));
      }
      if (n >= skip + count) resolve();
      else video.requestVideoFrameCallback(on);
    };
    video.requestVideoFrameCallback(on);
  });
  return peak;
}

describe('avatar media over WebRTC (simulated NavTalk peer)', () => {
  it('the element shows the avatar: frames advance at the right size, ICE trickled both ways', async () => {
    const tag = uniqueTag('video');
    const url = await simUrl(tag, { simOffer: 'late' });
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar server-url=${url} avatar-id="x" text-only></navtalk-avatar>`);
    await el.start();
    const video = el.shadowRoot!.querySelector('video')!;
    await waitForLog(tag, (ss) => ss[0]?.webrtc?.connectionState === 'connected' || undefined, 10000);
    const f = await frames(video, 15);
    expect([f.width, f.height]).to.deep.equal([360, 480]);
    expect(video.srcObject).to.be.instanceOf(MediaStream);
    expect(video.muted).to.equal(false);
    const [srv] = await simLog(tag);
    expect(srv!.webrtc.candidatesSent).to.be.greaterThan(0);
    expect(srv!.webrtc.candidatesReceived).to.be.greaterThan(0);
    expect(srv!.webrtc.answersReceived).to.equal(1);
    expect(srv!.errors).to.deep.equal([]);
    await el.stop();
    expect(video.srcObject).to.equal(null);
  });

  it('the voice carries energy while the avatar speaks and near silence when idle', async function () {
    this.timeout(30000);
    const { call, video, done, pc } = await playingCall(uniqueTag('voice'));
    await frames(video, 25); // about a second of idle
    const idle0 = await audioEnergy(pc);
    await frames(video, 25);
    const idle1 = await audioEnergy(pc);
    call.session.sendText('please say something rather long so that we can hear the voice for a while');
    await nextEvent(call, 'transcript', (d: any) => d.role === 'assistant' && !d.final, 10000);
    const talk0 = await audioEnergy(pc);
    await frames(video, 25);
    const talk1 = await audioEnergy(pc);
    done();
    const idle = energyRate(idle0, idle1);
    const talk = energyRate(talk0, talk1);
    console.log(`voice energy per second: idle ${idle.toExponential(2)}, speaking ${talk.toExponential(2)}`);
    expect(idle).to.be.below(1e-4);
    expect(talk).to.be.above(1e-3);
    const track = pc.getReceivers().find((r) => r.track.kind === 'audio')!.track;
    expect(track.readyState).to.equal('live');
  });

  it('interrupt() silences the avatar\'s voice here while the server still sends it, until the next reply', async function () {
    this.timeout(30000);
    const tag = uniqueTag('voice-cut');
    const { call, video, done, pc } = await playingCall(tag);
    const track = pc.getReceivers().find((r) => r.track.kind === 'audio')!.track;
    const ctx = new AudioContext();
    try {
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      call.session.sendText('please say something rather long so that we can hear the voice for a while longer than usual');
      await nextEvent(call, 'transcript', (d: any) => d.role === 'assistant' && !d.final && d.text.split(' ').length >= 3, 10000);
      const before = await heard(video, analyser, 10);
      const sent0 = await audioEnergy(pc);
      call.session.interrupt();
      expect(track.enabled).to.equal(false);
      const during = await heard(video, analyser, 12, 3);
      const sent1 = await audioEnergy(pc);
      // What still arrives over RTP (the server goes on talking: NavTalk has no cancel message).
      const arriving = energyRate(sent0, sent1);
      await waitForLog(tag, (ss) => ss[0]?.sent.some((m: any) => m.type === 'realtime.response.audio.done') && ss[0], 15000);
      call.session.sendText('and now say something else for a while');
      await nextEvent(call, 'transcript', (d: any) => d.role === 'assistant' && !d.final && d.text.split(' ').length >= 3, 10000);
      expect(track.enabled).to.equal(true);
      const next = await heard(video, analyser, 10);
      console.log(`heard RMS: speaking ${before.toFixed(4)}, after interrupt() ${during.toFixed(5)} (arriving ${arriving.toExponential(2)}/s), next reply ${next.toFixed(4)}`);
      expect(before).to.be.above(0.01);
      expect(arriving).to.be.above(1e-3);
      expect(during).to.be.below(0.001);
      expect(next).to.be.above(0.01);
    } finally {
      done();
      await ctx.close();
    }
  });

  it('answers an offer sent before the session is ready (simOffer=early)', async () => {
    const tag = uniqueTag('early');
    const call = await mediaCall(tag, { simOffer: 'early' });
    const states = record(call, ['peer-state']);
    await call.start();
    await peerConnected(call);
    const [srv] = await simLog(tag);
    const types = srv!.sent.map((m) => m.type);
    expect(types.indexOf('webrtc.signaling.offer')).to.be.lessThan(types.indexOf('realtime.session.updated'));
    expect(states.map((s) => s.detail)).to.include('connected');
  });

  it('a new server offer replaces the peer connection and the video goes on', async () => {
    const tag = uniqueTag('reoffer');
    const call = await mediaCall(tag);
    await call.start();
    await peerConnected(call);
    const first = call.peer.connection!;
    const replaced = nextEvent(call, 'peer-state', (s) => s === 'connected', 10000);
    await simSend(tag, [{ offer: true }]);
    await replaced;
    expect(first.signalingState).to.equal('closed');
    expect(call.peer.connection).not.to.equal(first);
    const { video, done } = await play(call);
    const f = await frames(video, 10);
    done();
    expect(f.height).to.equal(480);
    const [srv] = await simLog(tag);
    expect(srv!.webrtc.offers).to.equal(2);
    expect(srv!.webrtc.answersReceived).to.equal(2);
  });

  it('restarts ICE once (a client offer the server answers), then reports webrtc-failed and keeps the conversation', async function () {
    this.timeout(30000);
    const tag = uniqueTag('badice');
    const call = await mediaCall(tag, { simIce: 'bad' }, { webrtcTimeoutMs: 1500 });
    await call.start();
    const err = await nextEvent<any>(call, 'error', (e) => e.code === 'webrtc-failed', 20000);
    expect(err.fatal).to.equal(false);
    const [srv] = await simLog(tag);
    expect(srv!.webrtc.offersReceived).to.equal(1);
    expect(srv!.webrtc.answersSent).to.equal(1);
    call.session.sendText('still talking?');
    const done = await nextEvent<any>(call, 'transcript', (d) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: still talking?');
  });

  it('stop() closes the peer connection and the server sees it go', async () => {
    const tag = uniqueTag('teardown');
    const call = await mediaCall(tag);
    await call.start();
    await peerConnected(call);
    const pc = call.peer.connection!;
    await call.stop();
    expect(pc.connectionState).to.equal('closed');
    expect(call.peer.connection).to.equal(undefined);
    await waitForLog(tag, (ss) => ss[0]!.closedAt !== null || undefined);
  });
});

describe('legacy API (api="legacy"): flat v1 events and a separate signaling socket', () => {
  it('holds a conversation and shows the avatar over the legacy signaling socket', async function () {
    this.timeout(30000);
    const tag = uniqueTag('legacy');
    const url = new URL(await simUrl(tag, {}));
    url.pathname = '/api/realtime-api';
    url.searchParams.delete('simOffer');
    const built = buildSessionConfig({ serverUrl: url.href, api: 'legacy', character: 'navtalk.Lily', voice: 'cedar', prompt: 'Be brief.', license: 'legacy-test-license' });
    if ('error' in built) throw new Error(built.error);
    expect(new URL(built.config.serverUrl).pathname).to.equal('/api/realtime-api');
    const call = new NavtalkCall(built.config, { textOnly: true, muted: false, mic: { chunkMs: 40, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
    calls.push(call);
    await call.start();
    expect(call.session.state).to.equal('listening');
    const [srv] = await simLog(tag);
    expect(srv!.query).to.include({ characterName: 'navtalk.Lily' });
    const update = srv!.received.find((m) => m.type === 'session.update');
    expect(update?.msg.session).to.include({ voice: 'cedar', instructions: 'Be brief.' });
    call.session.sendText('legacy hello');
    const done = await nextEvent<any>(call, 'transcript', (d) => d.role === 'assistant' && d.final, 10000);
    expect(done.text).to.equal('You said: legacy hello');
    await peerConnected(call);
    const { video, done: stopVideo } = await play(call);
    const f = await frames(video, 10);
    stopVideo();
    expect([f.width, f.height]).to.deep.equal([360, 480]);
    const [after] = await simLog(tag);
    expect(after!.signaling).to.include({ creates: 1 });
    expect(after!.signaling.targetSessionId).to.match(/^target-/);
    expect(after!.webrtc.answersReceived).to.be.at.least(1);
  });
});
