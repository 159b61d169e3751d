/**
 * @file The avatar's media for the simulator's WebRTC side: a 360×480 video track at 25 fps showing the drawn
 * talking head, and a 48 kHz mono audio track (10 ms frames) carrying its synthetic voice, both paced by the
 * monotonic clock. One AvatarMedia per connection; each peer connection gets its own pair of tracks on it.
 */

import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { AvatarRenderer, Blinker, mouthOpening } from './avatar-render.mjs';
import { FrameClock } from './clock.mjs';
import { FRAME_SAMPLES, VOICE_RATE, VoiceQueue, synthesizeWord } from './voice.mjs';

/** @typedef {typeof import('@roamhq/wrtc')} Wrtc */
/** @typedef {import('@roamhq/wrtc').MediaStreamTrack} MediaStreamTrack */
/** @typedef {import('@roamhq/wrtc').MediaStream} MediaStream */
/** @typedef {import('./session-log.mjs').WebRtcStats} WebRtcStats */

const VIDEO_PERIOD_MS = 40; // 25 fps
const AUDIO_PERIOD_MS = (FRAME_SAMPLES / VOICE_RATE) * 1000; // 10 ms
const AUDIO_MAX_CATCH_UP = 20; // frames (200 ms) sent at once after a stall; a longer stall is skipped

/** @type {Promise<Wrtc>|null} the native module, loaded once per process on first use */
let wrtcModule = null;

/**
 * Loads `@roamhq/wrtc` (lazily: a simulator without WebRTC sessions never loads native code).
 * @returns {Promise<Wrtc>} rejects when the module is unavailable on this machine
 */
export function loadWrtc() {
  wrtcModule ??= import('@roamhq/wrtc').then((module) => {
    collectGarbageAtExit();
    return /** @type {Wrtc} */ (module.default ?? module);
  });
  return wrtcModule;
}

/**
 * wrtc 0.10.0 crashes (SIGSEGV) during Node's environment teardown when stopped tracks or closed peer
 * connections have not been garbage-collected yet. A full collection in the `exit` event avoids that; it is
 * registered once per process, because the hazard is process-wide.
 */
function collectGarbageAtExit() {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = /** @type {() => void} */ (vm.runInNewContext('gc'));
    v8.setFlagsFromString('--no-expose-gc');
    process.once('exit', () => gc());
  } catch {
    // Without it a natural exit may crash; nothing else to do.
  }
}

export class AvatarMedia {
  /** @type {Wrtc} */
  #wrtc;
  /** @type {WebRtcStats} */
  #stats;
  /** @type {(message: string) => void} */
  #onError;
  #videoSource;
  #audioSource;
  #voice = new VoiceQueue();
  #renderer = new AvatarRenderer();
  #blinker = new Blinker(performance.now());
  #videoClock = new FrameClock(VIDEO_PERIOD_MS, (_index, dueMs) => this.#sendVideo(dueMs));
  #audioClock = new FrameClock(AUDIO_PERIOD_MS, () => this.#sendAudio(), { maxBurst: AUDIO_MAX_CATCH_UP, ahead: 1 });
  /** @type {Set<MediaStreamTrack>} live tracks, of every peer connection */
  #tracks = new Set();
  #failed = false;
  #closed = false;

  /**
   * @param {{wrtc: Wrtc, stats: WebRtcStats, onError: (message: string) => void}} deps
   */
  constructor({ wrtc, stats, onError }) {
    this.#wrtc = wrtc;
    this.#stats = stats;
    this.#onError = onError;
    this.#videoSource = new wrtc.nonstandard.RTCVideoSource();
    this.#audioSource = new wrtc.nonstandard.RTCAudioSource();
  }

  /**
   * A new video and audio track on this media, in one stream, for a new peer connection; starts the clocks.
   * @returns {{stream: MediaStream, tracks: MediaStreamTrack[]}}
   */
  createTracks() {
    const stream = new this.#wrtc.MediaStream();
    const tracks = [this.#videoSource.createTrack(), this.#audioSource.createTrack()];
    tracks.forEach((track) => this.#tracks.add(track));
    if (!this.#closed) {
      this.#videoClock.start();
      this.#audioClock.start();
    }
    return { stream, tracks };
  }

  /** @param {MediaStreamTrack[]} tracks from {@link createTracks}; stopped once */
  stopTracks(tracks) {
    for (const track of tracks) if (this.#tracks.delete(track)) track.stop();
  }

  /**
   * Queues the voice for one transcript word; it plays after what is already queued.
   * @param {string} word
   * @param {number} index position in the reply
   */
  speak(word, index) {
    if (!this.#closed) this.#voice.push(synthesizeWord(word, index));
  }

  /** Drops the queued voice at once (barge-in). */
  hush() {
    this.#voice.clear();
  }

  /** Stops the clocks and every track. */
  close() {
    this.#closed = true;
    this.#videoClock.stop();
    this.#audioClock.stop();
    this.#voice.clear();
    this.stopTracks([...this.#tracks]);
  }

  /** @param {number} dueMs */
  #sendVideo(dueMs) {
    const frame = this.#renderer.render({ eyesClosed: this.#blinker.closed(dueMs), mouth: mouthOpening(this.#voice.level()) });
    try {
      this.#videoSource.onFrame(frame);
      this.#stats.framesSent += 1;
    } catch (error) {
      this.#fail('video', error);
    }
  }

  #sendAudio() {
    const samples = this.#voice.nextFrame();
    try {
      this.#audioSource.onData({ samples, sampleRate: VOICE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME_SAMPLES });
      this.#stats.audioFramesSent += 1;
    } catch (error) {
      this.#fail('audio', error);
    }
  }

  /**
   * Reports the first media failure (there is no point in repeating it 100 times a second).
   * @param {string} kind
   * @param {unknown} error
   */
  #fail(kind, error) {
    if (this.#failed) return;
    this.#failed = true;
    this.#onError(`webrtc: sending ${kind} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
