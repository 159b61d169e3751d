// Runs in a Chromium whose fake microphone plays test/fixtures/sine440.wav (440 Hz, 48 kHz) in a loop.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { buildSessionConfig } from '../../src/config.js';
import type { MediaOptions } from '../../src/session/navtalk-call.js';
import { NavtalkCall } from '../../src/session/navtalk-call.js';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, record, simLog, simUrl, uniqueTag, waitForLog } from '../support/sim.js';
import type { SimSession } from '../support/sim.js';

const MIC = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
const calls: NavtalkCall[] = [];
afterEach(async () => {
  await Promise.all(calls.splice(0).map((c) => c.stop()));
});

async function call(tag: string, media: Partial<MediaOptions['mic']> = {}, opts: Partial<MediaOptions> = {}) {
  const built = buildSessionConfig({ avatarId: 'sim-avatar', serverUrl: await simUrl(tag, { simSay: '' }) });
  if ('error' in built) throw new Error(built.error);
  const c = new NavtalkCall(built.config, { textOnly: false, muted: false, mic: { chunkMs: 40, ...MIC, ...media }, ...opts });
  calls.push(c);
  return c;
}

const audioAtLeast = (ms: number) => (ss: SimSession[]) => (ss[0]?.audio?.durationMs ?? 0) >= ms && ss[0]!;

