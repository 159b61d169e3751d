/**
 * The media worker's API. The worker holds the call's WebSocket and the whole microphone path next to it: capture
 * frames arrive from the capture worklet on a dedicated MessagePort (transferred buffers), are resampled, encoded
 * and chunked (`pcmEncoder`), and go through the send policy straight into the socket, so the visitor's voice never
 * waits on the main thread. The main thread talks to the socket through a MessagePort (text frames in and out, in
 * order); calls (rpc.ts) carry only control and stats.
 *
 * `serveMediaWorker()` is what the worker runs (encoder.worker.ts); it lives in a function so the CDN build can
 * share this module's code with the main thread (see media-core.ts). When no worker can start (a CSP without `blob:`
 * in `worker-src` and no `assets-url`, or a missing self-hosted file) the main thread serves the same API on a MessagePort (`mainThreadMedia()` in
 * src/audio/assets.ts), so a call has one media path either way.
 */
import { StreamingResampler, pcm16ToBase64, toPcm16 } from '../audio/pcm.js';
import type { ClientMessage } from '../protocol/types.js';
import type { WarningDetail } from '../session/session-events.js';
import type { Transport } from '../transport/websocket-transport.js';
import { webSocketTransport } from '../transport/websocket-transport.js';
import type { CallEndpoint } from './rpc.js';
import { expose } from './rpc.js';

/** Main thread → worker on the socket port: the transport method and its arguments. */
export type SocketCommand = [method: 'send', data: string] | [method: 'close', code: number, reason: string];
/** Worker → main thread on the socket port: the transport handler and its arguments. */
export type SocketEvent = [handler: 'open'] | [handler: 'message', data: string | ArrayBuffer] | [handler: 'close', code: number, reason: string];

export interface EncoderConfig {
  /** The capture context's sample rate. */
  inRate: number;
  /** Audio per append message. */
  chunkMs: number;
  /** Legacy v1 flat append (`{type:'input_audio_buffer.append', audio}`) instead of v2. */
  legacy: boolean;
}

export interface EncoderStats {
  framesIn: number;
  samplesIn: number;
  chunksOut: number;
  samplesOut: number;
  /** Time spent encoding, ms. */
  busyMs: number;
}

export interface UplinkStats {
  sentChunks: number;
  sentSamples: number;
  droppedChunks: number;
  /** Chunks captured before the session was first ready (the avatar was not listening yet). */
  skippedBeforeReady: number;
  /** Mic-to-wire latency per sent chunk: ms from its first sample reaching script to ws.send, newest last
   * (the latest 4096 to 8192 chunks). */
  latencies: number[];
}

/** Statistics of an uplink that has sent nothing yet. */
export const newUplinkStats = (): UplinkStats => ({ sentChunks: 0, sentSamples: 0, droppedChunks: 0, skippedBeforeReady: 0, latencies: [] });

/** One encoded append message: its JSON text, its 24 kHz samples, and when its first sample reached script (epoch
 * ms, performance.timeOrigin + now()). */
export type EncodedChunk = [frame: string, samples: number, firstCaptureMs: number];

/** Wire (24 kHz) samples per millisecond. */
const SAMPLES_PER_MS = 24;
/** Most audio held back while the socket is congested or reconnecting; the oldest is dropped past it. */
const MAX_QUEUE_MS = 2000;
/** Socket backlog (bytes) above which chunks wait instead of piling into the socket. */
const HIGH_WATER_BYTES = 96 * 1024;
const MAX_LATENCIES = 4096;
const DRAIN_MS = 20;

const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * One chunk as the wire wants it: `realtime.input_audio_buffer.append` (v2) or the flat legacy v1 append. Built here
 * and not in protocol/builders.ts: the worker is its only user, and the CDN build shares this module's code with the
 * worker, which must not pull in the session's builders.
 */
