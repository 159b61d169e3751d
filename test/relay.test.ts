// The license relay in front of the simulator: the page holds no license, the upstream gets one.
import { expect } from '@open-wc/testing';
import { buildSessionConfig } from '../src/config.js';
import { NavtalkSession } from '../src/session/navtalk-session.js';
import { getServers, nextEvent, record, uniqueTag } from './support/sim.js';
import type { SimSession } from './support/sim.js';

const LICENSE = 'relay-test-license-7f3a9c21';
const sessions: NavtalkSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});

async function viaRelay(which: 'open' | 'strict' | 'tight', tag: string) {
  const url = new URL((await getServers()).relays[which]);
  url.searchParams.set('simTag', tag); // dropped by the relay: the simulator sees no tag…
  const built = buildSessionConfig({ serverUrl: url.href, avatarId: `relay-${tag}`, reconnect: { maxAttempts: 0 } });
  if ('error' in built) throw new Error(built.error);
  const s = new NavtalkSession(built.config);
  sessions.push(s);
  return s;
}
/** …so find the connection by its avatar id, which the relay does pass on. */
async function byAvatar(tag: string): Promise<SimSession[]> {
  const all: { sessions: SimSession[] } = await fetch(`${(await getServers()).simHttp}/__sim/log`).then((r) => r.json());
  return all.sessions.filter((x) => x.query.avatarId === `relay-${tag}`);
}

describe('license relay', () => {
  it('holds a conversation; the upstream gets the license, the browser and the logs never do', async () => {
    const tag = uniqueTag('relay');
    const s = await viaRelay('open', tag);
    const log = record(s, ['error', 'transcript', 'connected', 'disconnected', 'state']);
    await s.start();
    expect(s.state).to.equal('listening');
    s.sendText('through the relay');
    const done = await nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: through the relay');
    const [srv] = await byAvatar(tag);
    expect(srv!.hasLicense).to.equal(true);
    expect(srv!.query).not.to.have.property('simTag');
    expect(JSON.stringify(log)).not.to.contain(LICENSE);
    await s.stop();
    const relayLog: string[] = await fetch('/__relay-log').then((r) => r.json());
    expect(relayLog.length).to.be.greaterThan(0);
    expect(relayLog.join('\n')).not.to.contain(LICENSE);
  });

  it('refuses a page from an origin that is not allowed', async () => {
    const s = await viaRelay('strict', uniqueTag('origin'));
    const err = nextEvent<any>(s, 'error');
    await s.start();
    expect(await err).to.include({ code: 'network' });
    expect(s.state).to.equal('error');
    const relayLog: string[] = await fetch('/__relay-log').then((r) => r.json());
    expect(relayLog.some((l) => l.includes('refused origin'))).to.equal(true);
  });

  it('limits connections per IP and the length of a session', async () => {
    const [a, b, c] = await Promise.all([viaRelay('tight', uniqueTag('ip1')), viaRelay('tight', uniqueTag('ip2')), viaRelay('tight', uniqueTag('ip3'))]);
    await a.start();
    await b.start();
    const refused = nextEvent<any>(c, 'error');
    await c.start();
    expect(await refused).to.include({ code: 'network' });
    expect([a.state, b.state]).to.deep.equal(['listening', 'listening']);
    // The session length cap (1.5 s) ends the call as NavTalk would (session-closed), so there is no reconnect.
    const err = await nextEvent<any>(a, 'error', () => true, 5000);
    expect(err).to.include({ code: 'session-closed', fatal: true });
    expect(a.state).to.equal('error');
  });
});
