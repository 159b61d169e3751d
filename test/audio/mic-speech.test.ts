// Runs in a Chromium whose fake microphone plays test/fixtures/speech.wav (a spoken phrase, 48 kHz) in a loop.
import { expect } from '@open-wc/testing';
import { buildSessionConfig } from '../../src/config.js';
import { NavtalkCall } from '../../src/session/navtalk-call.js';
import { nextEvent, simUrl, uniqueTag, waitForLog } from '../support/sim.js';

interface Fixtures {
  speech: { rate: number; samples: number; rms: number };
}

describe('microphone uplink (spoken fake microphone)', () => {
  let call: NavtalkCall | undefined;
  afterEach(async () => call?.stop());

  it('keeps the level of the spoken fixture within 1 dB, and the simulator VAD hears it', async function () {
    this.timeout(45000);
    const fx: Fixtures = await fetch('/__fixtures').then((r) => r.json());
    // RMS over exactly one loop of the fixture (at 24 kHz) does not depend on where the loop started.
    const loop = Math.round((fx.speech.samples * 24000) / fx.speech.rate);
    const tag = uniqueTag('speech');
    const built = buildSessionConfig({ avatarId: 'x', serverUrl: await simUrl(tag, { simRmsWindow: loop, simSay: 'What is the weather in Paris?' }) });
    if ('error' in built) throw new Error(built.error);
    call = new NavtalkCall(built.config, { textOnly: false, muted: false, mic: { chunkMs: 40, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    const speech = nextEvent<any>(call, 'speech', (d) => d.speaking, 20000);
    await call.start();
    await speech;
    const user = await nextEvent<any>(call, 'transcript', (d) => d.role === 'user', 20000);
    expect(user.text).to.equal('What is the weather in Paris?');
    const srv = await waitForLog(tag, (ss) => ss[0]!.audio.samples >= loop + 24000 && ss[0]!, 30000);
    const db = 20 * Math.log10(srv.audio.windowRms / fx.speech.rms);
    console.log(`spoken fixture: RMS on the wire ${srv.audio.windowRms.toFixed(5)} vs file ${fx.speech.rms.toFixed(5)} (${db.toFixed(2)} dB)`);
    expect(db, `window RMS ${srv.audio.windowRms} vs fixture ${fx.speech.rms}`).to.be.within(-1, 1);
  });
});
