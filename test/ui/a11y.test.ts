// Screen-reader contract: one debounced status, the log announces final segments, labelled real buttons.
import { expect } from '@open-wc/testing';
import { nextEvent, uniqueTag } from '../support/sim.js';
import { mount, part, parts, text, typeAndSend, whenMutated } from './helpers.js';

describe('accessibility', () => {
  it('the status announces the last of a burst once, after it held, and never the first value', async () => {
    const el = await mount(null);
    const live = el.shadowRoot!.querySelector('[role="status"]')!;
    const said: string[] = [];
    const observer = new MutationObserver(() => said.push(text(live)));
    observer.observe(live, { subtree: true, childList: true, characterData: true });
    const held = () => new Promise((r) => setTimeout(r, 700));
    await held();
    expect(text(live)).to.equal('');
    // A burst of status texts (the language switched back and forth): only the last is said, once.
    el.lang = 'zh-CN';
    await el.updateComplete;
    const last = text(part(el, 'status'));
    el.lang = 'en';
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.not.equal(last);
    el.lang = 'zh-CN';
    await el.updateComplete;
    await held();
    observer.disconnect();
    expect(said).to.deep.equal([last]);
  });

  it('one role=status for the state, inside the element; the transcript is a labelled log', async () => {
    const el = await mount(uniqueTag('a11y-status'), 'text-only');
    const statuses = el.shadowRoot!.querySelectorAll('[role="status"]');
    expect(statuses.length).to.equal(1);
    const live = statuses[0]!;
    expect(text(live)).to.equal('');
    await el.start();
    await whenMutated(live, () => text(live) === 'Listening');
    const log = part(el, 'transcript');
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-label')).to.equal('Conversation');
  });

  it('the log exposes only final messages to assistive technology', async () => {
    const el = await mount(uniqueTag('a11y-log'), 'text-only', '', { simDelay: 40 });
    await el.start();
    typeAndSend(el, 'count to ten slowly please');
    await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && !d.final);
    await el.updateComplete;
    const exposed = () => parts(el, 'message').filter((m) => !m.closest('[aria-hidden="true"]'));
    expect(exposed().map((m) => m.dataset.role)).to.deep.equal(['user']);
    await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    await el.updateComplete;
    expect(exposed().map((m) => m.dataset.role)).to.deep.equal(['user', 'assistant']);
  });

  it('controls are real buttons with names; the mic toggle keeps its name and reports aria-pressed', async () => {
    const el = await mount(uniqueTag('a11y-buttons'));
    const form = part<HTMLInputElement>(el, 'text-input').form;
    expect(form).to.be.instanceOf(HTMLFormElement);
    for (const name of ['call-button', 'mic-button', 'send-button']) {
      const b = part<HTMLButtonElement>(el, name);
      expect(b.tagName, name).to.equal('BUTTON');
      // Only the send button submits (the message form); the others submit nothing (no form owner, or type=button).
      if (name === 'send-button') expect([b.type, b.form], name).to.deep.equal(['submit', form]);
      else expect(b.form === null || b.type === 'button', name).to.equal(true);
      expect((b.getAttribute('aria-label') ?? text(b)).length, name).to.be.above(0);
    }
    const mic = part(el, 'mic-button');
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    mic.click();
    await el.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    expect(mic.getAttribute('aria-label')).to.equal('Mute microphone');
    const input = part<HTMLInputElement>(el, 'text-input');
    expect(el.shadowRoot!.querySelector(`label[for="${input.id}"]`)!.textContent).to.equal('Message');
  });

  it('focus is visible: every focusable part gets a 2px accent outline on keyboard focus', async () => {
    // Read from the stylesheet: in a parallel run this page may not have the system focus that :focus-visible needs.
    const el = await mount(uniqueTag('a11y-focus'), 'text-only');
    const rules = el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]) as CSSStyleRule[];
    const focus = rules.find((r) => r.selectorText === ':focus-visible')!;
    expect(focus.style.outline).to.equal('2px solid var(--_accent)');
    expect(rules.some((r) => /outline:\s*none/.test(r.cssText))).to.equal(false);
  });
});
