import { expect } from '@open-wc/testing';
import { StreamingResampler, base64ToBytes, pcm16ToBase64, pcm16ToFloat, rms, toPcm16 } from '../../src/audio/pcm.js';
import type { EncodedChunk, EncoderStats } from '../../src/worker/media-worker.js';
import { pcmEncoder } from '../../src/worker/media-worker.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const db = (ratio: number) => 20 * Math.log10(ratio);

const sine = (rate: number, freq: number, amp: number, seconds: number) => {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
};

/**
 * Amplitude of the `freq` component of y[start, start+len) by correlation with cos/sin, plus the RMS of what is left
 * after subtracting that fitted sinusoid. With len = one second at an integer-Hz tone, the window holds a whole
 * number of cycles, so the correlation is exact (no leakage).
 */
const measureTone = (y: Float32Array, rate: number, freq: number, start: number, len: number) => {
  let i = 0;
  let q = 0;
  for (let k = start; k < start + len; k++) {
    const ph = (2 * Math.PI * freq * k) / rate;
    i += y[k] * Math.cos(ph);
    q += y[k] * Math.sin(ph);
  }
  const ci = (2 * i) / len;
  const cq = (2 * q) / len;
  let residual = 0;
  let total = 0;
  for (let k = start; k < start + len; k++) {
    const ph = (2 * Math.PI * freq * k) / rate;
    const e = y[k] - ci * Math.cos(ph) - cq * Math.sin(ph);
    residual += e * e;
    total += y[k] * y[k];
  }
  return { amp: Math.hypot(ci, cq), residualRms: Math.sqrt(residual / len), rms: Math.sqrt(total / len) };
};

const OUT = 24000;
const SKIP = 2400; // 100 ms of output: far beyond the filter delay (~30 samples)
const WIN = OUT; // exactly one second: an integer number of cycles for every integer-Hz tone

/** Resample a 1.2 s tone of amplitude 0.5 in blocks of 480. */
const resampleSine = (inRate: number, freq: number) => {
  const x = sine(inRate, freq, 0.5, 1.2);
  const r = new StreamingResampler(inRate, OUT);
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += 480) parts.push(r.process(x.subarray(i, i + 480)));
  const y = concatF32(parts);
  expect(y.length).to.be.at.least(SKIP + WIN);
  return y;
};

/** Resample a tone of amplitude 0.5 and measure the output at `measureAt` Hz. */
const resampleTone = (inRate: number, freq: number, measureAt: number) =>
  measureTone(resampleSine(inRate, freq), OUT, measureAt, SKIP, WIN);

const concatF32 = (parts: Float32Array[]) => {
  const y = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    y.set(p, o);
    o += p.length;
  }
  return y;
};

const concatI16 = (parts: Int16Array[]) => {
  const y = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    y.set(p, o);
    o += p.length;
  }
  return y;
};

/** Reference: btoa over a binary string built in chunks (spreading 1 MB of arguments would overflow the stack). */
const refBase64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return btoa(s);
};

