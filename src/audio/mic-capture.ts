import type { ErrorDetail, WarningDetail } from '../session/session-events.js';
import { TypedEventTarget } from '../session/typed-events.js';
import type { EncoderWorkerApi } from '../worker/encoder.worker.js';
import type { Remote } from '../worker/rpc.js';
import type { CaptureGraph } from './capture-graph.js';
import { acquireCaptureGraph, releaseCaptureGraph } from './capture-graph.js';
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
  /** Microphone level 0..1, about 20 times a second. */
  level: number;
  warning: WarningDetail;
  error: ErrorDetail;
}

/** A microphone error: never fatal, the conversation goes on by typing. */
const micFailure = (code: 'mic-denied' | 'mic-unavailable', problem: string): ErrorDetail => ({
  code,
  message: `${problem} You can keep talking by typing.`,
  fatal: false,
});

/** What a getUserMedia failure means for the visitor. */
export function micError(err: unknown): ErrorDetail {
  return /^(NotAllowed|Security|PermissionDenied)Error$/.test((err as Error | undefined)?.name ?? '')
    ? micFailure('mic-denied', 'Microphone access was denied.')
    : micFailure('mic-unavailable', 'No usable microphone was found.');
}

const FALLBACK_FRAME = 1024;

/**
 * The microphone: getUserMedia → AudioWorklet at the native rate → (MessagePort, transferred buffers) → the media
 * API, which encodes and sends (in the worker, or on the main thread when no worker could start: the call decides).
 * Without AudioWorklet a ScriptProcessor on the main thread feeds the same port (with a warning).
 */
export class MicCapture extends TypedEventTarget<MicEventMap> {
  #opts: MicOptions;
  /** The context, and the pooled worklet node when capture runs in an AudioWorklet. */
  #graph: CaptureGraph | undefined;
  #stream: MediaStream | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #api: Remote<EncoderWorkerApi> | undefined;
  #ports: MessagePort[] = [];
  #muted = false;
  #stopped = false;
  #onTrackEnded = () => {
    this.emit('error', micFailure('mic-unavailable', 'The microphone was disconnected.'));
    void this.stop();
  };

  /** @param media the call's media API: it receives the frames, encodes them and sends the audio itself. */
  constructor(opts: MicOptions, media: Remote<EncoderWorkerApi>) {
    super();
    this.#opts = opts;
    this.#api = media;
  }

  /** The capture sample rate (the context's native rate); 0 while no capture graph is held. */
  get sampleRate(): number {
    return this.#graph?.ctx.sampleRate ?? 0;
  }

  /** Opens the microphone and the pipeline. False when it failed (an `error` event says why). */
  async start(): Promise<boolean> {
    const o = this.#opts;
    let error: ErrorDetail | undefined;
    try {
      const stream = (this.#stream =
        o.stream ??
        (await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: o.echoCancellation, noiseSuppression: o.noiseSuppression, autoGainControl: o.autoGainControl, channelCount: 1 },
        })));
      const track = stream.getAudioTracks()[0];
      if (!track) throw new DOMException('no audio track', 'NotFoundError');
      track.addEventListener('ended', this.#onTrackEnded);
      track.enabled = !this.#muted;
    } catch (err) {
      error = micError(err);
    }
    if (!error && !this.#stopped) {
      try {
        await this.#buildGraph();
      } catch (err) {
        error = micFailure('mic-unavailable', `The microphone could not be processed (${(err as Error).name}).`);
      }
    }
    if (!error && !this.#stopped) return true;
    // A call that ended meanwhile (stop() during start) is not a microphone failure.
    const report = !this.#stopped;
    await this.stop();
    if (report) this.emit('error', error!);
    return false;
  }

  async #buildGraph() {
    const o = this.#opts;
    const { ctx, node: worklet } = (this.#graph = await acquireCaptureGraph(o.assetsUrl));
    this.#source = ctx.createMediaStreamSource(this.#stream!);
    const frames = new MessageChannel();
    const notify = new MessageChannel();
    // Closing one end of a channel disentangles both: these ends are ours (frames.port1 only until it goes to the worklet).
    this.#ports = [frames.port1, notify.port1];

    // The encoder: the media API's (the ports are transferred: rpc.ts transfers every MessagePort argument). Its mute
    // already follows ours: setMuted() forwards every change, in order before this call (the call mutes before start()).
    await this.#api!.startCapture({ inRate: ctx.sampleRate, chunkMs: o.chunkMs, legacy: o.legacy }, frames.port2, notify.port2);
    notify.port1.onmessage = ({ data: { code, message } }: MessageEvent<WarningDetail>) => this.emit('warning', { code, message });

    // Capture: the AudioWorklet, else a ScriptProcessor on the main thread.
    if (worklet) {
      worklet.port.onmessage = (e: MessageEvent<number>) => this.emit('level', e.data);
      worklet.port.postMessage({ port: frames.port1, level: o.level }, [frames.port1]);
      this.#source.connect(worklet);
    } else {
      const node = ctx.createScriptProcessor(FALLBACK_FRAME, 1, 1);
      let levelFrames = 0;
      node.onaudioprocess = (e) => {
        // It may run once more between stop() and its context's close.
        if (this.#stopped) return;
        const data = e.inputBuffer.getChannelData(0).slice();
        levelFrames += data.length;
        if (o.level && levelFrames >= ctx.sampleRate / 20) {
          levelFrames = 0;
          this.emit('level', Math.min(1, rms(data)));
        }
        frames.port1.postMessage(data, [data.buffer]);
      };
      // A ScriptProcessor only runs when connected to the destination; a muted gain keeps it silent.
      const sink = ctx.createGain();
      sink.gain.value = 0;
      this.#source.connect(node).connect(sink).connect(ctx.destination);
      this.emit('warning', { code: 'audio-fallback', message: 'Microphone capture runs on the main thread (no AudioWorklet here).' });
    }
  }

  /** Mute: the track is disabled and nothing is encoded or sent; the partial chunk is dropped. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    const track = this.#stream?.getAudioTracks()[0];
    if (track) track.enabled = !muted;
    // Calls reject only when the method throws (rpc.ts); setMuted and stopCapture do not.
    void this.#api?.setMuted(muted);
  }

  /** Releases the microphone (if ours), the capture graph, the media API's capture and every port. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    // The worklet node is disconnected by releaseCaptureGraph; a ScriptProcessor and its sink go with their
    // context, which releaseCaptureGraph closes.
    this.#source?.disconnect();
    const released = this.#graph && releaseCaptureGraph(this.#graph);
    this.#graph = this.#source = undefined;
    for (const p of this.#ports) p.close();
    const api = this.#api;
    this.#api = undefined;
    void api?.stopCapture();
    this.#releaseStream();
    await released;
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
