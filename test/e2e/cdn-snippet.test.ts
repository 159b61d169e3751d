// The CDN snippet (tools/snippet.mjs, dist/snippet.json and dist/snippet.html) with Subresource Integrity: the
// CDN file from another origin with its generated hash loads and registers the tag; with one character of the hash
// changed the browser refuses it. Then the published snippet itself, its jsDelivr URL pointed at the test CDN, on a
// fresh page (an iframe): tag registered, and a whole call under only the policy docs/csp.md gives for it. The CDN
// file is one self-contained module (tools/snippet.mjs refuses a build with chunks), so one hash covers it all.
// Nothing from src/ is imported here.
import { expect } from '@open-wc/testing';
import { getServers, simUrl, uniqueTag, waitForLog } from '../support/sim.js';

interface Snippet {
  version: string;
  base: string;
  url: string;
  integrity: string;
  /** The policy docs/csp.md shows for the snippet (jsDelivr and a placeholder relay). */
  csp: string;
}

let cdn = '';
let snippet: Snippet;
let html = '';
/** A pinned jsDelivr URL of the snippet, served by the test CDN instead. */
const local = (url: string) => `${cdn}/${url.slice(snippet.base.length)}`;

/** The same hash with one base64 character changed. */
const tamper = (integrity: string) => {
  const [alg, b64] = [integrity.slice(0, integrity.indexOf('-') + 1), integrity.slice(integrity.indexOf('-') + 1)];
  return `${alg}${b64[0] === 'A' ? 'B' : 'A'}${b64.slice(1)}`;
};

/** Adds a module script; resolves with 'load' or 'error'. */
const loadScript = (src: string, integrity: string) =>
  new Promise<'load' | 'error'>((resolve) => {
    const s = document.createElement('script');
    s.type = 'module';
    s.crossOrigin = 'anonymous';
    s.integrity = integrity;
    s.src = src;
    s.onload = () => resolve('load');
    s.onerror = () => resolve('error');
    document.head.append(s);
  });

const sha384 = async (bytes: ArrayBuffer) =>
  `sha384-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))))}`;

