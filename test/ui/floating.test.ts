// Floating mode: launcher, panel as a labelled non-modal dialog, keyboard flows, Escape, autostart on open,
// the speaking launcher, the mobile sheet.
import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, uniqueTag } from '../support/sim.js';
import { has, inState, mount, part, text } from './helpers.js';

const focused = (el: NavtalkAvatarElement) => el.shadowRoot!.activeElement?.getAttribute('part') ?? null;

describe('floating mode', () => {
  it('closed: only the launcher; open: a labelled non-modal dialog; no axe violations either way', async () => {
    const el = await mount(uniqueTag('fl-axe'), 'mode="floating" text-only');
    const launcher = part(el, 'launcher');
    const panel = part(el, 'panel');
    expect(panel.hidden).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(launcher.getAttribute('aria-label')).to.equal('Open the assistant');
    expect(getComputedStyle(launcher).position).to.equal('fixed');
    await expect(el).to.be.accessible();

    launcher.click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(panel.hidden).to.equal(false);
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-label')).to.equal('Digital human');
    expect(panel.hasAttribute('aria-modal')).to.equal(false);
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    expect(launcher.getAttribute('aria-controls')).to.equal(panel.id);
    expect(focused(el)).to.equal('call-button');
    expect(el.state).to.equal('idle'); // no autostart: opening does not start the call
    await expect(el).to.be.accessible();
  });

  it('keyboard: open, start, mute, type, send, end, Escape back to the launcher', async () => {
    const tag = uniqueTag('fl-keys');
    const el = await mount(tag, 'mode="floating"');
    part(el, 'launcher').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(focused(el)).to.equal('call-button');

    const listening = inState(el, 'listening');
    await sendKeys({ press: 'Enter' });
    await listening;
    expect(text(part(el, 'call-button'))).to.equal('End call');

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('mic-button');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.muted).to.equal(true);
    expect(part(el, 'mic-button').getAttribute('aria-pressed')).to.equal('true');

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('text-input');
    await sendKeys({ type: 'Hello from the keys' });
    const reply = nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    await sendKeys({ press: 'Enter' });
    expect((await reply).text).to.equal('You said: Hello from the keys');
    expect(part<HTMLInputElement>(el, 'text-input').value).to.equal('');

    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)).to.equal('call-button');
    const closed = inState(el, 'closed');
    await sendKeys({ press: 'Enter' });
    await closed;

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(part(el, 'panel').hidden).to.equal(true);
    expect(focused(el)).to.equal('launcher');
  });

  it('the close button closes and returns focus to the launcher; the launcher toggles', async () => {
    const el = await mount(uniqueTag('fl-close'), 'mode="floating" open text-only');
    expect(part(el, 'panel').hidden).to.equal(false);
    part(el, 'close-button').click();
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(focused(el)).to.equal('launcher');
    part(el, 'launcher').click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    part(el, 'launcher').click();
    await el.updateComplete;
    expect(el.open).to.equal(false);
    // Closed by the page while focus is inside: focus goes to the launcher, not to the page's body.
    part(el, 'launcher').click();
    await el.updateComplete;
    expect(focused(el)).to.equal('call-button');
    el.open = false;
    await el.updateComplete;
    expect(focused(el)).to.equal('launcher');
  });

  it('autostart starts the call when the panel opens, not before', async () => {
    const el = await mount(uniqueTag('fl-auto'), 'mode="floating" autostart text-only');
    expect(el.state).to.equal('idle');
    const listening = inState(el, 'listening');
    el.open = true;
    await listening;
  });

  it('the launcher shows that the avatar speaks while the panel is closed; the call goes on closed', async () => {
    const el = await mount(uniqueTag('fl-talk'), 'mode="floating" open text-only', '', { simDelay: 60 });
    await el.start();
    el.open = false;
    await el.updateComplete;
    expect(el.state).to.equal('listening');
    el.sendText('Say something while I browse');
    await inState(el, 'speaking');
    expect(part(el, 'launcher').classList.contains('talking')).to.equal(true);
    el.open = true;
    await el.updateComplete;
    expect(part(el, 'launcher').classList.contains('talking')).to.equal(false);
  });

  it('position bottom-left puts launcher and panel on the left', async () => {
    const el = await mount(uniqueTag('fl-left'), 'mode="floating" position="bottom-left" open text-only');
    part(el, 'panel').getAnimations().forEach((a) => a.finish()); // the opening slide
    const l = part(el, 'launcher').getBoundingClientRect();
    const p = part(el, 'panel').getBoundingClientRect();
    expect(l.left).to.be.below(innerWidth / 2);
    expect(p.left).to.be.below(innerWidth / 2);
    expect(p.bottom).to.be.at.most(l.top);
  });

  it('under 640 px wide the panel is a full-screen sheet', async () => {
    await setViewport({ width: 400, height: 700 });
    try {
      const el = await mount(uniqueTag('fl-sheet'), 'mode="floating" open text-only');
      part(el, 'panel').getAnimations().forEach((a) => a.finish());
      const r = part(el, 'panel').getBoundingClientRect();
      expect([r.left, r.top, r.width, r.height]).to.deep.equal([0, 0, 400, 700]);
      expect(getComputedStyle(part(el, 'launcher')).display).to.equal('none');
      await expect(el).to.be.accessible();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('prefers-reduced-motion stops the animations', async () => {
    const el = await mount(uniqueTag('fl-motion'), 'mode="floating" text-only');
    const launcher = part(el, 'launcher');
    launcher.classList.add('talking');
    expect(getComputedStyle(launcher).animationName).to.equal('pulse');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(launcher).animationName).to.equal('none');
      // The pulsing ring becomes a static one: the launcher still shows that the avatar speaks.
      expect(getComputedStyle(launcher).boxShadow).to.match(/ 0px 0px 0px 4px$/);
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
      launcher.classList.remove('talking');
    }
    expect(has(el, 'launcher')).to.equal(true);
  });
});
