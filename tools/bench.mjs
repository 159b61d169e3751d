// npm run bench: speed of the microphone path, ours against the reference pipeline NavTalk's docs show, in one
// headless Chromium run with a 440 Hz fake microphone. Prints a table and writes bench-results/bench.json.
// Not a test: numbers, no pass/fail. Runs in a loopback-only network namespace when the machine allows it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { createSimServer } from '../server/sim/sim-server.mjs';
import { CHROMIUM, CHROME_ARGS } from '../test/support/chromium.mjs';
import { ensureFixtures } from './fixtures.mjs';

if (!process.env.NAVTALK_NETNS && !process.env.NAVTALK_NO_NETNS && spawnSync('unshare', ['--net', 'true']).status === 0) {
  const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$@"', 'sh', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NAVTALK_NETNS: '1' },
  });
  process.exit(r.status ?? 1);
}

const SECONDS = Number(process.env.BENCH_SECONDS || 20);
const fixtures = ensureFixtures();

const vite = await createServer({
  root: new URL('../bench', import.meta.url).pathname,
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: '127.0.0.1', port: 0 },
  logLevel: 'warn',
  plugins: [
    {
      name: 'bench-sim',
      async configureServer(server) {
        const sim = await createSimServer({ httpServer: server.httpServer });
        server.middlewares.use(sim.middleware);
        server.httpServer.once('close', () => void sim.close());
      },
    },
  ],
});
await vite.listen();
const base = vite.resolvedUrls.local[0];
const wsUrl = `${base.replace('http', 'ws')}wss/v2/realtime-chat?simGreeting=0&simOffer=off`;
const mediaUrl = `${base.replace('http', 'ws')}wss/v2/realtime-chat?simGreeting=0&simOffer=late`;
const FIRST_FRAME_RUNS = Number(process.env.BENCH_VIDEO_RUNS || 20);

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROME_ARGS, `--use-file-for-fake-audio-capture=${fixtures.sine440.path}`],
});

/** Percentile by nearest rank (p95 of 20 values is the 19th smallest). */
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

async function measure(pipeline, chunkMs = 40) {
  const page = await browser.newPage();
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.bench !== undefined);
  await page.evaluate((p, u, c) => window.bench.start(p, u, c), pipeline, wsUrl, chunkMs);
  const before = await page.metrics();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const after = await page.metrics();
  const r = await page.evaluate(() => window.bench.finish());
  await page.close();
  const mainMs = (after.TaskDuration - before.TaskDuration) * 1000;
  const scriptMs = (after.ScriptDuration - before.ScriptDuration) * 1000;
  return { ...r, mainMs, scriptMs, audioSeconds: r.samples / 24000 };
}

const baseNative = await measure('baseline-native');
const base24k = await measure('baseline-24k');
const ours = await measure('ours');
const oursLevel = await measure('ours-level');
const reference = await measure('reference');
const tpPage = await browser.newPage();
await tpPage.goto(base, { waitUntil: 'load' });
await tpPage.waitForFunction(() => window.bench !== undefined);
const throughput = await tpPage.evaluate(() => window.bench.throughput());
// start() to the first avatar video frame, over FIRST_FRAME_RUNS calls (the simulator offers after session.updated).
const firstFrames = [];
await tpPage.evaluate((u) => window.bench.firstFrame(u), mediaUrl); // warm-up, not counted (first codec and module loads)
for (let i = 0; i < FIRST_FRAME_RUNS; i++) firstFrames.push(await tpPage.evaluate((u) => window.bench.firstFrame(u), mediaUrl));
await browser.close();
await vite.close();

