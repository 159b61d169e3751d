/**
 * @file Per-connection options from the query string: the real parameters (license, avatarId, name) and the
 * simulator-only `sim*` switches described on {@link SimOptions}.
 */

import { FAULT_KINDS } from './faults.mjs';
import { ERROR_MESSAGES } from './frames.mjs';

/** @typedef {import('./frames.mjs').FieldStyle} FieldStyle */
/** @typedef {import('./frames.mjs').ArgsStyle} ArgsStyle */
/** @typedef {import('./frames.mjs').ErrorKind} ErrorKind */
/** @typedef {import('./faults.mjs').FaultKind} FaultKind */
/** @typedef {import('./dialect.mjs').Api} Api */

/**
 * @typedef {object} SimOptions
 * @property {string|null} tag simTag: label used to find this connection's log
 * @property {string|null} license
 * @property {string|null} avatarId
 * @property {string|null} name `name` (v2) or `characterName` (legacy)
 * @property {ArgsStyle} argsStyle simArgs
 * @property {FieldStyle} fieldStyle simFields
 * @property {number} delayMs simDelay: gap between transcript deltas
 * @property {number} updateDelayMs simUpdateDelay: gap between session.created and session.updated, the window
 *   in which history items count as history (raise it for slow, loaded test machines)
 * @property {boolean} greeting simGreeting
 * @property {string} say simSay: what the VAD "hears"
 * @property {boolean} warn simWarn, or name=navtalk.Twins
 * @property {{kind: ErrorKind, afterMs: number}|null} error simError + simErrorAfter
 * @property {boolean} audioDeltas simAudio=1: replies also carry `realtime.response.audio.delta` PCM16 24 kHz
 * @property {number} rmsWindow simRmsWindow: samples over which `audio.windowRms` is measured (0: off)
 * @property {OfferTiming} offer simOffer: when the simulator offers its WebRTC media (default late)
 * @property {IcePolicy} ice simIce: `bad` makes offers whose ICE can never connect (default good)
 * @property {{kind: FaultKind, afterMs: number}|null} fault simFault + simFaultAfter (ms after session.updated;
 *   not used by `stall`, which applies from the start)
 */

/**
 * `late`: right after realtime.session.updated; `early`: right after conversation.connected.success (before
 * realtime.session.created); `off`: no offer (signaling is only recorded, unless the control API forces an offer).
 * @typedef {'late'|'early'|'off'} OfferTiming
 */
/** @typedef {import('./sdp.mjs').IcePolicy} IcePolicy */

/** Which license values fail the connection, and with which event. */
const LICENSE_FAILURES = new Map(
  /** @type {[string, ErrorKind][]} */ ([
    ['bad-license', 'fail'],
    ['no-balance', 'insufficient_balance'],
    ['limit', 'connection_limit_exceeded'],
    ['gpu-full', 'gpu_full'],
    ['backend-error', 'backend_error'],
  ]),
);
const AMBIGUOUS_NAME = 'navtalk.Twins';
const UNKNOWN_AVATAR_ID = 'unknown';
const MAX_DELAY_MS = 10_000;
const MAX_ERROR_AFTER_MS = 600_000;
const MAX_RMS_WINDOW = 24000 * 60;

/**
 * @param {URLSearchParams} query
 * @param {Api} [api] `legacy`: the character comes from `characterName`, and there is no `avatarId`
 * @returns {{options: SimOptions, errors: string[]}} errors: sim* values that were invalid and replaced by defaults
 */
