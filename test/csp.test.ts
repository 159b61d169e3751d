// The element on a page with a strict Content-Security-Policy (test/csp/csp.html, served with
// "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:"), in an iframe from
// another origin, with the worker and worklets self-hosted next to the page (`assets-url`).
import { expect } from '@open-wc/testing';
import { getServers, simUrl, uniqueTag, waitForLog } from './support/sim.js';

describe('strict Content-Security-Policy', () => {
  it('works with self-hosted worker and worklet files: no violation, no fallback, audio sent from the worker', async function () {
    this.timeout(30000);
    const { cdn } = await getServers();
    const tag = uniqueTag('csp');
    const frame = document.createElement('iframe');
    frame.allow = 'microphone; autoplay';
    frame.src = `${cdn}/csp.html?ws=${encodeURIComponent(await simUrl(tag))}`;
    const result = new Promise<any>((resolve) => window.addEventListener('message', (e) => e.data?.csp && resolve(e.data)));
    document.body.append(frame);
    const r = await result;
    expect(r.reply).to.equal('You said: hello from a strict page');
    expect(r.violations).to.deep.equal([]);
    expect(r.warnings).to.deep.equal([]);
    expect(r.errors).to.deep.equal([]);
    const srv = await waitForLog(tag, (ss) => (ss[0]?.audio?.chunks ?? 0) > 10 && ss[0]!, 10000);
    expect(srv.audio.appendsBeforeUpdated).to.equal(0);
    frame.remove();
  });
});
