// Shared by the device tests: a microphone that cannot be had must not stop the conversation.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, simUrl, uniqueTag } from '../support/sim.js';

export function micFailureSuite(code: 'mic-denied' | 'mic-unavailable') {
  it(`reports ${code}, shows it, and the conversation goes on by text`, async () => {
    const tag = uniqueTag(code);
    const url = await simUrl(tag);
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar server-url=${url} avatar-id="x"></navtalk-avatar>`);
    const err = nextEvent<any>(el, 'navtalk-error', (e) => e.code.startsWith('mic-'), 10000);
    await el.start();
    expect(await err).to.deep.include({ code, fatal: false });
    expect(el.state).not.to.equal('error');
    await el.updateComplete;
    const banner = el.shadowRoot!.querySelector('[part~="error"]') as HTMLElement;
    expect(banner?.dataset.code).to.equal(code);
    expect(el.sendText('typing instead')).to.equal(true);
    const done = await nextEvent<any>(el, 'navtalk-transcript', (d) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: typing instead');
    await el.stop();
  });
}