describe('StreamingResampler', () => {
  it('describes its filter design: group delay taps/2 input samples', () => {
    // Taps (the kernel length in input samples) per input rate, for a 24 kHz output; 44101 Hz is an awkward ratio.
    for (const [rate, taps] of [
      [48000, 122],
      [44100, 112],
      [22050, 62],
      [16000, 62],
      [96000, 242],
      [44101, 112],
    ] as const) {
      const r = new StreamingResampler(rate);
      expect(r.latencySamples, String(rate)).to.be.closeTo(((taps / 2) * 24000) / rate, 1e-9);
    }
    // Up-sampling (the player, 24 kHz → device rate): the kernel is designed for the 12 kHz input Nyquist.
    expect(new StreamingResampler(24000, 48000).latencySamples).to.be.closeTo((31 * 48000) / 24000, 1e-9);
    const r48 = new StreamingResampler(48000);
    const r44 = new StreamingResampler(44100);
    console.log(`resampler design: latency 48k→24k ${r48.latencySamples} out samples, 44.1k→24k ${r44.latencySamples.toFixed(2)}`);
  });

  it('rejects invalid rates', () => {
    expect(() => new StreamingResampler(0)).to.throw(RangeError);
    expect(() => new StreamingResampler(Number.NaN)).to.throw(RangeError);
    expect(() => new StreamingResampler(48000, -1)).to.throw(RangeError);
    expect(() => new StreamingResampler(Infinity)).to.throw(RangeError);
  });

  for (const inRate of [48000, 44100, 44101]) {
    it(`keeps the pass band flat (±0.5 dB, 100 Hz–10 kHz) and on frequency at ${inRate} Hz input`, () => {
      const gains: string[] = [];
      let worst = 0;
      for (const f of [100, 1000, 5000, 8000, 10000]) {
        const y = resampleSine(inRate, f);
        const m = measureTone(y, OUT, f, SKIP, WIN);
        const g = db(m.amp / 0.5);
        worst = Math.max(worst, Math.abs(g));
        gains.push(`${f} Hz ${g >= 0 ? '+' : ''}${g.toFixed(4)} dB`);
        expect(g, `${f} Hz gain`).to.be.within(-0.5, 0.5);
        // All of the output is at f: what remains after removing the fitted sinusoid is ≥ 60 dB down…
        expect(db(m.residualRms / m.rms), `${f} Hz residual`).to.be.below(-60);
        // …and correlating 5 Hz away finds (almost) nothing.
        expect(db(measureTone(y, OUT, f + 5, SKIP, WIN).amp / 0.5), `${f} Hz at f+5`).to.be.below(-60);
      }
      console.log(`resampler pass band ${inRate}→24000: ${gains.join(', ')}; worst |gain| ${worst.toFixed(4)} dB`);
    });
  }

  for (const [inRate, f] of [
    [48000, 20000],
    [48000, 14000],
    [48000, 16000],
    [48000, 12500],
    [44100, 20000],
    [44100, 14000],
    [44101, 20000],
    [96000, 30000],
  ] as const) {
    it(`rejects a ${f} Hz tone at ${inRate} Hz input (would alias to ${OUT - f > 0 ? OUT - f : f - OUT} Hz) by ≥ 50 dB`, () => {
      const alias = Math.abs(OUT - f) % OUT; // 20 kHz → 4 kHz, 14 kHz → 10 kHz, 16 kHz → 8 kHz, 30 kHz → 6 kHz
      const m = resampleTone(inRate, f, alias);
      const atAlias = db(m.amp / 0.5);
      const total = db(m.rms / (0.5 / Math.SQRT2)); // output RMS against the input RMS
      console.log(`resampler alias rejection ${inRate}→24000, ${f} Hz: at ${alias} Hz ${atAlias.toFixed(1)} dB, total ${total.toFixed(1)} dB`);
      expect(atAlias).to.be.below(-50);
      expect(total).to.be.below(-50);
    });
  }

  it('up-samples too (16 kHz → 24 kHz): 1 kHz passes, the 15 kHz image is gone', () => {
    const m = resampleTone(16000, 1000, 1000);
    expect(db(m.amp / 0.5)).to.be.within(-0.5, 0.5);
    expect(db(m.residualRms / m.rms)).to.be.below(-60);
    const image = resampleTone(16000, 1000, 15000);
    expect(db(image.amp / 0.5)).to.be.below(-60);
  });

  // Down to the wire rate (the microphone), and up from it (the player, 24 kHz → device rate).
  for (const [inRate, outRate] of [
    [48000, OUT],
    [44100, OUT],
    [44101, OUT],
    [16000, OUT],
    [96000, OUT],
    [OUT, 44100],
    [OUT, 48000],
  ]) {
    it(`gives the same samples for any block size at ${inRate} → ${outRate} Hz`, () => {
      const rnd = prng(inRate);
      const x = new Float32Array(inRate); // 1 s of noise
      for (let i = 0; i < x.length; i++) x[i] = rnd() * 2 - 1;
      const whole = new StreamingResampler(inRate, outRate).process(x);
      expect(whole.length).to.be.within(outRate - 1, outRate + 1);
      const sizes: (number | 'random')[] = [1, 7, 128, 480, 4096, 'random'];
      for (const size of sizes) {
        const r = new StreamingResampler(inRate, outRate);
        const parts: Float32Array[] = [];
        for (let i = 0; i < x.length; ) {
          const n = size === 'random' ? Math.floor(rnd() * 1000) : size; // random includes empty blocks
          parts.push(r.process(x.subarray(i, i + n)));
          i += n;
        }
        const y = concatF32(parts);
        expect(y.length, `block ${size}`).to.equal(whole.length);
        let maxErr = 0;
        for (let k = 0; k < y.length; k++) maxErr = Math.max(maxErr, Math.abs(y[k] - whole[k]));
        expect(maxErr, `block ${size}`).to.equal(0); // the same arithmetic on the same samples
      }
      // reset() starts a new, identical stream.
      const r = new StreamingResampler(inRate, outRate);
      r.process(x.subarray(0, 999));
      r.reset();
      const again = r.process(x);
      expect(Array.from(again.subarray(0, 500))).to.deep.equal(Array.from(whole.subarray(0, 500)));
    });
  }

  for (const inRate of [48000, 44100, 96000, 22050, 16000, 44101]) {
    it(`does not drift over 10 s at ${inRate} Hz input`, () => {
      const r = new StreamingResampler(inRate);
      const rnd = prng(7);
      const block = new Float32Array(4096);
      for (let i = 0; i < block.length; i++) block[i] = rnd() - 0.5;
      let n = 0;
      let total = 0;
      let worst = 0;
      while (n < inRate * 10) {
        const len = Math.min(1 + Math.floor(rnd() * 4096), inRate * 10 - n);
        total += r.process(block.subarray(0, len)).length;
        n += len;
        const expected = Math.floor((n * OUT) / inRate);
        worst = Math.max(worst, Math.abs(total - expected));
        expect(total - expected, `after ${n} samples`).to.be.within(-1, 1);
      }
      expect(n).to.equal(inRate * 10);
      expect(total).to.be.within(OUT * 10 - 1, OUT * 10 + 1);
      expect(worst).to.be.at.most(1);
    });
  }

  it('passes equal rates through unchanged (as a copy)', () => {
    for (const rate of [24000, 48000]) {
      const r = new StreamingResampler(rate, rate);
      expect(r.latencySamples).to.equal(0);
      const rnd = prng(rate);
      const x = new Float32Array(1000);
      for (let i = 0; i < x.length; i++) x[i] = rnd() * 2 - 1;
      const y = r.process(x);
      expect(y).to.not.equal(x);
      expect(Array.from(y)).to.deep.equal(Array.from(x));
      expect(r.process(new Float32Array(0)).length).to.equal(0);
    }
  });

  it('reports throughput (informational, no assertion on time)', () => {
    const inRate = 48000;
    const seconds = 10;
    const x = sine(inRate, 440, 0.3, seconds);
    const r = new StreamingResampler(inRate);
    const t0 = performance.now();
    let out = 0;
    for (let i = 0; i < x.length; i += 128) out += r.process(x.subarray(i, i + 128)).length;
    const cpu = (performance.now() - t0) / 1000;
    expect(out).to.be.within(OUT * seconds - 1, OUT * seconds + 1);
    console.log(`resampler throughput 48000→24000 (128-sample blocks): ${(seconds / Math.max(cpu, 1e-6)).toFixed(0)} s of audio per CPU second`);
  });
});

