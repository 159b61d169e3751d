/**
 * Pure audio DSP core for the microphone uplink: resampling from the capture rate to the wire rate, float <-> PCM16
 * conversion and base64.
 *
 * Runs unchanged in the main thread and in the media worker, so it uses only what both have: typed arrays, `Math`,
 * `btoa` / `atob` (no timers or DOM).
 */

/** The NavTalk wire rate (Hz): PCM16 mono at 24 kHz, both ways. */
export const WIRE_RATE = 24000;

/**
 * Kernel phases per input sample; an output between two of them interpolates their results linearly. A multiple of
 * 80, 160 and 3, so that 44.1, 22.05 and 16 kHz → 24 kHz (and 48, 96 k → 24 k, 24 k → 48 k) only use exact phases.
 */
const PHASES = 480;

/** Design stop-band attenuation of the Kaiser window (dB). Measured rejection is reported by the tests. */
const STOPBAND_DB = 80;

/** Kaiser's empirical beta for `STOPBAND_DB` (> 50 dB branch): 0.1102 · (A − 8.7) ≈ 7.857. */
const KAISER_BETA = 0.1102 * (STOPBAND_DB - 8.7);

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > sum * 1e-17; k++) sum += term *= (x / 2 / k) ** 2;
  return sum;
}

/**
 * The low-pass kernel at phase `frac` (0 ≤ frac ≤ 1) of an input sample: 2·half taps, tap j for the input sample
 * 2·half − 1 − j before the newest one the output needs, normalised to unity DC gain; cutoff `w` in radians per input
 * sample.
 */
function kernel(frac: number, half: number, w: number): Float64Array {
  const row = new Float64Array(2 * half);
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    // The tap's time relative to the output's (which is its position − half).
    const t = frac + half - 1 - j;
    const window = besselI0(KAISER_BETA * Math.sqrt(1 - (t / half) ** 2));
    sum += row[j] = window * (t ? Math.sin(w * t) / (w * t) : 1);
  }
  return row.map((v) => v / sum);
}

/** The dot product of the input samples from `x[b]` on with the kernel row `h`. */
function dot(x: Float32Array, b: number, h: Float64Array): number {
  let acc = 0;
  for (let j = 0; j < h.length; j++) acc += x[b + j] * h[j];
  return acc;
}

/**
 * A streaming, anti-aliased sample-rate converter for mono Float32 audio, from any rate to any rate.
 *
 * **Filter.** A Kaiser-windowed sinc low-pass (β ≈ 7.86, designed for 80 dB stop band) with its −6 dB cutoff at
 * 11/12 of the lower Nyquist frequency fN = 0.5 · min(inRate, outRate), a transition band of fN/6 ending exactly at
 * fN, and `taps` = the Kaiser length estimate for that transition rounded up to an even count (122 taps at 48 kHz,
 * 112 at 44.1 kHz, 62 at 16 kHz, 242 at 96 kHz input; the kernel spans `taps` input samples). For a 24 kHz output
 * this gives a pass band flat to within ±0.001 dB up to 10 kHz (measured) and about 80 dB or more rejection of
 * everything at or above 12 kHz (everything that would fold back into 0–12 kHz; measured 84–112 dB for 12.5–20 kHz).
 * Every phase of the kernel is normalised to unity DC gain. The same kernel serves up-sampling (then it removes the
 * images above the input's Nyquist).
 *
 * **Polyphase.** Output sample n sits at input position n · inRate / outRate. The kernel is evaluated at 480 phases
 * per input sample (plus the wrap row), each row computed on first use and kept (an instance holds only the rows its
 * ratio uses: 1 for 48 k → 24 k, 80 for 44.1 k → 24 k). An output at one of those phases (every output for 48, 44.1,
 * 22.05, 16 and 96 kHz → 24 kHz, and 24 → 48 kHz) is one dot product; any other (e.g. 44 101 Hz → 24 kHz, or
 * 24 → 44.1 kHz) is interpolated linearly between the dot products of the two nearest phases. The position is
 * tracked with integers (index into the kept input + phase numerator over outRate), so there is no drift however
 * long it runs.
 *
 * **Cost.** Plain dot products, `taps` multiply-adds per output sample (twice that between phases): in Node, about
 * 100 times real time for 48 and 44.1 kHz → 24 kHz and 60 times for 24 → 44.1 kHz, so 1–2% of a core.
 *
 * **Streaming.** State (the input the next output needs, up to `taps` − 1 samples, and the phase) persists across
 * `process` calls, so any split of the input into blocks yields exactly the same output samples as one call. The
 * stream starts with a virtual history of `taps` − 1 zeros; after N input samples the total output count is
 * ceil(N·outRate/inRate) (that is, floor(N·outRate/inRate) or one more), i.e. output is emitted as soon as its newest
 * input sample is known.
 *
 * **Delay.** The filter is linear phase; its group delay is `taps/2` input samples, i.e. `latencySamples` output
 * samples (30.5 at 48 k→24 k ≈ 1.27 ms; 30.47 at 44.1 k→24 k). The last `latencySamples` of signal stay inside the
 * filter until more input (e.g. silence) is pushed.
 *
 * **Equal rates** are a pass-through: `process` returns a copy of the input, latency 0.
 *
 * Rates are rounded to integer Hz.
 */
