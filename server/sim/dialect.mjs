/**
 * @file The wire dialects of the simulator (PROTOCOL.md §2, §7, §8, §10). A session builds every outgoing
 * frame in the v2 shape; its dialect turns it into what goes on the wire:
 * - `v2`: unchanged (`realtime.*` names, payload in `data`);
 * - `legacy` (v1): the flat OpenAI Realtime events (`response.audio_transcript.delta {delta, response_id}`, …),
 *   `response.done` closing each response, and the legacy error events (`session.gpu_full`, `error`, …).
 * The legacy signaling socket's messages (`offer`/`answer`/`iceCandidate` with `targetSessionId`) are made
 * here too, from the v2 signaling frames of the WebRTC side.
 */

import { ERROR_MESSAGES } from './frames.mjs';
import { isPlainObject } from './util.mjs';

/** @typedef {import('./frames.mjs').ErrorKind} ErrorKind */
/** @typedef {Record<string, unknown>} Frame */
/** @typedef {'v2'|'legacy'} Api */

/**
 * @typedef {object} Dialect
 * @property {Api} api
 * @property {(frame: Frame) => Frame[]} outgoing the wire frames for one v2-shaped frame
 * @property {(kind: ErrorKind, message: string) => string} closeReason the WebSocket close reason after a fatal event
 */

/** @type {Dialect} */
export const V2_DIALECT = Object.freeze({
  api: /** @type {const} */ ('v2'),
  outgoing: (frame) => [frame],
  closeReason: (_kind, message) => message,
});

/** @type {Dialect} */
export const LEGACY_DIALECT = Object.freeze({
  api: /** @type {const} */ ('legacy'),
  outgoing: legacyFrames,
  closeReason: (kind, message) => (kind === 'insufficient_balance' ? 'Insufficient points' : message),
});

/** Legacy names of the fatal events that have one; the others become `{type:"error", error:{message}}`. */
const LEGACY_ERROR_TYPES = new Map(
  /** @type {[ErrorKind, string][]} */ ([
    ['insufficient_balance', 'session.insufficient_balance'],
    ['gpu_full', 'session.gpu_full'],
    ['backend_error', 'session.backend.error'],
  ]),
);
const V2_PREFIX = 'realtime.';
const ERROR_PREFIX = 'conversation.connected.';

/**
 * @param {Frame} frame
 * @returns {Frame[]}
 */
function legacyFrames(frame) {
  const type = String(frame.type);
  const data = isPlainObject(frame.data) ? frame.data : {};
  const pick = (/** @type {string[]} */ ...keys) => keys.map((key) => data[key]).find((value) => value !== undefined);
  const flat = type.startsWith(V2_PREFIX) ? type.slice(V2_PREFIX.length) : type;
  switch (type) {
    case 'realtime.input_audio_buffer.speech_started':
    case 'realtime.input_audio_buffer.speech_stopped':
      return [{ type: flat }];
    case 'realtime.conversation.item.input_audio_transcription.completed':
      return [{ type: flat, transcript: pick('content', 'transcript') }];
    case 'realtime.response.audio_transcript.delta':
      return [{ type: flat, delta: pick('content', 'delta'), response_id: pick('id', 'response_id') }];
    case 'realtime.response.audio_transcript.done':
      return [{ type: flat, transcript: pick('content', 'transcript'), response_id: pick('id', 'response_id') }];
    case 'realtime.response.audio.delta':
      return [{ type: flat, delta: pick('delta'), response_id: pick('id', 'response_id') }];
    case 'realtime.response.audio.done': {
      const id = pick('id', 'response_id');
      return [{ type: flat, response_id: id }, responseDone(id)];
    }
    case 'realtime.response.function_call_arguments.delta':
      return [{ type: flat, call_id: pick('call_id'), delta: pick('delta') }];
    case 'realtime.response.function_call_arguments.done': {
      const raw = isPlainObject(frame.raw_data) ? frame.raw_data : {};
      const args = typeof raw.arguments === 'string' ? raw.arguments : JSON.stringify(pick('arguments') ?? {});
      const { response_id: id, item_id: itemId, output_index: outputIndex } = raw;
      return [
        { type: flat, name: pick('name', 'function_name'), call_id: pick('call_id'), arguments: args, response_id: id, item_id: itemId, output_index: outputIndex },
        responseDone(id),
      ];
    }
    default:
      return type.startsWith(ERROR_PREFIX) ? [legacyError(/** @type {ErrorKind} */ (type.slice(ERROR_PREFIX.length)), frame.message)] : [frame];
  }
}

/** @param {unknown} id */
function responseDone(id) {
  return { type: 'response.done', response: { id, status: 'completed' } };
}

/**
 * @param {ErrorKind} kind
 * @param {unknown} message
 * @returns {Frame}
 */
function legacyError(kind, message) {
  const type = LEGACY_ERROR_TYPES.get(kind);
  if (type) return { type };
  return { type: 'error', error: { message: typeof message === 'string' ? message : ERROR_MESSAGES[kind] ?? 'Error' } };
}

/**
 * A legacy signaling message from a v2 signaling frame of the WebRTC side.
 * @param {Frame} frame `webrtc.signaling.offer|answer {data:{sdp}}` or `webrtc.signaling.iceCandidate {data:{candidate}}`
 * @param {string} targetSessionId
 * @returns {Frame}
 */
export function legacySignalingFrame(frame, targetSessionId) {
  const data = isPlainObject(frame.data) ? frame.data : {};
  const type = String(frame.type).replace(/^webrtc\.signaling\./, '');
  return type === 'iceCandidate' ? { type, targetSessionId, candidate: data.candidate } : { type, targetSessionId, sdp: data.sdp };
}

/**
 * The legacy start sequence and session events.
 * @param {string} id session id
 */
export function legacySessionCreated(id) {
  return { type: 'session.created', session: { id, object: 'realtime.session' } };
}

/** @param {string} id */
export function legacySessionId(id) {
  return { type: 'session.session_id', session_id: id };
}

/**
 * @param {string} id
 * @param {Record<string, unknown>} session what the client's session.update carried
 */
export function legacySessionUpdated(id, session) {
  return { type: 'session.updated', session: { ...session, id, object: 'realtime.session' } };
}
