// Theming (custom properties and parts), language, the JSON child config, attribute changes, text-only mode.
import { expect } from '@open-wc/testing';
import { nextEvent, simLog, uniqueTag } from '../support/sim.js';
import { has, inState, mount, part, parts, text, typeAndSend, whenMutated } from './helpers.js';

describe('theming', () => {
  let sheet: HTMLStyleElement;
  before(() => {
    sheet = document.createElement('style');
    sheet.textContent = `
      .themed { --navtalk-accent: rgb(1, 2, 3); --navtalk-radius: 3px; --navtalk-font: monospace; }
      .themed::part(call-button) { text-transform: uppercase; }
      .themed::part(bubble user) { font-style: italic; }
      .themed::part(launcher) { outline: 4px solid rgb(9, 9, 9); }`;
    document.head.append(sheet);
  });
  after(() => sheet.remove());

  it('public custom properties reach the private variables', async () => {
    const el = await mount(uniqueTag('theme-vars'), 'class="themed" text-only');
    expect(getComputedStyle(part(el, 'call-button')).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(part(el, 'panel')).borderTopLeftRadius).to.equal('3px');
    expect(getComputedStyle(part(el, 'panel')).fontFamily).to.equal('monospace');
  });

  it('::part styles the controls, the user bubbles and the launcher', async () => {
    const el = await mount(uniqueTag('theme-parts'), 'class="themed" text-only mode="floating" open');
    expect(getComputedStyle(part(el, 'call-button')).textTransform).to.equal('uppercase');
    expect(getComputedStyle(part(el, 'launcher')).outlineColor).to.equal('rgb(9, 9, 9)');
    await el.start();
    typeAndSend(el, 'style me');
    await el.updateComplete;
    const [user] = parts(el, 'bubble');
    expect(getComputedStyle(user!).fontStyle).to.equal('italic');
  });

  it('named slots replace the header, the launcher icon, the empty state and the poster', async () => {
    const el = await mount(
      uniqueTag('theme-slots'),
      'text-only mode="floating" open',
      '<b slot="header">Ask Nora</b><i slot="launcher-icon">N</i><p slot="empty">Nothing yet</p><img slot="poster" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
    );
    for (const name of ['header', 'launcher-icon', 'empty', 'poster']) {
      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>(`slot[name="${name}"]`)!;
      expect(slot.assignedElements().length, name).to.equal(1);
    }
  });
});

describe('language', () => {
  it('lang on the element, then on the page, chooses the table; strings override any string, states merge', async () => {
    const el = await mount(uniqueTag('lang'), 'lang="zh-CN" text-only');
    expect(text(part(el, 'status'))).to.equal('就绪');
    expect(text(part(el, 'call-button'))).to.equal('开始通话');
    expect(part<HTMLInputElement>(el, 'text-input').placeholder).to.equal('输入消息…');
    expect(part(el, 'panel').getAttribute('aria-label')).to.equal('数字人');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('Ready');
    el.strings = { states: { idle: 'Say hi' } as never, send: 'Go' };
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('Say hi');
    expect(part(el, 'send-button').getAttribute('aria-label')).to.equal('Go');
    expect(text(part(el, 'call-button'))).to.equal('Start call');

    const inherited = await mount(uniqueTag('lang-page'), 'text-only', '', {}, 'lang="zh"');
    expect(text(part(inherited, 'call-button'))).to.equal('开始通话');
  });

  it('error banners speak the visitor\'s language', async () => {
    const el = await mount(uniqueTag('lang-err'), 'lang="zh-CN" text-only license="gpu-full"');
    await el.start();
    await el.updateComplete;
    expect(text(part(el, 'error').querySelector('p'))).to.equal('助手正忙，请稍后再试。');
    expect(text(part(el, 'retry-button'))).to.equal('重试');
  });
});

