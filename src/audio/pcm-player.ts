import type { WarningDetail } from '../session/session-events.js';
import { TypedEventTarget } from '../session/typed-events.js';
import { assetUrl } from './assets.js';
import { base64ToBytes, pcm16ToFloat, WIRE_RATE } from './pcm.js';

export interface PlayedDetail {
  id: string;
  /** Frames of this item actually played (at the player's rate). */
  frames: number;
  interrupted: boolean;
}

export interface PlayerEventMap {
  played: PlayedDetail;
  warning: WarningDetail;
}

/**
 * Plays assistant audio that arrives as PCM16 24 kHz base64 deltas, through the playback worklet (jitter buffer,
 * frames counted per item, flush within one render quantum). The context runs at 24 kHz, so the samples play as they
 * come (the browser resamples to the device). Without AudioWorklet it schedules buffer sources.
 */
export class PcmPlayer extends TypedEventTarget<PlayerEventMap> {
  #assetsUrl: string | undefined;
  #ctx: AudioContext | undefined;
  #node: Promise<AudioWorkletNode | undefined> | undefined;
  #sources = new Set<AudioBufferSourceNode>();
  #nextTime = 0;
  #closed = false;
  /** While true (the avatar's voice plays over WebRTC), deltas are dropped: never two voices at once. */
  suppressed = false;

  constructor(assetsUrl?: string) {
    super();
    this.#assetsUrl = assetsUrl;
  }

  /** Creates the context and loads the worklet, on the first delta. */
  #prepare(): void {
    if (this.#closed || this.#ctx) return;
    const ctx = (this.#ctx = new AudioContext({ sampleRate: WIRE_RATE }));
    void ctx.resume().catch(() => undefined);
    this.#node = ctx.audioWorklet
      .addModule(assetUrl('player', this.#assetsUrl))
      .then(() => {
        if (this.#closed) return undefined;
        const node = new AudioWorkletNode(ctx, 'navtalk-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
        node.port.onmessage = (e: MessageEvent<PlayedDetail>) => this.emit('played', e.data);
        node.connect(ctx.destination);
        return node;
      })
      .catch(() => {
        this.emit('warning', { code: 'audio-fallback', message: 'Assistant audio plays without an AudioWorklet here.' });
        return undefined;
      });
  }

  /** Queues one delta of item `id`. */
  push(id: string, base64: string): void {
    if (this.#closed || this.suppressed) return;
    this.#prepare();
    let samples: Float32Array;
    try {
      // A new buffer each time: its bytes start at 0 (an odd last byte is left out).
      const bytes = base64ToBytes(base64);
      samples = pcm16ToFloat(new Int16Array(bytes.buffer, 0, bytes.length >> 1));
    } catch {
      return; // not base64
    }
    void this.#node!.then((node) => {
      if (this.#closed) return;
      if (node) node.port.postMessage([id, samples], [samples.buffer]);
      else this.#schedule(samples);
    });
  }

  /** The item is complete: play what is buffered even if below the jitter threshold. */
  end(id: string): void {
    this.#post([id]);
  }

  /** Stops playback now and drops everything queued (barge-in, interrupt()). */
  flush(): void {
    this.#post([]);
    for (const s of this.#sources) s.stop();
    this.#sources.clear();
    this.#nextTime = 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.flush();
    const ctx = this.#ctx;
    this.#ctx = undefined;
    await ctx?.close().catch(() => undefined);
  }

  /** A control message to the worklet, if there is one: `[id]` ends item `id`, `[]` flushes. */
  #post(message: [id?: string]) {
    void this.#node?.then((node) => node?.port.postMessage(message));
  }

  #schedule(samples: Float32Array) {
    const ctx = this.#ctx!;
    const buffer = ctx.createBuffer(1, samples.length, WIRE_RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(ctx.destination);
    this.#nextTime = Math.max(this.#nextTime, ctx.currentTime + 0.05);
    src.start(this.#nextTime);
    this.#nextTime += buffer.duration;
    this.#sources.add(src);
    src.onended = () => this.#sources.delete(src);
  }
}
