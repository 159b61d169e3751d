#!/usr/bin/env node
/**
 * @file Self-check of the simulator's WebRTC side: a Node WebRTC client (wrtc) connects over the socket,
 * answers the simulator's offer, trickles candidates both ways and checks the media (video size and rate,
 * silence and voice on the audio track, the mouth), offer timing, renegotiation, the `{offer:true}` control
 * action, `simIce=bad`, bad input and cleanup; then the legacy API end to end (realtime socket plus the separate
 * signaling socket: create → offer → answer → trickle → connected, video, the voice of a reply), and a
 * signaling socket that matches no session. Prints PASS/FAIL per check (and INFO measurements); exits
 * non-zero on any failure or if the process does not exit by itself after close().
 *
 * It re-runs itself in a loopback-only network namespace (`unshare --net`, root needed) unless NAVTALK_NETNS
 * is set; without one (not permitted, or NAVTALK_NO_NETNS=1) it runs as is and skips the 127.0.0.1 pair check.
 * Usage: node server/sim/selfcheck-webrtc.mjs [--cpu]   (--cpu: also measure one streaming session's CPU, ~25 s)
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client, append, logOf, post, sleep, toneChunks, urlWith, userText, waitFor, finishSelfcheck, runChecks, runSelfcheck } from './selfcheck-client.mjs';
import { loadWrtc } from './media.mjs';
import { createSimServer } from './sim-server.mjs';

if (!process.env.NAVTALK_NETNS && !process.env.NAVTALK_NO_NETNS && spawnSync('unshare', ['--net', 'true']).status === 0) {
  const script = 'ip link set lo up 2>/dev/null; exec "$@"';
  const result = spawnSync('unshare', ['--net', '--', 'sh', '-c', script, 'sh', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NAVTALK_NETNS: '1' },
  });
  if (result.signal) console.log(`FAIL selfcheck-webrtc was killed by ${result.signal}`);
  process.exit(result.status ?? 1);
}

const IN_NETNS = process.env.NAVTALK_NETNS === '1';
const WIDTH = 360;
const HEIGHT = 480;
const MOUTH_BOX = { x0: 164, x1: 196, y0: 312, y1: 326 }; // inside the drawn mouth
const SILENCE_RMS = 0.003;
const VOICE_RMS = 0.02;
const LONG_REPLY = 'Once upon a time a patient simulator kept talking and talking so that somebody could interrupt it midway.';

/** @typedef {import('./media.mjs').Wrtc} Wrtc */
/** @typedef {{t: number, width: number, height: number, mouthLuma: number, generation: number}} VideoSample */
/** @typedef {{t: number, rms: number, generation: number}} AudioSample */

/**
 * @param {Uint8Array} data I420
 * @param {number} width
 * @returns {number} mean luma inside MOUTH_BOX
 */
function mouthLuma(data, width) {
  let sum = 0;
  for (let y = MOUTH_BOX.y0; y < MOUTH_BOX.y1; y++) for (let x = MOUTH_BOX.x0; x < MOUTH_BOX.x1; x++) sum += data[y * width + x];
  return sum / ((MOUTH_BOX.x1 - MOUTH_BOX.x0) * (MOUTH_BOX.y1 - MOUTH_BOX.y0));
}

