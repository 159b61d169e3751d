// Every state of the widget renders what a visitor needs, and axe-core finds no violation in any of them.
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, simSend, uniqueTag } from '../support/sim.js';
import { has, holdConnecting, inState, mount, part, parts, text, typeAndSend } from './helpers.js';

const accessible = (el: NavtalkAvatarElement) => expect(el).to.be.accessible();

describe('UI states', () => {
  it('idle: poster, Ready, empty conversation, start button, message box; no axe violations', async () => {
    const el = await mount(uniqueTag('ui-idle'), 'text-only');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(part(el, 'poster').hidden).to.equal(false);
    expect(part(el, 'poster').classList.contains('waiting')).to.equal(false);
    expect(text(part(el, 'status'))).to.equal('Ready');
    expect(text(part(el, 'empty'))).to.equal('Start a call or type a message.');
    expect(text(part(el, 'call-button'))).to.equal('Start call');
    expect(has(el, 'error')).to.equal(false);
    expect(has(el, 'captions')).to.equal(false);
    expect(part(el, 'panel').getAttribute('role')).to.equal('region');
    expect(has(el, 'launcher')).to.equal(false);
    await accessible(el);
  });

  it('connecting: the poster animates and the call can be ended; no axe violations', async () => {
    const release = holdConnecting();
    try {
      const el = await mount(uniqueTag('ui-connecting'), 'text-only');
      void el.start();
      await inState(el, 'connecting');
      expect(part(el, 'poster').classList.contains('waiting')).to.equal(true);
      expect(text(part(el, 'status'))).to.equal('Connecting…');
      expect(text(part(el, 'call-button'))).to.equal('End call');
      await accessible(el);
      await el.stop();
      await el.updateComplete;
      expect(text(part(el, 'status'))).to.equal('Call ended');
      expect(text(part(el, 'call-button'))).to.equal('Start call');
    } finally {
      release();
    }
  });

  it('in call: listening, then thinking and speaking with live captions, then the final reply in the log; no axe violations', async () => {
    const el = await mount(uniqueTag('ui-call'), 'text-only', '', { simDelay: 60 });
    await el.start();
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('Listening');
    await accessible(el);

    const thinking = inState(el, 'thinking');
    typeAndSend(el, 'Tell me a story about a lighthouse keeper');
    await thinking;
    expect(text(part(el, 'status'))).to.equal('Thinking…');

    // Mid-reply: captions show the streamed text; the streaming message is hidden from assistive technology.
    await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && !d.final && d.text.length > 12);
    await el.updateComplete;
    expect(el.state).to.equal('speaking');
    expect(text(part(el, 'status'))).to.equal('Speaking');
    const captions = part(el, 'captions');
    expect(captions.getAttribute('aria-hidden')).to.equal('true');
    expect(text(captions)).to.match(/^You said: Tell/);
    const streaming = parts(el, 'message').at(-1)!;
    expect(streaming.dataset.final).to.equal('false');
    expect(streaming.getAttribute('aria-hidden')).to.equal('true');
    // The reply may end while axe runs (it takes a while on a busy machine): listen for its end first.
    const final = nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    await accessible(el);

    await final;
    await inState(el, 'listening');
    expect(has(el, 'captions')).to.equal(false);
    const [user, reply] = parts(el, 'message');
    expect(user!.dataset.role).to.equal('user');
    expect(text(user!.querySelector('.text'))).to.equal('Tell me a story about a lighthouse keeper');
    expect(user!.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(reply!.hasAttribute('aria-hidden')).to.equal(false);
    // A new node for the final segment, so the log announces it once.
    expect(reply === streaming).to.equal(false);
    expect(reply!.querySelector('.text')!.getAttribute('part')).to.equal('bubble assistant');
  });

  it('stop control: shown while the avatar speaks, it cuts the reply where it is and gives focus to the message box', async () => {
    const tag = uniqueTag('ui-stop');
    const el = await mount(tag, 'text-only', '', { simDelay: 60 });
    await el.start();
    await el.updateComplete;
    expect(has(el, 'stop-button')).to.equal(false);
    typeAndSend(el, 'Tell me a long story about a lighthouse keeper and the sea');
    const partial = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && !d.final && d.text.split(' ').length >= 4);
    await el.updateComplete;
    const stop = part<HTMLButtonElement>(el, 'stop-button');
    expect(stop.getAttribute('aria-label')).to.equal('Stop the reply');
    const cut = nextEvent<any>(el, 'navtalk-transcript', (d) => d.id === partial.id && d.final);
    stop.click();
    const final = await cut;
    await el.updateComplete;
    expect(el.state).to.equal('listening');
    expect(has(el, 'stop-button')).to.equal(false);
    expect(has(el, 'captions')).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'text-input'));
    expect(final.text).not.to.equal('You said: Tell me a long story about a lighthouse keeper and the sea');
    const reply = parts(el, 'message').at(-1)!;
    expect(reply.dataset.final).to.equal('true');
    expect(text(reply.querySelector('.text'))).to.equal(final.text.trim());
  });

  it('reconnecting: status and the poster animation while the call comes back', async () => {
    const tag = uniqueTag('ui-reconnect');
    const el = await mount(tag, 'text-only');
    await el.start();
    const reconnecting = inState(el, 'reconnecting');
    await simSend(tag, [{ close: { code: 4001, reason: 'dropped by test' } }]);
    await reconnecting;
    expect(text(part(el, 'status'))).to.equal('Reconnecting…');
    expect(part(el, 'poster').classList.contains('waiting')).to.equal(true);
    expect(text(part(el, 'call-button'))).to.equal('End call');
    await inState(el, 'listening');
    expect(part(el, 'poster').classList.contains('waiting')).to.equal(false);
  });

  it('error: a banner in the visitor\'s words with Try again; retry starts a new call; no axe violations', async () => {
    const tag = uniqueTag('ui-error');
    const el = await mount(tag, 'text-only license="gpu-full"');
    await el.start();
    await el.updateComplete;
    expect(el.state).to.equal('error');
    const banner = part(el, 'error');
    expect(banner.dataset.code).to.equal('gpu-full');
    expect(banner.getAttribute('role')).to.equal('alert');
    expect(text(banner.querySelector('p'))).to.equal('The assistant is busy. Please try again soon.');
    expect(text(part(el, 'status'))).to.equal('Something went wrong');
    await accessible(el);

    el.license = undefined;
    const connecting = inState(el, 'connecting');
    part(el, 'retry-button').click();
    await connecting;
    expect(has(el, 'error')).to.equal(false);
    await inState(el, 'listening');
    expect(el.shadowRoot!.activeElement === part(el, 'call-button')).to.equal(true);
  });

  it('error the site must fix: no retry, a dismiss button that hides the banner', async () => {
    const el = await mount(uniqueTag('ui-license'), 'text-only license="bad-license"');
    await el.start();
    await el.updateComplete;
    expect(part(el, 'error').dataset.code).to.equal('invalid-license');
    expect(has(el, 'retry-button')).to.equal(false);
    part(el, 'dismiss-button').click();
    await el.updateComplete;
    expect(has(el, 'error')).to.equal(false);
    expect(el.shadowRoot!.activeElement === part(el, 'text-input')).to.equal(true);
  });

  it('a config error shows the developer\'s detail', async () => {
    const el = await mount(null, 'text-only');
    el.removeAttribute('avatar-id');
    await el.start();
    await el.updateComplete;
    expect(part(el, 'error').dataset.code).to.equal('config');
    expect(text(part(el, 'error').querySelector('small'))).to.contain('avatar-id');
  });

  it('dark scheme (prefers-color-scheme) in call: dark surface, no axe violations', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const el = await mount(uniqueTag('ui-dark'), 'text-only');
      await el.start();
      typeAndSend(el, 'hello in the dark');
      await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'panel')).backgroundColor).to.equal('rgb(17, 24, 39)');
      await accessible(el);
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});
