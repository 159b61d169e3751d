/**
 * @file Helpers shared by the simulator's self-checks: a `ws` test client that keeps every frame it receives,
 * URL and message builders, and the control API calls.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

export const WAIT_MS = 3000;

/** A test client that keeps every frame it receives and can wait for the next one matching a predicate. */
export class Client {
  /** @type {any[]} */
  messages = [];
  #cursor = 0;
  /** @type {(() => void)[]} */
  #wakers = [];

  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    /** @type {Promise<{code: number, reason: string}>} */
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      this.messages.push(isBinary ? { binary: Buffer.from(/** @type {Buffer} */ (data)) } : parseOrRaw(data.toString()));
      this.#wakers.splice(0).forEach((wake) => wake());
    });
  }

  /**
   * @param {string} url
   * @param {(client: Client) => void} [onOpen] runs inside the open event, like a browser's onopen
   */
  static async open(url, onOpen) {
    const client = new Client(new WebSocket(url));
    await once(client.ws, 'open');
    onOpen?.(client);
    return client;
  }

  /** @param {unknown} frame an object (sent as JSON) or a raw string */
  send(frame) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The next not-yet-consumed message matching, waiting for it if needed.
   * @param {string|((msg: any) => boolean)} match a type or a predicate
   * @param {number} [timeoutMs]
   */
  async next(match, timeoutMs = WAIT_MS) {
    const test = typeof match === 'string' ? (/** @type {any} */ msg) => msg?.type === match : match;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((msg, i) => i >= this.#cursor && test(msg));
      if (index >= 0) {
        this.#cursor = index + 1;
        return this.messages[index];
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${typeof match === 'string' ? match : 'a matching message'}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wakers.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
  }

  /** Waits for one assistant turn and returns its deltas and done frames. */
  async turn() {
    const done = await this.next('realtime.response.audio_transcript.done');
    const deltas = this.messages.filter(
      (msg) => msg?.type === 'realtime.response.audio_transcript.delta' && (msg.data.id ?? msg.data.response_id) === (done.data.id ?? done.data.response_id),
    );
    const audioDone = await this.next('realtime.response.audio.done');
    return { deltas, done, audioDone };
  }

  async waitSessionUpdated() {
    await this.next('realtime.session.updated');
  }

  close() {
    this.ws.close(1000);
    return this.closed;
  }
}

/** @param {string} text */
export function parseOrRaw(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

/**
 * @param {string} base ws URL of the simulator
 * @param {Record<string, string>} params
 */
export function urlWith(base, params) {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** @param {string} text */
export function userText(text) {
  return { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } };
}

/** @param {unknown} value */
export function inputConfig(value) {
  return { type: 'realtime.input_config', data: { content: JSON.stringify(value) } };
}

/**
 * PCM16 LE base64 chunks of a sine tone (amplitude 0: silence).
 * @param {{hz: number, amplitude: number, ms: number, chunkMs?: number, phase?: number}} spec
 * @returns {string[]}
 */
export function toneChunks({ hz, amplitude, ms, chunkMs = 100, phase = 0 }) {
  const perChunk = (chunkMs * 24000) / 1000;
  const total = (ms * 24000) / 1000;
  /** @type {string[]} */
  const chunks = [];
  for (let start = 0; start < total; start += perChunk) {
    const bytes = Buffer.alloc(Math.min(perChunk, total - start) * 2);
    for (let i = 0; i < bytes.length / 2; i++) {
      const t = (phase + start + i) / 24000;
      bytes.writeInt16LE(Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * t)), 2 * i);
    }
    chunks.push(bytes.toString('base64'));
  }
  return chunks;
}

/** @param {string} audio */
export function append(audio) {
  return { type: 'realtime.input_audio_buffer.append', data: { audio } };
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `check` returns something truthy.
 * @template T
 * @param {() => T} check
 * @param {string} what for the timeout message
 * @param {number} [timeoutMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(check, what, timeoutMs = 5000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return /** @type {NonNullable<T>} */ (value);
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The pieces a reply text is sent in, one transcript delta each (as the simulator splits it).
 * @param {string} text
 * @returns {string[]}
 */
export function replyWords(text) {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/**
 * @param {{httpUrl: string}} sim
 * @param {string} tag
 * @returns {Promise<ReturnType<import('./session-log.mjs').SessionLog['toJSON']>>} the single session log with that tag
 */
export async function logOf(sim, tag) {
  const body = await (await fetch(`${sim.httpUrl}/__sim/log?tag=${encodeURIComponent(tag)}`)).json();
  assert.equal(body.sessions.length, 1, `expected one session tagged ${tag}`);
  return body.sessions[0];
}

/**
 * @param {{httpUrl: string}} sim
 * @param {string} route e.g. send?tag=x
 * @param {unknown} [body]
 */
export async function post(sim, route, body) {
  const res = await fetch(`${sim.httpUrl}/__sim/${route}`, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/**
 * @param {Promise<void>} promise
 * @param {number} ms
 * @returns {Promise<void>} rejects when `promise` takes longer (so that a hung check cannot hang the run)
 */
export function withTimeout(promise, ms) {
  /** @type {NodeJS.Timeout|undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reports a self-check's result and makes sure nothing keeps the process alive after the simulator closed.
 * @param {string} name
 * @param {number} failures
 * @param {number} graceMs how long the process may take to exit on its own
 */
export function finishSelfcheck(name, failures, graceMs) {
  console.log(failures === 0 ? `${name}: all checks passed` : `${name}: ${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
  // This unref'd timer only fires if something (a leaked handle) keeps the process alive.
  setTimeout(() => {
    console.log(`FAIL process still alive ${graceMs / 1000} s after close(): leaked handles`);
    process.exit(1);
  }, graceMs).unref();
}

/**
 * Runs a self-check's main function; a crash is a failure, reported, never an unhandled rejection.
 * @param {string} name
 * @param {() => Promise<void>} main
 */
export function runSelfcheck(name, main) {
  main().catch((error) => {
    console.log(`FAIL ${name} crashed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}

/**
 * Runs named checks in order, each within `timeoutMs`, printing PASS or FAIL per check.
 * @param {[string, () => Promise<void>][]} checks
 * @param {number} timeoutMs
 * @returns {Promise<number>} how many failed
 */
export async function runChecks(checks, timeoutMs) {
  let failures = 0;
  for (const [name, run] of checks) {
    try {
      await withTimeout(run(), timeoutMs);
      console.log(`PASS ${name}`);
    } catch (error) {
      failures += 1;
      console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures;
}