const row = (r) => {
  const perMinute = (ms) => (ms / Math.max(r.audioSeconds, 1e-9)) * 60;
  return {
    p50: pct(r.latencies, 50),
    p95: pct(r.latencies, 95),
    mainMsPerMinute: perMinute(r.mainMs),
    scriptMsPerMinute: perMinute(r.scriptMs),
    messagesPerSecond: r.messages / r.seconds,
    audioSeconds: r.audioSeconds,
  };
};
const results = {
  date: new Date().toISOString(),
  seconds: SECONDS,
  chromium: CHROMIUM,
  definitions: {
    latency: 'per append message: ws.send time minus the time its first sample reached script (AudioWorklet / ScriptProcessor), ms',
    mainMsPerMinute: 'main-thread task time (CDP TaskDuration) of the page in steady state (after start-up), per minute of audio sent',
    scriptMsPerMinute: 'JavaScript time on the main thread (CDP ScriptDuration) in steady state, per minute of audio sent',
    mediaStackMsPerSecond: 'task time of a page that only opens the same microphone and AudioContext (native rate, 24 kHz): the floor both pipelines stand on',
    throughput: 'seconds of audio encoded per second of CPU, same 60 s input',
  },
  ours: { ...row(ours), encoder: ours.encoder, throughput: throughput.ours, chunkMs: 40 },
  oursWithLevelMeter: row(oursLevel),
  reference: { ...row(reference), throughput: throughput.reference },
  firstVideoFrameMs: { runs: firstFrames.length, warmupRuns: 1, p50: pct(firstFrames, 50), p95: pct(firstFrames, 95), all: firstFrames },
  mediaStackMsPerSecond: { native: baseNative.mainMs / baseNative.seconds, rate24k: base24k.mainMs / base24k.seconds },
};
results.ratios = {
  p95Latency: results.reference.p95 / results.ours.p95,
  mainThreadTasks: results.reference.mainMsPerMinute / Math.max(results.ours.mainMsPerMinute, 1e-6),
  mainThreadScript: results.reference.scriptMsPerMinute / Math.max(results.ours.scriptMsPerMinute, 1e-6),
};

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const lines = [
  `navtalk-avatar bench (${SECONDS} s per pipeline, 440 Hz fake microphone, Chromium headless)`,
  '',
  '| metric                                 |        ours |   reference |',
  '|----------------------------------------|-------------|-------------|',
  `| mic-to-wire latency p50 (ms)           | ${f(results.ours.p50).padStart(11)} | ${f(results.reference.p50).padStart(11)} |`,
  `| mic-to-wire latency p95 (ms)           | ${f(results.ours.p95).padStart(11)} | ${f(results.reference.p95).padStart(11)} |`,
  `| main-thread time, ms per minute of audio | ${f(results.ours.mainMsPerMinute).padStart(9)} | ${f(results.reference.mainMsPerMinute).padStart(11)} |`,
  `|   of which JavaScript                  | ${f(results.ours.scriptMsPerMinute).padStart(11)} | ${f(results.reference.scriptMsPerMinute).padStart(11)} |`,
  `|   ours with the level meter on (20 Hz) | ${f(results.oursWithLevelMeter.mainMsPerMinute).padStart(11)} |             |`,
  `| encoder throughput (x real time)       | ${f(results.ours.throughput, 0).padStart(11)} | ${f(results.reference.throughput, 0).padStart(11)} |`,
  `| start() to first video frame p50 (ms)  | ${f(results.firstVideoFrameMs.p50).padStart(11)} |             |`,
  `| start() to first video frame p95 (ms)  | ${f(results.firstVideoFrameMs.p95).padStart(11)} |             |`,
  `| messages per second                    | ${f(results.ours.messagesPerSecond).padStart(11)} | ${f(results.reference.messagesPerSecond).padStart(11)} |`,
  `| audio sent (s)                         | ${f(results.ours.audioSeconds).padStart(11)} | ${f(results.reference.audioSeconds).padStart(11)} |`,
  '',
  `p95 latency: ours ${f(results.ratios.p95Latency)}x lower; main-thread time: ours ${f(results.ratios.mainThreadTasks)}x lower (JavaScript alone: ${results.ours.scriptMsPerMinute < 0.05 ? `${f(results.reference.scriptMsPerMinute)} ms against none measurable` : `${f(results.ratios.mainThreadScript)}x`}).`,
  `Encoder: ${results.ours.encoder}. Steady state after start-up; a page that only opens the microphone and an AudioContext`,
  `spends ${f(results.mediaStackMsPerSecond.native * 60)} ms/min (native rate) and ${f(results.mediaStackMsPerSecond.rate24k * 60)} ms/min (24 kHz) on its main thread.`,
];
console.log(lines.join('\n'));
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/bench.json', JSON.stringify(results, null, 2));
console.log('\nsaved bench-results/bench.json');
