import { PcmChunker, StreamingResampler, WIRE_RATE, floatToPcm16, pcm16ToBase64, samplesForMs } from './pcm.js';

export { WIRE_RATE };

export interface EncoderConfig {
  /** The capture context's sample rate. */
  inRate: number;
  /** Audio per append message. */
  chunkMs: number;
  /** Legacy v1 flat append (`{type:'input_audio_buffer.append', audio}`) instead of v2. */
  legacy: boolean;
}

/** One ready-to-send append message. */
export interface EncodedChunk {
  /** The whole JSON text frame. */
  frame: string;
  /** 24 kHz samples in it. */
  samples: number;
  /** When its first sample reached script (epoch ms, performance.timeOrigin + now()), for latency stats. */
  firstCaptureMs: number;
}

export interface EncoderStats {
  framesIn: number;
  samplesIn: number;
  chunksOut: number;
  samplesOut: number;
  /** Time spent encoding, ms. */
  busyMs: number;
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * Capture-rate Float32 frames in, ready append frames out: anti-aliased resampling to 24 kHz, PCM16 with clamping,
 * fixed-length chunks, base64 and the JSON envelope. Runs in the encoder worker, or on the main thread as fallback.
 */
export class EncoderCore {
  #resampler: StreamingResampler;
  #chunker: PcmChunker;
  #prefix: string;
  #suffix: string;
  #delayMs: number;
  /** Samples produced so far: with the arrival time of the latest frame, maps a sample index to its capture time. */
  #outCount = 0;
  #stats: EncoderStats = { framesIn: 0, samplesIn: 0, chunksOut: 0, samplesOut: 0, busyMs: 0 };

  constructor(cfg: EncoderConfig) {
    this.#resampler = new StreamingResampler(cfg.inRate, WIRE_RATE);
    this.#chunker = new PcmChunker(samplesForMs(cfg.chunkMs, WIRE_RATE));
    this.#delayMs = (this.#resampler.latencySamples / WIRE_RATE) * 1000;
    [this.#prefix, this.#suffix] = cfg.legacy
      ? ['{"type":"input_audio_buffer.append","audio":"', '"}']
      : ['{"type":"realtime.input_audio_buffer.append","data":{"audio":"', '"}}'];
  }

  /** Encodes one capture frame; returns every append message it completed. */
  push(frame: Float32Array, arrivalMs: number = nowMs()): EncodedChunk[] {
    const t0 = performance.now();
    const pcm = floatToPcm16(this.#resampler.process(frame));
    // Index of the first sample of the first chunk completed now (the chunker holds the samples before these).
    let index = this.#outCount - this.#chunker.buffered;
    this.#outCount += pcm.length;
    const out: EncodedChunk[] = [];
    const s = this.#stats;
    for (const c of this.#chunker.push(pcm)) {
      // Sample `index` was captured (outCount − index) samples before the newest one, plus the filter's delay.
      const firstCaptureMs = arrivalMs - ((this.#outCount - index) / WIRE_RATE) * 1000 - this.#delayMs;
      out.push({ frame: this.#prefix + pcm16ToBase64(c) + this.#suffix, samples: c.length, firstCaptureMs });
      index += c.length;
      s.samplesOut += c.length;
    }
    s.framesIn++;
    s.samplesIn += frame.length;
    s.chunksOut += out.length;
    s.busyMs += performance.now() - t0;
    return out;
  }

  /** Drops the partial chunk (mute): what is sent after it starts fresh. */
  reset(): void {
    this.#chunker.flush();
  }

  stats(): EncoderStats {
    return { ...this.#stats };
  }
}
