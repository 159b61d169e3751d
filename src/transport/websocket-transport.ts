/**
 * The narrow transport the session talks through: open, text frames in and out, close.
 * The browser WebSocket is the default; tests and other runtimes may hand in their own factory.
 */
export interface TransportHandlers {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

export interface Transport {
  /** Bytes queued but not yet sent (WebSocket.bufferedAmount). */
  readonly bufferedAmount: number;
  /** Returns false when the socket is not open (nothing is sent). */
  send(data: string): boolean;
  close(code?: number, reason?: string): void;
}

export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

/** Browser WebSocket transport. Binary frames arrive as ArrayBuffer; `close` is reported exactly once, and nothing
 * is reported after `close()` is called. */
export const webSocketTransport: TransportFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => handlers.open();
  ws.onmessage = (e) => handlers.message(e.data);
  // An error is always followed by close, which the browser fires once: it is reported then, with the code the
  // browser gives (1006).
  ws.onclose = (e) => handlers.close(e.code, e.reason);
  return {
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send(data) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(data);
      return true;
    },
    close(code = 1000, reason = '') {
      // Nothing is reported after this, not even what the browser has queued already.
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState < WebSocket.CLOSING) ws.close(code, reason);
    },
  };
};