/** @param {Int16Array} samples */
function rms(samples) {
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** Legacy signaling message types and their v2 names. */
const FROM_LEGACY = /** @type {Record<string, string>} */ ({ offer: 'webrtc.signaling.offer', answer: 'webrtc.signaling.answer', iceCandidate: 'webrtc.signaling.iceCandidate' });

/**
 * @typedef {object} RtcClientOptions
 * @property {string} [legacyTarget] speak the legacy signaling dialect (flat messages with this targetSessionId)
 * @property {boolean} [sdpAsString] send the answer's `sdp` as the SDP string instead of `{type, sdp}`
 */

/**
 * The browser's part, in Node: answers every server offer on a fresh peer connection (closing the previous
 * one, as the element does), trickles its candidates, adds the server's, and records what the tracks deliver.
 * It speaks v2 signaling on the realtime socket, or legacy signaling on a separate socket.
 */
class RtcClient {
  /** @type {Wrtc} */
  #wrtc;
  /** @type {Client} */
  ws;
  /** @type {import('@roamhq/wrtc').RTCPeerConnection|null} */
  pc = null;
  generation = 0;
  /** @type {{t: number, msg: any}[]} server offers, with arrival time */
  offers = [];
  /** @type {any[]} server candidates */
  serverCandidates = [];
  /** @type {VideoSample[]} */
  video = [];
  /** @type {AudioSample[]} */
  audio = [];
  /** @type {any[]} answers to our own offers */
  answers = [];
  /** @type {(() => void)[]} */
  #stops = [];
  /** @type {RtcClientOptions} */
  #options;
  /** @type {any[]} server candidates waiting for the remote description */
  #pending = [];
  #chain = Promise.resolve();

  /**
   * @param {Wrtc} wrtc
   * @param {Client} ws
   * @param {RtcClientOptions} [options]
   */
  constructor(wrtc, ws, options = {}) {
    this.#wrtc = wrtc;
    this.ws = ws;
    this.#options = options;
    ws.ws.on('message', (data) => {
      /** @type {any} */
      let msg;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      this.#chain = this.#chain.then(() => this.#onMessage(msg)).catch((error) => console.log(`  client error: ${error.message}`));
    });
  }

  /**
   * @param {Wrtc} wrtc
   * @param {string} url
   * @param {RtcClientOptions} [options]
   */
  static async open(wrtc, url, options) {
    return new RtcClient(wrtc, await Client.open(url), options);
  }

  /** @param {any} msg */
  async #onMessage(msg) {
    const legacy = this.#options.legacyTarget !== undefined;
    const type = legacy ? FROM_LEGACY[msg.type] : msg.type;
    const data = legacy ? msg : msg.data;
    if (type === 'webrtc.signaling.offer') {
      this.offers.push({ t: performance.now(), msg });
      await this.#answer(data.sdp);
    } else if (type === 'webrtc.signaling.iceCandidate') {
      this.serverCandidates.push(legacy ? msg : data.candidate);
      if (this.pc?.remoteDescription) await this.pc.addIceCandidate(data.candidate);
      else this.#pending.push(data.candidate);
    } else if (type === 'webrtc.signaling.answer') {
      this.answers.push(msg);
      await this.pc?.setRemoteDescription(data.sdp);
    }
  }

  /**
   * Sends a signaling message in this client's dialect.
   * @param {'offer'|'answer'|'iceCandidate'} kind
   * @param {Record<string, unknown>} payload `{sdp}` or `{candidate}`
   */
  #signal(kind, payload) {
    const target = this.#options.legacyTarget;
    this.ws.send(target === undefined ? { type: `webrtc.signaling.${kind}`, data: payload } : { type: kind, targetSessionId: target, ...payload });
  }

  /** @param {{type: string, sdp: string}} offer */
  async #answer(offer) {
    const pc = this.#newPeer();
    await pc.setRemoteDescription(/** @type {any} */ (offer));
    for (const candidate of this.#pending.splice(0)) await pc.addIceCandidate(candidate);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.#signal('answer', { sdp: this.#options.sdpAsString ? answer.sdp : { type: 'answer', sdp: answer.sdp } });
  }

  /** Replaces the peer connection. */
  #newPeer() {
    this.closePeer();
    const generation = ++this.generation;
    const pc = new this.#wrtc.RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.onicecandidate = ({ candidate }) => {
      const init = candidate ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment } : null;
      this.#signal('iceCandidate', { candidate: init }); // null: end-of-candidates
    };
    pc.ontrack = ({ track }) => this.#record(track, generation);
    return pc;
  }

  /**
   * @param {import('@roamhq/wrtc').MediaStreamTrack} track
   * @param {number} generation
   */
  #record(track, generation) {
    const { RTCVideoSink, RTCAudioSink } = this.#wrtc.nonstandard;
    if (track.kind === 'video') {
      const sink = new RTCVideoSink(track);
      sink.onframe = (/** @type {{frame: {width: number, height: number, data: Uint8Array}}} */ { frame }) => {
        this.video.push({ t: performance.now(), width: frame.width, height: frame.height, mouthLuma: mouthLuma(frame.data, frame.width), generation });
      };
      this.#stops.push(() => sink.stop());
    } else {
      const sink = new RTCAudioSink(track);
      sink.ondata = (/** @type {{samples: Int16Array}} */ { samples }) => this.audio.push({ t: performance.now(), rms: rms(samples), generation });
      this.#stops.push(() => sink.stop());
    }
  }

  /** Sends a client offer on the current connection (renegotiation); the server's answer is applied when it comes. */
  async renegotiate() {
    const pc = /** @type {import('@roamhq/wrtc').RTCPeerConnection} */ (this.pc);
    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    this.#signal('offer', { sdp: { type: 'offer', sdp: offer.sdp } });
  }

  connected() {
    return waitFor(() => this.pc?.connectionState === 'connected', 'the client peer connection to connect');
  }

  closePeer() {
    this.#stops.splice(0).forEach((stop) => stop());
    this.pc?.close();
    this.pc = null;
  }

  async close() {
    await this.#chain;
    this.closePeer();
    await this.ws.close();
  }

  /**
   * @param {number} from performance.now() time
   * @param {number} to
   * @returns {AudioSample[]}
   */
  audioBetween(from, to) {
    return this.audio.filter((s) => s.t >= from && s.t < to);
  }

  /**
   * @param {number} from
   * @param {number} to
   * @returns {VideoSample[]}
   */
  videoBetween(from, to) {
    return this.video.filter((s) => s.t >= from && s.t < to);
  }
}