/** The snippet on a fresh page (its own module map), its URLs on the test CDN, its server on loopback. */
async function snippetPage(markup: string, policy?: string): Promise<{ frame: HTMLIFrameElement; win: any; errors: string[]; violations: string[] }> {
  const frame = document.createElement('iframe');
  frame.allow = 'microphone; autoplay';
  // Script errors do not bubble: catch them on the way down, before the snippet runs (and before the policy, which
  // applies from its <meta> on).
  frame.srcdoc = `<!doctype html><script>window.__errors = []; window.__violations = [];
    addEventListener('error', (e) => { if (e.target !== window) window.__errors.push(e.target.src || e.target.tagName); }, true);
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    </script>\n${policy ? `<meta http-equiv="Content-Security-Policy" content="${policy}">\n` : ''}${markup}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded; // after the module script ran or failed
  const win = frame.contentWindow as any;
  return { frame, win, errors: win.__errors, violations: win.__violations };
}

/** `html` with the jsDelivr URL on the test CDN and a loopback server URL. */
async function localMarkup(source = html, server?: string): Promise<string> {
  server ??= await simUrl(uniqueTag('snippet'));
  return source
    .split(snippet.base).join(`${cdn}/`)
    .replace(/server-url="[^"]*"/, `server-url="${server.replace(/&/g, '&amp;')}"`);
}

describe('CDN snippet with Subresource Integrity', () => {
  before(async () => {
    ({ cdn } = await getServers());
    expect(new URL(cdn).origin).not.to.equal(location.origin);
    snippet = await (await fetch(`${cdn}/snippet.json`)).json();
    html = await (await fetch(`${cdn}/snippet.html`)).text();
  });

  it('pins the version and hashes the exact bytes the CDN serves', async () => {
    expect(snippet.url).to.equal(`https://cdn.jsdelivr.net/npm/navtalk-avatar@${snippet.version}/dist/navtalk-avatar.js`);
    expect(snippet.integrity).to.match(/^sha384-[A-Za-z0-9+/]{64}$/);
    const bytes = await (await fetch(local(snippet.url))).arrayBuffer();
    expect(await sha384(bytes)).to.equal(snippet.integrity);
    expect(html).to.include(`src="${snippet.url}"`);
    expect(html).to.include(`integrity="${snippet.integrity}" crossorigin="anonymous"`);
    expect(html).not.to.include('importmap');
  });

  it('refuses the CDN file when one character of the hash is wrong', async () => {
    // Another URL (?bad=1), so the module map cannot answer with an earlier, verified load.
    expect(await loadScript(`${local(snippet.url)}?bad=1`, tamper(snippet.integrity))).to.equal('error');
    expect(customElements.get('navtalk-avatar')).to.equal(undefined);
  });

  it('loads the CDN file cross-origin with the generated hash and registers <navtalk-avatar>', async () => {
    expect(await loadScript(local(snippet.url), snippet.integrity)).to.equal('load');
    expect(customElements.get('navtalk-avatar')).to.be.a('function');
  });

  it('the snippet as published registers the tag on a fresh page', async () => {
    const { frame, win, errors } = await snippetPage(await localMarkup());
    try {
      expect(errors).to.deep.equal([]);
      expect(win.customElements.get('navtalk-avatar')).to.be.a('function');
      const el = frame.contentDocument!.querySelector('navtalk-avatar')!;
      expect(el.matches(':defined')).to.equal(true);
      expect(el.getAttribute('state')).to.equal('idle');
    } finally {
      frame.remove();
    }
  });

  it('the snippet with a wrong hash does not run', async () => {
    const bad = html.replace(`integrity="${snippet.integrity}"`, `integrity="${tamper(snippet.integrity)}"`);
    const { frame, win, errors } = await snippetPage(await localMarkup(bad));
    try {
      expect(errors).to.deep.equal([local(snippet.url)]);
      expect(win.customElements.get('navtalk-avatar')).to.equal(undefined);
    } finally {
      frame.remove();
    }
  });

  it('holds a call with microphone under only the policy the docs give for it: no violation, no fallback', async function () {
    this.timeout(30000);
    const tag = uniqueTag('snippet-csp');
    const server = await simUrl(tag);
    const markup = await localMarkup(html, server);
    // docs/csp.md's policy with the test's origins, behind default-src 'none': anything else the snippet needed would
    // be a violation.
    const policy = snippet.csp
      .split(new URL(snippet.base).origin).join(new URL(cdn).origin)
      .replace(/connect-src [^;]+/, `connect-src ${new URL(server).origin}`);
    const { frame, win, errors, violations } = await snippetPage(markup, `default-src 'none'; ${policy}`);
    try {
      expect(errors).to.deep.equal([]);
      const el = frame.contentDocument!.querySelector('navtalk-avatar') as any;
      expect(win.customElements.get('navtalk-avatar')).to.be.a('function');
      const warnings: string[] = [];
      const fatal: string[] = [];
      el.setAttribute('echo-cancellation', 'false');
      el.addEventListener('navtalk-warning', (e: any) => warnings.push(e.detail.code));
      el.addEventListener('navtalk-error', (e: any) => fatal.push(e.detail.code));
      const reply = new Promise<string>((resolve) =>
        el.addEventListener('navtalk-transcript', (e: any) => e.detail.role === 'assistant' && e.detail.final && resolve(e.detail.text)));
      el.addEventListener('navtalk-connected', () => el.sendText('hello from the snippet'), { once: true });
      await el.start();
      expect(await reply).to.equal('You said: hello from the snippet');
      // Microphone audio captured by the blob: worklet, encoded and sent by the blob: worker.
      const srv = await waitForLog(tag, (ss) => (ss[0]?.audio?.chunks ?? 0) > 10 && ss[0]!, 10000);
      expect(srv.audio.appendsBeforeUpdated).to.equal(0);
      expect(violations).to.deep.equal([]);
      expect(warnings).to.deep.equal([]);
      expect(fatal).to.deep.equal([]);
      await el.stop();
    } finally {
      frame.remove();
    }
  });
});