describe('microphone uplink (440 Hz fake microphone)', () => {
  it('sends 24 kHz PCM16 the simulator measures as 440 Hz, in 40 ms chunks, nothing before session.updated', async () => {
    const tag = uniqueTag('sine');
    const c = await call(tag);
    const log = record(c, ['warning', 'error']);
    await c.start();
    expect(c.micActive).to.equal(true);
    const srv = await waitForLog(tag, audioAtLeast(3000), 15000);
    const a = srv.audio;
    const wallMs = a.lastAppendMs - a.firstAppendMs + 40;
    console.log(`440 Hz fixture: measured ${a.dominantHz} Hz, ${a.durationMs.toFixed(0)} ms of audio in ${wallMs.toFixed(0)} ms wall, RMS ${a.rms.toFixed(4)}`);
    expect(a.dominantHz).to.be.within(440 * 0.98, 440 * 1.02);
    expect(a.appendsBeforeUpdated).to.equal(0);
    expect(a.firstAppendAfterUpdatedMs).to.be.at.least(0);
    expect(new Set(a.chunkSamples)).to.deep.equal(new Set([960]));
    // Audio time against wall time: what arrived between the first and the last append, plus one chunk.
    const wall = a.lastAppendMs - a.firstAppendMs + 40;
    expect(Math.abs(a.durationMs - wall) / wall).to.be.below(0.05);
    // 0.5 amplitude sine: RMS 0.354 (-9.0 dBFS); the browser and two resamplers keep it within 1 dB.
    expect(20 * Math.log10(a.rms / 0.35355)).to.be.within(-1, 1);
    expect(srv.errors).to.deep.equal([]);
    const stats = await c.audioStats();
    expect(stats.encoderMode).to.equal('worker');
    expect(stats.uplink.droppedChunks).to.equal(0);
    expect(log).to.deep.equal([]);
  });

  it('sends every encoded sample exactly once', async () => {
    const tag = uniqueTag('once');
    const c = await call(tag);
    await c.start();
    await waitForLog(tag, audioAtLeast(1500), 15000);
    await c.stop();
    const stats = await c.audioStats();
    const [srv] = await waitForLog(tag, (ss) => ss[0]!.closedAt !== null && ss);
    expect(srv!.audio.samples).to.equal(stats.uplink.sentSamples);
    expect(srv!.audio.chunks).to.equal(stats.uplink.sentChunks);
  });

  it('honours chunk-ms', async () => {
    const tag = uniqueTag('chunk100');
    const c = await call(tag, { chunkMs: 100 });
    await c.start();
    const srv = await waitForLog(tag, audioAtLeast(1000), 15000);
    expect(new Set(srv.audio.chunkSamples)).to.deep.equal(new Set([2400]));
    expect(srv.audio.dominantHz).to.be.within(431, 449);
  });

  it('mute stops sending and disables the track; unmute resumes', async () => {
    const tag = uniqueTag('mute');
    const c = await call(tag);
    await c.start();
    await waitForLog(tag, audioAtLeast(500), 15000);
    c.setMuted(true);
    // Let the mute reach the worker: a full text turn (several hundred ms of events) happens while muted.
    const before = (await simLog(tag))[0]!.audio.chunks;
    c.session.sendText('are you there');
    await nextEvent(c, 'transcript', (d: any) => d.role === 'assistant' && d.final);
    const mid = (await simLog(tag))[0]!.audio.chunks;
    c.session.sendText('still muted');
    await nextEvent(c, 'transcript', (d: any) => d.role === 'assistant' && d.final);
    const after = (await simLog(tag))[0]!.audio.chunks;
    expect(mid - before).to.be.at.most(2);
    expect(after).to.equal(mid);
    c.setMuted(false);
    await waitForLog(tag, (ss) => ss[0]!.audio.chunks > after + 5, 10000);
  });

  it('a microphone unplugged mid-call (track ended) gives mic-unavailable; the conversation goes on by text', async () => {
    const tag = uniqueTag('unplug');
    // Spy (not fake) on getUserMedia to hold the real track; a page cannot unplug a device, so the unplug itself
    // is the track's own `ended` event after the track stops.
    const orig = navigator.mediaDevices.getUserMedia;
    let track: MediaStreamTrack | undefined;
    navigator.mediaDevices.getUserMedia = async (...args) => {
      const s = await orig.apply(navigator.mediaDevices, args);
      track = s.getAudioTracks()[0];
      return s;
    };
    try {
      const c = await call(tag);
      await c.start();
      await waitForLog(tag, audioAtLeast(500), 15000);
      const err = nextEvent<any>(c, 'error', (e) => e.code === 'mic-unavailable');
      track!.stop();
      track!.dispatchEvent(new Event('ended'));
      expect(await err).to.include({ fatal: false });
      expect(c.micActive).to.equal(false);
      expect(c.session.state).to.equal('listening');
      c.session.sendText('typing now');
      const done = await nextEvent<any>(c, 'transcript', (d: any) => d.role === 'assistant' && d.final);
      expect(done.text).to.equal('You said: typing now');
    } finally {
      navigator.mediaDevices.getUserMedia = orig;
    }
  });

  it('does not ask for the microphone in text-only mode', async () => {
    const tag = uniqueTag('textonly');
    const orig = navigator.mediaDevices.getUserMedia;
    let asked = 0;
    navigator.mediaDevices.getUserMedia = (...args) => {
      asked++;
      return orig.apply(navigator.mediaDevices, args);
    };
    try {
      const c = await call(tag, {}, { textOnly: true });
      await c.start();
      expect(c.micActive).to.equal(false);
      expect(asked).to.equal(0);
    } finally {
      navigator.mediaDevices.getUserMedia = orig;
    }
  });

  it('falls back to main-thread encoding with a warning when the worker and worklet cannot load', async () => {
    const tag = uniqueTag('fallback');
    const c = await call(tag, { assetsUrl: '/__missing-assets/' });
    const warnings = record(c, ['warning']);
    await c.start();
    const srv = await waitForLog(tag, audioAtLeast(1500), 15000);
    expect(srv.audio.dominantHz).to.be.within(431, 449);
    expect((await c.audioStats()).encoderMode).to.equal('main-thread');
    expect(warnings.map((w) => w.detail.code)).to.include('audio-fallback');
  });

  it('runs the media API on the main thread, fed by the capture worklet, when only the worker cannot start', async () => {
    const tag = uniqueTag('noworker');
    const OrigWorker = window.Worker;
    // What a Content-Security-Policy without blob: workers does: the constructor throws.
    window.Worker = class {
      constructor() {
        throw new DOMException('worker blocked', 'SecurityError');
      }
    } as unknown as typeof Worker;
    try {
      const c = await call(tag);
      const warnings = record(c, ['warning']);
      await c.start();
      const srv = await waitForLog(tag, audioAtLeast(1500), 15000);
      expect(srv.audio.dominantHz).to.be.within(431, 449);
      expect(new Set(srv.audio.chunkSamples)).to.deep.equal(new Set([960]));
      const stats = await c.audioStats();
      expect(stats.encoderMode).to.equal('main-thread');
      expect((stats.encoder as { chunksOut: number }).chunksOut).to.be.above(0);
      // Only the worker fell back: the capture worklet loaded.
      expect(warnings.map((w) => w.detail.code)).to.deep.equal(['audio-fallback']);
      await c.stop();
      const [closed] = await waitForLog(tag, (ss) => ss[0]!.closedAt !== null && ss);
      expect(closed!.audio.samples).to.equal((await c.audioStats()).uplink.sentSamples);
    } finally {
      window.Worker = OrigWorker;
    }
  });

  it('starts no media worker in text-only mode', async () => {
    const tag = uniqueTag('textonly-noworker');
    const OrigWorker = window.Worker;
    let started = 0;
    window.Worker = class extends OrigWorker {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started++;
      }
    };
    try {
      const c = await call(tag, {}, { textOnly: true });
      await c.start();
      c.session.sendText('hello');
      const done = await nextEvent<any>(c, 'transcript', (d: any) => d.role === 'assistant' && d.final);
      expect(done.text).to.equal('You said: hello');
      expect(started).to.equal(0);
      expect((await c.audioStats()).encoderMode).to.equal('none');
    } finally {
      window.Worker = OrigWorker;
    }
  });

  it('loads self-hosted worker and worklet files from assets-url', async () => {
    const tag = uniqueTag('selfhost');
    const c = await call(tag, { assetsUrl: '/__dist/' });
    const warnings = record(c, ['warning']);
    await c.start();
    const srv = await waitForLog(tag, audioAtLeast(1000), 15000);
    expect(srv.audio.dominantHz).to.be.within(431, 449);
    expect((await c.audioStats()).encoderMode).to.equal('worker');
    expect(warnings).to.deep.equal([]);
  });

  it('the element streams the microphone and reflects mute', async () => {
    const tag = uniqueTag('el-mic');
    const url = await simUrl(tag, { simSay: '' });
    const el = await fixture<NavtalkAvatarElement>(html`<navtalk-avatar server-url=${url} avatar-id="x" echo-cancellation="false" noise-suppression="false" auto-gain-control="false"></navtalk-avatar>`);
    expect(el.echoCancellation).to.equal(false);
    await el.start();
    const srv = await waitForLog(tag, audioAtLeast(1000), 15000);
    expect(srv.audio.dominantHz).to.be.within(431, 449);
    const mic = el.shadowRoot!.querySelector('[part="mic-button"]') as HTMLButtonElement;
    mic.click();
    await el.updateComplete;
    expect(el.muted).to.equal(true);
    expect(el.hasAttribute('muted')).to.equal(true);
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    await el.stop();
  });
});