/** @param {AudioSample[]} samples */
const maxRms = (samples) => Math.max(0, ...samples.map((s) => s.rms));

/**
 * The types of the non-candidate messages, in arrival order.
 * @param {Client} client
 */
const flow = (client) => client.messages.map((m) => m.type).filter((type) => type !== 'webrtc.signaling.iceCandidate');

/** @returns {{fds: number, threads: number}|null} this process's open files and threads (Linux) */
function resources() {
  try {
    const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    return { fds: readdirSync('/proc/self/fd').length, threads };
  } catch {
    return null;
  }
}

/**
 * @param {number} pid
 * @returns {number} CPU seconds (user + system) of a process (Linux)
 */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * @param {Wrtc} wrtc
 * @param {Awaited<ReturnType<typeof createSimServer>>} sim
 * @returns {[string, () => Promise<void>][]}
 */
function checks(wrtc, sim) {
  /** @type {RtcClient} the streaming session shared by the first checks */
  let main;
  const open = (/** @type {Record<string, string>} */ params) => RtcClient.open(wrtc, urlWith(sim.wsUrl, { avatarId: 'a', ...params }));
  return [
    ['late offer: after session.updated; answer, trickle, connected on 127.0.0.1', async () => {
      main = await open({ simTag: 'main', simGreeting: '0' });
      await main.connected();
      assert.deepEqual(flow(main.ws).slice(0, 4), ['conversation.connected.success', 'realtime.session.created', 'realtime.session.updated', 'webrtc.signaling.offer']);
      const offer = main.offers[0].msg;
      assert.equal(offer.data.sdp.type, 'offer');
      assert.match(offer.data.sdp.sdp, /^v=0\r\n/);
      assert.match(offer.data.sdp.sdp, /m=video/);
      assert.match(offer.data.sdp.sdp, /m=audio/);
      assert.ok(main.serverCandidates.length > 0, 'the server trickles candidates');
      for (const c of main.serverCandidates) {
        assert.equal(typeof c.candidate, 'string');
        assert.ok(typeof c.sdpMid === 'string' || Number.isInteger(c.sdpMLineIndex));
        assert.ok(!c.candidate.split(' ')[4].includes(':'), 'IPv4 candidates only');
      }
      await sleep(300);
      const { webrtc } = await logOf(sim, 'main');
      assert.equal(webrtc.offers, 1);
      assert.equal(webrtc.answersReceived, 1);
      assert.equal(webrtc.candidatesSent, main.serverCandidates.length);
      assert.ok(webrtc.candidatesReceived > 0);
      assert.equal(webrtc.connectionState, 'connected');
      assert.ok(['connected', 'completed'].includes(String(webrtc.iceConnectionState)), String(webrtc.iceConnectionState));
      assert.ok(typeof webrtc.connectedAtMs === 'number' && webrtc.connectedAtMs > 0);
      if (IN_NETNS) assert.deepEqual(webrtc.selectedPair, { local: '127.0.0.1', remote: '127.0.0.1' });
      else console.log('  (not in a network namespace: selected pair not checked)', JSON.stringify(webrtc.selectedPair));
    }],

    ['video: 360×480 at ≥ 24 fps', async () => {
      const first = await waitFor(() => main.video[0], 'a video frame');
      console.log(`INFO offer → first video frame at the client: ${(first.t - main.offers[0].t).toFixed(0)} ms`);
      const start = performance.now();
      await sleep(2000);
      const frames = main.videoBetween(start, start + 2000);
      assert.ok(frames.every((f) => f.width === WIDTH && f.height === HEIGHT), `frame size ${frames[0]?.width}×${frames[0]?.height}`);
      const fps = frames.length / 2;
      console.log(`INFO video rate at the client: ${fps.toFixed(1)} fps`);
      assert.ok(fps >= 24, `${fps} fps`);
      const { webrtc } = await logOf(sim, 'main');
      assert.ok(webrtc.framesSent >= main.video.length);
      assert.ok(webrtc.audioFramesSent > 0);
    }],

    ['audio: silence when idle; voice and an open mouth while a reply plays, in step with the transcript', async () => {
      const idleFrom = performance.now();
      await sleep(1000);
      const idle = main.audioBetween(idleFrom, performance.now());
      assert.ok(idle.length > 50, `${idle.length} audio chunks in 1 s`);
      assert.ok(maxRms(idle) < SILENCE_RMS, `idle RMS ${maxRms(idle)}`);
      const closedMouth = Math.min(...main.videoBetween(idleFrom, performance.now()).map((f) => f.mouthLuma));
      main.ws.send(userText('Tell me something.'));
      main.ws.send({ type: 'response.create' });
      await main.ws.next('realtime.response.audio_transcript.delta');
      const firstDeltaAt = performance.now();
      await main.ws.next('realtime.response.audio_transcript.done', 15000);
      await main.ws.next('realtime.response.audio.done', 5000);
      const doneAt = performance.now();
      const deltas = main.ws.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta').length;
      await sleep(600);
      const turn = main.audioBetween(firstDeltaAt, doneAt + 600);
      const loud = turn.filter((s) => s.rms > VOICE_RMS);
      assert.ok(loud.length > turn.length / 3, `loud chunks ${loud.length}/${turn.length}`);
      const onset = loud[0].t - firstDeltaAt;
      const end = loud[loud.length - 1].t - doneAt;
      console.log(`INFO reply: ${deltas} deltas over ${(doneAt - firstDeltaAt).toFixed(0)} ms; voice starts ${onset.toFixed(0)} ms after the first delta, ends ${end.toFixed(0)} ms after audio.done`);
      assert.ok(onset < 400, `voice starts ${onset} ms after the first delta`);
      assert.ok(Math.abs(end) < 400, `voice ends ${end} ms from audio.done`);
      assert.ok(maxRms(main.audioBetween(doneAt + 300, doneAt + 600)) < SILENCE_RMS, 'silent again after the reply');
      const openMouth = Math.min(...main.videoBetween(firstDeltaAt, doneAt).map((f) => f.mouthLuma));
      console.log(`INFO mouth-box luma: closed ${closedMouth.toFixed(0)}, darkest while talking ${openMouth.toFixed(0)}`);
      assert.ok(openMouth < closedMouth - 40, 'the mouth opens while the voice plays');
    }],

    ['barge-in (speech_started) silences the voice at once', async () => {
      main.ws.send(userText(LONG_REPLY));
      main.ws.send({ type: 'response.create' });
      for (let i = 0; i < 3; i++) await main.ws.next('realtime.response.audio_transcript.delta', 5000);
      toneChunks({ hz: 300, amplitude: 0.2, ms: 200 }).forEach((chunk) => main.ws.send(append(chunk)));
      await main.ws.next('realtime.input_audio_buffer.speech_started');
      const at = performance.now();
      await sleep(1500); // the reply had several seconds of voice left
      assert.ok(maxRms(main.audioBetween(at - 500, at)) > VOICE_RMS, 'the voice was playing');
      const lastLoud = main.audioBetween(at - 500, at + 1500).filter((s) => s.rms > VOICE_RMS).at(-1);
      const tail = /** @type {AudioSample} */ (lastLoud).t - at; // what was already in flight (jitter buffer)
      console.log(`INFO barge-in: the voice stops ${tail.toFixed(0)} ms after speech_started arrives`);
      assert.ok(tail < 600, `voice until ${tail} ms after speech_started`);
      assert.ok(maxRms(main.audioBetween(at + 600, at + 1500)) < SILENCE_RMS, 'silent after the barge-in');
    }],

    ['client renegotiation offer (ICE restart) gets an answer; still connected', async () => {
      await main.renegotiate();
      const answer = await waitFor(() => main.answers[0], 'the answer to the client offer');
      assert.equal(answer.data.sdp.type, 'answer');
      await sleep(500);
      await main.connected();
      const from = performance.now();
      await sleep(500);
      assert.ok(main.videoBetween(from, performance.now()).length >= 10, 'video keeps flowing');
      const { webrtc, errors } = await logOf(sim, 'main');
      assert.equal(webrtc.offersReceived, 1);
      assert.equal(webrtc.answersSent, 1);
      assert.deepEqual(errors, []);
    }],

    ['control {offer:true}: a new offer on a new peer connection replaces the old one', async () => {
      const bad = await post(sim, 'send?tag=main', { frames: [{ offer: 1 }] });
      assert.equal(bad.body.sent, 0);
      assert.equal(bad.body.errors.length, 1);
      const { body } = await post(sim, 'send?tag=main', { frames: [{ offer: true }] });
      assert.equal(body.sent, 1);
      await waitFor(() => main.offers.length === 2, 'a second offer');
      await main.connected();
      await waitFor(() => main.video.some((f) => f.generation === 2), 'video on the new connection');
      const { webrtc } = await logOf(sim, 'main');
      assert.equal(webrtc.offers, 2);
      assert.equal(webrtc.answersReceived, 2);
      assert.equal(webrtc.connectionState, 'connected');
      if (IN_NETNS) assert.deepEqual(webrtc.selectedPair, { local: '127.0.0.1', remote: '127.0.0.1' });
      const lastOld = Math.max(...main.video.filter((f) => f.generation === 1).map((f) => f.t));
      assert.ok(lastOld < main.offers[1].t + 200, 'nothing arrives on the old connection after the new offer');
    }],

    ['socket close: the log shows the peer connection closed', async () => {
      await main.close();
      await sleep(100);
      const log = await logOf(sim, 'main');
      assert.equal(log.webrtc.connectionState, 'closed');
      assert.equal(log.closeCode, 1000);
      const framesAtClose = log.webrtc.framesSent;
      await sleep(200);
      assert.equal((await logOf(sim, 'main')).webrtc.framesSent, framesAtClose, 'no frames after close');
    }],

    ['early offer: right after success, before session.created', async () => {
      const client = await open({ simTag: 'early', simOffer: 'early' });
      await client.ws.next('realtime.session.updated');
      assert.deepEqual(flow(client.ws).slice(0, 4), ['conversation.connected.success', 'webrtc.signaling.offer', 'realtime.session.created', 'realtime.session.updated']);
      await client.connected();
      await waitFor(() => client.video.length > 0, 'a video frame');
      await client.close();
    }],

    ['simOffer=off: no offer; signaling only recorded', async () => {
      const client = await open({ simTag: 'off', simOffer: 'off' });
      await client.ws.next('realtime.session.updated');
      client.ws.send({ type: 'webrtc.signaling.answer', data: { sdp: { type: 'answer', sdp: 'v=0\r\n' } } });
      client.ws.send({ type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } } });
      await sleep(400);
      assert.equal(client.offers.length, 0);
      await client.close();
      const log = await logOf(sim, 'off');
      assert.deepEqual(log.errors, []);
      assert.equal(log.webrtc.offers, 0);
      assert.equal(log.webrtc.answersReceived, 0);
      assert.equal(log.webrtc.connectionState, null);
      assert.ok(log.received.some((/** @type {any} */ r) => r.type === 'webrtc.signaling.answer'));
    }],

    ['simIce=bad: offer and answer, but ICE never connects', async () => {
      const client = await open({ simTag: 'bad', simIce: 'bad' });
      await waitFor(() => client.pc?.remoteDescription, 'the offer');
      await sleep(3000);
      assert.notEqual(client.pc?.connectionState, 'connected');
      assert.ok(!['connected', 'completed'].includes(String(client.pc?.iceConnectionState)));
      assert.equal(client.video.length, 0);
      for (const c of client.serverCandidates) assert.equal(c.candidate.split(' ')[5], '9', 'candidates on an unusable port');
      await client.close();
      const { webrtc } = await logOf(sim, 'bad');
      assert.equal(webrtc.offers, 1);
      assert.equal(webrtc.answersReceived, 1);
      assert.ok(webrtc.candidatesReceived > 0);
      assert.equal(webrtc.connectedAtMs, null);
      assert.equal(webrtc.selectedPair, undefined);
    }],

    ['bad signaling input is logged, never breaks the session', async () => {
      const client = new RtcClient(wrtc, await Client.open(urlWith(sim.wsUrl, { avatarId: 'a', simTag: 'garbage', simOffer: 'off' })));
      await client.ws.next('realtime.session.updated');
      const junk = [
        { type: 'webrtc.signaling.answer', data: { sdp: 5 } },
        { type: 'webrtc.signaling.answer' },
        { type: 'webrtc.signaling.answer', data: { sdp: { type: 'offer', sdp: 'v=0\r\n' } } },
        { type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: 'x' } } },
        { type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } } },
        { type: 'webrtc.signaling.iceCandidate', data: 'nope' },
        { type: 'webrtc.signaling.iceCandidate', data: { candidate: null } }, // end-of-candidates: fine
        { type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: '', sdpMid: '0' } } }, // likewise
      ];
      // Before any offer: recorded only (simOffer=off). Then force one and send the junk again, plus an unusable SDP.
      junk.forEach((msg) => client.ws.send(msg));
      await sleep(100);
      assert.deepEqual((await logOf(sim, 'garbage')).errors, []);
      const { body } = await post(sim, 'send?tag=garbage', { frames: [{ offer: true }] });
      assert.equal(body.sent, 1);
      junk.forEach((msg) => client.ws.send(msg));
      client.ws.send({ type: 'webrtc.signaling.answer', data: { sdp: 'v=0\r\nthis is not SDP\r\n' } });
      await client.connected(); // the real answer goes out when the offer arrives
      const { errors, webrtc } = await logOf(sim, 'garbage');
      await client.close();
      for (const text of ['data.sdp must be', 'data.sdp.type must be "answer"', '"candidate:…" string', 'needs sdpMid or sdpMLineIndex', 'data must be an object']) {
        assert.ok(errors.some((/** @type {string} */ e) => e.includes(text)), `an error containing ${text}: ${JSON.stringify(errors)}`);
      }
      assert.equal(webrtc.answersReceived, 2, 'the string-SDP answer and the real one');
      assert.ok(errors.some((/** @type {string} */ e) => e.startsWith('webrtc.signaling.answer:') && !e.includes('data.sdp')), 'the unusable SDP is reported');
    }],

    ['legacy: realtime + signaling sockets; create → offer → answer → trickle → connected; video; voice during a reply', async () => {
      const realtime = await Client.open(urlWith(sim.legacyWsUrl, { characterName: 'navtalk.Lily', simTag: 'legacy-rtc' }));
      const { session_id: id } = await realtime.next('session.session_id');
      realtime.send({ type: 'session.update', session: { voice: 'cedar', instructions: 'Be brief.' } });
      await realtime.next('session.updated');
      const target = `target-${id}`;
      const legacy = await RtcClient.open(wrtc, urlWith(sim.signalingWsUrl, { userId: id }), { legacyTarget: target });
      legacy.ws.send({ type: 'create', targetSessionId: target });
      await legacy.connected();
      const offer = legacy.offers[0].msg;
      assert.deepEqual(Object.keys(offer).sort(), ['sdp', 'targetSessionId', 'type']);
      assert.equal(offer.type, 'offer');
      assert.equal(offer.targetSessionId, target);
      assert.equal(offer.sdp.type, 'offer');
      assert.match(offer.sdp.sdp, /m=video[\s\S]*m=audio/);
      assert.ok(legacy.serverCandidates.length > 0, 'the server trickles candidates');
      for (const c of legacy.serverCandidates) {
        assert.equal(c.type, 'iceCandidate');
        assert.equal(c.targetSessionId, target);
        assert.match(c.candidate.candidate, /^candidate:/);
        assert.ok(typeof c.candidate.sdpMid === 'string' || Number.isInteger(c.candidate.sdpMLineIndex));
      }
      const frames = await waitFor(() => (legacy.video.length >= 10 ? legacy.video : null), 'video frames');
      assert.ok(frames.every((f) => f.width === WIDTH && f.height === HEIGHT));
      const idleFrom = performance.now();
      await sleep(500);
      assert.ok(maxRms(legacy.audioBetween(idleFrom, performance.now())) < SILENCE_RMS, 'silent when idle');
      realtime.send(userText('Tell me something.'));
      realtime.send({ type: 'response.create' });
      await realtime.next('response.audio_transcript.delta');
      const firstDeltaAt = performance.now();
      await realtime.next('response.done', 15000);
      const doneAt = performance.now();
      await sleep(400);
      const turn = legacy.audioBetween(firstDeltaAt, doneAt + 400);
      const loud = turn.filter((sample) => sample.rms > VOICE_RMS);
      console.log(`INFO legacy reply: voice in ${loud.length}/${turn.length} audio chunks between the first delta and response.done + 400 ms`);
      assert.ok(loud.length > turn.length / 3, `loud chunks ${loud.length}/${turn.length}`);
      const log = await logOf(sim, 'legacy-rtc');
      assert.equal(log.api, 'legacy');
      const { connectedAtMs, ...signaling } = /** @type {import('./session-log.mjs').SignalingStats} */ (log.signaling);
      assert.ok(typeof connectedAtMs === 'number' && connectedAtMs > 0);
      assert.deepEqual(signaling, {
        userId: id, targetSessionId: target, creates: 1, offers: 1, answersReceived: 1,
        candidatesSent: legacy.serverCandidates.length, candidatesReceived: signaling.candidatesReceived, closedAtMs: null, closeCode: null,
      });
      assert.ok(signaling.candidatesReceived > 0);
      assert.equal(log.webrtc.offers, 1);
      assert.equal(log.webrtc.answersReceived, 1);
      assert.equal(log.webrtc.connectionState, 'connected');
      if (IN_NETNS) assert.deepEqual(log.webrtc.selectedPair, { local: '127.0.0.1', remote: '127.0.0.1' });
      assert.deepEqual(log.errors, []);

      const { body } = await post(sim, 'send?tag=legacy-rtc', { frames: [{ offer: true }] });
      assert.equal(body.sent, 1, 'control {offer:true} offers on the linked signaling socket');
      await waitFor(() => legacy.offers.length === 2, 'a second offer');
      await legacy.connected();
      await waitFor(() => legacy.video.some((f) => f.generation === 2), 'video on the new connection');

      await realtime.close();
      assert.equal((await legacy.ws.closed).code, 1000, 'the signaling socket closes with its session');
      await legacy.close();
      const closed = await logOf(sim, 'legacy-rtc');
      assert.equal(closed.webrtc.connectionState, 'closed');
      assert.equal(closed.signaling?.closeCode, 1000);
      assert.equal(closed.signaling?.offers, 2);
    }],

    ['legacy: a signaling socket matching no session still offers (plain avatar); SDP as a string; logged as an error', async () => {
      const client = await RtcClient.open(wrtc, urlWith(sim.signalingWsUrl, { userId: 'nobody', simTag: 'legacy-orphan' }), { legacyTarget: 'nobody', sdpAsString: true });
      client.ws.send({ type: 'create', targetSessionId: 'nobody' });
      await client.connected();
      await waitFor(() => client.video.length > 0, 'a video frame');
      await client.close();
      await sleep(100);
      const log = await logOf(sim, 'legacy-orphan');
      assert.match(log.id, /^signaling-/);
      assert.equal(log.api, 'legacy');
      assert.equal(log.signaling?.answersReceived, 1);
      assert.equal(log.webrtc.answersReceived, 1, 'the string SDP was accepted');
      assert.ok(typeof log.webrtc.connectedAtMs === 'number');
      assert.equal(log.webrtc.connectionState, 'closed');
      assert.deepEqual(log.errors.map((e) => e.slice(0, 45)), ['signaling: no realtime session matches userId']);
    }],

    ['many sessions come and go without leaking', async () => {
      const run = async () => {
        const client = await open({ simGreeting: '0' });
        await client.connected();
        await waitFor(() => client.video.length > 0, 'a video frame');
        await client.close();
      };
      await run();
      await sleep(500);
      const before = resources();
      for (let i = 0; i < 6; i++) await run();
      await sleep(1000);
      const after = resources();
      if (before && after) {
        console.log(`INFO after 6 more sessions: fds ${before.fds} → ${after.fds}, threads ${before.threads} → ${after.threads}`);
        assert.ok(after.fds <= before.fds + 4, 'file descriptors leak');
        assert.ok(after.threads <= before.threads + 4, 'threads leak');
      }
    }],
  ];
}

