/**
 * Pure audio DSP core for the microphone uplink: resampling from the capture rate to the wire rate, float <-> PCM16
 * conversion, base64 and fixed-length chunking.
 *
 * Runs unchanged in the main thread and in the media worker, so it uses only what both have: typed arrays, `Math`,
 * `btoa` / `atob` (no timers or DOM).
 */

/** The NavTalk wire rate (Hz): PCM16 mono at 24 kHz, both ways. */
export const WIRE_RATE = 24000;

/** Rational polyphase tables are used when the interpolation factor L = outRate / gcd is at most this. */
const MAX_RATIONAL_PHASES = 320;

/** Phase count of the fractional (linearly interpolated) table used for awkward rate ratios. */
const FRACTIONAL_PHASES = 256;

/** Design stop-band attenuation of the Kaiser window (dB). Measured rejection is reported by the tests. */
const STOPBAND_DB = 80;

/** Kaiser's empirical beta for `STOPBAND_DB` (> 50 dB branch): 0.1102 · (A − 8.7) ≈ 7.857. */
const KAISER_BETA = 0.1102 * (STOPBAND_DB - 8.7);

/**
 * Transition band width as a fraction of the lower Nyquist frequency fN = 0.5 · min(inRate, outRate). The pass
 * band ends at fN · (1 − 1/6) and the stop band starts at fN, so nothing that would alias survives: for a 24 kHz
 * output fN = 12 kHz, the pass band is 0–10 kHz, the −6 dB cutoff 11 kHz and the stop band ≥ 12 kHz.
 */
const TRANSITION_FRACTION = 1 / 6;

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function checkRate(rate: number, name: string): number {
  if (!Number.isFinite(rate) || rate < 1) {
    throw new RangeError(`${name} must be a finite sample rate >= 1 Hz, got ${rate}`);
  }
  return Math.round(rate);
}