describe('configuration', () => {
  it('a child JSON script that is not JSON, or JSON that is not an object, configures nothing', async () => {
    for (const body of ['not json', 'null', '42', '"text"', '[1]']) {
      const el = await mount(null, 'text-only', `<script type="application/json">${body}</script>`);
      expect(text(part(el, 'call-button'))).to.equal('Start call');
      el.lang = 'zh-CN';
      await el.updateComplete;
      expect(text(part(el, 'call-button'))).to.not.equal('Start call');
    }
  });

  it('a child JSON script carries strings, tools and history; the strings property wins over it', async () => {
    const tag = uniqueTag('json');
    const el = await mount(
      tag,
      'text-only',
      `<script type="application/json">{"strings": {"start": "Let's talk", "states": {"idle": "Here for you"}},
        "tools": [{"name": "get_weather", "parameters": {"type": "object", "properties": {}}}],
        "history": [{"role": "user", "text": "I am from Oslo."}]}</script>`,
    );
    expect(text(part(el, 'call-button'))).to.equal("Let's talk");
    expect(text(part(el, 'status'))).to.equal('Here for you');
    await el.start();
    const [srv] = await simLog(tag);
    expect(srv!.inputConfig!.tools!.map((t: any) => t.name)).to.deep.equal(['get_weather']);
    // What the client replayed, as it reached the wire (the simulator's own history flag depends on timing).
    const items = srv!.received.filter((m) => m.type === 'conversation.item.create').map((m) => m.msg.item.content[0].text);
    expect(items).to.deep.equal(['I am from Oslo.']);
    el.strings = { start: 'Call' };
    await el.stop();
    await el.updateComplete;
    expect(text(part(el, 'call-button'))).to.equal('Call');
  });

  it('attribute changes while idle apply to the next start; during a call, to the next call', async () => {
    const tag = uniqueTag('attrs');
    const el = await mount(tag, 'text-only voice="alloy"');
    el.setAttribute('voice', 'cedar');
    await el.start();
    el.setAttribute('voice', 'verse'); // during the call: kept for the next one
    await el.stop();
    await el.start();
    await el.stop();
    const sessions = await simLog(tag);
    expect(sessions.map((s) => s.inputConfig?.voice)).to.deep.equal(['cedar', 'verse']);
  });
});

describe('text-only', () => {
  let real: typeof navigator.mediaDevices.getUserMedia;
  let calls = 0;
  beforeEach(() => {
    calls = 0;
    real = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = (c) => {
      calls++;
      return real.call(navigator.mediaDevices, c);
    };
  });
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = real;
  });

  it('text-only: the conversation goes on by typing and getUserMedia is never called', async () => {
    const el = await mount(uniqueTag('text-only'), 'text-only');
    expect(has(el, 'mic-button')).to.equal(false);
    await el.start();
    typeAndSend(el, 'no microphone please');
    const reply = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    expect(reply.text).to.equal('You said: no microphone please');
    expect(calls).to.equal(0);
  });

  it('a denied microphone switches the UI to typing (mic-denied, not fatal) and the call goes on', async () => {
    navigator.mediaDevices.getUserMedia = () => {
      calls++;
      return Promise.reject(new DOMException('denied by test', 'NotAllowedError'));
    };
    const el = await mount(uniqueTag('mic-denied'));
    expect(has(el, 'mic-button')).to.equal(true);
    const denied = nextEvent<any>(el, 'navtalk-error', (d) => d.code === 'mic-denied');
    await el.start();
    expect(await denied).to.include({ fatal: false });
    await el.updateComplete;
    expect(has(el, 'mic-button')).to.equal(false);
    expect(part(el, 'error').dataset.code).to.equal('mic-denied');
    expect(text(part(el, 'error').querySelector('p'))).to.equal('The microphone is not available. You can still type.');
    typeAndSend(el, 'typing instead');
    const reply = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    expect(reply.text).to.equal('You said: typing instead');
    expect(calls).to.equal(1);
  });

  it('with a microphone, the mute toggle shows its live level', async () => {
    const el = await mount(uniqueTag('mic-level'), '', '', { simSay: '' });
    await el.start();
    const level = part(el, 'mic-level');
    await whenMutated(level, () => Number(level.style.getPropertyValue('--_level')) > 0);
    el.muted = true;
    await el.updateComplete;
    expect(level.style.getPropertyValue('--_level')).to.equal('0');
  });
});