/** Float samples → PCM16, as the encoder stores them: toPcm16 per sample, into an Int16Array. */
const floatToPcm16 = (x: Float32Array) => Int16Array.from(x, toPcm16);

describe('toPcm16 / pcm16ToFloat', () => {
  it('clamps, maps NaN to 0 and uses 32767 for positives, 32768 for negatives', () => {
    const x = Float32Array.from([2, -2, 1, -1, 0, -0, Number.NaN, Infinity, -Infinity, 0.5, -0.5]);
    expect(Array.from(floatToPcm16(x))).to.deep.equal([32767, -32768, 32767, -32768, 0, 0, 0, 32767, -32768, 16384, -16384]);
  });

  it('rounds to nearest', () => {
    // 0.5 * 32767 = 16383.5 → 16384 (half away from zero); values just either side of a step.
    const x = Float32Array.from([1.4 / 32767, 1.6 / 32767, -1.4 / 32768, -1.6 / 32768, 100.49 / 32767, 100.51 / 32767]);
    expect(Array.from(floatToPcm16(x))).to.deep.equal([1, 2, -1, -2, 100, 101]);
    const rnd = prng(3);
    const y = new Float32Array(10000);
    for (let i = 0; i < y.length; i++) y[i] = rnd() * 2 - 1;
    const p = floatToPcm16(y);
    for (let i = 0; i < y.length; i++) {
      const exact = y[i] * (y[i] < 0 ? 32768 : 32767);
      expect(Math.abs(p[i] - exact)).to.be.at.most(0.5 + 1e-9);
    }
  });

  it('pcm16ToFloat inverts the scaling exactly', () => {
    const p = Int16Array.from([-32768, -16384, -1, 0, 1, 16384, 32767]);
    const f = pcm16ToFloat(p);
    expect(f[0]).to.equal(-1);
    expect(f[6]).to.equal(1);
    expect(f[1]).to.equal(-0.5);
    expect(Array.from(floatToPcm16(f))).to.deep.equal(Array.from(p));
    const all = new Int16Array(65536);
    for (let i = 0; i < all.length; i++) all[i] = i - 32768;
    expect(Array.from(floatToPcm16(pcm16ToFloat(all)))).to.deep.equal(Array.from(all));
  });
});

