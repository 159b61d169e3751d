import type { Remote } from '../worker/rpc.js';
import type { EncoderWorkerApi, SocketCommand, SocketEvent } from '../worker/encoder.worker.js';
import type { Transport, TransportFactory } from './websocket-transport.js';
import { webSocketTransport } from './websocket-transport.js';

/** The socket lives in the media worker; frames cross on a dedicated MessagePort, in order. */
export function workerTransport(api: Remote<EncoderWorkerApi>): TransportFactory {
  return (url, handlers) => {
    const { port1, port2 } = new MessageChannel();
    let open = false;
    let closed = false;
    const stop = () => {
      closed = true;
      port1.onmessage = null;
      port1.close();
    };
    const finish = (code: number, reason: string) => {
      if (closed) return;
      stop();
      handlers.close(code, reason);
    };
    port1.onmessage = (e: MessageEvent<SocketEvent>) => {
      const ev = e.data;
      if (ev[0] === 'open') {
        open = true;
        handlers.open();
      } else if (ev[0] === 'message') handlers.message(ev[1]);
      else finish(ev[1], ev[2]);
    };
    api.openSocket(url, port2).catch(() => finish(1006, 'media worker unavailable'));
    const post = (...cmd: SocketCommand) => port1.postMessage(cmd);
    return {
      bufferedAmount: 0,
      send(data) {
        if (!open || closed) return false;
        post('send', data);
        return true;
      },
      close(code = 1000, reason = '') {
        if (closed) return;
        post('close', code, reason);
        stop();
      },
    };
  };
}

/**
 * A transport whose socket opens once the media worker has started: in the worker when there is one, else on the
 * main thread (no worker could start here: CSP, old browser).
 */
export function deferredTransport(worker: Promise<Remote<EncoderWorkerApi> | undefined>): TransportFactory {
  return (url, handlers) => {
    let inner: Transport | undefined;
    let closed = false;
    void worker.then((api) => {
      if (closed) return;
      try {
        inner = (api ? workerTransport(api) : webSocketTransport)(url, handlers);
      } catch {
        handlers.close(1006, 'socket could not be opened');
      }
    });
    return {
      get bufferedAmount() {
        return inner?.bufferedAmount ?? 0;
      },
      send: (data) => inner?.send(data) ?? false,
      close(code, reason) {
        closed = true;
        inner?.close(code, reason);
      },
    };
  };
}
