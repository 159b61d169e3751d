// npm run screenshots: PNGs of the widget's main states, from the demo pages (served by tools/start.mjs with the
// simulated NavTalk server) in Debian's Chromium, saved under screenshots/ (ignored by git).
// Runs in a loopback-only network namespace when this machine allows one, like the tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from '../test/support/chromium.mjs';

if (!process.env.NAVTALK_NETNS && !process.env.NAVTALK_NO_NETNS && spawnSync('unshare', ['--net', 'true']).status === 0) {
  const self = new URL(import.meta.url).pathname;
  const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up 2>/dev/null || true; exec "$@"', 'sh', process.execPath, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NAVTALK_NETNS: '1' },
  });
  process.exit(r.status ?? 1);
}

const OUT = new URL('../screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Starts the demo server and resolves with its URL once it prints it. */
async function startDemo() {
  const port = await freePort();
  const child = spawn(process.execPath, [new URL('./start.mjs', import.meta.url).pathname], { env: { ...process.env, PORT: String(port), NAVTALK_LICENSE: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /demo: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`demo server exited (${code})`)));
    setTimeout(() => reject(new Error('demo server did not start in 30 s')), 30000);
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

const demo = await startDemo();
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
const shots = [];

/** Opens `path` at a viewport, waits for the element to render, runs `act` in the page, saves `name.png`. */
async function shot(name, path, { width = 1280, height = 800, mobile = false, dark = false } = {}, act = async () => {}) {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error(`${name}: page error: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && console.error(`${name}: console: ${msg.text()} ${msg.location()?.url ?? ''}`));
  await page.setViewport({ width, height, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
  await page.goto(new URL(path, demo.url).href, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const el = document.querySelector('navtalk-avatar');
    return el?.shadowRoot && el.serverUrl.startsWith('ws://');
  });
  await act(page);
  await page.evaluate(() => document.querySelector('navtalk-avatar').updateComplete);
  const file = `${OUT}${name}.png`;
  await page.screenshot({ path: file });
  shots.push(file);
  await page.close();
}

// In the page: helpers on the first avatar.
const inPage = {
  /** Slow streaming (so captions are caught mid-reply), start, wait for the video to play. */
  callWithVideo: async (delay) => {
    const el = document.querySelector('navtalk-avatar');
    const url = new URL(el.serverUrl);
    url.searchParams.set('simDelay', String(delay));
    el.serverUrl = url.href;
    await el.start();
    const video = el.shadowRoot.querySelector('video');
    await new Promise((resolve) => (video.currentTime > 0 ? resolve() : video.addEventListener('timeupdate', resolve, { once: true })));
  },
  /** Types a message and sends it; resolves once the reply is final, or has streamed `chars` characters. */
  say: (text, chars = Infinity) => {
    const el = document.querySelector('navtalk-avatar');
    return new Promise((resolve) => {
      const on = (e) => {
        const { role, final, text: reply } = e.detail;
        if (role !== 'assistant' || !(final || reply.length >= chars)) return;
        el.removeEventListener('navtalk-transcript', on);
        resolve();
      };
      el.addEventListener('navtalk-transcript', on);
      el.shadowRoot.querySelector('[part="text-input"]').value = text;
      el.shadowRoot.querySelector('[part="send-button"]').click();
    });
  },
};

try {
  await shot('inline-idle', '/');
  await shot('inline-call-captions', '/', {}, async (page) => {
    await page.evaluate(inPage.callWithVideo, 90);
    await page.evaluate(inPage.say, 'Hello! Who are you?');
    await page.evaluate(inPage.say, 'Could you tell me what this widget can do on a support page?', 60);
  });
  await shot('inline-call-dark', '/', { dark: true }, async (page) => {
    await page.evaluate(inPage.callWithVideo, 20);
    await page.evaluate(inPage.say, "What's the weather in Paris?");
  });
  await shot('floating-closed', '/floating.html');
  await shot('floating-open', '/floating.html', {}, async (page) => {
    await page.evaluate(() => document.querySelector('navtalk-avatar').shadowRoot.querySelector('[part="launcher"]').click());
    await page.evaluate(inPage.callWithVideo, 30);
    await page.evaluate(inPage.say, 'Where is my order?');
  });
  await shot('error', '/', {}, async (page) => {
    await page.evaluate(async () => {
      const el = document.querySelector('navtalk-avatar');
      el.license = 'gpu-full';
      await el.start();
    });
  });
  await shot('mobile-sheet', '/floating.html', { width: 390, height: 844, mobile: true }, async (page) => {
    await page.evaluate(() => document.querySelector('navtalk-avatar').shadowRoot.querySelector('[part="launcher"]').click());
    await page.evaluate(inPage.callWithVideo, 30);
    await page.evaluate(inPage.say, 'Do you repair boots?');
  });
  await shot('two-avatars', '/two.html');
  await shot('configurator', '/configurator.html');
  console.log(`screenshots: ${shots.length} PNGs in ${OUT}`);
} finally {
  await browser.close();
  demo.stop();
}