const audioAppend = (audio: string, legacy: boolean): ClientMessage =>
  legacy ? { type: 'input_audio_buffer.append', audio } : { type: 'realtime.input_audio_buffer.append', data: { audio } };

/**
 * The encoder: capture-rate Float32 frames in, append messages out. Anti-aliased resampling to 24 kHz, PCM16 with
 * clamping (`toPcm16`), chunks of exactly `chunkMs` (rounded to whole 24 kHz samples), base64 and the JSON envelope;
 * each completed chunk goes to `emit`, in order, the moment it completes. Counts into `stats`.
 *
 * Returns the function that takes one frame and the time it reached script (epoch ms).
 */
export function pcmEncoder(cfg: EncoderConfig, stats: EncoderStats, emit: (chunk: EncodedChunk) => void): (frame: Float32Array, arrivalMs: number) => void {
  const resampler = new StreamingResampler(cfg.inRate);
  const delayMs = resampler.latencySamples / SAMPLES_PER_MS;
  // The chunk being filled; encoded the moment it is full, then filled again.
  const chunk = new Int16Array(Math.round(cfg.chunkMs * SAMPLES_PER_MS));
  let fill = 0;
  let firstCaptureMs = 0;
  return (frame, arrivalMs) => {
    const t0 = performance.now();
    const out = resampler.process(frame);
    for (let i = 0; i < out.length; i++) {
      // Sample i reached script (out.length − i) samples before the newest one, plus the filter's delay.
      if (!fill) firstCaptureMs = arrivalMs - (out.length - i) / SAMPLES_PER_MS - delayMs;
      chunk[fill++] = toPcm16(out[i]!);
      if (fill === chunk.length) {
        emit([JSON.stringify(audioAppend(pcm16ToBase64(chunk), cfg.legacy)), fill, firstCaptureMs]);
        stats.chunksOut++;
        stats.samplesOut += fill;
        fill = 0;
      }
    }
    stats.framesIn++;
    stats.samplesIn += frame.length;
    stats.busyMs += performance.now() - t0;
  };
}

/**
 * The media API. Its send policy for microphone audio:
 * - Nothing is sent before the session is first ready (`realtime.session.updated`); audio from before is skipped.
 * - While the socket is congested (bufferedAmount above the high-water mark) or the session is not ready (it is
 *   reconnecting), chunks wait in a queue of at most MAX_QUEUE_MS; past that the oldest is dropped and the main
 *   thread gets one `audio-dropped` warning per episode, so latency never grows without bound.
 * - Otherwise every chunk is sent at once, exactly once, in order.
 */
