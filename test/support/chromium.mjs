// Debian's Chromium (or CHROME_PATH), with the flags a root, network-less container and fake media need.
import { chromeLauncher } from '@web/test-runner-chrome';
import { existsSync } from 'node:fs';

export const CHROMIUM =
  process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)) || '/usr/bin/chromium';

export const CHROME_ARGS = [
  '--no-sandbox', // root: Chromium refuses to start sandboxed
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-extensions',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter,OptimizationHints,WebRtcHideLocalIpsWithMdns',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // Test files run in parallel pages: a page in the background must not have its timers, rendering
  // (requestVideoFrameCallback) or media throttled.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** A Chromium launcher with extra flags, and without the listed default ones (e.g. no fake media UI). */
export function chromium(extraArgs = [], without = []) {
  return chromeLauncher({
    launchOptions: { executablePath: CHROMIUM, headless: true, args: [...CHROME_ARGS.filter((a) => !without.some((w) => a.startsWith(w))), ...extraArgs] },
  });
}