export class StreamingResampler {
  /** Group delay of the filter in output samples (taps/2 input samples; may be fractional; 0 for a pass-through). */
  readonly latencySamples: number;

  /** Input rate (Hz, rounded): the position advances by this many 1/outRate-ths of an input sample per output. */
  readonly #in: number;
  /** Output rate (Hz, rounded). */
  readonly #out: number;
  /** Kernel length in input samples (0 for a pass-through). */
  readonly #taps: number;
  /**
   * The kernel row at phase r / PHASES, 0 ≤ r ≤ PHASES (row PHASES is row 0 one input sample later), computed on
   * first use and kept.
   */
  readonly #row: (r: number) => Float64Array;

  /** The input still needed, from the first sample the next output's kernel covers (at first `taps` − 1 zeros). */
  #buf!: Float32Array;
  /** Fractional position of the next output as a numerator over outRate, 0 ≤ phase < outRate. */
  #phase!: number;

  /**
   * @param inRate  rate of the audio passed to `process` (e.g. `AudioContext.sampleRate`).
   * @param outRate rate of the audio returned (default 24000, the NavTalk uplink rate).
   * @throws RangeError when a rate is not a finite number ≥ 1.
   */
  constructor(inRate: number, outRate: number = WIRE_RATE) {
    if (!(Math.min(inRate, outRate) >= 1 && Number.isFinite(inRate * outRate))) {
      throw new RangeError(`invalid sample rates ${inRate} -> ${outRate}`);
    }
    const M = (this.#in = Math.round(inRate));
    const L = (this.#out = Math.round(outRate));
    const min = Math.min(M, L);

    // Design in units of input samples. Kaiser's length estimate for the transition width df = (fN/6) / inRate
    // cycles per input sample: order = (A − 7.95) / (2.285 · 2π · df); taps = order + 1 rounded up to even, i.e.
    // half = ceil((order + 1) / 2) with order / 2 = 3 · (A − 7.95) · inRate / (2.285 · π · min(inRate, outRate)).
    const half = M === L ? 0 : Math.ceil((3 * (STOPBAND_DB - 7.95) * M) / (2.285 * Math.PI * min) + 0.5);
    this.#taps = 2 * half;
    this.latencySamples = (half * L) / M;
    // The −6 dB cutoff at 11/12 of fN, as an angular frequency per input sample.
    const w = (Math.PI * 11 * min) / 12 / M;
    const rows: Float64Array[] = [];
    this.#row = (r) => (rows[r] ??= kernel(r / PHASES, half, w));
    this.reset();
  }

  /** Forget all history, as if freshly constructed (the next input starts a new stream). */
  reset(): void {
    // Output 0 sits at input 0: its kernel covers taps − 1 samples of virtual history before it.
    this.#buf = new Float32Array(Math.max(0, this.#taps - 1));
    this.#phase = 0;
  }

  /**
   * Feed the next block of input (any length, including 0) and get every output sample that became computable.
   * Returns a new array each call (the caller may keep or transfer it); the input is not retained or modified.
   */
  process(input: Float32Array): Float32Array {
    const L = this.#out;
    const M = this.#in;
    if (M === L) return input.slice();
    const K = this.#taps;
    const kept = this.#buf;
    const buf = new Float32Array(kept.length + input.length);
    buf.set(kept);
    buf.set(input, kept.length);

    // Every output whose K kernel samples, from buf[b] on, are all known.
    let p = this.#phase;
    let b = 0;
    const out: number[] = [];
    const row = this.#row;
    while (b + K <= buf.length) {
      const pos = (p * PHASES) / L;
      const r = Math.floor(pos);
      const a = pos - r;
      const s0 = dot(buf, b, row(r));
      out.push(a ? s0 + a * (dot(buf, b, row(r + 1)) - s0) : s0);
      p += M;
      b += Math.floor(p / L);
      p %= L;
    }
    // The next output's kernel starts at most one step (≤ taps samples) after the last one's: within buf.
    this.#buf = buf.subarray(b);
    this.#phase = p;
    return new Float32Array(out);
  }
}

/**
 * A float sample → its PCM16 value (to store in an Int16Array). The sample is clamped to [−1, 1] and scaled
 * asymmetrically so both ends of the Int16 range are reachable: positive values × 32767, negative values × 32768 (so
 * 1.0 → 32767, −1.0 → −32768, 2.0 → 32767, −2.0 → −32768), then rounded to nearest (halves away from zero) by the
 * store. NaN stays NaN, which an Int16Array stores as 0.
 */
export function toPcm16(sample: number): number {
  // Int16Array stores truncate toward zero, so ±0.5 first rounds half away from zero (and 1 → 32767.5 → 32767).
  const v = Math.max(-1, Math.min(1, sample));
  return v < 0 ? v * 32768 - 0.5 : v * 32767 + 0.5;
}

/**
 * PCM16 → float in [−1, 1], the exact inverse of `toPcm16`'s scaling: negative samples / 32768, positive ones
 * / 32767 (so −32768 → −1, 32767 → 1, and a float → PCM16 → float → PCM16 round trip is lossless).
 */
export function pcm16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < out.length; i++) out[i] = input[i] / (input[i] < 0 ? 32768 : 32767);
  return out;
}