function mediaWorkerApi() {
  let socket: Transport | undefined;
  let socketPort: MessagePort | undefined;
  let ready = false;
  let muted = false;
  let frames: MessagePort | undefined;
  let notify: MessagePort | undefined;
  /** The running capture's encoder, until muted; its counts. */
  let encode: ((frame: Float32Array, arrivalMs: number) => void) | undefined;
  let encoderStats: EncoderStats | undefined;
  const uplink = newUplinkStats();
  /** Chunks waiting to be sent, oldest first (all of one capture: all the same length). */
  let queue: EncodedChunk[] = [];
  let wasReady = false;
  let dropping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function closeSocket(code?: number, reason?: string) {
    socket?.close(code, reason);
    socketPort?.close();
    socket = socketPort = undefined;
    ready = false;
  }

  /** Sends what may go now, in order; tries again in DRAIN_MS while anything is left. */
  function drain() {
    while (ready && queue.length && socket && socket.bufferedAmount <= HIGH_WATER_BYTES && socket.send(queue[0]![0])) {
      const [, samples, firstCaptureMs] = queue.shift()!;
      uplink.sentChunks++;
      uplink.sentSamples += samples;
      const latencies = uplink.latencies;
      latencies.push(nowMs() - firstCaptureMs);
      // Trimmed in batches, not per chunk: this runs 25 times a second.
      if (latencies.length > 2 * MAX_LATENCIES) latencies.splice(0, latencies.length - MAX_LATENCIES);
    }
    if (!queue.length) dropping = false;
    else
      timer ??= setTimeout(() => {
        timer = undefined;
        drain();
      }, DRAIN_MS);
  }

  /** Sends the chunk, or queues it; warnings go to the main thread as their `{code, message}` detail. */
  function enqueue(chunk: EncodedChunk) {
    wasReady ||= ready;
    if (!wasReady) {
      uplink.skippedBeforeReady++;
      return;
    }
    queue.push(chunk);
    drain();
    while (queue.length > 1 && queue.length * chunk[1] > MAX_QUEUE_MS * SAMPLES_PER_MS) {
      queue.shift();
      uplink.droppedChunks++;
      if (!dropping) {
        dropping = true;
        notify?.postMessage({ code: 'audio-dropped', message: `The connection is too slow: dropped microphone audio older than ${MAX_QUEUE_MS} ms.` } satisfies WarningDetail);
      }
    }
  }

  const api = {
    /** Opens the call's socket; its events and the main thread's frames travel on `port`. One socket at a time. */
    openSocket(url: string, port: MessagePort): void {
      closeSocket(1000, 'replaced');
      const post = (...e: SocketEvent) => port.postMessage(e);
      let ws: Transport;
      try {
        ws = webSocketTransport(url, {
          open: () => post('open'),
          message: (data) => post('message', data as string | ArrayBuffer),
          close: (code, reason) => {
            if (socket === ws) socket = undefined;
            post('close', code, reason);
            port.close();
          },
        });
      } catch {
        post('close', 1006, 'invalid url');
        return;
      }
      socket = ws;
      socketPort = port;
      port.onmessage = (e: MessageEvent<SocketCommand>) => {
        const cmd = e.data;
        if (cmd[0] === 'send') ws.send(cmd[1]);
        else if (socket === ws) closeSocket(cmd[1], cmd[2]);
      };
    },

    /** The session is ready for audio (or no longer is: reconnecting, ended). */
    setReady(value: boolean): void {
      ready = value;
    },

    /** Starts encoding what arrives on `framePort` and sending it; warnings go out on `notifyPort`. */
    startCapture(cfg: EncoderConfig, framePort: MessagePort, notifyPort: MessagePort): void {
      api.stopCapture();
      const stats = (encoderStats = { framesIn: 0, samplesIn: 0, chunksOut: 0, samplesOut: 0, busyMs: 0 });
      frames = framePort;
      notify = notifyPort;
      frames.onmessage = (e: MessageEvent<Float32Array>) => {
        if (!muted) (encode ??= pcmEncoder(cfg, stats, enqueue))(e.data, nowMs());
      };
    },

    /** Muted, frames are dropped, and with them the partial chunk and the filter's history: the first frame after
     * starts a new encoder. */
    setMuted(value: boolean): void {
      muted = value;
      if (value) encode = undefined;
    },

    stats() {
      return { encoder: encoderStats, uplink };
    },

    stopCapture(): void {
      frames?.close();
      notify?.close();
      frames = notify = encode = encoderStats = undefined;
      // A drain still scheduled finds nothing to send.
      queue = [];
      wasReady = false;
    },

    /** Closes the socket (by default a normal closure) and stops capture; called before the worker is terminated. */
    shutdown(code?: number, reason?: string): void {
      api.stopCapture();
      closeSocket(code, reason);
    },
  };
  return api;
}

export type EncoderWorkerApi = ReturnType<typeof mediaWorkerApi>;

/** Serves a new media API: to the main thread's calls (rpc.ts) arriving on the worker's global scope, or on `endpoint`
 * (a MessagePort, when the API runs on the main thread). */
export function serveMediaWorker(endpoint: CallEndpoint = self): void {
  expose(mediaWorkerApi(), endpoint);
}
