import { expect } from '@open-wc/testing';
import { buildSessionConfig } from '../src/config.js';
import type { ConfigInput } from '../src/config.js';
import { NavtalkSession } from '../src/session/navtalk-session.js';
import { nextEvent, record, simLog, simSend, simUrl, uniqueTag, waitForLog } from './support/sim.js';

const sessions: NavtalkSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});

async function started(tag: string, input: ConfigInput = {}) {
  const built = buildSessionConfig({ avatarId: 'x', serverUrl: await simUrl(tag), reconnect: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 }, ...input });
  if ('error' in built) throw new Error(built.error);
  const s = new NavtalkSession(built.config);
  sessions.push(s);
  const log = record(s, ['state', 'error', 'disconnected', 'transcript']);
  await s.start();
  return { s, log };
}

describe('reconnect', () => {
  it('reconnects after an unexpected close and replays the conversation so far', async () => {
    const tag = uniqueTag('reconnect');
    const { s, log } = await started(tag, { history: [{ role: 'user', text: 'I am Ada.' }] });
    s.sendText('My order is 42.');
    await nextEvent(s, 'transcript', (d: any) => d.role === 'assistant' && d.final);
    const back = nextEvent(s, 'state', (d: any) => d.state === 'listening' && d.previous === 'connected', 10000);
    await simSend(tag, [{ close: { code: 4001, reason: 'dropped by test' } }]);
    await back;
    expect(log.find((e) => e.type === 'disconnected')!.detail).to.deep.include({ code: 4001, willReconnect: true });
    expect(log.filter((e) => e.type === 'state').map((e) => e.detail.state)).to.include('reconnecting');
    expect(log.find((e) => e.type === 'error')!.detail).to.include({ code: 'network', fatal: false });
    const [, second] = await waitForLog(tag, (ss) => ss.length === 2 && ss);
    const replayed = second!.received.filter((m) => m.type === 'conversation.item.create').map((m) => m.msg.item.content[0].text);
    expect(replayed).to.deep.equal(['I am Ada.', 'My order is 42.']);
    s.sendText('Still there?');
    const done = await nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: Still there?');
  });

  it('does not reconnect after stop()', async () => {
    const tag = uniqueTag('noreconnect');
    const { s, log } = await started(tag);
    await s.stop();
    await waitForLog(tag, (ss) => ss[0]!.closedAt !== null || undefined);
    expect(log.filter((e) => e.type === 'state').map((e) => e.detail.state)).not.to.include('reconnecting');
    expect((await simLog(tag)).length).to.equal(1);
  });

  it('gives up after the configured tries with a network error', async () => {
    const tag = uniqueTag('giveup');
    const { s, log } = await started(tag, { reconnect: { maxAttempts: 0 } });
    const ended = nextEvent(s, 'state', (d: any) => d.state === 'error');
    await simSend(tag, [{ close: { code: 4002, reason: 'gone' } }]);
    await ended;
    expect(log.find((e) => e.type === 'disconnected')!.detail).to.include({ willReconnect: false });
    expect(log.find((e) => e.type === 'error')!.detail).to.include({ code: 'network' });
  });

  it('times out a connect that never gets connected.success', async () => {
    // The simulator accepts the socket and then says nothing (simFault=stall).
    const tag = uniqueTag('stall');
    const built = buildSessionConfig({ avatarId: 'x', serverUrl: await simUrl(tag, { simFault: 'stall' }), connectTimeoutMs: 300, reconnect: { maxAttempts: 0 } });
    if ('error' in built) throw new Error(built.error);
    const s = new NavtalkSession(built.config);
    sessions.push(s);
    const err = nextEvent<any>(s, 'error');
    await s.start();
    expect(await err).to.include({ code: 'network' });
    expect((await err).message).to.match(/did not confirm/);
    expect(s.state).to.equal('error');
  });
});