/**
 * A streaming, anti-aliased sample-rate converter for mono Float32 audio, from any rate to any rate.
 *
 * **Filter.** A Kaiser-windowed sinc low-pass (β ≈ 7.86, designed for 80 dB stop band) with its −6 dB cutoff at
 * 11/12 of the lower Nyquist frequency fN = 0.5 · min(inRate, outRate), a transition band of fN/6 ending exactly at
 * fN, and `taps` = the Kaiser length estimate for that transition rounded up to an even count (122 taps at 48 kHz,
 * 112 at 44.1 kHz, 62 at 16 kHz, 242 at 96 kHz input; the kernel spans `taps` input samples). For a 24 kHz output
 * this gives a pass band flat to within ±0.001 dB up to 10 kHz (measured) and about 80 dB or more rejection of
 * everything at or above 12 kHz (everything that would fold back into 0–12 kHz; measured 84–120 dB for 12.5–20 kHz). Every phase of the kernel is normalised to unity
 * DC gain. The same kernel serves up-sampling (then it removes the images above the input's Nyquist).
 *
 * **Polyphase.** With g = gcd(inRate, outRate), L = outRate/g and M = inRate/g, output sample n sits at input
 * position n·M/L. When L ≤ 320 (48 k→24 k: L = 1; 44.1 k→24 k: L = 80; 22.05 k→24 k: L = 160; 16 k→24 k: L = 3)
 * a table of L exact phases is used. Otherwise (e.g. 44 101 Hz → 24 kHz) the phase is interpolated linearly between
 * the two nearest of 257 precomputed phases (256 per input sample, plus the wrap row). The position is tracked with
 * integers (integer part + phase numerator modulo L), so there is no drift however long it runs.
 *
 * **Cost.** Plain dot products, `taps` multiply-adds per output sample (one row, or two in fractional mode): over 100
 * times real time for 48 kHz input, so well under 1% of a core.
 *
 * **Streaming.** State (the last `taps` − 1 input samples and the phase) persists across `process` calls, so any
 * split of the input into blocks yields exactly the same output samples as one call. The stream starts with a
 * virtual history of zeros; after N input samples the total output count is ceil(N·outRate/inRate) (that is,
 * floor(N·outRate/inRate) or one more), i.e. output is emitted as soon as its newest input sample is known.
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
  /** Input sample rate (Hz, rounded to an integer). */
  readonly inRate: number;
  /** Output sample rate (Hz, rounded to an integer). */
  readonly outRate: number;
  /** Kernel length in input samples (0 for a pass-through). */
  readonly taps: number;
  /** Number of precomputed kernel phases: L in rational mode, 256 in fractional mode, 0 for a pass-through. */
  readonly phases: number;
  /** Kaiser window β of the kernel (0 for a pass-through). */
  readonly kaiserBeta: number;

  readonly #passThrough: boolean;
  readonly #fractional: boolean;
  /** Interpolation factor L = outRate / g. */
  readonly #up: number;
  /** Decimation factor M = inRate / g. */
  readonly #down: number;
  /** floor(M / L): whole input samples advanced per output sample. */
  readonly #stepInt: number;
  /** M mod L: phase numerator advanced per output sample. */
  readonly #stepFrac: number;
  /** Kernel rows of `taps` coefficients each: L rows (rational) or 257 rows (fractional). */
  readonly #table: Float64Array;

  /** The input still needed: buf[i] holds absolute input sample bufStart + i (negative indices are the zero prelude). */
  #buf = new Float32Array(0);
  #bufStart = 0;
  /** Absolute input index of the newest sample output `next` needs (integer part of its position). */
  #nextIdx = 0;
  /** Fractional position of the next output as a numerator over L, 0 ≤ phase < L. */
  #phase = 0;

  /**
   * @param inRate  rate of the audio passed to `process` (e.g. `AudioContext.sampleRate`).
   * @param outRate rate of the audio returned (default 24000, the NavTalk uplink rate).
   * @throws RangeError when a rate is not a finite number ≥ 1.
   */
  constructor(inRate: number, outRate: number = WIRE_RATE) {
    inRate = this.inRate = checkRate(inRate, 'inRate');
    outRate = this.outRate = checkRate(outRate, 'outRate');
    const g = gcd(inRate, outRate);
    const up = (this.#up = outRate / g);
    const down = (this.#down = inRate / g);
    this.#stepInt = Math.floor(down / up);
    this.#stepFrac = down % up;
    this.#passThrough = inRate === outRate;
    const fractional = (this.#fractional = up > MAX_RATIONAL_PHASES);

    if (this.#passThrough) {
      this.taps = this.phases = this.kaiserBeta = 0;
      this.#table = new Float64Array(0);
      return;
    }

    // Design in units of input samples: cutoff fc and transition width df in cycles per input sample.
    const nyquist = 0.5 * Math.min(inRate, outRate);
    const df = (nyquist * TRANSITION_FRACTION) / inRate;
    const fc = (nyquist * (1 - TRANSITION_FRACTION / 2)) / inRate;
    // Kaiser's length estimate: order = (A − 7.95) / (2.285 · Δω); taps = order + 1, rounded up to even.
    let taps = Math.ceil((STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * df)) + 1;
    if (taps % 2 !== 0) taps++;
    this.taps = taps;
    this.kaiserBeta = KAISER_BETA;
    const phases = (this.phases = fractional ? FRACTIONAL_PHASES : up);

    // One row per phase, plus (fractional) the wrap row for interpolating past the last phase.
    const rows = fractional ? phases + 1 : phases;
    const table = (this.#table = new Float64Array(rows * taps));
    const half = taps / 2;
    const i0Beta = besselI0(KAISER_BETA);
    for (let r = 0; r < rows; r++) {
      const frac = r / phases;
      const base = r * taps;
      let sum = 0;
      for (let j = 0; j < taps; j++) {
        // Tap j multiplies input sample floor(pos) − taps + 1 + j; the output's time is pos − taps/2.
        const t = frac + half - 1 - j;
        let v = 0;
        if (Math.abs(t) < half) {
          const u = t / half;
          const w = besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / i0Beta;
          const x = Math.PI * 2 * fc * t;
          v = 2 * fc * (x === 0 ? 1 : Math.sin(x) / x) * w;
        }
        table[base + j] = v;
        sum += v;
      }
      for (let j = 0; j < taps; j++) table[base + j] /= sum;
    }
    this.reset();
  }

  /** Group delay of the filter in output samples (taps/2 input samples; may be fractional; 0 for a pass-through). */
  get latencySamples(): number {
    return ((this.taps / 2) * this.outRate) / this.inRate;
  }

  /** Forget all history, as if freshly constructed (the next input starts a new stream). */
  reset(): void {
    if (this.#passThrough) return;
    this.#buf = new Float32Array(this.taps - 1);
    this.#bufStart = 1 - this.taps;
    this.#nextIdx = 0;
    this.#phase = 0;
  }

  /**
   * Feed the next block of input (any length, including 0) and get every output sample that became computable.
   * Returns a new array each call (the caller may keep or transfer it); the input is not retained or modified.
   */
  process(input: Float32Array): Float32Array {
    if (this.#passThrough) return input.slice();
    const K = this.taps;

    // Keep what future output needs (from nextIdx − K + 1 on) and append the input, in a new array (a block's worth).
    const old = this.#buf;
    const kept = old.subarray(Math.max(0, this.#nextIdx - K + 1 - this.#bufStart));
    this.#bufStart += old.length - kept.length;
    const buf = (this.#buf = new Float32Array(kept.length + input.length));
    buf.set(kept);
    buf.set(input, kept.length);

    // Output k (k = 0, 1, …) needs input nextIdx + floor((phase + k·M) / L) ≤ last.
    const L = this.#up;
    const M = this.#down;
    const avail = this.#bufStart + buf.length - this.#nextIdx;
    const count = avail > 0 ? Math.floor((avail * L - this.#phase + M - 1) / M) : 0;
    const out = new Float32Array(count);
    if (count === 0) return out;

    const table = this.#table;
    const start = this.#bufStart;
    const si = this.#stepInt;
    const sf = this.#stepFrac;
    const fractional = this.#fractional;
    const scale = FRACTIONAL_PHASES / L;
    let idx = this.#nextIdx;
    let p = this.#phase;
    for (let o = 0; o < count; o++) {
      const b = idx - K + 1 - start;
      if (!fractional) {
        const c = p * K;
        let acc = 0;
        for (let j = 0; j < K; j++) acc += buf[b + j] * table[c + j];
        out[o] = acc;
      } else {
        // Between the two nearest of the 256 phases, linearly.
        const pos = p * scale;
        const r = Math.floor(pos);
        const a = pos - r;
        const c0 = r * K;
        const c1 = c0 + K;
        let s0 = 0;
        let s1 = 0;
        for (let j = 0; j < K; j++) {
          const x = buf[b + j];
          s0 += x * table[c0 + j];
          s1 += x * table[c1 + j];
        }
        out[o] = s0 + a * (s1 - s0);
      }
      idx += si;
      p += sf;
      if (p >= L) {
        p -= L;
        idx++;
      }
    }
    this.#nextIdx = idx;
    this.#phase = p;
    return out;
  }
}

/** `out` when it has exactly `n` elements, its first `n` when it has more, else a new array of `n`. */
function fit<T extends Int16Array | Float32Array>(n: number, out: T | undefined, make: (n: number) => T): T {
  return out && out.length >= n ? (out.length === n ? out : (out.subarray(0, n) as T)) : make(n);
}

/**
 * Float samples → PCM16. Each sample is clamped to [−1, 1] and scaled asymmetrically so both ends of the Int16
 * range are reachable: positive values × 32767, negative values × 32768 (so 1.0 → 32767, −1.0 → −32768, 2.0 → 32767,
 * −2.0 → −32768), then rounded to nearest (halves away from zero). NaN → 0.
 *
 * @param out reused when it holds at least `input.length` samples; the result is then `out.subarray(0, input.length)`.
 *            Otherwise a new array is allocated.
 */
export function floatToPcm16(input: Float32Array, out?: Int16Array): Int16Array {
  const n = input.length;
  const dst = fit(n, out, (len) => new Int16Array(len));
  for (let i = 0; i < n; i++) {
    // NaN stays NaN through the clamp and is stored as 0. Int16Array stores truncate toward zero, so ±0.5 first
    // rounds half away from zero (and 1 → 32767.5 → 32767).
    const v = Math.max(-1, Math.min(1, input[i]));
    dst[i] = v < 0 ? v * 32768 - 0.5 : v * 32767 + 0.5;
  }
  return dst;
}

/**
 * PCM16 → float in [−1, 1], the exact inverse of `floatToPcm16`'s scaling: negative samples / 32768, positive ones
 * / 32767 (so −32768 → −1, 32767 → 1, and a float → PCM16 → float → PCM16 round trip is lossless).
 *
 * @param out reused when it holds at least `input.length` samples (result is `out.subarray(0, input.length)`).
 */
export function pcm16ToFloat(input: Int16Array, out?: Float32Array): Float32Array {
  const n = input.length;
  const dst = fit(n, out, (len) => new Float32Array(len));
  for (let i = 0; i < n; i++) {
    const v = input[i];
    dst[i] = v / (v < 0 ? 32768 : 32767);
  }
  return dst;
}

/** Bytes per `String.fromCharCode.apply` call (well under engines' argument limits). */
const B64_CHUNK_BYTES = 8192;

/**
 * Bytes → base64, standard alphabet (`A–Z a–z 0–9 + /`) with `=` padding: `btoa` over the bytes as a binary string,
 * built 8192 bytes per call (spreading a large input into one call would overflow the stack).
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += B64_CHUNK_BYTES) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + B64_CHUNK_BYTES) as unknown as number[]);
  }
  return btoa(binary);
}

/**
 * Base64 → bytes (standard alphabet). Accepts padded input (length a multiple of 4, up to two trailing `=`) and
 * unpadded input (length ≡ 2 or 3 mod 4). No whitespace or URL-safe characters.
 *
 * @throws RangeError on a character outside the alphabet, `=` anywhere but the end, or an impossible length.
 */
export function base64ToBytes(b64: string): Uint8Array {
  let binary: string | undefined;
  try {
    // atob would also skip whitespace; everything else it rejects is what is rejected here.
    binary = /\s/.test(b64) ? undefined : atob(b64);
  } catch {
    binary = undefined;
  }
  if (binary === undefined) throw new RangeError('invalid base64');
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < out.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * PCM16 samples → base64 of their little-endian bytes (what the NavTalk uplink expects), read in place: every
 * browser stores typed arrays little-endian. Works on any view (non-zero `byteOffset`, shared buffers): only the
 * view's own bytes are encoded.
 */
export function pcm16ToBase64(samples: Int16Array): string {
  return bytesToBase64(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
}

/**
 * Cuts a PCM16 stream into chunks of exactly `chunkSamples` samples. `push` returns every chunk completed by the
 * new samples (each a fresh array with its own buffer, safe to transfer) and keeps the remainder; `flush` hands over
 * the remainder. Every sample is copied exactly once; none is lost, duplicated or reordered.
 */
export class PcmChunker {
  /** Samples per chunk. */
  readonly chunkSamples: number;
  /** The chunk being filled: emitted itself once full, then replaced by a new one. */
  #pending: Int16Array;
  #fill = 0;

  /** @throws RangeError unless `chunkSamples` is a positive integer. */
  constructor(chunkSamples: number) {
    if (!Number.isInteger(chunkSamples) || chunkSamples < 1) {
      throw new RangeError(`chunkSamples must be a positive integer, got ${chunkSamples}`);
    }
    this.chunkSamples = chunkSamples;
    this.#pending = new Int16Array(chunkSamples);
  }

  /** Samples held back, waiting for a chunk to complete (0 ≤ buffered < chunkSamples). */
  get buffered(): number {
    return this.#fill;
  }

  /** Append samples (not retained: they are copied); returns the chunks they completed, oldest first (maybe none). */
  push(samples: Int16Array): Int16Array[] {
    const chunks: Int16Array[] = [];
    const size = this.chunkSamples;
    for (let offset = 0; offset < samples.length; ) {
      const take = Math.min(size - this.#fill, samples.length - offset);
      this.#pending.set(samples.subarray(offset, offset + take), this.#fill);
      offset += take;
      this.#fill += take;
      if (this.#fill === size) {
        chunks.push(this.#pending);
        this.#pending = new Int16Array(size);
        this.#fill = 0;
      }
    }
    return chunks;
  }

  /** The buffered remainder as a fresh array of exactly `buffered` samples (then empties), or undefined if none. */
  flush(): Int16Array | undefined {
    const rest = this.#fill ? this.#pending.slice(0, this.#fill) : undefined;
    this.#fill = 0;
    return rest;
  }
}

/** Root mean square on a 0..1 scale (Int16 samples are scaled by 1/32768); 0 for an empty input. */
export function rms(x: Float32Array | Int16Array): number {
  if (!x.length) return 0;
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum / x.length) / (x instanceof Int16Array ? 32768 : 1);
}

/** Number of samples in `ms` milliseconds at `rate` Hz (default 24000), rounded to the nearest integer. */
export function samplesForMs(ms: number, rate: number = WIRE_RATE): number {
  return Math.round((ms * rate) / 1000);
}
