import { expect, fixture, html } from '@open-wc/testing';
import '../src/define.js';
import type { NavtalkAvatarElement } from '../src/navtalk-avatar.js';
import { nextEvent, record, simLog, simUrl, uniqueTag, waitForLog } from './support/sim.js';

const EVENTS = ['navtalk-state', 'navtalk-connected', 'navtalk-transcript', 'navtalk-function-call', 'navtalk-speech', 'navtalk-error', 'navtalk-disconnected'];

// Elements inside a plain wrapper (to see events bubble out). Built by hand rather than with fixture(), which
// waits for an animation frame on non-Lit roots, and pages of a parallel run may get none.
const wrappers: HTMLElement[] = [];
afterEach(() => wrappers.splice(0).forEach((w) => w.remove()));
async function avatar(tag: string, attrs = '') {
  const url = await simUrl(tag);
  const wrapper = document.createElement('div');
  wrapper.innerHTML = `<navtalk-avatar server-url="${url}" avatar-id="sim-avatar" text-only ${attrs}></navtalk-avatar>`;
  document.body.append(wrapper);
  wrappers.push(wrapper);
  const el = wrapper.querySelector('navtalk-avatar')!;
  await el.updateComplete;
  return el;
}
const shadow = (el: Element, sel: string) => el.shadowRoot!.querySelector(sel) as HTMLElement;

