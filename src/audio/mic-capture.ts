import * as Comlink from 'comlink';
import type { ErrorDetail, WarningDetail } from '../session/session-events.js';
import { TypedEventTarget } from '../session/typed-events.js';
import type { EncoderWorkerApi } from '../worker/encoder.worker.js';
import { assetUrl, startWorker } from './assets.js';
import type { EncodedChunk } from './encoder-core.js';
import { EncoderCore, nowMs } from './encoder-core.js';
import { rms } from './pcm.js';

export interface MicOptions {
  chunkMs: number;
  legacy: boolean;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  /** Folder of self-hosted worker and worklet files (strict CSP); Blob URLs otherwise. */
  assetsUrl?: string;
  /** A stream the page hands in; it is never stopped by us. */
  stream?: MediaStream;
}

export interface MicEventMap {
  /** A ready append frame. */
  chunk: EncodedChunk;
  /** Microphone level 0..1, about 20 times a second. */
  level: number;
  warning: WarningDetail;
  error: ErrorDetail;
}

/** What a getUserMedia failure means for the visitor. */
export function micError(err: unknown): ErrorDetail {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return { code: 'mic-denied', message: 'Microphone access was denied. You can keep talking by typing.', fatal: false };
  }
  return { code: 'mic-unavailable', message: 'No usable microphone was found. You can keep talking by typing.', fatal: false };
}

const FALLBACK_FRAME = 1024;

/**
 * The microphone uplink: getUserMedia → AudioWorklet at the native rate → (MessagePort, transferred buffers) →
 * encoder worker → ready append frames back to the main thread. Where a worklet or a worker cannot be created,
 * the same encoder runs on the main thread (with a warning), fed by a ScriptProcessor if need be.
 */
