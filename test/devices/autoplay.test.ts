// Chromium launched with autoplay blocked until the user interacts: the avatar plays muted, the element says so
// and offers the sound control; a real click (user activation) turns the sound on.
import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../src/define.js';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, simUrl, uniqueTag } from '../support/sim.js';

describe('autoplay with sound blocked', () => {
  it('plays muted, reports autoplay-blocked, and a tap turns the sound on', async () => {
    const url = await simUrl(uniqueTag('autoplay'), { simOffer: 'late' });
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar server-url=${url} avatar-id="x" text-only></navtalk-avatar>`);
    const blocked = nextEvent<any>(el, 'navtalk-error', (e) => e.code === 'autoplay-blocked', 15000);
    void el.start();
    expect(await blocked).to.include({ fatal: false });
    await el.updateComplete;
    const video = el.shadowRoot!.querySelector('video')!;
    expect(video.muted).to.equal(true);
    await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
    const button = el.shadowRoot!.querySelector('[part~="sound-button"]') as HTMLButtonElement;
    expect(button).to.be.instanceOf(HTMLButtonElement);
    const r = button.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
    await el.updateComplete;
    await new Promise<void>((resolve) => (video.muted ? video.addEventListener('volumechange', () => resolve(), { once: true }) : resolve()));
    expect(video.muted).to.equal(false);
    expect(el.shadowRoot!.querySelector('[part~="sound-button"]')).to.equal(null);
    await el.stop();
  });
});
