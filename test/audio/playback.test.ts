import { expect } from '@open-wc/testing';
import { base64ToBytes } from '../../src/audio/pcm.js';
import { buildSessionConfig } from '../../src/config.js';
import { NavtalkCall } from '../../src/session/navtalk-call.js';
import type { ServerEvent } from '../../src/protocol/types.js';
import { nextEvent, simUrl, uniqueTag } from '../support/sim.js';

/** A started text-only call whose replies carry PCM deltas, and a running count of the samples pushed. */
async function textCall(tag: string) {
  const built = buildSessionConfig({ avatarId: 'x', serverUrl: await simUrl(tag, { simAudio: 1, simDelay: 40, simOffer: 'off' }) });
  if ('error' in built) throw new Error(built.error);
  const call = new NavtalkCall(built.config, { textOnly: true, muted: false, mic: { chunkMs: 40, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  await call.start();
  const counter = { pushed: 0 };
  call.session.on('server-event', (ev: ServerEvent) => {
    if (ev.type === 'audio-delta') counter.pushed += base64ToBytes(ev.audio).length / 2;
  });
  return { call, counter };
}

describe('assistant PCM playback (realtime.response.audio.delta)', () => {
  let call: NavtalkCall | undefined;
  afterEach(async () => call?.stop());

  it('plays every delta of an item and counts its frames', async () => {
    const { call: c, counter } = await textCall(uniqueTag('play'));
    call = c;
    const played = nextEvent<any>(call, 'played', () => true, 15000);
    call.session.sendText('one two three');
    const p = await played;
    expect(p.interrupted).to.equal(false);
    expect(counter.pushed).to.be.greaterThan(0);
    expect(p.frames).to.equal(counter.pushed);
  });

  it('stops at once on interrupt(), reporting what was heard', async () => {
    const { call: c, counter } = await textCall(uniqueTag('cut'));
    call = c;
    call.session.sendText('a much longer reply that keeps the avatar talking for quite a while longer');
    // Interrupt once a few words have arrived (and begun to play).
    await nextEvent<any>(call, 'transcript', (d) => d.role === 'assistant' && d.text.split(' ').length >= 6, 15000);
    const played = nextEvent<any>(call, 'played', () => true, 5000);
    call.session.interrupt();
    const p = await played;
    expect(p.interrupted).to.equal(true);
    expect(p.frames).to.be.lessThan(counter.pushed);
  });
});
