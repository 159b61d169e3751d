/**
 * The media worker's API. The worker holds the call's WebSocket and the whole microphone path next to it: capture
 * frames arrive from the capture worklet on a dedicated MessagePort (transferred buffers), are resampled, encoded
 * and chunked, and go through the send policy straight into the socket, so the visitor's voice never waits on the
 * main thread. The main thread talks to the socket through a MessagePort (text frames in and out, in order);
 * calls (rpc.ts) carry only control and stats.
 *
 * `serveMediaWorker()` is what the worker runs (encoder.worker.ts); it lives in a function so the CDN build can
 * share this module's code with the main thread (see media-core.ts). When no worker can start (CSP without `blob:`,
 * no module workers) the main thread serves the same API on a MessagePort (`mainThreadMedia()` in
 * src/audio/assets.ts), so a call has one media path either way.
 */
import type { EncoderConfig } from '../audio/encoder-core.js';
import { EncoderCore, nowMs } from '../audio/encoder-core.js';
import { AudioUplink } from '../audio/uplink.js';
import type { Transport } from '../transport/websocket-transport.js';
import { webSocketTransport } from '../transport/websocket-transport.js';
import type { CallEndpoint } from './rpc.js';
import { expose } from './rpc.js';

/** Main thread → worker on the socket port: the transport method and its arguments. */
export type SocketCommand = [method: 'send', data: string] | [method: 'close', code: number, reason: string];
/** Worker → main thread on the socket port: the transport handler and its arguments. */
export type SocketEvent = [handler: 'open'] | [handler: 'message', data: string | ArrayBuffer] | [handler: 'close', code: number, reason: string];

function mediaWorkerApi() {
  let socket: Transport | undefined;
  let socketPort: MessagePort | undefined;
  let ready = false;
  let muted = false;
  let core: EncoderCore | undefined;
  let frames: MessagePort | undefined;
  let notify: MessagePort | undefined;

  const uplink = new AudioUplink(
    { ready: () => ready, bufferedAmount: () => socket?.bufferedAmount ?? 0, send: (frame) => socket?.send(frame) ?? false },
    (message) => notify?.postMessage({ type: 'warning', code: 'audio-dropped', message }),
  );

  function closeSocket(code?: number, reason?: string) {
    socket?.close(code, reason);
    socketPort?.close();
    socket = socketPort = undefined;
    ready = false;
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
      const encoder = (core = new EncoderCore(cfg));
      frames = framePort;
      notify = notifyPort;
      frames.onmessage = (e: MessageEvent<Float32Array>) => {
        if (muted) return;
        for (const c of encoder.push(e.data, nowMs())) uplink.push(c);
      };
    },

    setMuted(value: boolean): void {
      muted = value;
      if (value) core?.reset();
    },

    stats() {
      return { encoder: core?.stats(), uplink: uplink.stats };
    },

    stopCapture(): void {
      frames?.close();
      notify?.close();
      frames = notify = core = undefined;
      uplink.clear();
    },

    /** Closes the socket (normal closure) and stops capture; called before the worker is terminated. */
    shutdown(code = 1000, reason = ''): void {
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
