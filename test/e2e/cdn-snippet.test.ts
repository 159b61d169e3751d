// The CDN snippet (tools/snippet.mjs, dist/snippet.json and dist/snippet.html) with Subresource Integrity: the
// CDN file from another origin with its generated hash loads and registers the tag; with one character of the hash
// changed the browser refuses it. Then the published snippet itself, its jsDelivr URLs pointed at the test CDN, on a
// fresh page (an iframe): tag registered, and, when the CDN build has lazily loaded chunks, their import map hashes
// are enforced. Nothing from src/ is imported here.
import { expect } from '@open-wc/testing';
import { getServers, simUrl, uniqueTag, waitForLog } from '../support/sim.js';

interface Snippet {
  version: string;
  base: string;
  url: string;
  integrity: string;
  chunks: Record<string, string>;
  importMap: string | null;
  importMapCsp: string | null;
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

const hash = async (alg: 'SHA-256' | 'SHA-384', bytes: BufferSource) =>
  `${alg.replace('-', '').toLowerCase()}-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest(alg, bytes))))}`;
const sha384 = (bytes: ArrayBuffer) => hash('SHA-384', bytes);
/** The CSP source for an inline script's text. */
const cspHash = async (text: string) => `'${await hash('SHA-256', new TextEncoder().encode(text))}'`;
const importMapOf = (markup: string) => /<script type="importmap">([\s\S]*?)<\/script>/.exec(markup)?.[1] ?? null;

/** The snippet on a fresh page (its own import map and module map), its URLs on the test CDN, its server on loopback. */
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

/** `html` with the jsDelivr URLs on the test CDN (import map keys included) and a loopback server URL. */
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
    for (const [url, integrity] of Object.entries(snippet.chunks)) {
      expect(url.startsWith(snippet.base), url).to.equal(true);
      expect(await sha384(await (await fetch(local(url))).arrayBuffer()), url).to.equal(integrity);
    }
    expect(html).to.include(`src="${snippet.url}"`);
    expect(html).to.include(`integrity="${snippet.integrity}" crossorigin="anonymous"`);
    // The import map, when there are chunks: exactly the text whose CSP hash the docs give.
    expect(importMapOf(html)).to.equal(snippet.importMap);
    expect(snippet.importMap !== null).to.equal(Object.keys(snippet.chunks).length > 0);
    if (snippet.importMap) {
      expect(JSON.parse(snippet.importMap)).to.deep.equal({ integrity: snippet.chunks });
      expect(await cspHash(snippet.importMap)).to.equal(snippet.importMapCsp);
      expect(snippet.csp).to.include(snippet.importMapCsp!);
    }
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
      // Every chunk it may load later, through the page's import map (integrity checked): all load.
      const load = new win.Function('u', 'return import(u)');
      for (const url of Object.keys(snippet.chunks)) await load(local(url));
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
    // docs/csp.md's policy with the test's origins (and the hash of the import map with its URLs changed), behind
    // default-src 'none': anything else the snippet needed would be a violation.
    const localMap = importMapOf(markup);
    let policy = snippet.csp
      .split(new URL(snippet.base).origin).join(new URL(cdn).origin)
      .replace(/connect-src [^;]+/, `connect-src ${new URL(server).origin}`);
    if (snippet.importMapCsp) policy = policy.split(snippet.importMapCsp).join(await cspHash(localMap!));
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

  it('a chunk whose import map hash is wrong does not load', async function () {
    const chunks = Object.entries(snippet.chunks);
    if (!chunks.length) this.skip(); // the CDN build is one file: no import map in the snippet
    for (const [url, integrity] of chunks) {
      const { frame, win } = await snippetPage(await localMarkup(html.replace(integrity, tamper(integrity))));
      try {
        const load = new win.Function('u', 'return import(u)');
        const outcome = await load(local(url)).then(() => 'loaded', () => 'refused');
        expect(outcome, url).to.equal('refused');
      } finally {
        frame.remove();
      }
    }
  });
});
