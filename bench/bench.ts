// Driven by tools/bench.mjs in headless Chromium (fake microphone: a 440 Hz sine). Each run uses a fresh page.
import '../src/define.js';
import { pcmEncoder } from '../src/worker/media-worker.js';
import { buildSessionConfig } from '../src/config.js';
import { NavtalkCall } from '../src/session/navtalk-call.js';
import { referenceEncode, runReference } from './reference-pipeline.js';

const MIC = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunResult {
  latencies: number[];
  messages: number;
  samples: number;
  seconds: number;
  encoder?: string;
}

/** A pipeline runs in three steps so the driver can read the page's metrics around the steady state only. */
interface Run {
  /** Start and warm up (connect, open the microphone, first chunks sent). */
  ready: Promise<void>;
  /** Stop; the result covers the time since `ready`. */
  finish(): Promise<RunResult>;
}

function ours(serverUrl: string, chunkMs: number, level: boolean): Run {
  const built = buildSessionConfig({ serverUrl, avatarId: 'bench' });
  if ('error' in built) throw new Error(built.error);
  const call = new NavtalkCall(built.config, { textOnly: false, muted: false, level, mic: { chunkMs, ...MIC } });
  let t0 = 0;
  let base = { chunks: 0, samples: 0 };
  const ready = (async () => {
    await call.start();
    await sleep(500);
    const s = (await call.audioStats()).uplink;
    base = { chunks: s.sentChunks, samples: s.sentSamples };
    t0 = performance.now();
  })();
  return {
    ready,
    async finish() {
      const seconds = (performance.now() - t0) / 1000;
      const stats = await call.audioStats();
      await call.stop();
      const u = stats.uplink;
      return { latencies: u.latencies.slice(base.chunks), messages: u.sentChunks - base.chunks, samples: u.sentSamples - base.samples, seconds, encoder: stats.encoderMode };
    },
  };
}

function reference(serverUrl: string): Run {
  let ws: WebSocket;
  let stream: MediaStream;
  let handle: ReturnType<typeof runReference> extends Promise<infer R> ? R : never;
  let t0 = 0;
  const ready = (async () => {
    const url = new URL(serverUrl);
    url.searchParams.set('avatarId', 'bench');
    ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (e) => {
        if (JSON.parse(e.data as string).type === 'realtime.session.updated') resolve();
      };
      ws.onerror = () => reject(new Error('socket failed'));
    });
    ws.onmessage = null;
    stream = await navigator.mediaDevices.getUserMedia({ audio: MIC });
    handle = await runReference(ws, stream);
    await sleep(1000);
    handle.reset();
    t0 = performance.now();
  })();
  return {
    ready,
    async finish() {
      const seconds = (performance.now() - t0) / 1000;
      const r = await handle.stop();
      stream.getTracks().forEach((t) => t.stop());
      ws.close();
      return { ...r, seconds };
    },
  };
}

/** The microphone and an AudioContext opened as a pipeline opens them, with nothing processing: the cost of the
 * browser's media stack alone, subtracted from each pipeline's main-thread time. */
function mediaBaseline(sampleRate?: number): Run {
  let stream: MediaStream;
  let ctx: AudioContext;
  let t0 = 0;
  const ready = (async () => {
    stream = await navigator.mediaDevices.getUserMedia({ audio: MIC });
    ctx = new AudioContext(sampleRate ? { sampleRate } : {});
    ctx.createMediaStreamSource(stream);
    await sleep(500);
    t0 = performance.now();
  })();
  return {
    ready,
    async finish() {
      const seconds = (performance.now() - t0) / 1000;
      stream.getTracks().forEach((t) => t.stop());
      await ctx.close();
      return { latencies: [], messages: 0, samples: 0, seconds };
    },
  };
}

/** ms from `start()` on a `<navtalk-avatar>` to the first avatar video frame presented in its shadow DOM. */
async function firstFrame(serverUrl: string): Promise<number> {
  const el = document.createElement('navtalk-avatar');
  el.setAttribute('server-url', serverUrl);
  el.setAttribute('avatar-id', 'bench');
  el.setAttribute('text-only', '');
  document.body.append(el);
  await el.updateComplete;
  const video = el.shadowRoot!.querySelector('video')!;
  const t0 = performance.now();
  const presented = new Promise<number>((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now())));
  void el.start();
  const t1 = await presented;
  await el.stop();
  el.remove();
  return t1 - t0;
}

/**
 * Teardown stress: `n` start/stop cycles of one element, or `n` add/remove cycles of autostarting elements,
 * each with the microphone (worker, worklet, AudioContext) and the avatar's WebRTC stream.
 */
async function cycles(serverUrl: string, n: number, kind: 'start-stop' | 'add-remove'): Promise<number> {
  const make = () => {
    const el = document.createElement('navtalk-avatar');
    el.setAttribute('server-url', serverUrl);
    el.setAttribute('avatar-id', 'leak');
    return el;
  };
  if (kind === 'start-stop') {
    const el = make();
    document.body.append(el);
    for (let i = 0; i < n; i++) {
      await el.start();
      await el.stop();
    }
    el.remove();
    return n;
  }
  for (let i = 0; i < n; i++) {
    const el = make();
    el.setAttribute('autostart', '');
    const connected = new Promise((resolve) => el.addEventListener('navtalk-state', (e) => e.detail.state === 'listening' && resolve(undefined)));
    document.body.append(el);
    await connected;
    el.remove();
  }
  return n;
}

/** Seconds of audio each encoder turns out per second of CPU, on the same 60 s input. */
function throughput() {
  const seconds = 60;
  const in48 = new Float32Array(48000 * seconds);
  const in24 = new Float32Array(24000 * seconds);
  for (let i = 0; i < in48.length; i++) in48[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000);
  for (let i = 0; i < in24.length; i++) in24[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 24000);
  const stats = { framesIn: 0, samplesIn: 0, chunksOut: 0, samplesOut: 0, busyMs: 0 };
  const encode = pcmEncoder({ inRate: 48000, chunkMs: 40, legacy: false }, stats, () => undefined);
  let t0 = performance.now();
  for (let i = 0; i < in48.length; i += 128) encode(in48.subarray(i, i + 128), 0);
  const oursMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < in24.length; i += 8192) referenceEncode(in24.subarray(i, i + 8192));
  const refMs = performance.now() - t0;
  return { ours: (seconds * 1000) / oursMs, reference: (seconds * 1000) / refMs };
}

type Pipeline = 'ours' | 'ours-level' | 'reference' | 'baseline-native' | 'baseline-24k';

declare global {
  interface Window {
    bench: {
      /** Starts a pipeline and resolves once it is warm. */
      start(pipeline: Pipeline, serverUrl: string, chunkMs?: number): Promise<void>;
      /** Stops it and returns what it did since it was warm. */
      finish(): Promise<RunResult>;
      throughput(): { ours: number; reference: number };
      firstFrame(serverUrl: string): Promise<number>;
      cycles(serverUrl: string, n: number, kind: 'start-stop' | 'add-remove'): Promise<number>;
    };
  }
}

let current: Run | undefined;
window.bench = {
  async start(pipeline, serverUrl, chunkMs = 40) {
    if (pipeline === 'ours' || pipeline === 'ours-level') current = ours(serverUrl, chunkMs, pipeline === 'ours-level');
    else if (pipeline === 'reference') current = reference(serverUrl);
    else current = mediaBaseline(pipeline === 'baseline-24k' ? 24000 : undefined);
    await current.ready;
  },
  finish: () => current!.finish(),
  throughput,
  firstFrame,
  cycles,
};
document.querySelector('#status')!.textContent = 'ready';
