// npm run leaks: 100 start/stop cycles of one <navtalk-avatar> and 100 add/remove cycles, each with the
// microphone and the avatar's WebRTC stream, in headless Chromium against the simulator. Through the Chrome
// DevTools protocol it then counts what is still alive (peer connections, AudioContexts, workers, sockets, live
// tracks) and the JS heap growth after garbage collection. Exits 1 when anything is left or the heap grew > 2 MB.
import { spawnSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { createSimServer } from '../server/sim/sim-server.mjs';
import { CHROMIUM, CHROME_ARGS } from '../test/support/chromium.mjs';
import { ensureFixtures } from './fixtures.mjs';

if (!process.env.NAVTALK_NETNS && !process.env.NAVTALK_NO_NETNS && spawnSync('unshare', ['--net', 'true']).status === 0) {
  const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$@"', 'sh', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NAVTALK_NETNS: '1' } });
  process.exit(r.status ?? 1);
}

const N = Number(process.env.LEAK_CYCLES || 100);
const LIMIT_BYTES = 2 * 1024 * 1024;
const fixtures = ensureFixtures();
let sim;
const vite = await createServer({
  root: new URL('../bench', import.meta.url).pathname,
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: '127.0.0.1', port: 0 },
  logLevel: 'warn',
  plugins: [{ name: 'sim', async configureServer(server) { sim = await createSimServer({ httpServer: server.httpServer }); server.middlewares.use(sim.middleware); } }],
});
await vite.listen();
const base = vite.resolvedUrls.local[0];
const ws = `${base.replace('http', 'ws')}wss/v2/realtime-chat?simGreeting=0&simOffer=late`;
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROME_ARGS, `--use-file-for-fake-audio-capture=${fixtures.sine440.path}`] });
const page = await browser.newPage();
const cdp = await page.createCDPSession();
await page.goto(base, { waitUntil: 'load' });
await page.waitForFunction(() => window.bench !== undefined);

async function heap() {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}
/** Instances of a class still alive after GC (Runtime.queryObjects walks the heap), filtered by `fn`. */
async function count(name, fn = 'function () { return this.length; }') {
  const { result: proto } = await cdp.send('Runtime.evaluate', { expression: `${name}.prototype` });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId });
  const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: fn, returnByValue: true });
  await cdp.send('Runtime.releaseObject', { objectId: objects.objectId });
  return result.value;
}
async function alive() {
  const counts = {};
  for (const name of ['RTCPeerConnection', 'AudioContext', 'AudioWorkletNode', 'Worker', 'WebSocket']) counts[name] = await count(name);
  counts['MediaStreamTrack (live)'] = await count('MediaStreamTrack', 'function () { return this.filter((t) => t.readyState === "live").length; }');
  return counts;
}
/** Ended microphone streams Chromium's audio graph keeps (one per call that used the pooled capture context). */
const endedStreams = () => count('MediaStream', 'function () { return this.filter((s) => s.getTracks().every((t) => t.readyState === "ended")).length; }');

const report = {};
// One cycle first, so what is made once per page (module state, blob URLs, compiled code, the pooled capture
// graph, Vite's own dev socket) is the baseline, not growth.
await page.evaluate((u) => window.bench.cycles(u, 1, 'start-stop'), ws);
const baseline = await alive();
report.baseline = baseline;
for (const kind of ['start-stop', 'add-remove']) {
  const before = await heap();
  const t0 = Date.now();
  await page.evaluate((u, n, k) => window.bench.cycles(u, n, k), ws, N, kind);
  const after = await heap();
  const now = await alive();
  const left = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - baseline[k]]));
  report[kind] = { cycles: N, seconds: (Date.now() - t0) / 1000, heapGrowthBytes: after - before, aliveBeyondBaseline: left, endedStreamsRetained: await endedStreams() };
}
report.simOpenSessions = (await (await fetch(`${base}__sim/log`)).json()).sessions.filter((s) => s.closedAt === null).length;
await browser.close();
await vite.close();

console.log(JSON.stringify(report, null, 2));
const leaked = ['start-stop', 'add-remove'].some((k) => report[k].heapGrowthBytes > LIMIT_BYTES || Object.values(report[k].aliveBeyondBaseline).some((n) => n > 0));
console.log(leaked || report.simOpenSessions ? 'leak-check: FAILED' : `leak-check: ok (${N} cycles each; heap growth under 2 MB; nothing left alive)`);
process.exit(leaked || report.simOpenSessions ? 1 : 0);