export function parseSimOptions(query, api = 'v2') {
  /** @type {string[]} */
  const errors = [];
  const text = (/** @type {string} */ key) => query.get(key) || null;
  const name = text(api === 'legacy' ? 'characterName' : 'name');
  const avatarId = api === 'legacy' ? null : text('avatarId');
  const errorKind = choice(query, 'simError', /** @type {(ErrorKind|null)[]} */ (Object.keys(ERROR_MESSAGES)), null, errors);
  const faultKind = choice(query, 'simFault', /** @type {(FaultKind|null)[]} */ ([...FAULT_KINDS]), null, errors);
  const options = {
    tag: query.get('simTag'),
    license: text('license'),
    avatarId,
    name,
    argsStyle: choice(query, 'simArgs', ['string', 'object'], 'string', errors),
    fieldStyle: choice(query, 'simFields', ['content', 'delta', 'both'], 'content', errors),
    delayMs: integer(query, 'simDelay', 25, MAX_DELAY_MS, errors),
    updateDelayMs: integer(query, 'simUpdateDelay', 30, MAX_DELAY_MS, errors),
    greeting: choice(query, 'simGreeting', ['0', '1'], '1', errors) === '1',
    say: text('simSay') ?? 'Hello there.',
    warn: choice(query, 'simWarn', ['0', '1'], '0', errors) === '1' || (name === AMBIGUOUS_NAME && !avatarId),
    error: errorKind ? { kind: errorKind, afterMs: integer(query, 'simErrorAfter', 0, MAX_ERROR_AFTER_MS, errors) } : null,
    audioDeltas: choice(query, 'simAudio', ['0', '1'], '0', errors) === '1',
    rmsWindow: integer(query, 'simRmsWindow', 0, MAX_RMS_WINDOW, errors),
    offer: choice(query, 'simOffer', ['late', 'early', 'off'], 'late', errors),
    ice: choice(query, 'simIce', ['good', 'bad'], 'good', errors),
    fault: faultKind ? { kind: faultKind, afterMs: integer(query, 'simFaultAfter', 0, MAX_ERROR_AFTER_MS, errors) } : null,
  };
  return { options: /** @type {SimOptions} */ (options), errors };
}

/**
 * Why the connection must be refused, as the real service would, or null to accept it.
 * A missing license is accepted: it stands for a relay that adds the license upstream. No avatar, or the
 * avatar (id, else name) `unknown`, is "Avatar not found".
 * @param {SimOptions} options
 * @returns {{kind: ErrorKind, message: string}|null}
 */
export function connectFailure({ license, avatarId, name }) {
  const kind = license === null ? undefined : LICENSE_FAILURES.get(license);
  if (kind) return { kind, message: ERROR_MESSAGES[kind] };
  if ((avatarId === null && name === null) || (avatarId ?? name) === UNKNOWN_AVATAR_ID) {
    return { kind: 'fail', message: 'Avatar not found' };
  }
  return null;
}

/**
 * The avatar the session uses: the given id wins over the name.
 * @param {SimOptions} options
 * @returns {string}
 */
export function resolvedAvatarId({ avatarId, name }) {
  return avatarId ?? `sim-avatar-${(name ?? '').replace(/[^\w.-]+/g, '_')}`;
}

/**
 * @template {string|null} T
 * @param {URLSearchParams} query
 * @param {string} key
 * @param {T[]} allowed
 * @param {T} fallback
 * @param {string[]} errors
 * @returns {T}
 */
function choice(query, key, allowed, fallback, errors) {
  const value = /** @type {T} */ (query.get(key));
  if (value === null) return fallback;
  if (allowed.includes(value)) return value;
  errors.push(`invalid ${key}=${value}; using ${fallback}`);
  return fallback;
}

/**
 * @param {URLSearchParams} query
 * @param {string} key
 * @param {number} fallback
 * @param {number} max
 * @param {string[]} errors
 * @returns {number}
 */
function integer(query, key, fallback, max, errors) {
  const value = query.get(key);
  if (value === null) return fallback;
  const number = Number(value);
  if (value.trim() !== '' && Number.isInteger(number) && number >= 0 && number <= max) return number;
  errors.push(`invalid ${key}=${value}; using ${fallback}`);
  return fallback;
}

/**
 * The query as recorded in logs: everything except the license.
 * @param {URLSearchParams} query
 * @returns {Record<string, string>}
 */
export function publicQuery(query) {
  return Object.fromEntries([...query].filter(([key]) => key !== 'license'));
}
