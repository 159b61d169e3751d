// dist/navtalk-avatar.js, served from another origin (like a CDN), used as a plain page would: one module
// script, then attributes, documented properties and events only. Nothing from src/ is imported here.
import { expect } from '@open-wc/testing';
import { getServers, nextEvent, simLog, simUrl, uniqueTag, waitForLog } from '../support/sim.js';

describe('CDN bundle from another origin', () => {
  before(async () => {
    const { cdn } = await getServers();
    expect(new URL(cdn).origin).not.to.equal(location.origin);
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.type = 'module';
      s.src = `${cdn}/navtalk-avatar.js`;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('bundle failed to load'));
      document.head.append(s);
    });
  });

  it('registers <navtalk-avatar> on import', () => {
    expect(customElements.get('navtalk-avatar')).to.be.a('function');
  });

  it('holds a session with attributes, properties and events only', async () => {
    const tag = uniqueTag('cdn');
    const host = document.createElement('div');
    host.innerHTML = `<navtalk-avatar avatar-id="cdn-avatar" text-only voice="cedar"></navtalk-avatar>`;
    document.body.append(host);
    const el = host.firstElementChild as any;
    el.setAttribute('server-url', await simUrl(tag));
    el.tools = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    host.addEventListener('navtalk-function-call', (e: any) => e.detail.respond({ tempC: 30 }));
    const connected = nextEvent<any>(host, 'navtalk-connected');
    await el.start();
    expect((await connected).sessionId).to.match(/^sim-/);
    expect(el.getAttribute('state')).to.equal('listening');
    el.sendText('Weather in Madrid?');
    const done = await nextEvent<any>(host, 'navtalk-transcript', (d) => d.final && d.text.includes('result'));
    expect(done.text).to.equal('The get_weather result is: {"tempC":30}');
    const [srv] = await simLog(tag);
    expect(srv!.inputConfig).to.deep.include({ voice: 'cedar' });
    await el.stop();
    expect(el.state).to.equal('closed');
    host.remove();
  });

  // The bundle's media worker is made from the code the main thread shares with it (tools/bundled-plugin.mjs).
  it('sends microphone audio from its media worker (no fallback to the main thread)', async function () {
    this.timeout(30000);
    const tag = uniqueTag('cdn-mic');
    const el = document.createElement('navtalk-avatar') as any;
    el.setAttribute('avatar-id', 'cdn-avatar');
    el.setAttribute('server-url', await simUrl(tag, { simSay: '' }));
    const warnings: string[] = [];
    const errors: string[] = [];
    el.addEventListener('navtalk-warning', (e: any) => warnings.push(e.detail.code));
    el.addEventListener('navtalk-error', (e: any) => errors.push(e.detail.code));
    document.body.append(el);
    const connected = nextEvent<any>(el, 'navtalk-connected');
    await el.start();
    await connected;
    const srv = await waitForLog(tag, (ss) => (ss[0]?.audio?.chunks ?? 0) > 10 && ss[0]!, 10000);
    expect(srv.audio.appendsBeforeUpdated).to.equal(0);
    expect(warnings).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await el.stop();
    el.remove();
  });
});
