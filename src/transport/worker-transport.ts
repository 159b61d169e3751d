import type { EncoderWorkerApi, SocketCommand, SocketEvent } from '../worker/encoder.worker.js';
import type { Remote } from '../worker/rpc.js';
import type { TransportFactory } from './websocket-transport.js';

/**
 * The socket lives in the media API (src/worker/media-worker.ts: in the worker, or on the main thread when no worker
 * could start); frames cross on a dedicated MessagePort, in order. The socket opens once the API has started, unless
 * the session closed the transport meanwhile.
 */
export function workerTransport(media: Promise<{ api: Remote<EncoderWorkerApi> }>): TransportFactory {
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
    // openSocket() reports every failure on the port, as a close (1006 for a URL the browser refuses).
    void media.then(({ api }) => (closed ? undefined : api.openSocket(url, port2)));
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
