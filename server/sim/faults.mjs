/**
 * @file Fault injection for the simulator: the fault kinds (query option `simFault`, control action `{fault}`),
 * the junk they send, and the reshaping of a response turn (dropped mid-way, or sent out of order).
 * Frames are built in the v2 shape; a session's dialect renames them for the legacy API.
 */

import { randomBytes, randomInt } from 'node:crypto';
import { transcriptDeltaFrame } from './frames.mjs';

/** @typedef {import('./frames.mjs').Step} Step */
/** @typedef {import('./frames.mjs').FieldStyle} FieldStyle */

/**
 * - `drop-mid-turn`: the next response turn's socket is terminated (1006) once about half of its transcript
 *   deltas have gone out;
 * - `garbage`: 5 non-JSON text frames and 2 JSON frames without `type`;
 * - `binary`: 3 binary frames of random bytes;
 * - `huge`: one ~10 MB transcript-delta frame (id `huge`);
 * - `out-of-order`: the next response turn sends its done frames first, then a delta for an id that never
 *   started, then its deltas;
 * - `stall`: nothing is ever sent on the socket (input is still read and logged);
 * - `stall-after-ready`: as `stall`, from `simFaultAfter` ms after session.updated.
 * @typedef {'drop-mid-turn'|'garbage'|'binary'|'huge'|'out-of-order'|'stall'|'stall-after-ready'} FaultKind
 */

/** @type {readonly FaultKind[]} */
export const FAULT_KINDS = Object.freeze(['drop-mid-turn', 'garbage', 'binary', 'huge', 'out-of-order', 'stall', 'stall-after-ready']);

/** @typedef {'query'|'control'} FaultSource how a fault was requested */
/** @typedef {{kind: 'drop-mid-turn'|'out-of-order', via: FaultSource, responseId: string}} FaultMark a step where a turn fault fires */

export const HUGE_CONTENT_CHARS = 10 * 1024 * 1024;
export const HUGE_ID = 'huge';
const JUNK_TEXT_FRAMES = 5;
const BINARY_FRAMES = 3;
const PRINTABLE_FIRST = 0x21; // '!'
const PRINTABLE_LAST = 0x7e; // '~'

/**
 * @param {unknown} value
 * @returns {value is FaultKind}
 */
export function isFaultKind(value) {
  return typeof value === 'string' && /** @type {readonly string[]} */ (FAULT_KINDS).includes(value);
}

/**
 * @param {number} length
 * @returns {string} random printable ASCII
 */
function printable(length) {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(randomInt(PRINTABLE_FIRST, PRINTABLE_LAST + 1));
  return text;
}

/**
 * Text frames that are not JSON: random printable characters after a `~`, which no JSON text starts with.
 * @returns {string[]}
 */
export function junkTextFrames() {
  return Array.from({ length: JUNK_TEXT_FRAMES }, () => `~${printable(randomInt(8, 80))}`);
}

/**
 * JSON frames without a `type`.
 * @returns {Record<string, unknown>[]}
 */
export function untypedJsonFrames() {
  return [{ data: { content: printable(12) } }, { event_id: `evt_${randomInt(1e9)}`, payload: [1, 2, 3], note: 'no type here' }];
}

/** @returns {Buffer[]} binary frames of random bytes (1 to 1024 each) */
export function randomBinaryFrames() {
  return Array.from({ length: BINARY_FRAMES }, () => randomBytes(randomInt(1, 1025)));
}

/** @returns {Record<string, unknown>} a valid transcript delta whose content is 10 MiB of `x` */
export function hugeFrame() {
  return { type: 'realtime.response.audio_transcript.delta', data: { content: 'x'.repeat(HUGE_CONTENT_CHARS), id: HUGE_ID } };
}

/**
 * A turn sent out of order: `audio_transcript.done` and `audio.done` first, then one transcript delta for an id
 * that never started (`<id>_ghost`), then the deltas (and audio deltas) at their usual pace. The first step
 * carries the fault mark.
 * @param {Step[]} steps a turn from textTurnSteps
 * @param {{id: string, style: FieldStyle, via: FaultSource}} spec
 * @returns {Step[]}
 */
export function disorderedTurn(steps, { id, style, via }) {
  const isDone = (/** @type {Step} */ step) =>
    step.frame.type === 'realtime.response.audio_transcript.done' || step.frame.type === 'realtime.response.audio.done';
  const dones = steps.filter(isDone);
  const rest = steps.filter((step) => !isDone(step));
  /** @type {FaultMark} */
  const fault = { kind: 'out-of-order', via, responseId: id };
  return [
    ...dones.map((step, i) => ({ ...step, delayMs: i === 0 ? (rest[0]?.delayMs ?? 0) : 0, ...(i === 0 ? { fault } : {}) })),
    { delayMs: 0, frame: transcriptDeltaFrame(style, 'Stray ', `${id}_ghost`) },
    ...rest,
  ];
}

/**
 * Marks the transcript delta after which the socket is dropped: number ⌈n/2⌉ of the turn's n deltas.
 * A turn without transcript deltas (a function call) is returned unchanged.
 * @param {Step[]} steps
 * @param {{id: string, via: FaultSource}} spec
 * @returns {{steps: Step[], marked: boolean}}
 */
export function withDropPoint(steps, { id, via }) {
  const deltas = steps.flatMap((step, index) => (step.part ? [index] : []));
  if (deltas.length === 0) return { steps, marked: false };
  const at = deltas[Math.ceil(deltas.length / 2) - 1];
  /** @type {FaultMark} */
  const fault = { kind: 'drop-mid-turn', via, responseId: id };
  return { steps: steps.map((step, index) => (index === at ? { ...step, fault } : step)), marked: true };
}