describe('base64', () => {
  /** base64 of the bytes (an even count) through pcm16ToBase64, which encodes an Int16Array's bytes in place. */
  const bytesToBase64 = (bytes: Uint8Array) => pcm16ToBase64(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2));

  it('matches btoa byte for byte on random data of even lengths 0..64 and round-trips', () => {
    const rnd = prng(42);
    for (let len = 0; len <= 64; len += 2) {
      for (let rep = 0; rep < 4; rep++) {
        const bytes = new Uint8Array(len);
        for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
        const b64 = bytesToBase64(bytes);
        expect(b64, `len ${len}`).to.equal(btoa(String.fromCharCode(...bytes)));
        expect(Array.from(base64ToBytes(b64))).to.deep.equal(Array.from(bytes));
      }
    }
    const every = new Uint8Array(256);
    for (let i = 0; i < 256; i++) every[i] = i;
    expect(bytesToBase64(every)).to.equal(btoa(String.fromCharCode(...every)));
  });

  it('matches btoa on large inputs (across chunk boundaries) and round-trips', () => {
    const rnd = prng(99);
    for (const len of [6142, 6144, 6146, 8190, 8192, 8194, 16386, 100002, 1 << 20, (1 << 20) + 2]) {
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
      const b64 = bytesToBase64(bytes);
      expect(b64.length).to.equal(Math.ceil(len / 3) * 4);
      expect(b64 === refBase64(bytes), `len ${len}`).to.equal(true);
      const back = base64ToBytes(b64);
      expect(back.length).to.equal(len);
      let same = true;
      for (let i = 0; i < len; i++) if (back[i] !== bytes[i]) same = false;
      expect(same, `round trip ${len}`).to.equal(true);
    }
  });

  it('decodes what atob decodes, with or without padding', () => {
    expect(Array.from(base64ToBytes(''))).to.deep.equal([]);
    expect(Array.from(base64ToBytes('TWFu'))).to.deep.equal([77, 97, 110]);
    expect(Array.from(base64ToBytes('TWE='))).to.deep.equal([77, 97]);
    expect(Array.from(base64ToBytes('TQ=='))).to.deep.equal([77]);
    expect(Array.from(base64ToBytes('TWE'))).to.deep.equal([77, 97]);
    expect(Array.from(base64ToBytes('TQ'))).to.deep.equal([77]);
    expect(Array.from(base64ToBytes('+/+/'))).to.deep.equal(Array.from(atob('+/+/'), (c) => c.charCodeAt(0)));
  });

  it('throws a RangeError on invalid characters or length', () => {
    for (const bad of ['A', 'AAAAA', 'AB=C', 'A===', '====', '=AAA', 'AA=A', 'AAA-', 'AA_A', 'AA A', 'AAA\n', 'AAé=', 'AA\u0141A', 'TQ==TQ==', 'TQ=']) {
      expect(() => base64ToBytes(bad), JSON.stringify(bad)).to.throw(RangeError);
    }
  });

  it('pcm16ToBase64 encodes little-endian bytes of exactly the view', () => {
    const backing = Int16Array.from([0x1111, 0x0102, -2, 0x7fff, -32768, 0x2222]);
    const view = backing.subarray(1, 5); // byteOffset 2
    expect(view.byteOffset).to.equal(2);
    const b64 = pcm16ToBase64(view);
    expect(Array.from(base64ToBytes(b64))).to.deep.equal([0x02, 0x01, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]);
    expect(b64).to.equal(btoa(String.fromCharCode(0x02, 0x01, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80)));
    expect(pcm16ToBase64(new Int16Array(0))).to.equal('');
    // A view constructed directly over a larger buffer at an offset:
    const buf = new ArrayBuffer(20);
    const v2 = new Int16Array(buf, 6, 3);
    v2.set([1, 256, -1]);
    expect(Array.from(base64ToBytes(pcm16ToBase64(v2)))).to.deep.equal([1, 0, 0, 1, 255, 255]);
  });
});

