/**
 * @file The test-control HTTP API under `/__sim/` (JSON, CORS `*`):
 * `GET /__sim/health`, `GET /__sim/log?tag=T`, `POST /__sim/send?tag=T` `{frames:[…]}` (see {@link frameAction})
 * or `{fault:"<kind>"}` (shorthand for `{frames:[{fault}]}`; both keys: the fault first), `POST /__sim/reset`.
 * Without `tag`, log and send cover every session.
 */

import { FAULT_KINDS, isFaultKind } from './faults.mjs';
import { isPlainObject, isStrictBase64 } from './util.mjs';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./session.mjs').SimSession} SimSession */

/**
 * What the API operates on: one simulator instance's state.
 * @typedef {object} ControlTarget
 * @property {(tag: string|undefined) => unknown[]} logs session logs, oldest first
 * @property {(tag: string|undefined) => SimSession[]} openSessions
 * @property {() => void} reset forgets every log
 */

const CONTROL_PREFIX = '/__sim/';
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_CLOSE_REASON_BYTES = 123;
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {string|undefined} url
 * @returns {boolean}
 */
export function isControlUrl(url) {
  return typeof url === 'string' && url.startsWith(CONTROL_PREFIX);
}

/**
 * Answers one control request; never throws.
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {ControlTarget} target
 * @returns {Promise<void>}
 */
export async function handleControlRequest(req, res, target) {
  try {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const tag = url.searchParams.get('tag') ?? undefined;
    if (req.method === 'OPTIONS') return reply(res, 204);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /__sim/health':
        return reply(res, 200, { ok: true });
      case 'GET /__sim/log':
        return reply(res, 200, { sessions: target.logs(tag) });
      case 'POST /__sim/reset':
        target.reset();
        return reply(res, 200, { ok: true });
      case 'POST /__sim/send':
        return reply(res, 200, sendFrames(target.openSessions(tag), await readFrames(req)));
      default:
        throw new HttpError(404, `no such control route: ${req.method} ${url.pathname}`);
    }
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    reply(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} [body]
 */
function reply(res, status, body) {
  if (res.headersSent) return;
  const headers = body === undefined ? CORS_HEADERS : { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  res.writeHead(status, headers);
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * @param {IncomingMessage} req
 * @returns {Promise<unknown[]>} the `frames` array of the JSON body, after a `{fault}` for its `fault`
 */
async function readFrames(req) {
  const text = await readBody(req);
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
  if (!isPlainObject(body)) throw new HttpError(400, 'body must be {frames: [...]} or {fault: "<kind>"}');
  const { frames, fault } = body;
  if (fault === undefined && !Array.isArray(frames)) throw new HttpError(400, 'body must be {frames: [...]} or {fault: "<kind>"}');
  if (frames !== undefined && !Array.isArray(frames)) throw new HttpError(400, 'frames must be an array');
  return [...(fault === undefined ? [] : [{ fault }]), ...(frames ?? [])];
}

/**
 * @param {IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * Sends every frame to every given session, in order.
 * @param {SimSession[]} sessions
 * @param {unknown[]} frames
 * @returns {{sent: number, errors: string[]}} sent: frames delivered, summed over sessions
 */
function sendFrames(sessions, frames) {
  let sent = 0;
  /** @type {string[]} */
  const errors = [];
  frames.forEach((frame, index) => {
    const action = frameAction(frame);
    if ('error' in action) {
      errors.push(`frame #${index}: ${action.error}`);
      return;
    }
    for (const session of sessions) if (action.run(session)) sent += 1;
  });
  return { sent, errors };
}

/**
 * Interprets one element of `frames`: a string is sent as is, `{binary: base64}` as a binary frame,
 * `{close: {code, reason}}` closes the socket, `{offer: true}` makes the session offer anew on a new peer
 * connection (closing the old one; legacy: on the linked signaling socket), `{fault: "<kind>"}` fires a fault
 * now (faults.mjs; turn faults hit the next response turn, stall kinds stop all output from now on; frames
 * sent through this API still go out), any other object is sent as JSON.
 * @param {unknown} frame
 * @returns {{run: (session: SimSession) => boolean} | {error: string}}
 */
function frameAction(frame) {
  if (typeof frame === 'string') {
    return { run: (session) => session.inject(frame, { binary: false, type: '(raw)', msg: frame }) };
  }
  if (!isPlainObject(frame)) return { error: 'must be a string or an object' };
  const keys = Object.keys(frame);
  if (keys.length === 1 && keys[0] === 'binary') return binaryAction(frame.binary);
  if (keys.length === 1 && keys[0] === 'close') return closeAction(frame.close);
  if (keys.length === 1 && keys[0] === 'offer') {
    return frame.offer === true ? { run: (session) => session.renewOffer() } : { error: 'offer must be true' };
  }
  if (keys.length === 1 && keys[0] === 'fault') {
    const kind = frame.fault;
    return isFaultKind(kind) ? { run: (session) => session.injectFault(kind) } : { error: `fault must be one of ${FAULT_KINDS.join(', ')}` };
  }
  const text = JSON.stringify(frame);
  const type = typeof frame.type === 'string' ? frame.type : null;
  return { run: (session) => session.inject(text, { binary: false, type, msg: frame }) };
}

/**
 * @param {unknown} base64
 * @returns {{run: (session: SimSession) => boolean} | {error: string}}
 */
function binaryAction(base64) {
  if (!isStrictBase64(base64)) return { error: 'binary must be a base64 string' };
  const bytes = Buffer.from(base64, 'base64');
  return { run: (session) => session.inject(bytes, { binary: true, type: '(binary)', msg: { bytes: bytes.length } }) };
}

/**
 * @param {unknown} spec
 * @returns {{run: (session: SimSession) => boolean} | {error: string}}
 */
function closeAction(spec) {
  const { code = 1000, reason = '' } = isPlainObject(spec) ? spec : {};
  const validCode = code === 1000 || (Number.isInteger(code) && Number(code) >= 3000 && Number(code) <= 4999);
  if (!validCode) return { error: 'close.code must be 1000 or 3000–4999' };
  if (typeof reason !== 'string' || Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    return { error: `close.reason must be a string of at most ${MAX_CLOSE_REASON_BYTES} bytes` };
  }
  return { run: (session) => session.injectClose(Number(code), reason) };
}
