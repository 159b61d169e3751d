// Browser tests: built by Vite (test/support/vite-bridge.mjs), run in Debian's Chromium against the simulated
// NavTalk server (test/support/servers-plugin.mjs). Closing line: `N passed, N failed`.
import { defaultReporter } from '@web/test-runner';
import { chromium } from './test/support/chromium.mjs';
import { serversPlugin } from './test/support/servers-plugin.mjs';
import { summaryReporter } from './test/support/summary-reporter.mjs';
import { viteBridge } from './test/support/vite-bridge.mjs';
import { ensureFixtures } from './tools/fixtures.mjs';

// The fake microphone plays a WAV file in a loop; each file needs its own browser (a group).
const fixtures = ensureFixtures();
const micWith = (file) => chromium([`--use-file-for-fake-audio-capture=${file}`]);

const bridge = viteBridge({
  optimizeDeps: { include: ['@open-wc/testing', 'lit'] },
});

export default {
  files: ['test/**/*.test.ts', '!test/audio/mic-*.test.ts', '!test/webrtc/*.test.ts', '!test/devices/*.test.ts'],
  groups: [
    // Real device conditions, each in a browser launched for it: the permission prompt denied (no fake UI), no
    // microphone at all, and autoplay with sound blocked until the visitor interacts.
    { name: 'mic-denied', files: 'test/devices/mic-denied.test.ts', browsers: [chromium([], ['--use-fake-ui-for-media-stream'])] },
    { name: 'no-mic', files: 'test/devices/no-mic.test.ts', browsers: [chromium([], ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'])] },
    { name: 'autoplay', files: 'test/devices/autoplay.test.ts', browsers: [chromium(['--autoplay-policy=document-user-activation-required'], ['--autoplay-policy'])] },
    // Video tests need a page that renders (requestVideoFrameCallback): one file per browser, never in the background.
    { name: 'webrtc-media', files: 'test/webrtc/avatar-media.test.ts', browsers: [chromium()] },
    { name: 'webrtc-peer', files: 'test/webrtc/peer.test.ts', browsers: [chromium()] },
    { name: 'mic-sine', files: 'test/audio/mic-sine.test.ts', browsers: [micWith(fixtures.sine440.path)] },
    { name: 'mic-speech', files: 'test/audio/mic-speech.test.ts', browsers: [micWith(fixtures.speech.path)] },
  ],
  nodeResolve: false,
  middleware: [bridge.middleware],
  plugins: [serversPlugin(), bridge.plugin],
  browsers: [chromium()],
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000,
  reporters: [defaultReporter(), summaryReporter()],
};
