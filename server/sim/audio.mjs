/**
 * @file Microphone-audio analysis for the simulator (PROTOCOL.md §5, §13 B): strict decoding of base64
 * PCM16 LE 24 kHz mono chunks, per-connection statistics, dominant frequency and an energy VAD.
 */

import { isStrictBase64 } from './util.mjs';

const SAMPLE_RATE = 24000;

const ANALYSIS_SAMPLES = 2 * SAMPLE_RATE; // the dominant frequency looks at the last 2 s
const MIN_FFT_SIZE = 1 << 16; // 0.37 Hz bins at 24 kHz, refined further by interpolation
const MIN_HZ = 50;
const MAX_HZ = 4000;
const SILENCE_RMS = 1e-4;
const MAX_LISTED_CHUNKS = 5000;

/**
 * Decodes one base64 PCM16 chunk to samples in [-1, 1).
 * @param {unknown} text
 * @returns {{samples: Float32Array} | {error: string}}
 */
export function decodePcm16(text) {
  if (typeof text !== 'string') return { error: 'audio must be a base64 string' };
  if (!isStrictBase64(text)) return { error: 'audio is not valid base64' };
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return { error: 'audio chunk is empty' };
  if (bytes.length % 2 !== 0) return { error: `audio has an odd byte length (${bytes.length})` };
  const samples = new Float32Array(bytes.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(2 * i) / 32768;
  return { samples };
}

/**
 * Fixed-capacity buffer that keeps the most recent samples.
 */
class SampleRing {
  #buffer;
  #next = 0;
  #filled = 0;

  /** @param {number} capacity */
  constructor(capacity) {
    this.#buffer = new Float32Array(capacity);
  }

  /** @param {Float32Array} samples */
  push(samples) {
    const capacity = this.#buffer.length;
    const source = samples.length > capacity ? samples.subarray(samples.length - capacity) : samples;
    const head = Math.min(source.length, capacity - this.#next);
    this.#buffer.set(source.subarray(0, head), this.#next);
    this.#buffer.set(source.subarray(head), 0);
    this.#next = (this.#next + source.length) % capacity;
    this.#filled = Math.min(capacity, this.#filled + source.length);
  }

  /** @returns {Float32Array} the stored samples, oldest first */
  toArray() {
    const capacity = this.#buffer.length;
    if (this.#filled < capacity) return this.#buffer.slice(0, this.#filled);
    const out = new Float32Array(capacity);
    out.set(this.#buffer.subarray(this.#next));
    out.set(this.#buffer.subarray(0, this.#next), capacity - this.#next);
    return out;
  }
}

/**
 * @typedef {object} AudioSummary
 * @property {number} chunks valid append chunks
 * @property {number[]} chunkSamples samples per chunk (the first 5000 chunks)
 * @property {number} samples total samples
 * @property {number} durationMs samples / 24
 * @property {number} rms overall RMS on a 0..1 scale
 * @property {number|null} dominantHz strongest frequency in 50–4000 Hz over the last 2 s; null when silent
 * @property {number|null} firstAppendMs first valid append, ms since the connection opened
 * @property {number|null} firstAppendAfterUpdatedMs the same relative to realtime.session.updated (negative: before it)
 * @property {number} appendsBeforeUpdated valid appends received before realtime.session.updated
 * @property {number|null} lastAppendMs latest valid append, ms since the connection opened
 * @property {number|null} windowRms RMS over the latest `rmsWindow` samples (null: off, or not that many yet)
 */

/**
 * Running statistics over every valid append chunk of one connection.
 */
export class AudioStats {
  #chunks = 0;
  /** @type {number[]} */
  #chunkSamples = [];
  #samples = 0;
  #sumSquares = 0;
  /** @type {number|null} */
  #firstAppendMs = null;
  #appendsBeforeUpdated = 0;
  /** @type {number|null} */
  #lastAppendMs = null;
  #rmsWindow;
  /** @type {number|null} */
  #windowRms = null;
  /** @type {SampleRing|null} null once released */
  #recent;

  /** @param {number} [rmsWindow] samples for `windowRms` (0: off) */
  constructor(rmsWindow = 0) {
    this.#rmsWindow = rmsWindow;
    this.#recent = new SampleRing(Math.max(ANALYSIS_SAMPLES, rmsWindow));
  }
  /** @type {number|null|undefined} undefined: not computed since the last append */
  #dominantHz = undefined;

  /**
   * @param {Float32Array} samples
   * @param {number} atMs ms since the connection opened
   * @param {boolean} beforeUpdated
   */
  add(samples, atMs, beforeUpdated) {
    if (!this.#recent) return;
    this.#chunks += 1;
    if (this.#chunkSamples.length < MAX_LISTED_CHUNKS) this.#chunkSamples.push(samples.length);
    this.#samples += samples.length;
    for (const s of samples) this.#sumSquares += s * s;
    this.#firstAppendMs ??= atMs;
    this.#lastAppendMs = atMs;
    if (beforeUpdated) this.#appendsBeforeUpdated += 1;
    this.#recent.push(samples);
    this.#dominantHz = undefined;
  }

  /** Computes the final dominant frequency and frees the sample buffer (call when the connection closes). */
  release() {
    this.#dominantHz = this.#currentDominantHz();
    this.#windowRms = this.#currentWindowRms();
    this.#recent = null;
  }

  /**
   * @param {number|null} sessionUpdatedMs when realtime.session.updated was sent, ms since open
   * @returns {AudioSummary}
   */
  summary(sessionUpdatedMs) {
    const first = this.#firstAppendMs;
    return {
      chunks: this.#chunks,
      chunkSamples: [...this.#chunkSamples],
      samples: this.#samples,
      durationMs: this.#samples / (SAMPLE_RATE / 1000),
      rms: this.#samples === 0 ? 0 : Math.sqrt(this.#sumSquares / this.#samples),
      dominantHz: this.#currentDominantHz(),
      firstAppendMs: first,
      firstAppendAfterUpdatedMs: first === null || sessionUpdatedMs === null ? null : first - sessionUpdatedMs,
      appendsBeforeUpdated: this.#appendsBeforeUpdated,
      lastAppendMs: this.#lastAppendMs,
      windowRms: this.#currentWindowRms(),
    };
  }

  /** @returns {number|null} */
  #currentWindowRms() {
    if (!this.#recent) return this.#windowRms;
    if (!this.#rmsWindow || this.#samples < this.#rmsWindow) return null;
    const all = this.#recent.toArray();
    let sum = 0;
    for (let i = all.length - this.#rmsWindow; i < all.length; i++) sum += all[i] * all[i];
    return Math.sqrt(sum / this.#rmsWindow);
  }

  /** @returns {number|null} */
  #currentDominantHz() {
    if (this.#dominantHz === undefined && this.#recent) {
      const all = this.#recent.toArray();
      this.#dominantHz = dominantFrequency(all.subarray(Math.max(0, all.length - ANALYSIS_SAMPLES)), SAMPLE_RATE);
    }
    return this.#dominantHz ?? null;
  }
}

/**
 * Strongest frequency between minHz and maxHz: Hann window, zero-padded FFT, parabolic interpolation of the
 * log power around the peak bin.
 * @param {Float32Array} samples
 * @param {number} sampleRate
 * @param {number} [minHz]
 * @param {number} [maxHz]
 * @returns {number|null} Hz rounded to 0.01, or null for (near) silence or too little audio
 */
export function dominantFrequency(samples, sampleRate, minHz = MIN_HZ, maxHz = MAX_HZ) {
  const n = samples.length;
  if (n < 64) return null;
  const mean = samples.reduce((sum, s) => sum + s, 0) / n;
  const size = Math.max(MIN_FFT_SIZE, nextPowerOfTwo(n));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const value = samples[i] - mean;
    energy += value * value;
    re[i] = value * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  }
  if (Math.sqrt(energy / n) < SILENCE_RMS) return null;
  fft(re, im);
  const power = (/** @type {number} */ k) => re[k] * re[k] + im[k] * im[k];
  const low = Math.max(1, Math.ceil((minHz * size) / sampleRate));
  const high = Math.min(size / 2 - 1, Math.floor((maxHz * size) / sampleRate));
  let peak = low;
  for (let k = low + 1; k <= high; k++) if (power(k) > power(peak)) peak = k;
  const [a, b, c] = [peak - 1, peak, peak + 1].map((k) => Math.log(power(k) + 1e-30));
  const curvature = a - 2 * b + c;
  const offset = curvature < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature)) : 0;
  return Math.round(((peak + offset) * sampleRate * 100) / size) / 100;
}

/**
 * @param {number} n
 * @returns {number}
 */
function nextPowerOfTwo(n) {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/**
 * In-place iterative radix-2 FFT; the length must be a power of two.
 * @param {Float64Array} re
 * @param {Float64Array} im
 */
function fft(re, im) {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  for (let length = 2; length <= n; length *= 2) {
    const half = length / 2;
    const stride = n / length;
    for (let start = 0; start < n; start += length) {
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** @typedef {'speech_started'|'speech_stopped'} VadEvent */

/**
 * Energy VAD on 20 ms frames: speech once frame RMS stays above the threshold for 100 ms, silence once it
 * stays below for 500 ms. Driven by audio time, not wall-clock time, so faster-than-real-time input works.
 */
export class EnergyVad {
  #frameSamples;
  #threshold;
  #startFrames;
  #stopFrames;
  #frameSumSquares = 0;
  #frameFill = 0;
  #speaking = false;
  #run = 0; // consecutive frames that argue for switching state

  /**
   * @param {{frameMs?: number, threshold?: number, startMs?: number, stopMs?: number}} [options]
   */
  constructor({ frameMs = 20, threshold = 0.02, startMs = 100, stopMs = 500 } = {}) {
    this.#frameSamples = Math.round((frameMs * SAMPLE_RATE) / 1000);
    this.#threshold = threshold;
    this.#startFrames = Math.ceil(startMs / frameMs);
    this.#stopFrames = Math.ceil(stopMs / frameMs);
  }

  /**
   * @param {Float32Array} samples
   * @returns {VadEvent[]} state changes detected in this chunk, in order
   */
  push(samples) {
    /** @type {VadEvent[]} */
    const events = [];
    for (const s of samples) {
      this.#frameSumSquares += s * s;
      this.#frameFill += 1;
      if (this.#frameFill === this.#frameSamples) {
        const event = this.#onFrame(Math.sqrt(this.#frameSumSquares / this.#frameFill) > this.#threshold);
        if (event) events.push(event);
        this.#frameSumSquares = 0;
        this.#frameFill = 0;
      }
    }
    return events;
  }

  /**
   * @param {boolean} loud
   * @returns {VadEvent|null}
   */
  #onFrame(loud) {
    this.#run = loud !== this.#speaking ? this.#run + 1 : 0;
    if (this.#run < (this.#speaking ? this.#stopFrames : this.#startFrames)) return null;
    this.#speaking = !this.#speaking;
    this.#run = 0;
    return this.#speaking ? 'speech_started' : 'speech_stopped';
  }
}
