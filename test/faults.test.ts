// Fault injection by the simulator (simFault=<kind>): the session survives, reports, and never throws into the page.
import { expect } from '@open-wc/testing';
import { buildSessionConfig } from '../src/config.js';
import { NavtalkSession } from '../src/session/navtalk-session.js';
import { nextEvent, record, simSend, simUrl, uniqueTag, waitForLog } from './support/sim.js';

const sessions: NavtalkSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});

async function withFault(kind: string, extra: Record<string, string | number> = {}) {
  const tag = uniqueTag(kind || 'fault');
  const built = buildSessionConfig({
    avatarId: 'x',
    serverUrl: await simUrl(tag, { ...(kind ? { simFault: kind } : {}), ...extra }),
    reconnect: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
  });
  if ('error' in built) throw new Error(built.error);
  const s = new NavtalkSession(built.config);
  sessions.push(s);
  const log = record(s, ['state', 'error', 'disconnected', 'transcript', 'warning']);
  return { s, log, tag };
}

/** Uncaught errors in the page while `run` runs (a socket callback that throws would show here). */
async function noUncaught(run: () => Promise<void>) {
  const seen: unknown[] = [];
  const onError = (e: ErrorEvent) => seen.push(e.message);
  const onRejection = (e: PromiseRejectionEvent) => seen.push(String(e.reason));
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    await run();
  } finally {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  }
  expect(seen).to.deep.equal([]);
}

const reply = (s: NavtalkSession, text: string) => {
  const done = nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.final && d.text === `You said: ${text}`, 10000);
  s.sendText(text);
  return done;
};

describe('simulator fault injection', () => {
  it('garbage text frames: one protocol error per kind, the conversation goes on', () =>
    noUncaught(async () => {
      const { s, log } = await withFault('garbage');
      await s.start();
      await reply(s, 'after the garbage');
      const codes = log.filter((e) => e.type === 'error').map((e) => e.detail.code);
      expect(codes.length).to.be.within(1, 2);
      expect(new Set(codes)).to.deep.equal(new Set(['protocol']));
      expect(s.state).not.to.equal('error');
    }));

  it('binary frames: reported once, ignored', () =>
    noUncaught(async () => {
      const { s, log } = await withFault('binary');
      await s.start();
      await reply(s, 'after binary');
      expect(log.filter((e) => e.type === 'error').map((e) => e.detail.code)).to.deep.equal(['protocol']);
    }));

  it('a 10 MB frame is refused without freezing the page', () =>
    noUncaught(async () => {
      const { s, log } = await withFault('huge');
      await s.start();
      const err = await nextEvent<any>(s, 'error', (e) => e.code === 'protocol', 15000).catch(() => log.find((e) => e.type === 'error')?.detail);
      expect(err.message).to.match(/characters/);
      const t0 = performance.now();
      await reply(s, 'after the huge frame');
      expect(log.filter((e) => e.type === 'transcript').map((e) => e.detail.text)).not.to.satisfy((ts: string[]) => ts.some((t) => t.length > 100000));
      expect(performance.now() - t0).to.be.below(10000);
    }));

  it('events out of order: no crash, later turns are whole', () =>
    noUncaught(async () => {
      const { s } = await withFault('out-of-order');
      await s.start();
      s.sendText('first, scrambled');
      await nextEvent(s, 'state', (d: any) => d.state === 'listening');
      const done = await reply(s, 'second, in order');
      expect(done.text).to.equal('You said: second, in order');
    }));

  it('the socket dropped mid-turn: reconnects and the conversation goes on', () =>
    noUncaught(async () => {
      // Armed through the control API, so only this connection drops (a query option would follow the reconnect).
      const { s, log, tag } = await withFault('');
      await s.start();
      await simSend(tag, [{ fault: 'drop-mid-turn' }]);
      const back = nextEvent(s, 'state', (d: any) => d.state === 'listening' && d.previous === 'connected', 10000);
      s.sendText('this reply will be cut off halfway');
      await back;
      expect(log.find((e) => e.type === 'disconnected')!.detail).to.include({ willReconnect: true });
      await waitForLog(tag, (ss) => ss.length >= 2 || undefined);
      const done = await reply(s, 'after the drop');
      expect(done.text).to.equal('You said: after the drop');
    }));

  it('a server that stalls after the session is ready: the page stays responsive, stop() ends it', () =>
    noUncaught(async () => {
      const { s } = await withFault('stall-after-ready');
      await s.start();
      expect(s.sendText('anyone?')).to.equal(true);
      await s.stop();
      expect(s.state).to.equal('closed');
    }));

  it('conversation.connected.close (session timeout) ends the call as session-closed', () =>
    noUncaught(async () => {
      const { s } = await withFault('', { simError: 'close', simErrorAfter: 100 });
      const err = nextEvent<any>(s, 'error');
      await s.start();
      expect(await err).to.include({ code: 'session-closed', fatal: true });
      expect(s.state).to.equal('error');
    }));
});