/**
 * Measures one streaming session of a simulator in a child process: idle, then talking.
 * @param {Wrtc} wrtc
 */
async function measureCpu(wrtc) {
  const child = spawn(process.execPath, [new URL('./cli.mjs', import.meta.url).pathname, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const wsUrl = await new Promise((resolve, reject) => {
      child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
        const match = /sim: (ws:\/\/\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('the simulator exited')));
    });
    const pid = /** @type {number} */ (child.pid);
    const client = await RtcClient.open(wrtc, urlWith(wsUrl, { avatarId: 'a', simGreeting: '0' }));
    await client.connected();
    await sleep(1000);
    const measure = async (/** @type {number} */ seconds) => {
      const start = cpuSeconds(pid);
      await sleep(seconds * 1000);
      return ((cpuSeconds(pid) - start) / seconds) * 100;
    };
    const idle = await measure(10);
    client.ws.send(userText(`${LONG_REPLY} ${LONG_REPLY}`));
    client.ws.send({ type: 'response.create' });
    await client.ws.next('realtime.response.audio_transcript.delta');
    const talking = await measure(8);
    console.log(`INFO simulator process CPU, one streaming session: ${idle.toFixed(1)} % of a core while silent (10 s), ${talking.toFixed(1)} % while talking (8 s)`);
    await client.close();
  } finally {
    child.kill('SIGINT');
  }
  const [code, signal] = await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  assert.equal(signal, null, `the simulator process died of ${signal}`);
  assert.equal(code, 0);
}

const CHECK_TIMEOUT_MS = 60_000;


async function main() {
  if (!IN_NETNS) console.log('selfcheck-webrtc: not in a loopback-only network namespace');
  const wrtc = await loadWrtc();
  const sim = await createSimServer();
  /** @type {[string, () => Promise<void>][]} */
  const all = checks(wrtc, sim);
  if (process.argv.includes('--cpu')) all.push(['CPU of one streaming session (child process; exits cleanly on SIGINT)', () => measureCpu(wrtc)]);
  const failures = await runChecks(all, CHECK_TIMEOUT_MS);
  const streaming = await RtcClient.open(wrtc, urlWith(sim.wsUrl, { avatarId: 'a' }));
  await streaming.connected().catch(() => {});
  await sim.close();
  await streaming.close();
  finishSelfcheck('selfcheck-webrtc', failures, 3000);
}

runSelfcheck('selfcheck-webrtc', main);
