/**
 * @file Builders for the JSON frames the simulator sends (PROTOCOL.md §3, §4a, §6, §8, §13).
 * A "turn" is a list of steps, each a frame plus the delay before it is sent.
 */

import { wordDurationMs } from './voice.mjs';

/** @typedef {'content'|'delta'|'both'} FieldStyle transcript field names: v2 docs, older clients, or both */
/** @typedef {'string'|'object'} ArgsStyle form of `data.arguments` in the function-call event */
/**
 * @typedef {object} Step
 * @property {number} delayMs wait before sending it
 * @property {Record<string, unknown>} frame
 * @property {{word: string, index: number}} [voice] a transcript word the avatar says when the frame goes out
 * @property {{index: number, of: number}} [part] on transcript deltas: which delta of the turn this is
 * @property {import('./faults.mjs').FaultMark} [fault] a turn fault that fires at this step
 */

/** Server error kinds (`conversation.connected.<kind>`) and the message each carries. */
export const ERROR_MESSAGES = Object.freeze({
  fail: 'Invalid license key',
  close: 'Session timeout',
  insufficient_balance: 'Insufficient balance to continue service',
  connection_limit_exceeded: 'Maximum concurrent connections (5) exceeded',
  gpu_full: 'No GPU available, please try again later',
  backend_error: 'Backend error',
});

/** @typedef {keyof typeof ERROR_MESSAGES} ErrorKind */

/**
 * Error and close events carry `message` at the top level and an empty `data`.
 * @param {ErrorKind} kind
 * @param {string} [message]
 */
export function errorFrame(kind, message = ERROR_MESSAGES[kind]) {
  return { type: `conversation.connected.${kind}`, data: {}, message };
}

/**
 * @param {string} sessionId
 */
export function successFrame(sessionId) {
  return { type: 'conversation.connected.success', data: { sessionId, iceServers: [] } };
}

/**
 * Sent after success when the avatar name is ambiguous.
 * @param {string} avatarId
 * @param {string|null} name
 */
export function warningFrame(avatarId, name) {
  const subject = name === null ? 'this request' : `"${name}"`;
  return {
    type: 'conversation.connected.warning',
    data: { avatarId },
    message: `Multiple avatars match ${subject}; using ${avatarId}`,
  };
}

/**
 * An event without payload fields, e.g. `realtime.session.created`.
 * @param {string} type
 */
export function emptyFrame(type) {
  return { type, data: {} };
}

/**
 * @param {string} text
 * @param {FieldStyle} style `content` only, or also the `transcript` alias
 */
export function userTranscriptFrame(text, style) {
  const data = style === 'content' ? { content: text } : { content: text, transcript: text };
  return { type: 'realtime.conversation.item.input_audio_transcription.completed', data };
}

/**
 * Word-ish pieces whose concatenation is the original text.
 * @param {string} text
 * @returns {string[]}
 */
function splitWords(text) {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/**
 * Transcript delta/done frames followed by `realtime.response.audio.done`.
 * With `voice`, each delta carries its word for the avatar's voice and the turn is paced by that voice: a
 * delta goes out when the previous word has been said (at least `delayMs` after it), and `audio.done` when the
 * last word has been said. Without it, deltas are `delayMs` apart.
 * @param {string} text
 * @param {string} id response id
 * @param {{style: FieldStyle, delayMs: number, audio?: boolean, voice?: boolean}} options (audio: add PCM16 audio deltas)
 * @returns {Step[]}
 */
export function textTurnSteps(text, id, { style, delayMs, audio = false, voice = false }) {
  const words = splitWords(text);
  const said = (/** @type {number} */ i) => (voice && i >= 0 ? wordDurationMs(words[i]) : 0);
  const deltas = words.flatMap((piece, i) => [
    {
      delayMs: Math.max(delayMs, said(i - 1)),
      frame: transcriptDeltaFrame(style, piece, id),
      part: { index: i, of: words.length },
      ...(voice ? { voice: { word: piece, index: i } } : {}),
    },
    ...(audio ? [{ delayMs: 0, frame: { type: 'realtime.response.audio.delta', data: { delta: spokenPcm16Base64(piece, i), id } } }] : []),
  ]);
  return [
    ...deltas,
    { delayMs: 0, frame: { type: 'realtime.response.audio_transcript.done', data: transcriptData(style, text, id, 'transcript') } },
    { delayMs: said(words.length - 1), frame: { type: 'realtime.response.audio.done', data: transcriptData(style, null, id, 'transcript') } },
  ];
}

/**
 * One `realtime.response.audio_transcript.delta`.
 * @param {FieldStyle} style
 * @param {string} text
 * @param {string} id response id
 */
export function transcriptDeltaFrame(style, text, id) {
  return { type: 'realtime.response.audio_transcript.delta', data: transcriptData(style, text, id, 'delta') };
}

/**
 * @param {FieldStyle} style
 * @param {string|null} text null: ids only
 * @param {string} id
 * @param {'delta'|'transcript'} alias the older field name for the text
 */
function transcriptData(style, text, id, alias) {
  /** @type {Record<string, string>} */
  const data = {};
  if (style !== 'delta') Object.assign(data, text === null ? { id } : { content: text, id });
  if (style !== 'content') Object.assign(data, text === null ? { response_id: id } : { [alias]: text, response_id: id });
  return data;
}

/**
 * @typedef {object} FunctionCallSpec
 * @property {number} n response number: gives `resp_<n>`, `item_<n>`, `event_<n>`
 * @property {string} callId
 * @property {string} name
 * @property {Record<string, unknown>} args
 * @property {ArgsStyle} argsStyle
 * @property {number} delayMs
 */

/**
 * Two `function_call_arguments.delta` frames, then `.done` with a normalised `data` and the upstream `raw_data`.
 * @param {FunctionCallSpec} spec
 * @returns {Step[]}
 */
export function functionCallSteps({ n, callId, name, args, argsStyle, delayMs }) {
  const text = JSON.stringify(args);
  const cut = Math.ceil(text.length / 2);
  const deltas = [text.slice(0, cut), text.slice(cut)].map((delta) => ({
    delayMs,
    frame: { type: 'realtime.response.function_call_arguments.delta', data: { call_id: callId, delta } },
  }));
  const done = {
    type: 'realtime.response.function_call_arguments.done',
    data: { call_id: callId, function_name: name, name, arguments: argsStyle === 'object' ? args : text },
    raw_data: {
      type: 'response.function_call_arguments.done',
      name,
      call_id: callId,
      arguments: text,
      response_id: `resp_${n}`,
      item_id: `item_${n}`,
      output_index: 0,
      event_id: `event_${n}`,
    },
  };
  return [...deltas, { delayMs, frame: done }];
}

/**
 * Speech-like PCM16 24 kHz for one word (about 70 ms a character): a voiced tone at a pitch that varies by word,
 * three harmonics, with an attack/decay envelope. Base64, as `realtime.response.audio.delta` carries it.
 * @param {string} word
 * @param {number} index
 * @returns {string}
 */
export function spokenPcm16Base64(word, index) {
  const rate = 24000;
  const n = Math.round(rate * Math.min(0.6, 0.07 * Math.max(2, word.trim().length)));
  const f0 = 150 + 25 * (index % 4);
  const bytes = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const env = Math.min(1, i / 240, (n - i) / 480);
    const v = 0.25 * env * (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t) + 0.25 * Math.sin(6 * Math.PI * f0 * t));
    bytes.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 2 * i);
  }
  return bytes.toString('base64');
}
