import * as Comlink from 'comlink';
import type { ErrorDetail, WarningDetail } from '../session/session-events.js';
import { TypedEventTarget } from '../session/typed-events.js';
import type { EncoderWorkerApi } from '../worker/encoder.worker.js';
import type { CaptureGraph } from './capture-graph.js';
import { acquireCaptureGraph, releaseCaptureGraph } from './capture-graph.js';
import type { EncodedChunk } from './encoder-core.js';
import { EncoderCore, nowMs } from './encoder-core.js';
import { rms } from './pcm.js';

export interface MicOptions {
  chunkMs: number;
  legacy: boolean;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  /** Report the level (`level` events, about 20 Hz). */
  level: boolean;
  /** Folder of self-hosted worker and worklet files (strict CSP); Blob URLs otherwise. */
  assetsUrl?: string;
  /** A stream the page hands in; it is never stopped by us. */
  stream?: MediaStream;
}

export interface MicEventMap {
  /** A ready append frame (only when encoding on the main thread; the worker sends its own). */
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
 * The microphone: getUserMedia → AudioWorklet at the native rate → (MessagePort, transferred buffers) → the media
 * worker, which encodes and sends. Without a worker the same encoder runs on the main thread and emits `chunk`s;
 * without AudioWorklet a ScriptProcessor feeds it (each fallback with a warning).
 */
export class MicCapture extends TypedEventTarget<MicEventMap> {
  #opts: MicOptions;
  #ctx: AudioContext | undefined;
  /** The pooled worklet graph, when capture runs in an AudioWorklet (else #ctx is our own, for the fallback). */
  #graph: CaptureGraph | undefined;
  #stream: MediaStream | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #node: AudioWorkletNode | ScriptProcessorNode | undefined;
  #sink: GainNode | undefined;
  #api: Comlink.Remote<EncoderWorkerApi> | undefined;
  #core: EncoderCore | undefined;
  #ports: MessagePort[] = [];
  #muted = false;
  #stopped = false;
  #onTrackEnded = () => {
    this.emit('error', { code: 'mic-unavailable', message: 'The microphone was disconnected. You can keep talking by typing.', fatal: false });
    void this.stop();
  };

  /** @param worker the media worker, when one runs: it receives the frames and sends the audio itself. */
  constructor(opts: MicOptions, worker?: Comlink.Remote<EncoderWorkerApi>) {
    super();
    this.#opts = opts;
    this.#api = worker;
  }

  /** Where encoding runs: `worker` normally, `main-thread` as a fallback. */
  get encoder(): 'worker' | 'main-thread' | 'none' {
    return this.#api && this.#node ? 'worker' : this.#core ? 'main-thread' : 'none';
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
      // A call that ended meanwhile (stop() during start) is not a microphone failure.
      const stoppedMeanwhile = this.#stopped;
      await this.stop();
      if (!stoppedMeanwhile) this.emit('error', { code: 'mic-unavailable', message: `The microphone could not be processed (${err instanceof Error ? err.name : 'error'}).`, fatal: false });
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
    try {
      this.#graph = await acquireCaptureGraph(o.assetsUrl);
      this.#ctx = this.#graph.ctx;
    } catch {
      this.#ctx = new AudioContext({ latencyHint: 'interactive' });
      if (this.#ctx.state !== 'running') await this.#ctx.resume().catch(() => undefined);
    }
    const ctx = this.#ctx;
    this.#source = ctx.createMediaStreamSource(this.#stream!);
    const frames = new MessageChannel();
    const notify = new MessageChannel();
    this.#ports.push(frames.port1, frames.port2, notify.port1, notify.port2);

    // Encoder: in the media worker, else on the main thread.
    const cfg = { inRate: ctx.sampleRate, chunkMs: o.chunkMs, legacy: o.legacy };
    if (this.#api) {
      await this.#api.setMuted(this.#muted);
      await this.#api.startCapture(cfg, Comlink.transfer(frames.port2, [frames.port2]), Comlink.transfer(notify.port2, [notify.port2]));
      notify.port1.onmessage = (e: MessageEvent<WarningDetail>) => this.emit('warning', { code: e.data.code, message: e.data.message });
    } else {
      const core = (this.#core = new EncoderCore(cfg));
      frames.port2.onmessage = (e: MessageEvent<Float32Array>) => {
        if (this.#muted) return;
        for (const c of core.push(e.data, nowMs())) this.emit('chunk', c);
      };
    }

    // Capture: the AudioWorklet, else a ScriptProcessor on the main thread.
    if (this.#graph) {
      const node = this.#graph.node;
      node.port.onmessage = (e: MessageEvent<{ level: number }>) => this.emit('level', e.data.level);
      node.port.postMessage({ type: 'connect', port: frames.port1, level: o.level }, [frames.port1]);
      this.#node = node;
      this.#source.connect(node);
    } else {
      const node = ctx.createScriptProcessor(FALLBACK_FRAME, 1, 1);
      let levelFrames = 0;
      node.onaudioprocess = (e) => {
        const data = e.inputBuffer.getChannelData(0).slice();
        levelFrames += data.length;
        if (o.level && levelFrames >= ctx.sampleRate / 20) {
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
    return this.#api ? (await this.#api.stats()).encoder : this.#core?.stats();
  }

  /** Releases the microphone (if ours), the AudioContext, the worker and every port. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const node = this.#node;
    if (node instanceof ScriptProcessorNode) node.onaudioprocess = null;
    node?.disconnect();
    this.#source?.disconnect();
    const graph = this.#graph;
    this.#graph = undefined;
    if (graph) releaseCaptureGraph(graph);
    this.#sink?.disconnect();
    this.#node = this.#source = this.#sink = undefined;
    for (const p of this.#ports.splice(0)) {
      p.onmessage = null;
      p.close();
    }
    const api = this.#api;
    this.#api = undefined;
    this.#core = undefined;
    void api?.stopCapture().catch(() => undefined);
    this.#releaseStream();
    const ctx = this.#ctx;
    this.#ctx = undefined;
    // Our own context (fallback) is closed; a pooled one was suspended by releaseCaptureGraph.
    if (ctx && !graph && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
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
