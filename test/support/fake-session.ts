import type { ConfigInput } from '../../src/config.js';
import { buildSessionConfig } from '../../src/config.js';
import { NavtalkSession } from '../../src/session/navtalk-session.js';
import type { SessionEventMap } from '../../src/session/session-events.js';
import type { TransportHandlers } from '../../src/transport/websocket-transport.js';

/**
 * A session on a fake socket, started and open: `frame()` delivers a server frame on the current connection,
 * `drop()` loses it (the session reconnects per its policy), `sent` holds every client message, `events` every
 * public event in order; `onSend` sees each client message as it is sent.
 */
export function fakeSession(input: ConfigInput = {}, onSend?: (msg: any) => void) {
  const built = buildSessionConfig({ avatarId: 'a', ...input });
  if ('error' in built) throw new Error(built.error);
  let socket: TransportHandlers | undefined;
  const sent: any[] = [];
  const s = new NavtalkSession(built.config, {
    transport: (_url, handlers) => {
      socket = handlers;
      queueMicrotask(() => handlers.open());
      return {
        bufferedAmount: 0,
        send(data) {
          const msg = JSON.parse(data);
          sent.push(msg);
          onSend?.(msg);
          return true;
        },
        close() {},
      };
    },
  });
  const events: { type: keyof SessionEventMap; detail: any }[] = [];
  for (const type of ['state', 'transcript', 'function-call', 'error'] as const) s.on(type, (detail) => events.push({ type, detail }));
  void s.start();
  const frame = (msg: object) => socket!.message(JSON.stringify(msg));
  return {
    s,
    sent,
    events,
    frame,
    /** The transcript events so far. */
    transcripts: () => events.filter((e) => e.type === 'transcript').map((e) => e.detail),
    /** Confirms the connection and the session: the session is ready (`listening`). */
    ready() {
      frame({ type: 'conversation.connected.success', data: { sessionId: 's1' } });
      frame({ type: 'realtime.session.updated' });
    },
    drop: () => socket!.close(1006, ''),
  };
}