export class MicCapture extends TypedEventTarget<MicEventMap> {
  #opts: MicOptions;
  #ctx: AudioContext | undefined;
  #stream: MediaStream | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #node: AudioWorkletNode | ScriptProcessorNode | undefined;
  #sink: GainNode | undefined;
  #worker: Worker | undefined;
  #api: Comlink.Remote<EncoderWorkerApi> | undefined;
  #core: EncoderCore | undefined;
  #ports: MessagePort[] = [];
  #muted = false;
  #stopped = false;
  #onTrackEnded = () => {
    this.emit('error', { code: 'mic-unavailable', message: 'The microphone was disconnected. You can keep talking by typing.', fatal: false });
    void this.stop();
  };

  constructor(opts: MicOptions) {
    super();
    this.#opts = opts;
  }

  /** Where encoding runs: `worker` normally, `main-thread` as a fallback. */
  get encoder(): 'worker' | 'main-thread' | 'none' {
    return this.#api ? 'worker' : this.#core ? 'main-thread' : 'none';
  }

  /** The capture sample rate (the context's native rate). */
  get sampleRate(): number {
    return this.#ctx?.sampleRate ?? 0;
  }

  /** Opens the microphone and the pipeline. False when it failed (an `error` event says why). */
  async start(): Promise<boolean> {
    const o = this.#opts;
    try {
      this.#stream =
        o.stream ??
        (await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: o.echoCancellation, noiseSuppression: o.noiseSuppression, autoGainControl: o.autoGainControl, channelCount: 1 },
        }));
    } catch (err) {
      if (!this.#stopped) this.emit('error', micError(err));
      return false;
    }
    if (this.#stopped) {
      this.#releaseStream();
      return false;
    }
    const track = this.#stream.getAudioTracks()[0];
    if (!track) {
      this.emit('error', micError(new DOMException('no audio track', 'NotFoundError')));
      this.#releaseStream();
      return false;
    }
    track.addEventListener('ended', this.#onTrackEnded);
    track.enabled = !this.#muted;
    try {
      await this.#buildGraph();
    } catch (err) {
      await this.stop();
      this.emit('error', { code: 'mic-unavailable', message: `The microphone could not be processed (${err instanceof Error ? err.name : 'error'}).`, fatal: false });
      return false;
    }
    if (this.#stopped) {
      await this.stop();
      return false;
    }
    return true;
  }

  async #buildGraph() {
    const o = this.#opts;
    const ctx = (this.#ctx = new AudioContext({ latencyHint: 'interactive' }));
    if (ctx.state !== 'running') await ctx.resume().catch(() => undefined);
    this.#source = ctx.createMediaStreamSource(this.#stream!);
    const frames = new MessageChannel();
    const chunks = new MessageChannel();
    this.#ports.push(frames.port1, frames.port2, chunks.port1, chunks.port2);

    // Encoder: the worker, else the main thread.
    try {
      const { worker, api } = await startWorker(o.assetsUrl);
      this.#worker = worker;
      this.#api = api;
      await api.start({ inRate: ctx.sampleRate, chunkMs: o.chunkMs, legacy: o.legacy }, Comlink.transfer(frames.port2, [frames.port2]), Comlink.transfer(chunks.port2, [chunks.port2]));
      await api.setMuted(this.#muted);
      chunks.port1.onmessage = (e: MessageEvent<EncodedChunk>) => this.emit('chunk', e.data);
    } catch {
      const core = (this.#core = new EncoderCore({ inRate: ctx.sampleRate, chunkMs: o.chunkMs, legacy: o.legacy }));
      frames.port2.onmessage = (e: MessageEvent<Float32Array>) => {
        if (this.#muted) return;
        for (const c of core.push(e.data, nowMs())) this.emit('chunk', c);
      };
      this.emit('warning', { code: 'audio-fallback', message: 'The audio encoder runs on the main thread (no worker could be started here).' });
    }

    // Capture: the AudioWorklet, else a ScriptProcessor on the main thread.
    try {
      await ctx.audioWorklet.addModule(assetUrl('capture', o.assetsUrl));
      const node = new AudioWorkletNode(ctx, 'navtalk-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
      node.port.onmessage = (e: MessageEvent<{ level: number }>) => this.emit('level', e.data.level);
      node.port.postMessage({ type: 'connect', port: frames.port1 }, [frames.port1]);
      this.#node = node;
      this.#source.connect(node);
    } catch {
      const node = ctx.createScriptProcessor(FALLBACK_FRAME, 1, 1);
      let levelFrames = 0;
      node.onaudioprocess = (e) => {
        const data = e.inputBuffer.getChannelData(0).slice();
        levelFrames += data.length;
        if (levelFrames >= ctx.sampleRate / 20) {
          levelFrames = 0;
          this.emit('level', Math.min(1, rms(data)));
        }
        frames.port1.postMessage(data, [data.buffer]);
      };
      // A ScriptProcessor only runs when connected to the destination; a muted gain keeps it silent.
      this.#sink = ctx.createGain();
      this.#sink.gain.value = 0;
      this.#source.connect(node).connect(this.#sink).connect(ctx.destination);
      this.#node = node;
      this.emit('warning', { code: 'audio-fallback', message: 'Microphone capture runs on the main thread (no AudioWorklet here).' });
    }
  }

  /** Mute: the track is disabled and nothing is encoded or sent; the partial chunk is dropped. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    const track = this.#stream?.getAudioTracks()[0];
    if (track) track.enabled = !muted;
    void this.#api?.setMuted(muted).catch(() => undefined);
    if (muted) this.#core?.reset();
  }

  /** Encoder statistics (frames, chunks, time spent encoding). */
  async stats() {
    return this.#api ? await this.#api.stats() : this.#core?.stats();
  }

  /** Releases the microphone (if ours), the AudioContext, the worker and every port. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const node = this.#node;
    if (node instanceof AudioWorkletNode) {
      node.port.postMessage({ type: 'stop' });
      node.port.onmessage = null;
    } else if (node) node.onaudioprocess = null;
    node?.disconnect();
    this.#source?.disconnect();
    this.#sink?.disconnect();
    this.#node = this.#source = this.#sink = undefined;
    for (const p of this.#ports.splice(0)) {
      p.onmessage = null;
      p.close();
    }
    const api = this.#api;
    this.#api = undefined;
    this.#core = undefined;
    if (api) {
      void api.stop().catch(() => undefined);
      api[Comlink.releaseProxy]();
    }
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#releaseStream();
    const ctx = this.#ctx;
    this.#ctx = undefined;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
  }

  #releaseStream() {
    const stream = this.#stream;
    this.#stream = undefined;
    for (const t of stream?.getAudioTracks() ?? []) {
      t.removeEventListener('ended', this.#onTrackEnded);
      if (stream !== this.#opts.stream) t.stop();
    }
  }
}
