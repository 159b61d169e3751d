/**
 * The media worker. It holds the call's WebSocket and the whole microphone path next to it: capture frames arrive
 * from the capture worklet on a dedicated MessagePort (transferred buffers), are resampled, encoded and chunked,
 * and go through the send policy straight into the socket, so the visitor's voice never waits on the main thread.
 * The main thread talks to the socket through a MessagePort (text frames in and out, in order); comlink carries
 * only control and stats.
 */
import * as Comlink from 'comlink';
import type { EncoderConfig } from '../audio/encoder-core.js';
import { EncoderCore, nowMs } from '../audio/encoder-core.js';
import type { UplinkOptions } from '../audio/uplink.js';
import { AudioUplink } from '../audio/uplink.js';

/** Main thread → worker on the socket port. */
export type SocketCommand = { type: 'send'; data: string } | { type: 'close'; code: number; reason: string };
/** Worker → main thread on the socket port. */
export type SocketEvent = { type: 'open' } | { type: 'message'; data: string | ArrayBuffer } | { type: 'close'; code: number; reason: string };

let socket: WebSocket | undefined;
let socketPort: MessagePort | undefined;
let ready = false;
let muted = false;
let core: EncoderCore | undefined;
let frames: MessagePort | undefined;
let notify: MessagePort | undefined;

const uplink = new AudioUplink(
  {
    ready: () => ready,
    bufferedAmount: () => socket?.bufferedAmount ?? 0,
    send: (frame) => {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(frame);
      return true;
    },
  },
  (message) => notify?.postMessage({ type: 'warning', code: 'audio-dropped', message }),
);

function closeSocket(code = 1000, reason = '') {
  const s = socket;
  socket = undefined;
  ready = false;
  if (s) {
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    if (s.readyState === WebSocket.CONNECTING || s.readyState === WebSocket.OPEN) s.close(code, reason);
  }
  socketPort?.close();
  socketPort = undefined;
}

const api = {
  /** Opens the call's socket; its events and the main thread's frames travel on `port`. One socket at a time. */
  openSocket(url: string, port: MessagePort): void {
    closeSocket(1000, 'replaced');
    const post = (e: SocketEvent, transfer: Transferable[] = []) => port.postMessage(e, transfer);
    socketPort = port;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      post({ type: 'close', code: 1006, reason: 'invalid url' });
      return;
    }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => post({ type: 'open' });
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => post({ type: 'message', data: e.data });
    ws.onclose = (e) => {
      if (socket === ws) socket = undefined;
      post({ type: 'close', code: e.code, reason: e.reason });
      port.close();
    };
    port.onmessage = (e: MessageEvent<SocketCommand>) => {
      const cmd = e.data;
      if (cmd.type === 'send') {
        if (ws.readyState === WebSocket.OPEN) ws.send(cmd.data);
      } else if (socket === ws) closeSocket(cmd.code, cmd.reason);
    };
  },

  /** The session is ready for audio (or no longer is: reconnecting, ended). */
  setReady(value: boolean): void {
    ready = value;
  },

  /** Starts encoding what arrives on `framePort` and sending it; warnings go out on `notifyPort`. */
  startCapture(cfg: EncoderConfig & { uplink?: Partial<UplinkOptions> }, framePort: MessagePort, notifyPort: MessagePort): void {
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

export type EncoderWorkerApi = typeof api;
Comlink.expose(api);