describe('<navtalk-avatar>', () => {
  it('is registered and has the documented defaults', () => {
    const el = document.createElement('navtalk-avatar');
    expect(el.serverUrl).to.equal('wss://transfer.navtalk.ai/wss/v2/realtime-chat');
    expect(el.api).to.equal('v2');
    expect(el.mode).to.equal('inline');
    expect(el.position).to.equal('bottom-right');
    expect(el.chunkMs).to.equal(40);
    expect(el.state).to.equal('idle');
    for (const p of ['open', 'autostart', 'muted', 'textOnly']) expect((el as any)[p]).to.equal(false);
  });

  it('maps every attribute to its property', async () => {
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar
      server-url="wss://relay.example/navtalk"
      license="k"
      avatar-id="a1"
      character="navtalk.Lily"
      api="legacy"
      voice="cedar"
      prompt="Be kind"
      mode="floating"
      position="bottom-left"
      open
      muted
      text-only
      chunk-ms="60"
    ></navtalk-avatar>`);
    expect(el).to.include({ serverUrl: 'wss://relay.example/navtalk', license: 'k', avatarId: 'a1', character: 'navtalk.Lily', api: 'legacy', voice: 'cedar', prompt: 'Be kind', mode: 'floating', position: 'bottom-left', open: true, muted: true, textOnly: true, chunkMs: 60 });
    el.open = false;
    el.muted = false;
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(false);
    expect(el.hasAttribute('muted')).to.equal(false);
  });

  it('keeps properties a page set before the tag was defined, and converts and reflects attributes both ways', async () => {
    // A page (or framework) may set properties on the element before the script defining the tag has run.
    const { NavtalkAvatarElement } = await import('../src/navtalk-avatar.js');
    const name = `navtalk-early-${Math.random().toString(36).slice(2)}`;
    const el = document.createElement(name) as NavtalkAvatarElement;
    const tools = [{ name: 'ping', description: 'Ping', parameters: { type: 'object', properties: {} } }];
    Object.assign(el, { tools, mode: 'floating', chunkMs: 80 });
    el.setAttribute('echo-cancellation', 'off');
    document.body.append(el);
    wrappers.push(el);
    customElements.define(name, class extends NavtalkAvatarElement {});
    await el.updateComplete;
    expect(el.tools).to.equal(tools);
    expect(el.mode).to.equal('floating');
    expect(el.getAttribute('mode')).to.equal('floating');
    expect(el.chunkMs).to.equal(80);
    expect(el.echoCancellation).to.equal(false);
    expect(el.shadowRoot!.querySelector('[part="launcher"]')).to.not.equal(null);
    // Attribute -> property with the converters; property -> attribute where reflected; no loop between them.
    el.setAttribute('chunk-ms', '25');
    el.setAttribute('noise-suppression', 'false');
    el.removeAttribute('echo-cancellation');
    expect([el.chunkMs, el.noiseSuppression, el.echoCancellation]).to.deep.equal([25, false, true]);
    el.open = true;
    el.mode = 'inline';
    await el.updateComplete;
    expect([el.getAttribute('open'), el.getAttribute('mode')]).to.deep.equal(['', 'inline']);
    expect(el.hasAttribute('chunk-ms')).to.equal(true);
    el.removeAttribute('open');
    expect(el.open).to.equal(false);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="launcher"]')).to.equal(null);
    // Changes while out of the document render when it comes back.
    el.remove();
    el.mode = 'floating';
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="launcher"]')).to.equal(null);
    document.body.append(el);
    await el.updateComplete;
    expect(el.getAttribute('mode')).to.equal('floating');
    expect(el.shadowRoot!.querySelector('[part="launcher"]')!.getAttribute('aria-label')).to.equal('打开助手');
  });

  it('holds a conversation: start, state reflected, typed message, streamed answer, events bubble out of the element', async () => {
    const tag = uniqueTag('el-happy');
    const el = await avatar(tag);
    const outer = el.parentElement!;
    const log = record(outer, EVENTS);
    await el.start();
    expect(el.state).to.equal('listening');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('listening');
    expect(log.find((e) => e.type === 'navtalk-connected')!.detail.sessionId).to.match(/^sim-/);

    const input = shadow(el, 'input[part="text-input"]') as HTMLInputElement;
    input.value = 'Hello from the keyboard';
    (shadow(el, 'button[part="send-button"]') as HTMLButtonElement).click();
    const done = await nextEvent<any>(outer, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: Hello from the keyboard');
    expect(input.value).to.equal('');
    await el.updateComplete;
    const messages = [...el.shadowRoot!.querySelectorAll('[part="message"]')].map((m) => [m.querySelector('.who')!.textContent, m.querySelector('.text')!.textContent]);
    expect(messages).to.deep.equal([
      ['You', 'Hello from the keyboard'],
      ['Avatar', 'You said: Hello from the keyboard'],
    ]);
    const ev = log.find((e) => e.type === 'navtalk-transcript')!;
    expect(ev.detail).to.have.keys(['id', 'role', 'text', 'delta', 'final']);
  });

  it('fires events with bubbles and composed set', async () => {
    const tag = uniqueTag('el-flags');
    const el = await avatar(tag);
    const got = new Promise<Event>((resolve) => el.addEventListener('navtalk-state', resolve, { once: true }));
    void el.start();
    const e = await got;
    expect(e.bubbles).to.equal(true);
    expect(e.composed).to.equal(true);
    await el.stop();
  });

  it('lets the page answer a function call with respond(), and through functionHandlers', async () => {
    const tag = uniqueTag('el-fn');
    const el = await avatar(tag);
    el.tools = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    el.addEventListener('navtalk-function-call', (e) => e.detail.respond({ city: e.detail.arguments.city, tempC: 18 }));
    await el.start();
    el.sendText('How is the weather in Rome?');
    const done = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.final && d.text.includes('result'));
    expect(done.text).to.equal('The get_weather result is: {"city":"Rome","tempC":18}');
    await el.stop();

    const tag2 = uniqueTag('el-fn-handlers');
    const el2 = await avatar(tag2);
    el2.tools = el.tools;
    el2.functionHandlers = { get_weather: async ({ city }) => `Sunny in ${city}` };
    await el2.start();
    el2.sendText('weather in Kyoto');
    const done2 = await nextEvent<any>(el2, 'navtalk-transcript', (d) => d.final && d.text.includes('result'));
    expect(done2.text).to.equal('The get_weather result is: Sunny in Kyoto');
  });

  it('answers through submitFunctionResult(callId, output)', async () => {
    const tag = uniqueTag('el-submit');
    const el = await avatar(tag);
    el.tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    await el.start();
    el.sendText('weather in Cairo');
    const call = await nextEvent<any>(el, 'navtalk-function-call');
    expect(el.submitFunctionResult(call.callId, 'hot')).to.equal(true);
    expect(el.submitFunctionResult(call.callId, 'hot')).to.equal(false);
    const done = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.final && d.text.includes('result'));
    expect(done.text).to.equal('The get_weather result is: hot');
  });

  it('reads tools and history from a child JSON script (CMS use without JavaScript)', async () => {
    const tag = uniqueTag('el-json');
    const url = await simUrl(tag);
    const el = await fixture<NavtalkAvatarElement>(`<navtalk-avatar server-url="${url}" character="navtalk.Emma" text-only>
      <script type="application/json">{"tools":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
        "history":[{"role":"user","text":"I live in Lyon."},{"role":"assistant","text":"Nice."}]}</script>
    </navtalk-avatar>`);
    await el.start();
    const [srv] = await simLog(tag);
    expect(srv!.inputConfig!.tools!.map((t: any) => t.name)).to.deep.equal(['get_weather']);
    const items = srv!.received.filter((m) => m.type === 'conversation.item.create').map((m) => m.msg.item.content[0].text);
    expect(items).to.deep.equal(['I live in Lyon.']);
  });

  it('reports a config error, visibly, when no avatar is chosen', async () => {
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar server-url="ws://127.0.0.1:9/x" text-only></navtalk-avatar>`);
    const err = nextEvent<any>(el, 'navtalk-error');
    await el.start();
    expect(await err).to.include({ code: 'config', fatal: true });
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
    expect(shadow(el, '[part="error"]').textContent).to.contain('avatar');
  });

  it('shows a fatal server error with its code and never leaks the license', async () => {
    const tag = uniqueTag('el-bad');
    const el = await avatar(tag, 'license="bad-license"');
    const seen: string[] = [];
    for (const t of EVENTS) el.addEventListener(t, (e) => seen.push(JSON.stringify((e as CustomEvent).detail)));
    const err = nextEvent<any>(el, 'navtalk-error');
    await el.start();
    expect(await err).to.include({ code: 'invalid-license', fatal: true });
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
    expect(shadow(el, '[part="error"]').dataset.code).to.equal('invalid-license');
    expect(seen.join('\n')).not.to.contain('bad-license');
    expect(el.shadowRoot!.innerHTML).not.to.contain('bad-license');
  });

  it('stop() and removal from the DOM end the call', async () => {
    const tag = uniqueTag('el-remove');
    const el = await avatar(tag);
    await el.start();
    el.remove();
    await waitForLog(tag, (ss) => ss[0]!.closedAt !== null);
    expect(el.state).to.equal('closed');
  });

  it('autostart starts the call when connected', async () => {
    const tag = uniqueTag('el-auto');
    const url = await simUrl(tag);
    const el = document.createElement('navtalk-avatar');
    el.setAttribute('server-url', url);
    el.setAttribute('avatar-id', 'x');
    el.setAttribute('text-only', '');
    el.setAttribute('autostart', '');
    const connected = nextEvent(el, 'navtalk-connected');
    document.body.append(el);
    await connected;
    el.remove();
  });

  it('renders transcript text as text, never as HTML', async () => {
    const tag = uniqueTag('el-xss');
    const el = await avatar(tag);
    await el.start();
    el.sendText('<img src=x onerror="window.__pwned=1"><b>bold</b>');
    await nextEvent<any>(el, 'navtalk-transcript', (d) => d.final && d.role === 'assistant');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="transcript"] img, [part="transcript"] b')).to.equal(null);
    expect(shadow(el, '[part="transcript"]').textContent).to.contain('<img src=x');
    expect((window as any).__pwned).to.equal(undefined);
  });

  it('runs two elements on one page as two independent sessions', async () => {
    const [ta, tb] = [uniqueTag('el-two-a'), uniqueTag('el-two-b')];
    const [a, b] = [await avatar(ta), await avatar(tb)];
    await Promise.all([a.start(), b.start()]);
    const aEvents = record(a, ['navtalk-transcript']);
    const bIdle = nextEvent<any>(b, 'navtalk-state', (d) => d.state === 'listening');
    b.sendText('only B');
    await nextEvent<any>(b, 'navtalk-transcript', (d) => d.final && d.role === 'assistant');
    await bIdle;
    expect(aEvents).to.have.length(0);
    await a.stop();
    expect(b.state).to.equal('listening');
    const [sa, sb] = [(await simLog(ta))[0]!, (await simLog(tb))[0]!];
    expect(sa.id).not.to.equal(sb.id);
    expect(sb.conversation.filter((c) => c.role === 'user').map((c) => c.text)).to.deep.equal(['only B']);
  });

  it('switches UI language with lang and honours string overrides', async () => {
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar lang="zh-CN" avatar-id="x" text-only></navtalk-avatar>`);
    expect(shadow(el, '[part="call-button"]').textContent!.trim()).to.equal('开始通话');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(shadow(el, '[part="call-button"]').textContent!.trim()).to.equal('Start call');
    el.strings = { start: 'Talk to us' };
    await el.updateComplete;
    expect(shadow(el, '[part="call-button"]').textContent!.trim()).to.equal('Talk to us');
  });
});
