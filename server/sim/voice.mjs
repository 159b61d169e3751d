/**
 * @file The avatar's synthetic voice for the WebRTC audio track: speech-like audio per transcript word
 * (48 kHz mono PCM16), a queue that plays it out in 10 ms frames, and the loudness of what was just sent
 * (which drives the drawn mouth).
 */

export const VOICE_RATE = 48000;
export const FRAME_SAMPLES = VOICE_RATE / 100; // 10 ms
const LEVEL_FRAMES = 4; // loudness window: the last 40 ms sent

const MS_PER_CHAR = 70;
const MIN_VOICED_MS = 160;
const MAX_VOICED_MS = 900;
const GAP_MS = 60; // silence after each word, so the mouth closes between words
const ATTACK_MS = 20;
const RELEASE_MS = 40;
const MS_PER_SYLLABLE = 210;
const PEAK = 0.35; // of full scale
const HARMONICS = [1, 0.6, 0.35, 0.2]; // relative amplitudes of f0, 2·f0, 3·f0, 4·f0
const HARMONIC_SUM = HARMONICS.reduce((sum, a) => sum + a, 0);
const SILENT_FRAME = new Int16Array(FRAME_SAMPLES);

/**
 * Letters and digits in a transcript piece (punctuation and spaces are not spoken).
 * @param {string} word
 * @returns {number}
 */
function spokenChars(word) {
  return word.replace(/[^\p{L}\p{N}]/gu, '').length;
}

/**
 * @param {string} word
 * @returns {number} ms of sound (0 for punctuation only)
 */
function voicedMs(word) {
  const chars = spokenChars(word);
  return chars === 0 ? 0 : Math.min(MAX_VOICED_MS, Math.max(MIN_VOICED_MS, chars * MS_PER_CHAR));
}

/**
 * How long the voice takes to say a transcript piece, the gap after it included.
 * @param {string} word
 * @returns {number} ms, a multiple of 10
 */
export function wordDurationMs(word) {
  return Math.round((voicedMs(word) + GAP_MS) / 10) * 10;
}

/**
 * A small deterministic hash, so a word always gets the same pitch.
 * @param {string} text
 * @returns {number} 0 … 2³²−1
 */
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Speech-like audio for one word: a voiced tone at 120–200 Hz with four harmonics and a falling pitch, under
 * a word envelope (attack, release, then a short gap) and a syllable-rate amplitude modulation.
 * @param {string} word a transcript piece
 * @param {number} index its position in the reply (varies the pitch)
 * @returns {Int16Array} 48 kHz mono, `wordDurationMs(word)` long
 */
export function synthesizeWord(word, index) {
  const total = (wordDurationMs(word) * VOICE_RATE) / 1000;
  const voiced = Math.min(total, Math.round((voicedMs(word) * VOICE_RATE) / 1000));
  const out = new Int16Array(total);
  if (voiced === 0) return out;
  const f0 = 120 + ((hash(word.trim().toLowerCase()) + index * 29) % 81);
  const syllables = Math.max(1, Math.round((voiced * 1000) / VOICE_RATE / MS_PER_SYLLABLE));
  const attack = (ATTACK_MS * VOICE_RATE) / 1000;
  const release = (RELEASE_MS * VOICE_RATE) / 1000;
  let phase = 0;
  for (let i = 0; i < voiced; i++) {
    const progress = i / voiced;
    phase += (2 * Math.PI * f0 * (1.06 - 0.12 * progress)) / VOICE_RATE;
    let tone = 0;
    for (let h = 0; h < HARMONICS.length; h++) tone += HARMONICS[h] * Math.sin((h + 1) * phase);
    const envelope = Math.min(1, i / attack, (voiced - i) / release);
    const syllable = 0.3 + 0.7 * Math.abs(Math.sin(Math.PI * syllables * progress));
    out[i] = Math.round(32767 * PEAK * envelope * syllable * (tone / HARMONIC_SUM));
  }
  return out;
}

/**
 * Queued voice played out one 10 ms frame at a time; silence when empty. Also measures the RMS of the
 * last 40 ms it handed out.
 */
export class VoiceQueue {
  /** @type {Int16Array[]} */
  #chunks = [];
  #offset = 0; // read position in #chunks[0]
  #energies = new Float64Array(LEVEL_FRAMES); // sum of squares (full scale 1) of the latest frames
  #energyIndex = 0;

  /** @param {Int16Array} samples */
  push(samples) {
    if (samples.length > 0) this.#chunks.push(samples);
  }

  /** Drops everything queued (barge-in). */
  clear() {
    this.#chunks = [];
    this.#offset = 0;
  }

  /**
   * The next 10 ms to send.
   * @returns {Int16Array} FRAME_SAMPLES samples; a shared all-zero array when nothing is queued (do not write to it)
   */
  nextFrame() {
    if (this.#chunks.length === 0) {
      this.#record(0);
      return SILENT_FRAME;
    }
    const frame = new Int16Array(FRAME_SAMPLES);
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.#chunks.length > 0) {
      const chunk = this.#chunks[0];
      const take = Math.min(FRAME_SAMPLES - filled, chunk.length - this.#offset);
      frame.set(chunk.subarray(this.#offset, this.#offset + take), filled);
      filled += take;
      this.#offset += take;
      if (this.#offset === chunk.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    let energy = 0;
    for (let i = 0; i < FRAME_SAMPLES; i++) energy += (frame[i] / 32768) ** 2;
    this.#record(energy);
    return frame;
  }

  /** @returns {number} RMS (0…1 of full scale) of the last 40 ms handed out */
  level() {
    let sum = 0;
    for (const energy of this.#energies) sum += energy;
    return Math.sqrt(sum / (LEVEL_FRAMES * FRAME_SAMPLES));
  }

  /** @param {number} energy */
  #record(energy) {
    this.#energies[this.#energyIndex] = energy;
    this.#energyIndex = (this.#energyIndex + 1) % LEVEL_FRAMES;
  }
}