describe('pcmEncoder', () => {
  const newStats = (): EncoderStats => ({ framesIn: 0, samplesIn: 0, chunksOut: 0, samplesOut: 0, busyMs: 0 });
  /** The PCM16 samples in a v2 append message. */
  const samplesOf = (frame: string) => {
    const msg = JSON.parse(frame);
    expect(msg.type).to.equal('realtime.input_audio_buffer.append');
    const bytes = base64ToBytes(msg.data.audio);
    return new Int16Array(bytes.buffer, 0, bytes.length / 2);
  };

  it('emits exact-size chunks, in order, whose samples are the input as PCM16 (24 kHz: no resampling)', () => {
    for (const [chunkMs, chunkSamples] of [[0.03, 1], [7 / 24, 7], [20, 480], [100, 2400]] as const) {
      const rnd = prng(chunkSamples);
      const chunks: EncodedChunk[] = [];
      const stats = newStats();
      const encode = pcmEncoder({ inRate: 24000, chunkMs, legacy: false }, stats, (c) => chunks.push(c));
      const input = new Float32Array(50000);
      for (let i = 0; i < input.length; i++) input[i] = rnd() * 2.2 - 1.1;
      let frames = 0;
      for (let i = 0; i < input.length; frames++) {
        const n = Math.min(Math.floor(rnd() * 3000), input.length - i); // includes empty frames
        const frame = input.slice(i, i + n);
        encode(frame, 0);
        frame.fill(0); // not retained
        i += n;
        expect(chunks.length).to.equal(Math.floor(i / chunkSamples));
      }
      const out = concatI16(chunks.map(([frame, samples]) => {
        const pcm = samplesOf(frame);
        expect(pcm.length).to.equal(chunkSamples);
        expect(samples).to.equal(chunkSamples);
        return pcm;
      }));
      const expected = floatToPcm16(input.subarray(0, out.length));
      let same = out.length === input.length - (input.length % chunkSamples);
      for (let i = 0; i < out.length; i++) if (out[i] !== expected[i]) same = false;
      expect(same, `chunk ${chunkSamples}`).to.equal(true);
      expect(stats).to.include({ framesIn: frames, samplesIn: input.length, chunksOut: chunks.length, samplesOut: out.length });
    }
  });

  it('resamples to 24 kHz first, and frames the legacy append flat', () => {
    const chunks: EncodedChunk[] = [];
    const encode = pcmEncoder({ inRate: 48000, chunkMs: 40, legacy: true }, newStats(), (c) => chunks.push(c));
    const input = sine(48000, 1000, 0.5, 1);
    for (let i = 0; i < input.length; i += 128) encode(input.subarray(i, i + 128), 0);
    // 1 s at 48 kHz is 24 000 samples at 24 kHz: 25 chunks of 960.
    expect(chunks.length).to.equal(25);
    const msg = JSON.parse(chunks[5]![0]);
    expect(Object.keys(msg)).to.deep.equal(['type', 'audio']);
    expect(msg.type).to.equal('input_audio_buffer.append');
    const pcm = new Int16Array(base64ToBytes(msg.audio).buffer);
    expect(pcm.length).to.equal(960);
    expect(rms(pcm16ToFloat(pcm))).to.be.closeTo(0.5 * Math.SQRT1_2, 0.005);
  });

  it('dates each chunk by its first sample: the arrival of the frame that held it, less the samples after it and the filter delay', () => {
    const chunks: EncodedChunk[] = [];
    const encode = pcmEncoder({ inRate: 24000, chunkMs: 10, legacy: false }, newStats(), (c) => chunks.push(c));
    encode(new Float32Array(300), 1000); // one chunk of 240 from sample 0; 60 left from sample 240
    encode(new Float32Array(300), 2000); // completes the chunk begun in the first frame; one more from sample 180
    expect(chunks.map((c) => c[2])).to.deep.equal([1000 - 300 / 24, 1000 - 60 / 24]);
    encode(new Float32Array(120), 3000);
    expect(chunks[2]![2]).to.equal(2000 - 120 / 24);
    const delayed: EncodedChunk[] = [];
    const at48 = pcmEncoder({ inRate: 48000, chunkMs: 10, legacy: false }, newStats(), (c) => delayed.push(c));
    const latencyMs = new StreamingResampler(48000).latencySamples / 24;
    at48(new Float32Array(4800), 5000);
    // The first output sample is the first one computable: all 2400 outputs of these 4800 inputs; the filter's delay on top.
    expect(delayed[0]![2]).to.be.closeTo(5000 - 2400 / 24 - latencyMs, 1e-9);
  });
});

describe('rms', () => {
  it('computes RMS', () => {
    expect(rms(new Float32Array(0))).to.equal(0);
    expect(rms(Float32Array.from([0.5, -0.5, 0.5, -0.5]))).to.be.closeTo(0.5, 1e-12);
    expect(rms(Float32Array.from([-1, 1]))).to.equal(1);
    expect(rms(sine(24000, 1000, 1, 1))).to.be.closeTo(Math.SQRT1_2, 1e-6);
  });
});