/** Bytes per `String.fromCharCode` call (well under engines' argument limits). */
const B64_CHUNK_BYTES = 8192;

/**
 * Base64 → bytes (standard alphabet). Accepts padded input (length a multiple of 4, up to two trailing `=`) and
 * unpadded input (length ≡ 2 or 3 mod 4). No whitespace or URL-safe characters.
 *
 * @throws RangeError on a character outside the alphabet, `=` anywhere but the end, or an impossible length.
 */
export function base64ToBytes(b64: string): Uint8Array {
  try {
    // atob would also skip whitespace; everything else it rejects is what is rejected here.
    if (!/\s/.test(b64)) {
      const binary = atob(b64);
      const out = new Uint8Array(binary.length);
      for (let i = 0; i < out.length; i++) out[i] = binary.charCodeAt(i);
      return out;
    }
  } catch {
    // atob threw: rejected below.
  }
  throw new RangeError('invalid base64');
}

/**
 * PCM16 samples → base64 of their little-endian bytes (what the NavTalk uplink expects), read in place: every
 * browser stores typed arrays little-endian. Works on any view (non-zero `byteOffset`, shared buffers): only the
 * view's own bytes are encoded. Standard alphabet (`A–Z a–z 0–9 + /`) with `=` padding: `btoa` over the bytes as a
 * binary string, built 8192 bytes per call (spreading a large input into one call would overflow the stack).
 */
export function pcm16ToBase64(samples: Int16Array): string {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += B64_CHUNK_BYTES) {
    binary += String.fromCharCode(...bytes.subarray(i, i + B64_CHUNK_BYTES));
  }
  return btoa(binary);
}

/** Root mean square of float samples; 0 for an empty input. */
export function rms(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return x.length && Math.sqrt(sum / x.length);
}
